package org.grad4j.cuda;

import org.grad4j.storage.internal.CudaMemoryAccess;

import java.lang.foreign.MemorySegment;

/** {@link CudaMemoryAccess} for {@code CudaStorage}: every operation is queued on the device's one stream. */
final class StorageBridge extends CudaMemoryAccess {
    @Override
    public boolean pinnedAvailable() { return Cuda.isAvailable(); }

    @Override
    public DeviceBlock allocate(int device, long bytes) {
        return CudaDevice.get(device).allocator.allocate(bytes);
    }

    @Override
    public void copyHostToDevice(int device, MemorySegment src, long dst, long bytes) {
        if (bytes == 0) return;
        CudaDevice d = CudaDevice.get(device).enter();
        d.driver.memcpyHtoDAsync(dst, src, bytes, d.stream);
        // waits, as torch's non_blocking=False copy: the caller frees or rewrites src when this returns, and a
        // pinned source would still be read by the DMA engine (pageable ones are staged before the call returns)
        d.driver.streamSynchronize(d.stream);
    }

    @Override
    public void copyDeviceToHost(int device, long src, MemorySegment dst, long bytes) {
        if (bytes == 0) return;
        CudaDevice d = CudaDevice.get(device).enter();
        d.driver.memcpyDtoHAsync(dst, src, bytes, d.stream);
        d.driver.streamSynchronize(d.stream);
    }

    @Override
    public void copyDeviceToDevice(int device, long dst, long src, long bytes) {
        if (bytes == 0) return;
        CudaDevice d = CudaDevice.get(device).enter();
        d.driver.memcpyDtoDAsync(dst, src, bytes, d.stream);
    }

    @Override
    public MemorySegment allocatePinned(long bytes, java.lang.foreign.Arena arena) {
        CudaDevice d = CudaDevice.get(0).enter();   // cuMemHostAlloc needs a current context; PORTABLE serves every device
        MemorySegment p = d.driver.memHostAlloc(Math.max(1, bytes));
        return p.reinterpret(bytes, arena, seg -> {
            d.enter();
            d.driver.memFreeHost(seg);
        });
    }

    private final java.util.concurrent.ConcurrentHashMap<Integer, MemorySegment> staging = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public MemorySegment staging(int device) {
        return staging.computeIfAbsent(device, d -> allocatePinned(STAGING_BYTES, java.lang.foreign.Arena.global()));
    }

    @Override
    public void fillZero(int device, long pointer, long bytes) {
        if (bytes == 0) return;
        CudaDevice d = CudaDevice.get(device).enter();
        d.driver.memsetD8Async(pointer, (byte) 0, bytes, d.stream);
    }
}
