package org.grad4j.cuda;

import org.grad4j.storage.internal.CudaMemoryAccess;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One device's caching allocator, PyTorch's idea (c10/cuda/CUDACachingAllocator): {@code cuMemAlloc} and
 * {@code cuMemFree} are slow and synchronize the device, so a freed block goes to a cache and the next
 * request of its size class takes it back without asking the driver.
 *
 * <ul>
 *   <li>Sizes are rounded up: requests up to 1 MiB to a multiple of 512 bytes (the small pool), larger ones
 *       to a multiple of 2 MiB (the large pool). Small and large blocks never mix.
 *   <li>A small request takes a cached block of exactly its size class. A large request takes the smallest
 *       cached large block that fits and wastes at most 2 MiB or an eighth of the request. Blocks are never
 *       split or merged (PyTorch carves small blocks out of 2 MiB segments and splits large ones; grad4j
 *       keeps one driver allocation per block, which is simpler and costs some reuse).
 *   <li>When the driver is out of memory, a GC runs first (GPU memory does not press the Java heap, so dropped
 *       storages may not have been collected; their Cleaners return their blocks to the cache), then the request
 *       takes a cached block, or every cached block is returned to the driver ({@link #emptyCache}) and the
 *       allocation is retried once; if it still fails, a {@link CudaOutOfMemoryException} says what was asked
 *       for, what grad4j holds and what the device has.
 *   <li>Reuse needs no event: grad4j runs all kernels and copies of a device on one stream, so work that used
 *       a block before it was freed is ordered before any work on its next owner (PyTorch records each
 *       block's streams for the multi-stream case).
 * </ul>
 * Thread-safe: one lock per device, held for bookkeeping and driver calls, as PyTorch's allocator mutex.
 */
final class CachingAllocator {
    static final long SMALL_LIMIT = 1L << 20, SMALL_ROUND = 512, LARGE_ROUND = 2L << 20;

    /** A device block; {@link #release()} returns it to the cache once (later calls do nothing). */
    static final class Block implements CudaMemoryAccess.DeviceBlock {
        final long pointer, size;
        private final CachingAllocator owner;
        private boolean allocated = true;

        Block(CachingAllocator owner, long pointer, long size) {
            this.owner = owner;
            this.pointer = pointer;
            this.size = size;
        }

        @Override
        public long pointer() { return pointer; }

        /** Back to the cache (not to the driver); idempotent, safe from a Cleaner thread. */
        @Override
        public void release() {
            if (owner != null) owner.free(this);
        }
    }

    private final int device;
    private final DeviceMemory memory;
    private final Runnable reclaim;
    private final TreeMap<Long, ArrayDeque<Block>> small = new TreeMap<>(), large = new TreeMap<>();
    private long allocated, maxAllocated, reserved, maxReserved, cached;

    CachingAllocator(int device, DeviceMemory memory) { this(device, memory, CachingAllocator::collectGarbage); }

    /** {@code reclaim} runs once before the last try of an allocation that found the device full (tests fake it). */
    CachingAllocator(int device, DeviceMemory memory, Runnable reclaim) {
        this.device = device;
        this.memory = memory;
        this.reclaim = reclaim;
    }

    /** A GC, and a moment for the Cleaner thread to return the blocks of storages it found unreachable. */
    static void collectGarbage() {
        System.gc();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The size class of a request of {@code bytes}. */
    static long roundSize(long bytes) {
        if (bytes <= SMALL_LIMIT) return Math.max(SMALL_ROUND, ceil(bytes, SMALL_ROUND));
        return ceil(bytes, LARGE_ROUND);
    }

    private static long ceil(long v, long m) { return (v + m - 1) / m * m; }

    /** A block of at least {@code bytes}; a request of 0 bytes gets a null block (pointer 0) without asking the driver. */
    Block allocate(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        if (bytes == 0) return new Block(null, 0, 0);
        long size = roundSize(bytes);
        synchronized (this) {
            Block b = takeCached(size);
            if (b == null) b = fresh(size, false);
            if (b != null) return handOut(b);
        }
        // Out of memory. Storages the program dropped hold their blocks until the GC finds them: collect (outside
        // the lock, since their Cleaners return blocks through it), then take from the cache or empty it and retry.
        reclaim.run();
        synchronized (this) {
            Block b = takeCached(size);
            if (b == null) b = fresh(size, true);
            return handOut(b);
        }
    }

    private Block handOut(Block b) {
        b.allocated = true;
        allocated += b.size;
        maxAllocated = Math.max(maxAllocated, allocated);
        return b;
    }

    private Block takeCached(long size) {
        boolean isSmall = size <= SMALL_LIMIT;
        TreeMap<Long, ArrayDeque<Block>> pool = isSmall ? small : large;
        Map.Entry<Long, ArrayDeque<Block>> e = isSmall ? (pool.containsKey(size) ? Map.entry(size, pool.get(size)) : null)
                : pool.ceilingEntry(size);
        if (e == null || e.getKey() - size > Math.max(LARGE_ROUND, size / 8)) return null;
        Block b = e.getValue().pop();
        if (e.getValue().isEmpty()) pool.remove(e.getKey());
        cached -= b.size;
        return b;
    }

    /** A new block from the driver; on the last try, the cache goes back to the driver first and failure throws. */
    private Block fresh(long size, boolean lastTry) {
        long p = memory.malloc(size);
        if (p == 0 && !lastTry) return null;
        if (p == 0 && cached > 0) {   // give the cache back to the driver and retry once
            emptyCache();
            p = memory.malloc(size);
        }
        if (p == 0) throw outOfMemory(size);
        reserved += size;
        maxReserved = Math.max(maxReserved, reserved);
        return new Block(this, p, size);
    }

    synchronized void free(Block b) {
        if (!b.allocated) return;
        b.allocated = false;
        allocated -= b.size;
        cached += b.size;
        (b.size <= SMALL_LIMIT ? small : large).computeIfAbsent(b.size, k -> new ArrayDeque<>()).push(b);
    }

    /** Returns every cached (free) block to the driver, as {@code torch.cuda.empty_cache()}. */
    synchronized void emptyCache() {
        for (TreeMap<Long, ArrayDeque<Block>> pool : java.util.List.of(small, large)) {
            for (ArrayDeque<Block> q : pool.values()) {
                for (Block b : q) {
                    memory.free(b.pointer);
                    reserved -= b.size;
                    cached -= b.size;
                }
            }
            pool.clear();
        }
    }

    /** Bytes in blocks held by storages (size classes, as PyTorch's {@code memory_allocated}). */
    synchronized long memoryAllocated() { return allocated; }

    synchronized long maxMemoryAllocated() { return maxAllocated; }

    /** Bytes taken from the driver: allocated plus cached. */
    synchronized long memoryReserved() { return reserved; }

    synchronized long maxMemoryReserved() { return maxReserved; }

    /** Bytes in cached (free, reusable) blocks. */
    synchronized long memoryCached() { return cached; }

    /** Resets the peaks to the current values, as {@code torch.cuda.reset_peak_memory_stats()}. */
    synchronized void resetPeakMemoryStats() {
        maxAllocated = allocated;
        maxReserved = reserved;
    }

    private CudaOutOfMemoryException outOfMemory(long size) {
        long[] info;
        try {
            info = memory.memGetInfo();
        } catch (RuntimeException e) {
            info = new long[]{-1, -1};
        }
        String capacity = info[1] < 0 ? "an unknown total capacity" : "a total capacity of " + formatSize(info[1])
                + " of which " + formatSize(info[0]) + " is free";
        String msg = "CUDA out of memory. Tried to allocate " + formatSize(size) + ". GPU " + device + " has " + capacity
                + ". Of the allocated memory " + formatSize(allocated) + " is allocated by grad4j, and " + formatSize(reserved - allocated)
                + " is reserved by grad4j but unallocated (grad4j had already collected garbage, returned its cached blocks to "
                + "the driver and retried). Fix: free tensors you no longer need (drop the references; Cuda.emptyCache() gives cached blocks "
                + "back), use smaller batches, or run inference under NoGrad so that no graph keeps activations";
        return new CudaOutOfMemoryException(msg, size);
    }

    /** PyTorch's format_size: bytes up to 1 KiB, then KiB, MiB, GiB with two decimals. */
    static String formatSize(long bytes) {
        if (bytes <= 1024) return bytes + " bytes";
        if (bytes <= 1L << 20) return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024.0);
        if (bytes <= 1L << 30) return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
    }
}
