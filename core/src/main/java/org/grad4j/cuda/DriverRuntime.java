package org.grad4j.cuda;

import org.grad4j.storage.CudaStorage;
import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.internal.CudaMemoryAccess;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link DeviceRuntime} on the real driver: launches through {@link Kernels}, scratch from the device's
 * caching allocator, copies through the storage bridge. Written, never run on a GPU (no device on the
 * project's machines); the fake driver's tests cover the copies.
 */
final class DriverRuntime implements DeviceRuntime {
    private final int device;

    DriverRuntime(int device) { this.device = device; }

    @Override
    public int device() { return device; }

    @Override
    public long address(Storage s) {
        return s instanceof CudaStorage c && c.deviceIndex() == device ? c.pointer() : -1;
    }

    @Override
    public void launch(KernelLaunch l) {
        if (!l.isEmpty()) Kernels.launch(device, l.name(), l.gridX(), l.blockX(), l.sharedBytes(), l.args());
    }

    @Override
    public Scratch scratch(long bytes) {
        // one stream per device: the block may go back to the cache as soon as the work using it is queued
        CudaMemoryAccess.DeviceBlock b = CudaDevice.get(device).allocator.allocate(Math.max(8, bytes));
        return new Scratch() {
            @Override public long pointer() { return b.pointer(); }
            @Override public void close() { b.release(); }
        };
    }

    @Override
    public void writeLongs(long pointer, long... values) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom(ValueLayout.JAVA_LONG, values);
            access().copyHostToDevice(device, s, pointer, s.byteSize());
        }
    }

    @Override
    public void writeFloats(long pointer, float... values) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom(ValueLayout.JAVA_FLOAT, values);
            access().copyHostToDevice(device, s, pointer, s.byteSize());
        }
    }

    @Override
    public long[] readLongs(long pointer, int n) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8L * n, 8);
            access().copyDeviceToHost(device, pointer, s, s.byteSize());
            return s.toArray(ValueLayout.JAVA_LONG);
        }
    }

    @Override
    public double[] readDoubles(long pointer, int n, DType t) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate((long) t.itemSize() * n, 8);
            access().copyDeviceToHost(device, pointer, s, s.byteSize());
            if (t == DType.FLOAT64) return s.toArray(ValueLayout.JAVA_DOUBLE);
            float[] f = s.toArray(ValueLayout.JAVA_FLOAT);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) d[i] = f[i];
            return d;
        }
    }

    @Override
    public boolean cublas() { return CuBlas.available(); }

    @Override
    public void cublasGemm(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
                           long strideB, long c, int ldc, long strideC, int batch, DType t) {
        CuBlas.gemmStridedBatched(device, transA, transB, m, n, k, 1.0, a, lda, strideA, b, ldb, strideB, 0.0, c, ldc, strideC,
                batch, t);
    }

    private static CudaMemoryAccess access() { return CudaMemoryAccess.get(); }
}
