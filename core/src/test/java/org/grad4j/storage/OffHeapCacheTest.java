package org.grad4j.storage;

import org.grad4j.storage.DType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** The off-heap caching allocator: reuse, release, the cleaner, threads, the cap, mapped storages. */
class OffHeapCacheTest {

    @Test
    void sizeClassesRoundTo64BytesBelow4KiB512Below1MiBAndAnEighthOfTheOctaveAbove() {
        assertEquals(64, BlockCache.roundUp(1));
        assertEquals(64, BlockCache.roundUp(64));
        assertEquals(128, BlockCache.roundUp(65));
        assertEquals(4096, BlockCache.roundUp(4033));
        assertEquals(4608, BlockCache.roundUp(4097));
        assertEquals(1L << 20, BlockCache.roundUp((1L << 20) - 1));
        assertEquals(1L << 20, BlockCache.roundUp(1L << 20));
        assertEquals((1L << 20) + (128 << 10), BlockCache.roundUp((1L << 20) + 1));
        assertEquals(64L << 20, BlockCache.roundUp(64L << 20));
    }

    @Test
    void aReleasedBlockIsReusedZeroFilledWithoutANewAllocation() {
        for (int n : new int[]{3, 1000, 1 << 20}) {   // small and large classes
            OffHeapStorage a = OffHeapStorage.allocate(DType.FLOAT32, n);
            for (int i = 0; i < n; i += 97) a.setDouble(i, 7.5);
            a.release();
            OffHeapStorage.Stats before = OffHeapStorage.stats();
            OffHeapStorage b = OffHeapStorage.allocate(DType.FLOAT32, n);
            OffHeapStorage.Stats after = OffHeapStorage.stats();
            assertEquals(before.reusedBlocks() + 1, after.reusedBlocks(), "n=" + n + " reuses the released block");
            assertEquals(before.freshBlocks(), after.freshBlocks(), "n=" + n + " needs no new native block");
            for (int i = 0; i < n; i += 97) assertEquals(0.0, b.getDouble(i), "a reused block starts zeroed at " + i);
            b.release();
        }
    }

    @Test
    void releaseCountsAndGivesTheLiveBytesBack() {
        OffHeapStorage a = OffHeapStorage.allocate(DType.FLOAT64, 1000);   // 8000 B: class 8192
        OffHeapStorage.Stats before = OffHeapStorage.stats();
        a.release();
        a.release();   // twice is harmless: the block goes back once
        OffHeapStorage.Stats after = OffHeapStorage.stats();
        assertEquals(before.releasedBlocks() + 1, after.releasedBlocks());
        // <=: the reclaimer thread may give back storages earlier tests dropped, never take
        assertTrue(after.liveBytes() <= before.liveBytes() - 8192, before.liveBytes() + " -> " + after.liveBytes());
        assertTrue(a.isReleased());
    }

