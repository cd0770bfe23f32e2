package org.grad4j.storage;


import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A storage in native memory (a FFM {@link MemorySegment}), in the platform's byte order; BOOL
 * elements are bytes 0/1. Blocks come from a caching allocator (PyTorch's idea, see
 * {@code BlockCache}): a storage's block goes back to a free list of its size class when the
 * storage becomes unreachable (a phantom reference; tiny blocks, below 4 KiB, are instead freed
 * with their slab by the GC, as heap arrays are) or at once by {@link #release()} where grad4j knows no
 * tensor uses it any more (consumed gradient buffers in backward), and the next storage of that
 * class reuses it without a new arena or malloc. {@link #emptyCache()} frees the cached blocks, as
 * {@code torch.cuda.empty_cache()} does; {@link #stats()} counts fresh, reused, released and
 * collected blocks. A mapped storage ({@link #ofSegment}) lives as long as the arena that mapped
 * it and never enters the cache.
 *
 * <p>Native memory does not press the GC by itself, so, as {@code ByteBuffer.allocateDirect}
 * does, an allocation that finds no cached block and would take the live off-heap total past a
 * threshold asks for a collection first (whose dead storages refill the cache).
 *
 * <p>Use after free: with reuse, a stale segment of a dead storage would silently read another
 * tensor's data. So every access checks that the storage was not released (an
 * {@link IllegalStateException} otherwise), and whoever holds this storage's {@link #segment()}
 * keeps the storage reachable until done with it ({@link Reference#reachabilityFence}).
 *
 * <pre>{@code
 * Storage s = OffHeapStorage.allocate(DType.FLOAT64, 1024);   // zero-filled, outside the Java heap
 * }</pre>
 */
public final class OffHeapStorage implements Storage {
    /** Where the GC puts the references of unreachable storages; allocations drain it (no thread of its own). */
    private static final ReferenceQueue<OffHeapStorage> DEAD = new ReferenceQueue<>();
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    private static final AtomicLong LIVE_BYTES = BlockCache.LIVE, TOTAL_BYTES = new AtomicLong(),
            RELEASED = new AtomicLong(), COLLECTED = new AtomicLong();
    private static final long GC_BASE = Long.getLong("grad4j.offheap.gcThresholdBytes", 512L << 20);
    private static volatile long gcThreshold = GC_BASE;

    /** Tests: the memory-pressure threshold now (it adapts after each collection); returns the old one. */
    static long swapGcThreshold(long bytes) {
        long old = gcThreshold;
        gcThreshold = bytes;
        return old;
    }

    private final DType dtype;
    private final int size;
    private final boolean readOnly;
    private long generation;
    /** Set by {@link #release()}: every later access fails (the block may already hold another tensor). */
    private boolean released;
    /** This storage's block and phantom reference; null for mapped segments. */
    private BlockCache.Block block;
    private Ref ref;
    private final MemorySegment segment;

    private OffHeapStorage(DType dtype, int size, MemorySegment segment, boolean readOnly) {
        this.dtype = dtype;
        this.size = size;
        this.segment = segment;
        this.readOnly = readOnly;
    }

    /** A zero-filled native storage of {@code n} elements, 64-byte aligned. */
    public static OffHeapStorage allocate(DType dtype, long n) {
        int len = Storage.checkSize(dtype, n);
        long bytes = Math.max(1L, (long) len * dtype.itemSize());
        long cls = BlockCache.roundUp(bytes);
        TOTAL_BYTES.addAndGet(bytes);
        BlockCache.Block block = BlockCache.take(cls);
        if (block == null && reclaim(Integer.MAX_VALUE) > 0) block = BlockCache.take(cls);
        if (block == null && LIVE_BYTES.get() + BlockCache.CACHED.get() + cls > gcThreshold) block = collectDeadStorages(cls);
        boolean zeroed = block == null;
        if (block == null) {
            try {
                block = BlockCache.fresh(cls);
            } catch (OutOfMemoryError e) {
                throw new OutOfMemoryError("cannot allocate " + bytes + " bytes of native memory for a " + dtype + " tensor of "
                        + len + " elements (" + LIVE_BYTES.get() + " bytes of off-heap tensors live). Fix: free tensors, call "
                        + "OffHeapStorage.emptyCache(), or use heap storage (GRAD4J_STORAGE=heap)");
            }
        }
        MemorySegment seg = bytes == cls ? block.segment : block.segment.asSlice(0, bytes);
        if (!zeroed) seg.fill((byte) 0);   // Storage.allocate promises zeros; a fresh block already is
        OffHeapStorage s = new OffHeapStorage(dtype, len, seg, false);
        s.generation = Generations.CURRENT.get();
        s.block = block;
        if (cls >= BlockCache.SLAB_BLOCK) {   // a tiny block is accounted for by its slab (see BlockCache.fresh)
            LIVE_BYTES.addAndGet(cls);
            s.ref = new Ref(s, block);
            BlockCache.use(block, s.ref);   // the list of blocks in use keeps the reference reachable
        }
        return s;
    }

    /** A storage's phantom reference: knows the block (never the storage) to give back when the GC finds it dead. */
    private static final class Ref extends PhantomReference<OffHeapStorage> {
        final BlockCache.Block block;

        Ref(OffHeapStorage s, BlockCache.Block block) {
            super(s, DEAD);
            this.block = block;
        }
    }

    /**
     * Gives the blocks of up to {@code max} storages the GC found unreachable back to the cache;
     * returns how many. A daemon thread does it as the GC finds them (so memory comes back even when
     * nothing allocates), and an allocation that finds no cached block does it at once.
     */
    private static int reclaim(int max) {
        int n = 0;
        for (Reference<?> r; n < max && (r = DEAD.poll()) != null; n++) giveBack((Ref) r);
        return n;
    }

    private static void giveBack(Ref r) {
        BlockCache.Block k = r.block;
        LIVE_BYTES.addAndGet(-k.size);
        COLLECTED.incrementAndGet();
        BlockCache.give(k);
    }

    static {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    giveBack((Ref) DEAD.remove());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "grad4j-offheap-reclaimer");
        t.setDaemon(true);
        t.start();
    }

    /** Bytes requested for off-heap storages since the JVM started (reused blocks count again; freed or not). */
    public static long totalAllocatedBytes() { return TOTAL_BYTES.get(); }

    /**
     * Bytes of native memory held by the off-heap storages grad4j allocated: the blocks of live
     * storages of 4 KiB or more (whole size classes) and the 64 KiB slabs that tiny blocks are
     * carved from (whole, until the GC finds all of a slab's blocks unreachable). Cached blocks of
     * 4 KiB or more are not counted ({@link #stats()} reports them).
     */
    public static long liveBytes() {
        reclaim(Integer.MAX_VALUE);
        return LIVE_BYTES.get();
    }

    /**
     * The allocator's counters since the JVM started: blocks obtained from the system, blocks reused
     * from the cache, blocks returned by {@link #release()} and by the GC (storage unreachable),
     * blocks freed because the cache was full or emptied; bytes cached now and bytes live now.
     *
     * <pre>{@code
     * var before = OffHeapStorage.stats();
     * step();
     * long reused = OffHeapStorage.stats().reusedBlocks() - before.reusedBlocks();
     * }</pre>
     */
    public record Stats(long freshBlocks, long reusedBlocks, long releasedBlocks, long collectedBlocks,
                        long droppedBlocks, long cachedBytes, long liveBytes) {}

    /** See {@link Stats}. */
    public static Stats stats() {
        reclaim(Integer.MAX_VALUE);
        return new Stats(BlockCache.FRESH.get(), BlockCache.REUSED.get(), RELEASED.get(), COLLECTED.get(),
                BlockCache.DROPPED.get(), BlockCache.CACHED.get(), LIVE_BYTES.get());
    }

    /**
     * Frees every cached (unused) block, like {@code torch.cuda.empty_cache()}: blocks of 1 MiB or
     * more at once, smaller ones at the next GC. Live storages are untouched. Returns the bytes dropped.
     *
     * <pre>{@code
     * OffHeapStorage.emptyCache();   // e.g. before handing memory to another library
     * }</pre>
     */
    public static long emptyCache() { return BlockCache.emptyCache(); }

    /** The most bytes the cache keeps ({@code -Dgrad4j.offheap.cacheBytes}, default 1 GiB). */
    public static long cacheCapBytes() { return BlockCache.capBytes; }

    /** Sets the cache's cap; a lower cap takes effect as blocks come back (call {@link #emptyCache()} to drop now). */
    public static void setCacheCapBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("setCacheCapBytes: the cap must be >= 0 bytes, got " + bytes);
        BlockCache.capBytes = bytes;
    }

    /**
     * Memory pressure (live plus cached blocks past the threshold) on a cache miss: first the cached
     * blocks of other size classes are freed (PyTorch's allocator empties its cache before it gives
     * up); if the live blocks alone still pass it, as {@code Bits.reserveMemory} does for direct
     * buffers, a GC so that dead storages give their blocks back, waiting until they stop coming
     * (the threshold then follows what is really live: it must not ratchet up on storages not yet
     * processed). Returns a block of class {@code cls} if one came back.
     */
    private static synchronized BlockCache.Block collectDeadStorages(long cls) {
        BlockCache.Block k = BlockCache.take(cls);
        if (k != null || LIVE_BYTES.get() + BlockCache.CACHED.get() + cls <= gcThreshold) return k;
        BlockCache.emptyCache();
        if (LIVE_BYTES.get() + cls <= gcThreshold) return null;
        System.gc();
        int quiet = 0;
        for (int ms = 1; ms <= 32 && quiet < 2; ms *= 2) {
            try {
                Thread.sleep(ms);   // let the reference handler enqueue the dead storages
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            quiet = reclaim(Integer.MAX_VALUE) == 0 ? quiet + 1 : 0;
        }
        gcThreshold = Math.max(GC_BASE, 2 * LIVE_BYTES.get());
        return BlockCache.take(cls);
    }

    /**
     * A storage over an existing segment (e.g. part of a memory-mapped file), without copying; it
     * never enters the cache. The caller keeps the segment's arena open as long as the storage is used.
     */
    public static OffHeapStorage ofSegment(DType dtype, MemorySegment segment, boolean readOnly) {
        long n = segment.byteSize() / dtype.itemSize();
        if (n * dtype.itemSize() != segment.byteSize()) {
            throw new IllegalArgumentException("a segment of " + segment.byteSize() + " bytes does not hold whole "
                    + dtype + " elements (" + dtype.itemSize() + " bytes each)");
        }
        return new OffHeapStorage(dtype, Storage.checkSize(dtype, n), readOnly ? segment.asReadOnly() : segment, readOnly);
    }

    /**
     * The native memory (for kernels and I/O). The caller keeps this storage reachable while it uses
     * the segment ({@code Reference.reachabilityFence(storage)} after the last access): once the
     * storage is unreachable its block may be reused by another tensor.
     *
     * @throws IllegalStateException after {@link #release()}
     */
    public MemorySegment segment() {
        if (released) throw releasedError();
        return segment;
    }

    /** Whether {@link #release()} was called (then every access fails). */
    public boolean isReleased() { return released; }

    /**
     * Gives the block back to the cache now instead of when the storage becomes unreachable; any
     * later access fails with an {@link IllegalStateException}, never reads another tensor's data.
     * Only for a storage nothing uses any more. A mapped storage, or one already released, is left alone.
     */
    @Override
    public void release() {
        if (block == null || released) return;
        released = true;
        if (ref != null) {
            ref.clear();   // a cleared reference is never enqueued: the block goes back once, here
            LIVE_BYTES.addAndGet(-block.size);
        }
        RELEASED.incrementAndGet();
        BlockCache.give(block);
        Reference.reachabilityFence(this);   // reachable until the reference is cleared
    }

    private IllegalStateException releasedError() {
        return new IllegalStateException("this off-heap " + dtype + " storage of " + size + " elements was released "
                + "(OffHeapStorage.release(): grad4j knew it dead, e.g. a gradient buffer consumed in backward) and its "
                + "memory may belong to another tensor now. Fix: keep a reference to a tensor you still use, e.g. "
                + "clone() a gradient inside a hook instead of keeping it");
    }

    /** The segment for one access, after checking the storage was not released. */
    private MemorySegment live() {
        if (released) throw releasedError();
        return segment;
    }

    @Override
    public DType dtype() { return dtype; }

    @Override
    public int size() { return size; }

    @Override
    public boolean isReadOnly() { return readOnly; }

    @Override
    public long generation() { return generation; }

    @Override
    public void setGeneration(long generation) { this.generation = generation; }

    @Override
    public double getDouble(int i) {
        try {
            MemorySegment seg = live();
            long o = (long) i * dtype.itemSize();
            return switch (dtype) {
                case FLOAT32 -> seg.get(F32, o);
                case FLOAT64 -> seg.get(F64, o);
                case INT64 -> seg.get(I64, o);
                case INT32 -> seg.get(I32, o);
                case INT16 -> seg.get(I16, o);
                case INT8 -> seg.get(I8, o);
                case UINT8 -> seg.get(I8, o) & 0xFF;
                case BOOL -> seg.get(I8, o) != 0 ? 1.0 : 0.0;
            };
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    @Override
    public long getLong(int i) {
        try {
            MemorySegment seg = live();
            long o = (long) i * dtype.itemSize();
            return switch (dtype) {
                case FLOAT32 -> (long) seg.get(F32, o);
                case FLOAT64 -> (long) seg.get(F64, o);
                case INT64 -> seg.get(I64, o);
                case INT32 -> seg.get(I32, o);
                case INT16 -> seg.get(I16, o);
                case INT8 -> seg.get(I8, o);
                case UINT8 -> seg.get(I8, o) & 0xFF;
                case BOOL -> seg.get(I8, o) != 0 ? 1L : 0L;
            };
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    @Override
    public void setDouble(int i, double v) {
        try {
            MemorySegment seg = live();
            checkWritable();
            long o = (long) i * dtype.itemSize();
            switch (dtype) {
                case FLOAT32 -> seg.set(F32, o, (float) v);
                case FLOAT64 -> seg.set(F64, o, v);
                case INT64 -> seg.set(I64, o, (long) v);
                case INT32 -> seg.set(I32, o, (int) (long) v);
                case INT16 -> seg.set(I16, o, (short) (long) v);
                case INT8, UINT8 -> seg.set(I8, o, (byte) (long) v);
                case BOOL -> seg.set(I8, o, (byte) (v != 0 ? 1 : 0));
            }
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    @Override
    public void setLong(int i, long v) {
        try {
            MemorySegment seg = live();
            checkWritable();
            long o = (long) i * dtype.itemSize();
            switch (dtype) {
                case FLOAT32 -> seg.set(F32, o, (float) v);
                case FLOAT64 -> seg.set(F64, o, (double) v);
                case INT64 -> seg.set(I64, o, v);
                case INT32 -> seg.set(I32, o, (int) v);
                case INT16 -> seg.set(I16, o, (short) v);
                case INT8, UINT8 -> seg.set(I8, o, (byte) v);
                case BOOL -> seg.set(I8, o, (byte) (v != 0 ? 1 : 0));
            }
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    @Override
    public HeapStorage copyToHeap() {
        HeapStorage h = HeapStorage.allocate(dtype, size);
        copyTo(0, h.array(), 0, size);
        return h;
    }

    @Override
    public void copyTo(int from, Object array, int to, int n) {
        try {
            MemorySegment seg = live();
            long o = (long) from * dtype.itemSize();
            switch (dtype) {
                case FLOAT32 -> MemorySegment.copy(seg, F32, o, (float[]) array, to, n);
                case FLOAT64 -> MemorySegment.copy(seg, F64, o, (double[]) array, to, n);
                case INT64 -> MemorySegment.copy(seg, I64, o, (long[]) array, to, n);
                case INT32 -> MemorySegment.copy(seg, I32, o, (int[]) array, to, n);
                case INT16 -> MemorySegment.copy(seg, I16, o, (short[]) array, to, n);
                case INT8, UINT8 -> MemorySegment.copy(seg, I8, o, (byte[]) array, to, n);
                case BOOL -> {
                    boolean[] b = (boolean[]) array;
                    for (int i = 0; i < n; i++) b[to + i] = seg.get(I8, from + i) != 0;
                }
            }
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    @Override
    public void copyFrom(int to, Object array, int from, int n) {
        try {
            MemorySegment seg = live();
            checkWritable();
            long o = (long) to * dtype.itemSize();
            switch (dtype) {
                case FLOAT32 -> MemorySegment.copy((float[]) array, from, seg, F32, o, n);
                case FLOAT64 -> MemorySegment.copy((double[]) array, from, seg, F64, o, n);
                case INT64 -> MemorySegment.copy((long[]) array, from, seg, I64, o, n);
                case INT32 -> MemorySegment.copy((int[]) array, from, seg, I32, o, n);
                case INT16 -> MemorySegment.copy((short[]) array, from, seg, I16, o, n);
                case INT8, UINT8 -> MemorySegment.copy((byte[]) array, from, seg, I8, o, n);
                case BOOL -> {
                    boolean[] b = (boolean[]) array;
                    for (int i = 0; i < n; i++) seg.set(I8, to + i, (byte) (b[from + i] ? 1 : 0));
                }
            }
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    private void checkWritable() {
        if (readOnly) throw readOnlyError();
    }

    /** The error for a write into a read-only (memory-mapped) storage. */
    public static UnsupportedOperationException readOnlyError() {
        return new UnsupportedOperationException("this tensor's memory is a read-only memory-mapped file "
                + "(SafeTensors.loadMapped): writes never reach the file. Fix: write into a copy, t = t.clone(), "
                + "or load with SafeTensors.load to get writable heap tensors");
    }
}
