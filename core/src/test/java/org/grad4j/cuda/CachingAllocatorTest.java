package org.grad4j.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The caching allocator against a fake device memory: what reaches the driver, the statistics, out of memory. */
class CachingAllocatorTest {
    static final long MiB = 1 << 20;

    /** A device of {@code capacity} bytes; counts the driver calls and refuses what does not fit. */
    static final class FakeMemory implements DeviceMemory {
        final long capacity;
        final Map<Long, Long> live = new HashMap<>();
        long used, next = 0x7f00_0000_0000L;
        int mallocs, frees, refused;

        FakeMemory(long capacity) { this.capacity = capacity; }

        @Override public synchronized long malloc(long bytes) {
            if (used + bytes > capacity) { refused++; return 0; }
            mallocs++;
            used += bytes;
            long p = next;
            next += bytes;
            live.put(p, bytes);
            return p;
        }

        @Override public synchronized void free(long pointer) {
            Long b = live.remove(pointer);
            assertNotNull(b, "freed a pointer the device never gave out: " + pointer);
            frees++;
            used -= b;
        }

        @Override public synchronized long[] memGetInfo() { return new long[]{capacity - used, capacity}; }
    }

    @Test
    void roundsSmallRequestsTo512BytesAndLargeOnesTo2MiB() {
        assertEquals(512, CachingAllocator.roundSize(1));
        assertEquals(512, CachingAllocator.roundSize(512));
        assertEquals(1024, CachingAllocator.roundSize(513));
        assertEquals(MiB, CachingAllocator.roundSize(MiB));
        assertEquals(2 * MiB, CachingAllocator.roundSize(MiB + 1));
        assertEquals(4 * MiB, CachingAllocator.roundSize(2 * MiB + 1));
    }

    @Test
    void aFreedBlockIsReusedByItsSizeClassWithoutAskingTheDriver() {
        FakeMemory mem = new FakeMemory(64 * MiB);
        CachingAllocator a = new CachingAllocator(0, mem);
        CachingAllocator.Block b = a.allocate(1000);
        long p = b.pointer;
        b.release();
        b.release();   // idempotent: a storage's release() and then its Cleaner
        CachingAllocator.Block c = a.allocate(700);   // same 1024-byte class
        assertEquals(p, c.pointer);
        assertEquals(1, mem.mallocs);
        CachingAllocator.Block d = a.allocate(2000);   // another class: a new block
        assertNotEquals(p, d.pointer);
        assertEquals(2, mem.mallocs);
        assertEquals(0, mem.frees, "freeing only caches");
    }

    @Test
    void aLargeRequestTakesTheSmallestCachedBlockThatFitsButNotAFarLargerOne() {
        FakeMemory mem = new FakeMemory(256 * MiB);
        CachingAllocator a = new CachingAllocator(0, mem);
        CachingAllocator.Block six = a.allocate(6 * MiB), forty = a.allocate(40 * MiB);
        six.release();
        forty.release();
        assertEquals(six.pointer, a.allocate(5 * MiB).pointer, "6 MiB serves a 5 MiB request (wastes 1 MiB)");
        assertNotEquals(forty.pointer, a.allocate(10 * MiB).pointer, "40 MiB would waste 30 MiB on a 10 MiB request");
        assertEquals(forty.pointer, a.allocate(38 * MiB).pointer);
        CachingAllocator.Block smallAfterLarge = a.allocate(100);
        assertEquals(512, smallAfterLarge.size, "small requests never take large blocks");
    }

    @Test
    void statisticsCountSizeClassesReservedAndPeaks() {
        FakeMemory mem = new FakeMemory(64 * MiB);
        CachingAllocator a = new CachingAllocator(0, mem);
        CachingAllocator.Block x = a.allocate(100), y = a.allocate(3 * MiB);
        assertEquals(512 + 4 * MiB, a.memoryAllocated());
        assertEquals(512 + 4 * MiB, a.memoryReserved());
        y.release();
        assertEquals(512, a.memoryAllocated());
        assertEquals(512 + 4 * MiB, a.memoryReserved(), "the freed block stays reserved in the cache");
        assertEquals(4 * MiB, a.memoryCached());
        assertEquals(512 + 4 * MiB, a.maxMemoryAllocated());
        a.resetPeakMemoryStats();
        assertEquals(512, a.maxMemoryAllocated());
        a.emptyCache();
        assertEquals(512, a.memoryReserved());
        assertEquals(1, mem.frees);
        assertEquals(512 + 4 * MiB, a.maxMemoryReserved(), "the reserved peak is kept until reset");
        x.release();
        assertEquals(0, a.memoryAllocated());
        CachingAllocator.Block empty = a.allocate(0);
        assertEquals(0, empty.pointer);
        assertEquals(2, mem.mallocs, "an empty block never reaches the driver");
    }

