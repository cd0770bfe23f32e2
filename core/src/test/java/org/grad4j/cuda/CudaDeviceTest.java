package org.grad4j.cuda;

import org.grad4j.storage.DType;
import org.grad4j.Device;
import org.grad4j.storage.CudaStorage;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Storage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The driver code on a real GPU. Every test needs a CUDA device and is SKIPPED without one (the project's
 * machines have none); gpu/check.sh runs them on the GPU machine.
 */
@org.junit.jupiter.api.Tag("cuda")
class CudaDeviceTest {
    @BeforeEach
    void needsADevice() {
        assumeTrue(Device.cudaIsAvailable(), "no CUDA device: " + Cuda.describe());
    }

    @Test
    void reportsTheDevicesPropertiesAndSynchronizes() {
        assertFalse(Cuda.deviceName(0).isBlank());
        int[] cc = Cuda.getDeviceCapability(0);
        assertTrue(cc[0] * 10 + cc[1] >= 75, "compute capability " + cc[0] + "." + cc[1]);
        assertTrue(Cuda.multiProcessorCount(0) > 0);
        assertTrue(Cuda.maxThreadsPerBlock(0) >= 1024);
        long[] info = Cuda.memGetInfo(0);
        assertTrue(info[0] > 0 && info[0] <= info[1] && info[1] == Cuda.totalMemory(0), info[0] + " / " + info[1]);
        Cuda.synchronize();
        Cuda.synchronize(0);
        assertThrows(CudaException.class, () -> Cuda.deviceName(Cuda.deviceCount()));
    }