    @Test
    void everyAccessToAReleasedStorageRaisesInsteadOfReadingAnotherTensor() {
        for (int n : new int[]{4, 1 << 20}) {
            OffHeapStorage a = OffHeapStorage.allocate(DType.FLOAT32, n);
            a.release();
            OffHeapStorage reuser = OffHeapStorage.allocate(DType.FLOAT32, n);   // likely the same block
            reuser.setDouble(0, 42);
            var e = assertThrows(IllegalStateException.class, () -> a.getDouble(0));
            assertTrue(e.getMessage().contains("released") && e.getMessage().contains("Fix:"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> a.getLong(0));
            assertThrows(IllegalStateException.class, () -> a.setDouble(0, 1));
            assertThrows(IllegalStateException.class, () -> a.setLong(0, 1));
            assertThrows(IllegalStateException.class, a::copyToHeap);
            assertThrows(IllegalStateException.class, () -> a.copyFrom(0, new float[1], 0, 1));
            assertThrows(IllegalStateException.class, a::segment);
            assertEquals(42.0, reuser.getDouble(0), "the new owner's data is untouched");
        }
    }

    @Test
    void anUnreachableStorageGivesItsBlockBackThroughItsPhantomReference() throws InterruptedException {
        long collected = OffHeapStorage.stats().collectedBlocks();
        for (int i = 0; i < 10; i++) OffHeapStorage.allocate(DType.FLOAT32, 2048);   // 8 KiB, dropped at once
        for (int tries = 0; tries < 200 && OffHeapStorage.stats().collectedBlocks() < collected + 10; tries++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(OffHeapStorage.stats().collectedBlocks() >= collected + 10, "the dead storages gave their blocks back");
    }

    @Test
    void threadsAllocatingAndReleasingConcurrentlyNeverShareABlock() throws Exception {
        long released = OffHeapStorage.stats().releasedBlocks();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t + 1;
                fs.add(pool.submit(() -> {
                    List<OffHeapStorage> held = new ArrayList<>();
                    for (int it = 0; it < 5000; it++) {
                        OffHeapStorage s = OffHeapStorage.allocate(DType.INT32, it % 2 == 0 ? 16 + it % 3 * 100 : 1100);   // tiny and not
                        assertEquals(0, s.getLong(s.size() - 1), "a new block is zeroed");
                        for (int i = 0; i < s.size(); i++) s.setLong(i, id);
                        held.add(s);
                        if (held.size() == 8) {
                            for (OffHeapStorage h : held) {
                                for (int i = 0; i < h.size(); i++) assertEquals(id, h.getLong(i), "another thread wrote my block");
                                h.release();
                            }
                            held.clear();
                        }
                    }
                    for (OffHeapStorage h : held) h.release();
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(released + 4 * 5000, OffHeapStorage.stats().releasedBlocks(), "every block went back");
    }

    @Test
    void tinyStoragesAreFreedWithTheirSlabWhenTheGcFindsThemDead() throws InterruptedException {
        long live = OffHeapStorage.liveBytes();
        for (int i = 0; i < 20_000; i++) OffHeapStorage.allocate(DType.FLOAT32, 16);   // 64 B each: ~20 slabs, all dead
        long peak = OffHeapStorage.liveBytes();
        assertTrue(peak >= live + (1 << 20), "the slabs are counted while held: " + live + " -> " + peak);
        for (int tries = 0; tries < 200 && OffHeapStorage.liveBytes() > live + (128 << 10); tries++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(OffHeapStorage.liveBytes() <= live + (128 << 10), "dead slabs were freed: " + OffHeapStorage.liveBytes());
    }

    @Test
    void theCacheKeepsNoMoreThanItsCap() {
        long cap = OffHeapStorage.cacheCapBytes();
        try {
            OffHeapStorage.emptyCache();
            OffHeapStorage.setCacheCapBytes(64 << 10);
            long dropped = OffHeapStorage.stats().droppedBlocks();
            List<OffHeapStorage> l = new ArrayList<>();
            for (int i = 0; i < 40; i++) l.add(OffHeapStorage.allocate(DType.FLOAT32, 1024));   // 4 KiB each
            for (OffHeapStorage s : l) s.release();
            assertTrue(OffHeapStorage.stats().cachedBytes() <= 64 << 10, "cached " + OffHeapStorage.stats().cachedBytes());
            assertTrue(OffHeapStorage.stats().droppedBlocks() >= dropped + 24, "blocks beyond the cap are freed");
        } finally {
            OffHeapStorage.setCacheCapBytes(cap);
        }
        assertThrows(IllegalArgumentException.class, () -> OffHeapStorage.setCacheCapBytes(-1));
    }

    @Test
    void memoryPressureFreesCachedBlocksOfOtherSizesBeforeCollecting() {
        long old = OffHeapStorage.swapGcThreshold(64L << 20);
        try {
            List<OffHeapStorage> l = new ArrayList<>();
            for (int i = 0; i < 10; i++) l.add(OffHeapStorage.allocate(DType.FLOAT32, 1_000_001));   // ~4 MB each
            for (OffHeapStorage s : l) s.release();
            assertTrue(OffHeapStorage.stats().cachedBytes() >= 40L << 20);
            long dropped = OffHeapStorage.stats().droppedBlocks();
            List<OffHeapStorage> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) held.add(OffHeapStorage.allocate(DType.FLOAT32, 2_000_003));   // ~8 MB: another class
            assertTrue(OffHeapStorage.stats().droppedBlocks() >= dropped + 10, "the unused 4 MB blocks were freed");
            assertTrue(OffHeapStorage.stats().cachedBytes() < 40L << 20);
            for (OffHeapStorage s : held) s.release();
        } finally {
            OffHeapStorage.swapGcThreshold(old);
        }
    }

    @Test
    void emptyCacheFreesTheCachedBlocks() {
        int n = 3_333_333;   // a size class no other test uses (13.3 MB)
        OffHeapStorage big = OffHeapStorage.allocate(DType.FLOAT32, n);
        big.release();
        assertTrue(OffHeapStorage.stats().cachedBytes() >= 4L * n);
        assertTrue(OffHeapStorage.emptyCache() >= 4L * n);
        OffHeapStorage.Stats before = OffHeapStorage.stats();
        OffHeapStorage.allocate(DType.FLOAT32, n).release();
        assertEquals(before.freshBlocks() + 1, OffHeapStorage.stats().freshBlocks(), "nothing left to reuse");
    }

    @Test
    void aMappedStorageNeverEntersTheCache() {
        try (Arena arena = Arena.ofConfined()) {
            var seg = arena.allocate(4096);
            OffHeapStorage ro = OffHeapStorage.ofSegment(DType.FLOAT32, seg, true);
            OffHeapStorage rw = OffHeapStorage.ofSegment(DType.FLOAT32, seg, false);
            long cached = OffHeapStorage.stats().cachedBytes(), released = OffHeapStorage.stats().releasedBlocks();
            ro.release();
            rw.release();
            assertEquals(cached, OffHeapStorage.stats().cachedBytes());
            assertEquals(released, OffHeapStorage.stats().releasedBlocks());
            assertFalse(ro.isReleased());
            rw.setDouble(0, 3);
            assertEquals(3.0, ro.getDouble(0), "a mapped storage stays usable: its memory is its arena's");
        }
    }

    @Test
    void aHeapStorageIgnoresRelease() {
        Storage h = Storage.allocate(DType.FLOAT32, 4, Storage.Kind.HEAP);
        h.setDouble(1, 2);
        h.release();
        assertEquals(2.0, h.getDouble(1));
    }
}
