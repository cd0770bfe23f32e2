package org.grad4j.storage.internal;

import java.lang.foreign.MemorySegment;

/**
 * The door from {@code org.grad4j.storage.CudaStorage} to the CUDA driver code in {@code org.grad4j.cuda}
 * (whose classes are package-private), as {@code org.grad4j.internal.TensorAccess} is for {@code Tensor}:
 * {@code org.grad4j.cuda.Cuda} installs the one implementation when its class initializes, which loads no
 * driver. It lives under storage/ because storage/ imports nothing above it (LayeringTest); this package is
 * not exported.
 */
public abstract class CudaMemoryAccess {
    private static volatile CudaMemoryAccess instance;
    /** A stand-in that {@link #get} returns instead of the driver's, for tests only (see {@link #emulate}); null normally. */
    private static volatile CudaMemoryAccess emulated;

    protected CudaMemoryAccess() {}

    /** A block of device memory from the caching allocator. */
    public interface DeviceBlock {
        /** The device address ({@code CUdeviceptr}); 0 for an empty block. */
        long pointer();

        /** Returns the block to the allocator's cache; later calls do nothing. */
        void release();
    }

    /** Called once, by {@code org.grad4j.cuda.Cuda}'s static initializer. */
    public static void install(CudaMemoryAccess access) {
        if (instance != null) throw new IllegalStateException("CudaMemoryAccess is installed by org.grad4j.cuda.Cuda only");
        instance = access;
    }

    /**
     * Test plumbing, off by default: while {@code access} is set (non-null), every CUDA storage is made and
     * copied through it instead of the driver, e.g. device memory emulated in host memory so that CPU-only
     * machines exercise the CUDA wiring. {@code null} restores the driver. Storages made under one must not
     * outlive it.
     */
    public static void emulate(CudaMemoryAccess access) { emulated = access; }

    /** True while a test emulation stands in for the driver: no kernel can be launched, host families run. */
    public static boolean isEmulated() { return emulated != null; }

    /** The implementation (initializes {@code org.grad4j.cuda.Cuda} first when needed). */
    public static CudaMemoryAccess get() {
        CudaMemoryAccess em = emulated;
        if (em != null) return em;
        if (instance == null) {
            try {
                Class.forName("org.grad4j.cuda.Cuda", true, CudaMemoryAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    /** Whether pinned host memory ({@link #allocatePinned}) can be had: a CUDA device is available. */
    public abstract boolean pinnedAvailable();

    /** {@code bytes} of device memory on {@code device} (uninitialized); throws CudaException without a device. */
    public abstract DeviceBlock allocate(int device, long bytes);

    /** Queues a host-to-device copy on the device's stream; {@code src} may be reused when this returns. */
    public abstract void copyHostToDevice(int device, MemorySegment src, long dst, long bytes);

    /** Copies device memory into {@code dst} and waits for it (and for all earlier work on the stream). */
    public abstract void copyDeviceToHost(int device, long src, MemorySegment dst, long bytes);

    /** Queues a copy between two blocks of the same device. */
    public abstract void copyDeviceToDevice(int device, long dst, long src, long bytes);

    /**
     * Page-locked (pinned) host memory of {@code bytes}, usable with every device, which the DMA engine reads
     * without the driver's extra staging copy (DataLoader's {@code pin_memory}). It is given back to the
     * driver ({@code cuMemFreeHost}) when {@code arena} closes ({@code Arena.ofAuto()}: when unreachable).
     */
    public abstract MemorySegment allocatePinned(long bytes, java.lang.foreign.Arena arena);

    /**
     * The device's pinned staging buffer ({@link #STAGING_BYTES}, allocated on first use and kept): large
     * copies between Java arrays and the device go through it in chunks, holding its lock.
     */
    public abstract MemorySegment staging(int device);

    /** Size of a staging buffer; also the size from which copies use it. */
    public static final long STAGING_BYTES = 8L << 20;

    /** Queues zero-filling {@code bytes} at {@code pointer}. */
    public abstract void fillZero(int device, long pointer, long bytes);
}
