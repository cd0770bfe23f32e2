package org.grad4j.storage;

import org.grad4j.storage.DType;
import org.grad4j.storage.internal.CudaMemoryAccess;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * A storage in a CUDA device's memory: a block from that device's caching allocator, in the same byte
 * layout as {@link OffHeapStorage} (the platform's byte order, BOOL as bytes 0/1). The block goes back to
 * the allocator's cache (not to the driver) when {@link #release()} is called or the storage becomes
 * unreachable.
 *
 * <p>Element access ({@link #getDouble}, {@link #setDouble}...) copies one element to or from the host and
 * waits for the device: correct but slow, meant for printing and {@code item()}, never for loops. Kernels
 * read {@link #pointer()}. Copies to the host ({@link #copyToHeap}, {@link #copyTo}) wait for all work queued on the
 * device. Copies between Java arrays and the device of 8 MiB or more go through a pinned (page-locked)
 * staging buffer per device, in chunks: one host copy less than through pageable memory.
 *
 * <pre>{@code
 * CudaStorage s = CudaStorage.allocate(DType.FLOAT32, 1024, 0);   // zero-filled, on cuda:0
 * s.copyFrom(HeapStorage.wrap(DType.FLOAT32, new float[1024]));
 * float[] back = (float[]) s.copyToHeap().array();
 * }</pre>
 */
public final class CudaStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final DType dtype;
    private final int size, device;
    private final long pointer;
    private final Cleaner.Cleanable cleanable;
    private long generation;

    private CudaStorage(DType dtype, int size, int device, CudaMemoryAccess.DeviceBlock block) {
        this.dtype = dtype;
        this.size = size;
        this.device = device;
        this.pointer = block.pointer();
        this.generation = Generations.CURRENT.get();
        this.cleanable = CLEANER.register(this, block::release);   // the action holds the block, never the storage
    }

    /**
     * A zero-filled storage of {@code n} elements on CUDA device {@code deviceIndex}; a
     * {@code CudaException} when there is no such device, a {@code CudaOutOfMemoryException} when it is full.
     */
    public static CudaStorage allocate(DType dtype, long n, int deviceIndex) {
        CudaStorage s = empty(dtype, n, deviceIndex);
        access().fillZero(deviceIndex, s.pointer, s.byteSize());
        return s;
    }

    /** Like {@link #allocate} without the zero fill, for outputs a kernel overwrites whole. */
    public static CudaStorage empty(DType dtype, long n, int deviceIndex) {
        int len = Storage.checkSize(dtype, n);
        return new CudaStorage(dtype, len, deviceIndex, access().allocate(deviceIndex, (long) len * dtype.itemSize()));
    }

    private static CudaMemoryAccess access() { return CudaMemoryAccess.get(); }

    /** The device address of element 0 ({@code CUdeviceptr}); 0 for an empty storage. */
    public long pointer() { return pointer; }

    /** The CUDA device index this storage lives on. */
    public int deviceIndex() { return device; }

    /** Bytes of the elements (the allocator's block may be larger). */
    public long byteSize() { return (long) size * dtype.itemSize(); }

    /** Returns the block to the device's cache now; the storage must not be used afterwards. */
    public void release() { cleanable.clean(); }

    @Override
    public Kind kind() { return Kind.CUDA; }

    @Override
    public DType dtype() { return dtype; }

    @Override
    public int size() { return size; }

    @Override
    public boolean isReadOnly() { return false; }

    @Override
    public long generation() { return generation; }

    @Override
    public void setGeneration(long generation) { this.generation = generation; }

    /** One element, copied to the host (waits for the device). */
    @Override
    public double getDouble(int i) { return element(i).getDouble(0); }

    @Override
    public long getLong(int i) { return element(i).getLong(0); }

    /** One element, copied from the host. */
    @Override
    public void setDouble(int i, double v) {
        HeapStorage one = HeapStorage.allocate(dtype, 1);
        one.setDouble(0, v);
        copyFrom(i, one.array(), 0, 1);
    }

    @Override
    public void setLong(int i, long v) {
        HeapStorage one = HeapStorage.allocate(dtype, 1);
        one.setLong(0, v);
        copyFrom(i, one.array(), 0, 1);
    }

    private HeapStorage element(int i) {
        HeapStorage one = HeapStorage.allocate(dtype, 1);
        copyTo(i, one.array(), 0, 1);
        return one;
    }

    /** All elements, copied to a new heap storage (waits for all work queued on the device). */
    @Override
    public HeapStorage copyToHeap() {
        HeapStorage h = HeapStorage.allocate(dtype, size);
        copyTo(0, h.array(), 0, size);
        return h;
    }

    /**
     * Copies elements [from, from + n) into {@code array} (of this dtype's Java type) starting at index
     * {@code to}; waits for all work queued on the device. Large copies go through the device's pinned
     * staging buffer in chunks.
     */
    @Override
    public void copyTo(int from, Object array, int to, int n) {
        java.util.Objects.checkFromIndexSize(from, n, size);
        int item = dtype.itemSize();
        throughHost(n, (seg, done, c) -> {
            access().copyDeviceToHost(device, pointer + (long) (from + done) * item, seg, seg.byteSize());
            OffHeapStorage.ofSegment(dtype, seg, false).copyTo(0, array, to + done, c);
        });
    }

    /**
     * Copies {@code array}'s elements [from, from + n) into this storage starting at element {@code to}; returns
     * when the array has been read. Large copies go through the device's pinned staging buffer in chunks.
     */
    @Override
    public void copyFrom(int to, Object array, int from, int n) {
        java.util.Objects.checkFromIndexSize(to, n, size);
        int item = dtype.itemSize();
        throughHost(n, (seg, done, c) -> {
            OffHeapStorage.ofSegment(dtype, seg, false).copyFrom(0, array, from + done, c);
            access().copyHostToDevice(device, seg, pointer + (long) (to + done) * item, seg.byteSize());
        });
    }

    /** One step of a copy through host memory: {@code count} elements starting {@code done} elements in. */
    private interface HostChunk { void copy(MemorySegment host, int done, int count); }

    /**
     * Runs a copy of {@code n} elements through host memory: one native segment for a small copy, the device's
     * pinned staging buffer chunk by chunk for a large one; keeps this storage's block alive to the end.
     */
    private void throughHost(int n, HostChunk step) {
        int item = dtype.itemSize();
        try {
            if ((long) n * item < CudaMemoryAccess.STAGING_BYTES) {
                try (Arena a = Arena.ofConfined()) {
                    step.copy(a.allocate(Math.max(1, (long) n * item), 64).asSlice(0, (long) n * item), 0, n);
                }
                return;
            }
            MemorySegment stage = access().staging(device);
            int chunk = (int) (CudaMemoryAccess.STAGING_BYTES / item);
            synchronized (stage) {
                for (int done = 0; done < n; done += chunk) {
                    int c = Math.min(chunk, n - done);
                    step.copy(stage.asSlice(0, (long) c * item), done, c);
                }
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Copies all of {@code src} (same dtype and size) into this storage: host storages go up (the call
     * returns when the source has been read), a storage on the same device is copied on the device, one on
     * another device goes through the host.
     */
    public void copyFrom(Storage src) {
        if (src.dtype() != dtype || src.size() != size) {
            throw new IllegalArgumentException("CudaStorage.copyFrom: the source is " + src.dtype() + "[" + src.size()
                    + "], this storage " + dtype + "[" + size + "]. Fix: convert or slice the source first");
        }
        try {
            switch (src) {
                case CudaStorage c when c.device == device -> access().copyDeviceToDevice(device, pointer, c.pointer, byteSize());
                case CudaStorage c -> copyFrom(c.copyToHeap());
                case OffHeapStorage o -> access().copyHostToDevice(device, o.segment(), pointer, byteSize());
                case HeapStorage h -> copyFrom(0, h.array(), 0, size);
            }
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(src);
        }
    }

    @Override
    public String toString() { return "CudaStorage(" + dtype + "[" + size + "] on cuda:" + device + ")"; }
}
