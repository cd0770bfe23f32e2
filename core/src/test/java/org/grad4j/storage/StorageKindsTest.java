package org.grad4j.storage;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.*;

/** Heap and off-heap storages hold the same values; the default kind follows GRAD4J_STORAGE / -Dgrad4j.storage. */
class StorageKindsTest {

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeRoundTripsTheSameOnBothKinds(DType d) {
        Storage h = Storage.allocate(d, 5, Storage.Kind.HEAP), o = Storage.allocate(d, 5, Storage.Kind.OFFHEAP);
        assertInstanceOf(HeapStorage.class, h);
        assertInstanceOf(OffHeapStorage.class, o);
        double[] values = {0, 1, -2.75, 200, 1e10};
        for (int i = 0; i < 5; i++) {
            h.setDouble(i, values[i]);
            o.setDouble(i, values[i]);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(h.getDouble(i), o.getDouble(i), d + " element " + i);
            assertEquals(h.getLong(i), o.getLong(i), d + " element " + i);
        }
        o.setLong(2, -7);
        h.setLong(2, -7);
        assertEquals(h.getDouble(2), o.getDouble(2));
        HeapStorage copy = o.copyToHeap();
        for (int i = 0; i < 5; i++) assertEquals(h.getDouble(i), copy.getDouble(i));
        assertEquals(Storage.Kind.OFFHEAP, o.kind());
    }

    @Test
    void anOffHeapStorageStartsZeroed() {
        Storage o = OffHeapStorage.allocate(DType.FLOAT64, 1000);
        for (int i = 0; i < 1000; i++) assertEquals(0.0, o.getDouble(i));
    }

    @Test
    void aReleasedBlockFailsOnAccessInsteadOfCrashing() {
        OffHeapStorage big = OffHeapStorage.allocate(DType.FLOAT32, 1 << 20);   // 4 MiB: a releasable block
        long live = OffHeapStorage.liveBytes();
        big.release();
        long after = OffHeapStorage.liveBytes();   // <=: dead storages of earlier tests may come back meanwhile
        assertTrue(after <= live - (4L << 20), live + " -> " + after);
        assertThrows(IllegalStateException.class, () -> big.getDouble(0));
        OffHeapStorage small = OffHeapStorage.allocate(DType.FLOAT32, 4);
        small.release();   // small blocks go back to the cache too: no access after
        assertThrows(IllegalStateException.class, () -> small.getDouble(0));
    }

    @Test
    void aReadOnlyStorageRefusesWritesWithAFix() {
        var seg = java.lang.foreign.Arena.ofAuto().allocate(16);
        OffHeapStorage ro = OffHeapStorage.ofSegment(DType.FLOAT32, seg, true);
        var e = assertThrows(UnsupportedOperationException.class, () -> ro.setDouble(0, 1));
        assertTrue(e.getMessage().contains("clone()"), e.getMessage());
        assertEquals(4, ro.size());
        assertThrows(IllegalArgumentException.class, () -> OffHeapStorage.ofSegment(DType.FLOAT64, seg.asSlice(0, 12), true));
    }

    @Test
    void newTensorsGetTheDefaultKind() {
        Storage.Kind k = Storage.defaultKind();
        for (Tensor t : new Tensor[]{Grad4j.zeros(3), Grad4j.randn(2, 2), Grad4j.arange(4), Grad4j.tensor(new double[]{1, 2}),
                Grad4j.ones(2).add(1.0), Grad4j.randperm(5)}) {
            assertEquals(k, t.storage().kind(), "a new tensor's storage follows the default kind");
        }
        // a Java array wrapped by fromArray is shared, so it stays on the heap whatever the default
        assertEquals(Storage.Kind.HEAP, Grad4j.fromArray(new float[]{1, 2}, 2).storage().kind());
    }

    @Test
    void aBadStorageSettingNamesTheAcceptedValues() {
        String old = System.getProperty("grad4j.storage");
        try {
            System.setProperty("grad4j.storage", "gpu");
            var e = assertThrows(IllegalArgumentException.class, Storage.Defaults::parse);
            assertEquals("-Dgrad4j.storage=gpu is not a storage kind. Fix: use heap or offheap", e.getMessage());
            System.setProperty("grad4j.storage", "OffHeap");
            assertEquals(Storage.Kind.OFFHEAP, Storage.Defaults.parse());
        } finally {
            if (old == null) System.clearProperty("grad4j.storage");
            else System.setProperty("grad4j.storage", old);
        }
    }
}