    /** Random bit patterns of every dtype (NaN payloads, -0.0, subnormals for floats) survive host -> device -> host. */
    @Test
    void aCopyToTheDeviceAndBackIsBitExactForEveryDtype() {
        Random r = new Random(13);
        for (DType dt : DType.values()) {
            int n = 100_003;
            HeapStorage h = HeapStorage.allocate(dt, n);
            for (int i = 0; i < n; i++) {
                switch (dt) {
                    case FLOAT32 -> ((float[]) h.array())[i] = Float.intBitsToFloat(r.nextInt());
                    case FLOAT64 -> ((double[]) h.array())[i] = Double.longBitsToDouble(r.nextLong());
                    case BOOL -> ((boolean[]) h.array())[i] = r.nextBoolean();
                    default -> h.setLong(i, r.nextLong());
                }
            }
            CudaStorage d = CudaStorage.allocate(dt, n, 0);
            d.copyFrom(h);
            HeapStorage back = d.copyToHeap();
            switch (dt) {
                case FLOAT32 -> {
                    float[] a = (float[]) h.array(), b = (float[]) back.array();
                    for (int i = 0; i < n; i++) assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), dt + " " + i);
                }
                case FLOAT64 -> {
                    double[] a = (double[]) h.array(), b = (double[]) back.array();
                    for (int i = 0; i < n; i++) assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]), dt + " " + i);
                }
                default -> {
                    for (int i = 0; i < n; i++) assertEquals(h.getLong(i), back.getLong(i), dt + " " + i);
                }
            }
            CudaStorage d2 = CudaStorage.empty(dt, n, 0);
            d2.copyFrom(d);   // device to device
            assertEquals(h.getLong(n - 1), d2.getLong(n - 1));
            d.release();
            d2.release();
        }
    }

    /** 40 MiB: through the pinned staging buffer in chunks, both ways, and a range copy at an offset. */
    @Test
    void aLargeCopyThroughThePinnedStagingBufferIsBitExact() {
        float[] big = new float[10 << 20];
        Random r = new Random(2);
        for (int i = 0; i < big.length; i++) big[i] = Float.intBitsToFloat(r.nextInt());
        CudaStorage d = CudaStorage.empty(DType.FLOAT32, big.length, 0);
        d.copyFrom(HeapStorage.wrap(DType.FLOAT32, big));
        float[] back = (float[]) d.copyToHeap().array();
        for (int i = 0; i < big.length; i++) assertEquals(Float.floatToRawIntBits(big[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        float[] tail = new float[3];
        d.copyTo(big.length - 3, tail, 0, 3);
        assertEquals(Float.floatToRawIntBits(big[big.length - 1]), Float.floatToRawIntBits(tail[2]));
        d.release();
    }

    @Test
    void newStoragesAreZeroAndElementAccessReadsAndWritesSingleElements() {
        CudaStorage s = CudaStorage.allocate(DType.FLOAT64, 1000, 0);
        for (int i = 0; i < 1000; i += 111) assertEquals(0.0, s.getDouble(i));
        s.setDouble(7, -2.5);
        s.setLong(8, 42);
        assertEquals(-2.5, s.getDouble(7));
        assertEquals(42, s.getLong(8));
        assertEquals(0.0, s.getDouble(6));
        assertThrows(IndexOutOfBoundsException.class, () -> s.getDouble(1000));
        OffHeapStorage o = OffHeapStorage.allocate(DType.FLOAT64, 1000);
        o.setDouble(999, 3.0);
        s.copyFrom(o);
        assertEquals(3.0, s.getDouble(999));
        assertEquals(0.0, s.getDouble(7));
        assertEquals(Storage.Kind.CUDA, s.kind());
    }

    @Test
    void pinnedHostMemoryCarriesACopyUpAndIsFreedWithItsArena() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment pinned = org.grad4j.storage.internal.CudaMemoryAccess.get().allocatePinned(4096 * 4L, arena);
            OffHeapStorage host = OffHeapStorage.ofSegment(DType.FLOAT32, pinned, false);
            for (int i = 0; i < 4096; i++) host.setDouble(i, i * 0.5);
            CudaStorage d = CudaStorage.empty(DType.FLOAT32, 4096, 0);
            d.copyFrom(host);
            assertEquals(4095 * 0.5, d.getDouble(4095));
        }   // cuMemFreeHost runs here
    }

    @Test
    void theAllocatorCountsBlocksAndKeepsFreedOnesCached() {
        Cuda.emptyCache();
        long before = Cuda.memoryAllocated(0), reservedBefore = Cuda.memoryReserved(0);
        CudaStorage s = CudaStorage.empty(DType.FLOAT32, 3 << 20, 0);   // 12 MiB
        assertEquals(before + (12L << 20), Cuda.memoryAllocated(0));
        assertTrue(Cuda.maxMemoryAllocated(0) >= Cuda.memoryAllocated(0));
        long p = s.pointer();
        s.release();
        assertEquals(before, Cuda.memoryAllocated(0));
        assertEquals(reservedBefore + (12L << 20), Cuda.memoryReserved(0), "the freed block stays cached");
        CudaStorage again = CudaStorage.empty(DType.FLOAT32, 3 << 20, 0);
        assertEquals(p, again.pointer(), "the cached block is reused");
        again.release();
        Cuda.emptyCache();
        assertEquals(reservedBefore, Cuda.memoryReserved(0));
        Cuda.resetPeakMemoryStats(0);
        assertEquals(Cuda.memoryAllocated(0), Cuda.maxMemoryAllocated(0));
    }

    @Test
    void askingForMoreThanTheDeviceHasIsAnOutOfMemoryErrorWithTheFigures() {
        long total = Cuda.totalMemory(0);
        // one storage holds at most 2^31-9 elements (16 GiB of doubles): ask the allocator for more than the device
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> CudaDevice.get(0).allocator.allocate(total + 1));
        assertTrue(e.getMessage().startsWith("CUDA out of memory. Tried to allocate ") && e.getMessage().contains("GPU 0 has a total capacity of"),
                e.getMessage());
    }

    /** The launcher with every argument kind, on a test PTX built from test_kernels.cu (not the kernels' fatbin). */
    @Test
    void aLaunchPassesPointersIntegersStructsAndDoublesToTheKernel() throws Exception {
        byte[] ptx;
        try (InputStream in = CudaDeviceTest.class.getResourceAsStream("test_kernels.ptx")) {
            ptx = in.readAllBytes();
        }
        Kernels k = Kernels.load(0, ptx);
        int n = 1 << 20;
        float[] x = new float[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        CudaStorage in = CudaStorage.empty(DType.FLOAT32, n, 0), out = CudaStorage.allocate(DType.FLOAT32, n, 0);
        in.copyFrom(HeapStorage.wrap(DType.FLOAT32, x));
        byte[] affine = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putFloat(2f).putFloat(-1f).array();
        KernelArgs args = new KernelArgs().ptr(out.pointer()).ptr(in.pointer()).i64(n).struct(affine, 4).i32(3).f64(0.5);
        k.launch("grad4j_test_affine", 120, 256, 0, args);   // fewer blocks than n / 256: the grid-stride loop covers the rest
        float[] y = (float[]) out.copyToHeap().array();
        for (int i = 0; i < n; i++) {
            float want = x[i] * 2f + -1f + 1.5f;
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(y[i]), "element " + i);
        }
        CudaException e = assertThrows(CudaException.class, () -> k.launch("no_such_kernel", 1, 1, 0, new KernelArgs()));
        assertTrue(e.getMessage().contains("CUDA_ERROR_NOT_FOUND"), e.getMessage());
    }

    @Test
    void grad4jsKernelImageLoadsWhenItIsBuiltIn() {
        assumeTrue(Kernels.class.getResource(Kernels.RESOURCE) != null, "no kernel image in this build yet");
        assertNotNull(Kernels.of(0));
    }

    /** Row-major C = A B and C = A B^T (and a batch) through cuBLAS against a float64 CPU product. */
    @Test
    void cublasGemmMatchesTheCpuProductForRowMajorOperands() {
        assumeTrue(Cuda.cublasAvailable(), "cuBLAS not found: " + Cuda.describe());
        int m = 65, n = 33, k = 17, batch = 3;
        Random r = new Random(5);
        float[] a = new float[batch * m * k], b = new float[batch * k * n], bt = new float[batch * n * k];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        for (int q = 0; q < batch; q++)
            for (int i = 0; i < k; i++) for (int j = 0; j < n; j++) bt[q * n * k + j * k + i] = b[q * k * n + i * n + j];
        CudaStorage da = up(a), db = up(b), dbt = up(bt), dc = CudaStorage.allocate(DType.FLOAT32, batch * m * n, 0);
        CuBlas.gemm(0, false, false, m, n, k, 1, da.pointer(), k, db.pointer(), n, 0, dc.pointer(), n, DType.FLOAT32);
        checkProduct(a, b, (float[]) dc.copyToHeap().array(), m, n, k, 1);
        CuBlas.gemm(0, false, true, m, n, k, 1, da.pointer(), k, dbt.pointer(), k, 0, dc.pointer(), n, DType.FLOAT32);
        checkProduct(a, b, (float[]) dc.copyToHeap().array(), m, n, k, 1);
        CuBlas.gemmStridedBatched(0, false, false, m, n, k, 1, da.pointer(), k, (long) m * k, db.pointer(), n, (long) k * n,
                0, dc.pointer(), n, (long) m * n, batch, DType.FLOAT32);
        checkProduct(a, b, (float[]) dc.copyToHeap().array(), m, n, k, batch);
    }

    private static CudaStorage up(float[] v) {
        CudaStorage s = CudaStorage.empty(DType.FLOAT32, v.length, 0);
        s.copyFrom(HeapStorage.wrap(DType.FLOAT32, v));
        return s;
    }

    private static void checkProduct(float[] a, float[] b, float[] c, int m, int n, int k, int batch) {
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, abs = 0;
                    for (int p = 0; p < k; p++) {
                        double t = (double) a[q * m * k + i * k + p] * b[q * k * n + p * n + j];
                        s += t;
                        abs += Math.abs(t);
                    }
                    assertEquals(s, c[q * m * n + i * n + j], 1e-5 * abs + 1e-6, "batch " + q + " C[" + i + "," + j + "]");
                }
            }
        }
    }
}
