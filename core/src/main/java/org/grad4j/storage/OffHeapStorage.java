package org.grad4j.storage;


import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A storage in native memory (a FFM {@link MemorySegment}), in the platform's byte order; BOOL
 * elements are bytes 0/1. Memory grad4j allocates is freed when the storage becomes unreachable;
 * a large block (1 MiB or more) can also be freed at once by {@link #release()} where grad4j knows
 * no tensor uses it any more. A mapped storage ({@link #ofSegment}) lives as long as the arena
 * that mapped it.
 *
 * <p>Why two arenas: closing a shared arena costs a handshake with every thread, fine for a large
 * block but not for the many small tensors of a training step, which use automatic arenas (freed by
 * the GC). Native memory does not press the GC by itself, so, as {@code ByteBuffer.allocateDirect}
 * does, an allocation that takes the live off-heap total past a threshold asks for a collection first.
 *
 * <pre>{@code
 * Storage s = OffHeapStorage.allocate(DType.FLOAT64, 1024);   // zero-filled, outside the Java heap
 * }</pre>
 */
public final class OffHeapStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    /** Blocks at least this large get a shared arena that {@link #release()} can close. */
    static final long RELEASABLE_BYTES = 1L << 20;
    private static final AtomicLong LIVE_BYTES = new AtomicLong(), TOTAL_BYTES = new AtomicLong();
    private static final long GC_BASE = Long.getLong("grad4j.offheap.gcThresholdBytes", 512L << 20);
    private static volatile long gcThreshold = GC_BASE;

    private final DType dtype;
    private final int size;
    private final boolean readOnly;
    private long generation;
    /** Frees (or, for automatic arenas, accounts for) the memory; null for mapped segments. */
    private Cleaner.Cleanable cleanable;
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
        TOTAL_BYTES.addAndGet(bytes);
        if (LIVE_BYTES.addAndGet(bytes) > gcThreshold) collectDeadStorages();
        Arena arena = bytes >= RELEASABLE_BYTES ? Arena.ofShared() : Arena.ofAuto();
        MemorySegment seg;
        try {
            seg = arena.allocate(bytes, 64);
        } catch (OutOfMemoryError e) {
            LIVE_BYTES.addAndGet(-bytes);
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes of native memory for a " + dtype + " tensor of "
                    + len + " elements (" + LIVE_BYTES.get() + " bytes of off-heap tensors live). Fix: free tensors, or use "
                    + "heap storage (GRAD4J_STORAGE=heap)");
        }
        OffHeapStorage s = new OffHeapStorage(dtype, len, seg, false);
        s.generation = Generations.CURRENT.get();
        // the cleanup must not reach the storage, only the arena and the size
        Arena shared = bytes >= RELEASABLE_BYTES ? arena : null;
        s.cleanable = CLEANER.register(s, () -> {
            LIVE_BYTES.addAndGet(-bytes);
            if (shared != null) shared.close();
        });
        return s;
    }

    /** Bytes of native memory allocated for off-heap storages since the JVM started (freed or not). */
    public static long totalAllocatedBytes() { return TOTAL_BYTES.get(); }

    /** Bytes of native memory held by off-heap storages grad4j allocated and has not freed yet. */
    public static long liveBytes() { return LIVE_BYTES.get(); }

    /** As {@code Bits.reserveMemory} does for direct buffers: a GC so that dead storages give their memory back. */
    private static synchronized void collectDeadStorages() {
        if (LIVE_BYTES.get() <= gcThreshold) return;
        System.gc();
        try {
            Thread.sleep(1);   // let the cleaner run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gcThreshold = Math.max(GC_BASE, 2 * LIVE_BYTES.get());
    }

    /**
     * A storage over an existing segment (e.g. part of a memory-mapped file), without copying.
     * The caller keeps the segment's arena open as long as the storage is used.
     */
    public static OffHeapStorage ofSegment(DType dtype, MemorySegment segment, boolean readOnly) {
        long n = segment.byteSize() / dtype.itemSize();
        if (n * dtype.itemSize() != segment.byteSize()) {
            throw new IllegalArgumentException("a segment of " + segment.byteSize() + " bytes does not hold whole "
                    + dtype + " elements (" + dtype.itemSize() + " bytes each)");
        }
        return new OffHeapStorage(dtype, Storage.checkSize(dtype, n), readOnly ? segment.asReadOnly() : segment, readOnly);
    }

    /** The native memory (for kernels and I/O). */
    public MemorySegment segment() { return segment; }

    /**
     * Frees a large block (1 MiB or more) now instead of when the storage becomes unreachable; any
     * later access fails with an {@link IllegalStateException} (never a crash). Smaller blocks and
     * mapped storages are left to the GC.
     */
    public void release() {
        if (cleanable != null && (long) size * dtype.itemSize() >= RELEASABLE_BYTES) cleanable.clean();
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
            long o = (long) i * dtype.itemSize();
            return switch (dtype) {
                case FLOAT32 -> segment.get(F32, o);
                case FLOAT64 -> segment.get(F64, o);
                case INT64 -> segment.get(I64, o);
                case INT32 -> segment.get(I32, o);
                case INT16 -> segment.get(I16, o);
                case INT8 -> segment.get(I8, o);
                case UINT8 -> segment.get(I8, o) & 0xFF;
                case BOOL -> segment.get(I8, o) != 0 ? 1.0 : 0.0;
            };
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    @Override
    public long getLong(int i) {
        try {
            long o = (long) i * dtype.itemSize();
            return switch (dtype) {
                case FLOAT32 -> (long) segment.get(F32, o);
                case FLOAT64 -> (long) segment.get(F64, o);
                case INT64 -> segment.get(I64, o);
                case INT32 -> segment.get(I32, o);
                case INT16 -> segment.get(I16, o);
                case INT8 -> segment.get(I8, o);
                case UINT8 -> segment.get(I8, o) & 0xFF;
                case BOOL -> segment.get(I8, o) != 0 ? 1L : 0L;
            };
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    @Override
    public void setDouble(int i, double v) {
        try {
            checkWritable();
            long o = (long) i * dtype.itemSize();
            switch (dtype) {
                case FLOAT32 -> segment.set(F32, o, (float) v);
                case FLOAT64 -> segment.set(F64, o, v);
                case INT64 -> segment.set(I64, o, (long) v);
                case INT32 -> segment.set(I32, o, (int) (long) v);
                case INT16 -> segment.set(I16, o, (short) (long) v);
                case INT8, UINT8 -> segment.set(I8, o, (byte) (long) v);
                case BOOL -> segment.set(I8, o, (byte) (v != 0 ? 1 : 0));
            }
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    @Override
    public void setLong(int i, long v) {
        try {
            checkWritable();
            long o = (long) i * dtype.itemSize();
            switch (dtype) {
                case FLOAT32 -> segment.set(F32, o, (float) v);
                case FLOAT64 -> segment.set(F64, o, (double) v);
                case INT64 -> segment.set(I64, o, v);
                case INT32 -> segment.set(I32, o, (int) v);
                case INT16 -> segment.set(I16, o, (short) v);
                case INT8, UINT8 -> segment.set(I8, o, (byte) v);
                case BOOL -> segment.set(I8, o, (byte) (v != 0 ? 1 : 0));
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
            long o = (long) from * dtype.itemSize();
            switch (dtype) {
                case FLOAT32 -> MemorySegment.copy(segment, F32, o, (float[]) array, to, n);
                case FLOAT64 -> MemorySegment.copy(segment, F64, o, (double[]) array, to, n);
                case INT64 -> MemorySegment.copy(segment, I64, o, (long[]) array, to, n);
                case INT32 -> MemorySegment.copy(segment, I32, o, (int[]) array, to, n);
                case INT16 -> MemorySegment.copy(segment, I16, o, (short[]) array, to, n);
                case INT8, UINT8 -> MemorySegment.copy(segment, I8, o, (byte[]) array, to, n);
                case BOOL -> {
                    boolean[] b = (boolean[]) array;
                    for (int i = 0; i < n; i++) b[to + i] = segment.get(I8, from + i) != 0;
                }
            }
        } finally {
            Reference.reachabilityFence(this);   // a released or cleaned block must outlive the access
        }
    }

    @Override
    public void copyFrom(int to, Object array, int from, int n) {
        try {
            checkWritable();
            long o = (long) to * dtype.itemSize();
            switch (dtype) {
                case FLOAT32 -> MemorySegment.copy((float[]) array, from, segment, F32, o, n);
                case FLOAT64 -> MemorySegment.copy((double[]) array, from, segment, F64, o, n);
                case INT64 -> MemorySegment.copy((long[]) array, from, segment, I64, o, n);
                case INT32 -> MemorySegment.copy((int[]) array, from, segment, I32, o, n);
                case INT16 -> MemorySegment.copy((short[]) array, from, segment, I16, o, n);
                case INT8, UINT8 -> MemorySegment.copy((byte[]) array, from, segment, I8, o, n);
                case BOOL -> {
                    boolean[] b = (boolean[]) array;
                    for (int i = 0; i < n; i++) segment.set(I8, to + i, (byte) (b[from + i] ? 1 : 0));
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
