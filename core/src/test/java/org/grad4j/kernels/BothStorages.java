package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Storage;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helpers for the kernel families: the same elements in a heap and an off-heap storage, compared bit for bit. */
final class BothStorages {
    private BothStorages() {}

    /** {heap, off-heap} storages holding the same elements, each drawn by {@code gen} (NaN, -0 and ties included). */
    static Storage[] of(DType t, int n, long seed) {
        Random r = new Random(seed);
        HeapStorage h = HeapStorage.allocate(t, n);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            double v = switch (k) {
                case 0 -> Double.NaN;
                case 1 -> -0.0;
                case 2 -> 1.0;   // ties
                case 3 -> Double.POSITIVE_INFINITY;
                default -> Math.round(r.nextGaussian() * 400) / 100.0;
            };
            if (t.isFloatingPoint()) h.setDouble(i, v);
            else if (t == DType.BOOL) h.setLong(i, r.nextInt(3) == 0 ? 0 : 1);
            else h.setLong(i, Double.isFinite(v) ? (long) (v * 10) : k);
        }
        return new Storage[]{h, offHeapCopy(h)};
    }

    static Storage[] empty(DType t, int n) {
        return new Storage[]{HeapStorage.allocate(t, n), OffHeapStorage.allocate(t, n)};
    }

    static OffHeapStorage offHeapCopy(HeapStorage h) {
        OffHeapStorage o = OffHeapStorage.allocate(h.dtype(), h.size());
        o.copyFrom(0, h.array(), 0, h.size());
        return o;
    }

    /** Same dtype, size and elements (NaN equals NaN, -0 differs from 0). */
    static void assertSame(Storage expected, Storage actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertEquals(expected.size(), actual.size(), what + ": size");
        for (int i = 0; i < expected.size(); i++) {
            if (expected.dtype().isFloatingPoint()) {
                assertEquals(0, Double.compare(expected.getDouble(i), actual.getDouble(i)),
                        what + " at " + i + ": " + expected.getDouble(i) + " vs " + actual.getDouble(i));
            } else {
                assertEquals(expected.getLong(i), actual.getLong(i), what + " at " + i);
            }
        }
    }
}
