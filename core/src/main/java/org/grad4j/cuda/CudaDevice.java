package org.grad4j.cuda;

import java.lang.foreign.MemorySegment;

/**
 * One CUDA device as grad4j uses it: its primary context (retained on first use, as PyTorch does, so that
 * grad4j shares the context with any other library in the process), its one stream, and its caching
 * allocator. Every driver call for the device first makes the context current on the calling thread
 * ({@link #enter()}; a thread-local remembers the last one set, so that repeated calls cost one compare).
 *
 * <p>The stream: all of grad4j's kernels and copies on a device are queued on this one stream
 * (PyTorch's "current stream"), so they run in the order they were issued. The host does not wait for
 * them, except where it needs a value: reading elements, {@code copyToHeap}, {@link Cuda#synchronize}.
 */
final class CudaDevice {
    private static final ThreadLocal<MemorySegment> CURRENT = new ThreadLocal<>();
    private static volatile CudaDevice[] devices;

    final int index;
    final Driver driver;
    final int handle;
    final MemorySegment context, stream;
    final CachingAllocator allocator;

    /** Sets device {@code index} of {@code driver} up (tests pass a fake driver; everyone else uses {@link #get}). */
    CudaDevice(Driver driver, int index) {
        this.index = index;
        this.driver = driver;
        this.handle = driver.deviceGet(index);
        this.context = driver.primaryCtxRetain(handle);
        driver.ctxSetCurrent(context);
        CURRENT.set(context);
        this.stream = driver.streamCreate();
        this.allocator = new CachingAllocator(index, new DeviceMemory() {
            @Override public long malloc(long bytes) { enter(); return driver.memAlloc(bytes); }
            @Override public void free(long pointer) { enter(); driver.memFree(pointer); }
            @Override public long[] memGetInfo() { enter(); return driver.memGetInfo(); }
        });
    }

    /** Device {@code index}, set up on first use; a {@link CudaException} without a driver or for a bad index. */
    static CudaDevice get(int index) {
        CudaDevice[] all = devices;
        if (all == null) {
            synchronized (CudaDevice.class) {
                if (devices == null) devices = new CudaDevice[Math.max(0, Driver.loaded().deviceCount())];
                all = devices;
            }
        }
        Driver d = Driver.instance();
        if (index < 0 || index >= all.length) {
            throw CudaException.plain("CUDA error: invalid device ordinal " + index + " (the driver reports " + all.length
                    + " device" + (all.length == 1 ? "" : "s") + "). Fix: use an index below Cuda.deviceCount()");
        }
        CudaDevice dev = all[index];
        if (dev != null) return dev;
        synchronized (CudaDevice.class) {
            if (all[index] == null) all[index] = new CudaDevice(d, index);
            return all[index];
        }
    }

    /** The devices set up so far (null entries for those never used); empty without a driver. */
    static CudaDevice[] initialized() {
        CudaDevice[] all = devices;
        return all == null ? new CudaDevice[0] : all.clone();
    }

    /** Makes this device's context current on the calling thread and returns this. */
    CudaDevice enter() {
        if (CURRENT.get() != context) {
            driver.ctxSetCurrent(context);
            CURRENT.set(context);
        }
        return this;
    }

    /** Waits for everything queued on this device's stream. */
    void synchronize() {
        enter();
        driver.streamSynchronize(stream);
    }
}
