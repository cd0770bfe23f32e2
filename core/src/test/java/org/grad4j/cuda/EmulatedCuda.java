package org.grad4j.cuda;

import org.grad4j.storage.internal.CudaMemoryAccess;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An EMULATED "cuda:0" for CPU-only tests of the CUDA wiring: device memory is native host memory, copies
 * are memcpy, and no kernel can launch, so every op runs the CUDA backend's host-fallback families. It checks
 * what a real device would punish: every copy must lie inside a live block of the device (a use after
 * release, or a host pointer taken for a device one, fails the test). Nothing here says anything about a GPU.
 *
 * <pre>{@code
 * try (var dev = EmulatedCuda.install()) {
 *     Tensor x = Grad4j.ones(2).to(Device.cuda(0));   // a CudaStorage in emulated device memory
 * }
 * }</pre>
 */
public final class EmulatedCuda extends CudaMemoryAccess implements AutoCloseable {
    /** Live blocks: address -> bytes. */
    private final TreeMap<Long, Long> live = new TreeMap<>();
    public final AtomicLong hostToDevice = new AtomicLong(), deviceToHost = new AtomicLong(), deviceToDevice = new AtomicLong();
    public final AtomicLong pinnedAllocations = new AtomicLong();

    private EmulatedCuda() {}

    /** Routes every CUDA storage through a new emulated device 0 until {@link #close}. */
    public static EmulatedCuda install() {
        EmulatedCuda e = new EmulatedCuda();
        CudaMemoryAccess.emulate(e);
        return e;
    }

    @Override
    public void close() { CudaMemoryAccess.emulate(null); }

    /** Bytes held by live blocks. */
    public synchronized long liveBytes() {
        long n = 0;
        for (long b : live.values()) n += b;
        return n;
    }

    private static void checkDevice(int device) {
        if (device != 0) {
            throw CudaException.plain("CUDA error: invalid device ordinal " + device + " (the emulated driver reports 1 device)");
        }
    }

    private synchronized void checkRange(long pointer, long bytes, String what) {
        Map.Entry<Long, Long> e = live.floorEntry(pointer);
        if (e == null || pointer + bytes > e.getKey() + e.getValue()) {
            throw new IllegalStateException("emulated cuda: " + what + " of " + bytes + " bytes at 0x" + Long.toHexString(pointer)
                    + " is outside every live device block");
        }
    }

    @Override
    public boolean pinnedAvailable() { return true; }

    @Override
    public DeviceBlock allocate(int device, long bytes) {
        checkDevice(device);
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(Math.max(1, bytes), 256);
        long p = seg.address();
        synchronized (this) { live.put(p, Math.max(1, bytes)); }
        return new DeviceBlock() {
            private boolean released;

            @Override public long pointer() { return p; }

            @Override public void release() {
                synchronized (EmulatedCuda.this) {
                    if (released) return;
                    released = true;
                    live.remove(p);
                }
                arena.close();
            }
        };
    }

    private static MemorySegment at(long pointer, long bytes) { return MemorySegment.ofAddress(pointer).reinterpret(bytes); }

    @Override
    public void copyHostToDevice(int device, MemorySegment src, long dst, long bytes) {
        checkDevice(device);
        if (bytes == 0) return;
        checkRange(dst, bytes, "host-to-device copy");
        at(dst, bytes).copyFrom(src.asSlice(0, bytes));
        hostToDevice.incrementAndGet();
    }

    @Override
    public void copyDeviceToHost(int device, long src, MemorySegment dst, long bytes) {
        checkDevice(device);
        if (bytes == 0) return;
        checkRange(src, bytes, "device-to-host copy");
        dst.asSlice(0, bytes).copyFrom(at(src, bytes));
        deviceToHost.incrementAndGet();
    }

    @Override
    public void copyDeviceToDevice(int device, long dst, long src, long bytes) {
        checkDevice(device);
        if (bytes == 0) return;
        checkRange(src, bytes, "device-to-device copy (source)");
        checkRange(dst, bytes, "device-to-device copy (destination)");
        at(dst, bytes).copyFrom(at(src, bytes));
        deviceToDevice.incrementAndGet();
    }

    @Override
    public MemorySegment allocatePinned(long bytes, Arena arena) {
        pinnedAllocations.incrementAndGet();
        return arena.allocate(Math.max(1, bytes), 64).asSlice(0, bytes);
    }

    private MemorySegment staging;

    @Override
    public synchronized MemorySegment staging(int device) {
        checkDevice(device);
        if (staging == null) staging = Arena.global().allocate(STAGING_BYTES, 64);
        return staging;
    }

    @Override
    public void fillZero(int device, long pointer, long bytes) {
        checkDevice(device);
        if (bytes == 0) return;
        checkRange(pointer, bytes, "memset");
        at(pointer, bytes).fill((byte) 0);
    }
}
