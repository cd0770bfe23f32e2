package org.grad4j.cuda;

import org.grad4j.storage.internal.CudaMemoryAccess;

/**
 * CUDA devices as grad4j sees them, PyTorch's {@code torch.cuda} in Java: availability, device properties,
 * synchronization, memory statistics of the caching allocator, and the TF32 switch for matmuls. grad4j
 * needs only the NVIDIA driver ({@code libcuda}); cuBLAS is used when found (docs/cuda.md). Nothing here
 * loads the driver until it is asked a question; without one {@link #isAvailable()} is false and the
 * other calls raise a {@link CudaException} with a {@code Fix:}.
 *
 * <pre>{@code
 * if (Cuda.isAvailable()) {
 *     System.out.println(Cuda.deviceName(0) + ", compute capability " + Cuda.getDeviceCapability(0)[0]);
 *     Cuda.synchronize();
 *     System.out.println(Cuda.memoryAllocated(0) + " bytes held by tensors");
 * }
 * }</pre>
 */
public final class Cuda {
    static {
        CudaMemoryAccess.install(new StorageBridge());   // storage's door to the allocator; loads no driver
        org.grad4j.internal.CudaBackends.install(CudaBackend::new);   // Tensor's door to the kernels; loads no driver
    }

    private Cuda() {}

    /**
     * Like {@code torch.cuda.is_available()}: whether the NVIDIA driver is installed and reports at least one
     * device. Never throws; the first call loads the driver (a few ms to a second), later calls are free.
     * {@code -Dgrad4j.cuda=false} answers false without loading anything.
     */
    public static boolean isAvailable() { return deviceCount() > 0; }

    /** Like {@code torch.cuda.device_count()}: the devices the driver reports, 0 without a driver. */
    public static int deviceCount() { return Driver.loaded().deviceCount(); }

    /** Why CUDA is unavailable (e.g. {@code cannot load libcuda.so.1: ...}), or a line naming the driver's devices. */
    public static String describe() {
        Driver.Loaded l = Driver.loaded();
        return l.deviceCount() > 0 ? l.deviceCount() + " CUDA device(s); " + CuBlas.describe() : l.reason();
    }

    /** Like {@code torch.cuda.get_device_name(i)}, e.g. {@code "NVIDIA H200"}. */
    public static String deviceName(int device) {
        CudaDevice d = CudaDevice.get(device);
        return d.driver.deviceName(d.handle);
    }

    /** Like {@code torch.cuda.get_device_capability(i)}: {@code {major, minor}}, e.g. {@code {9, 0}} for Hopper. */
    public static int[] getDeviceCapability(int device) {
        CudaDevice d = CudaDevice.get(device);
        return new int[]{d.driver.deviceAttribute(Driver.ATTR_CC_MAJOR, d.handle), d.driver.deviceAttribute(Driver.ATTR_CC_MINOR, d.handle)};
    }

    /** The device's streaming multiprocessors ({@code multi_processor_count} of torch's device properties). */
    public static int multiProcessorCount(int device) {
        CudaDevice d = CudaDevice.get(device);
        return d.driver.deviceAttribute(Driver.ATTR_MULTIPROCESSOR_COUNT, d.handle);
    }

    /** The most threads one block may have on the device. */
    public static int maxThreadsPerBlock(int device) {
        CudaDevice d = CudaDevice.get(device);
        return d.driver.deviceAttribute(Driver.ATTR_MAX_THREADS_PER_BLOCK, d.handle);
    }

    /** The device's memory in bytes ({@code total_memory} of torch's device properties). */
    public static long totalMemory(int device) {
        CudaDevice d = CudaDevice.get(device);
        return d.driver.deviceTotalMem(d.handle);
    }

    /** Like {@code torch.cuda.mem_get_info(i)}: {@code {free, total}} bytes as the driver sees them now. */
    public static long[] memGetInfo(int device) {
        CudaDevice d = CudaDevice.get(device).enter();
        return d.driver.memGetInfo();
    }

    /** Waits until everything grad4j queued on every device it used has finished ({@code torch.cuda.synchronize()}). */
    public static void synchronize() {
        for (CudaDevice d : CudaDevice.initialized()) if (d != null) d.synchronize();
    }

    /** Waits until everything queued on {@code device}'s stream has finished. */
    public static void synchronize(int device) { CudaDevice.get(device).synchronize(); }

    /** Bytes of device memory held by tensors' storages on {@code device} (size classes), as {@code torch.cuda.memory_allocated}. */
    public static long memoryAllocated(int device) { return allocator(device).memoryAllocated(); }

    /** The peak of {@link #memoryAllocated} since start or {@link #resetPeakMemoryStats}. */
    public static long maxMemoryAllocated(int device) { return allocator(device).maxMemoryAllocated(); }

    /** Bytes grad4j has taken from the driver on {@code device}: allocated plus cached, as {@code torch.cuda.memory_reserved}. */
    public static long memoryReserved(int device) { return allocator(device).memoryReserved(); }

    /** The peak of {@link #memoryReserved}. */
    public static long maxMemoryReserved(int device) { return allocator(device).maxMemoryReserved(); }

    /** Sets the peaks to the current values, as {@code torch.cuda.reset_peak_memory_stats}. */
    public static void resetPeakMemoryStats(int device) { allocator(device).resetPeakMemoryStats(); }

    /**
     * Returns the cached, unused blocks of every device grad4j used to the driver, so that other processes
     * (or {@code nvidia-smi}) see them free, as {@code torch.cuda.empty_cache()}. Tensors keep their memory.
     */
    public static void emptyCache() {
        for (CudaDevice d : CudaDevice.initialized()) if (d != null) d.allocator.emptyCache();
    }

    /**
     * Whether float32 matmuls through cuBLAS may use TF32 tensor cores (10-bit mantissa inputs, faster,
     * not CPU's numbers), as {@code torch.backends.cuda.matmul.allow_tf32}; false by default.
     */
    public static void setAllowTf32(boolean allow) { CuBlas.allowTf32 = allow; }

    /** See {@link #setAllowTf32}. */
    public static boolean allowTf32() { return CuBlas.allowTf32; }

    /** Whether cuBLAS was found (matmuls use it); otherwise grad4j's own GEMM kernel runs. */
    public static boolean cublasAvailable() { return CuBlas.available(); }

    private static CachingAllocator allocator(int device) { return CudaDevice.get(device).allocator; }
}