    @Test
    void outOfMemoryReturnsTheCacheToTheDriverAndRetriesOnce() {
        FakeMemory mem = new FakeMemory(10 * MiB);
        AtomicInteger gcs = new AtomicInteger();
        CachingAllocator a = new CachingAllocator(0, mem, gcs::incrementAndGet);
        a.allocate(8 * MiB).release();          // cached, too large to serve 4 MiB
        CachingAllocator.Block b = a.allocate(4 * MiB);
        assertEquals(1, gcs.get(), "a GC ran before the last try");
        assertEquals(2, mem.refused, "the first try and the try after the GC failed");
        assertEquals(1, mem.frees, "the cached 8 MiB went back to the driver");
        assertEquals(4 * MiB, a.memoryReserved());
        assertEquals(4 * MiB, a.memoryAllocated());
        assertNotEquals(0, b.pointer);
    }

    @Test
    void outOfMemoryAfterTheRetrySaysWhatWasAskedAllocatedReservedAndWhatTheDeviceHas() {
        FakeMemory mem = new FakeMemory(10 * MiB);
        CachingAllocator a = new CachingAllocator(3, mem, () -> {});
        a.allocate(6 * MiB);
        a.allocate(512).release();   // 512 bytes cached: emptied before the retry
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> a.allocate(5 * MiB));
        assertEquals(6 * MiB, e.requestedBytes());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.errorName());
        assertEquals(3, mem.refused, "the first try, the try after the GC, the retry after emptying the cache");
        String m = e.getMessage();
        assertTrue(m.startsWith("CUDA out of memory. Tried to allocate 6.00 MiB. GPU 3 has a total capacity of 10.00 MiB "
                + "of which 4.00 MiB is free. Of the allocated memory 6.00 MiB is allocated by grad4j, and 0 bytes is reserved "
                + "by grad4j but unallocated"), m);
        assertTrue(m.contains("Fix: free tensors you no longer need"), m);
        assertEquals(6 * MiB, a.memoryAllocated(), "a failed allocation changes no statistic");
    }

    /** A storage the program dropped frees its block only when the GC runs its Cleaner: out of memory collects first. */
    @Test
    void outOfMemoryCollectsGarbageSoThatDroppedStoragesBlocksServeTheRequest() {
        FakeMemory mem = new FakeMemory(10 * MiB);
        CachingAllocator.Block[] dropped = new CachingAllocator.Block[1];
        CachingAllocator a = new CachingAllocator(0, mem, () -> dropped[0].release());   // what the Cleaner would do
        dropped[0] = a.allocate(8 * MiB);
        CachingAllocator.Block b = a.allocate(7 * MiB);   // 8 MiB class: the dropped block, after the "GC"
        assertEquals(dropped[0].pointer, b.pointer);
        assertEquals(1, mem.mallocs);
        assertEquals(8 * MiB, a.memoryAllocated());
    }

    @Test
    void formatsSizesAsPyTorchDoes() {
        assertEquals("1024 bytes", CachingAllocator.formatSize(1024));
        assertEquals("1.50 KiB", CachingAllocator.formatSize(1536));
        assertEquals("2.00 GiB", CachingAllocator.formatSize(2L << 30));
    }

    @Test
    void concurrentAllocationsNeverHandOutABlockTwiceAndBalanceTheirStatistics() throws Exception {
        FakeMemory mem = new FakeMemory(1L << 40);
        CachingAllocator a = new CachingAllocator(0, mem);
        Set<Long> held = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    List<CachingAllocator.Block> mine = new ArrayList<>();
                    for (int i = 0; i < 3000; i++) {
                        if (!mine.isEmpty() && r.nextBoolean()) {
                            CachingAllocator.Block b = mine.remove(r.nextInt(mine.size()));
                            assertTrue(held.remove(b.pointer));
                            b.release();
                        } else {
                            CachingAllocator.Block b = a.allocate(r.nextBoolean() ? 1 + r.nextInt(4096) : MiB + r.nextInt(4 << 20));
                            assertTrue(held.add(b.pointer), "block handed out twice");
                            mine.add(b);
                        }
                    }
                    for (CachingAllocator.Block b : mine) {
                        held.remove(b.pointer);
                        b.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(0, a.memoryAllocated());
        assertEquals(a.memoryReserved(), a.memoryCached());
        assertEquals(mem.used, a.memoryReserved());
        assertTrue(mem.mallocs < 4 * 3000 / 4, "most allocations were served from the cache: " + mem.mallocs);
        a.emptyCache();
        assertEquals(0, mem.used);
        assertEquals(0, a.memoryReserved());
    }
}
