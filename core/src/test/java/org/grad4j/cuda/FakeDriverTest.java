package org.grad4j.cuda;

import org.grad4j.storage.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * grad4j's real FFM downcalls against a fake driver and a fake cuBLAS (fake_libcuda.c, fake_libcublas.c:
 * host memory, one 64 MiB "device"), compiled with gcc where there is one (else skipped). What this
 * proves without a GPU: every binding is called with the types its descriptor declares, out-parameters
 * are read back, errors are named by the driver's own cuGetErrorName, the launch's kernelParams reach
 * the kernel with the right values, and the row-major GEMM maps onto column-major cuBLAS correctly.
 */
class FakeDriverTest {
    @TempDir
    static Path dir;
    static Driver driver;
    static CudaDevice device;

    @BeforeAll
    static void buildTheFakes() throws Exception {
        assumeTrue(gcc("fake_libcuda.c", dir.resolve("libfakecuda.so"))
                && gcc("fake_libcublas.c", dir.resolve("cublas/libcublas.so.12")), "no gcc to build the fake driver");
        Files.copy(dir.resolve("cublas/libcublas.so.12"), dir.resolve("cublas/libcublasLt.so.12"));
        Driver.Loaded l = Driver.load(dir.resolve("libfakecuda.so").toString());
        assertNotNull(l.driver(), l.reason());
        assertEquals(1, l.deviceCount());
        driver = l.driver();
        device = new CudaDevice(driver, 0);
    }

    /** Builds the fake library {@code source} (a test resource) into {@code out} with gcc; false without gcc. */
    static boolean gcc(String source, Path out) throws Exception {
        Files.createDirectories(out.getParent());
        Path src = out.getParent().resolve(source);
        try (InputStream in = FakeDriverTest.class.getResourceAsStream(source)) {
            Files.copy(in, src);
        }
        try {
            Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O1", "-o", out.toString(), src.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void deviceQueriesReadTheirOutParameters() {
        assertEquals("Fake GPU", driver.deviceName(device.handle));
        assertEquals(64L << 20, driver.deviceTotalMem(device.handle));
        assertEquals(9, driver.deviceAttribute(Driver.ATTR_CC_MAJOR, device.handle));
        assertEquals(132, driver.deviceAttribute(Driver.ATTR_MULTIPROCESSOR_COUNT, device.handle));
        assertEquals(1024, driver.deviceAttribute(Driver.ATTR_MAX_THREADS_PER_BLOCK, device.handle));
        device.synchronize();
        driver.ctxSynchronize();
    }

    @Test
    void copiesFillsAndPinnedMemoryMoveTheBytes() {
        CachingAllocator.Block a = device.allocator.allocate(4096), b = device.allocator.allocate(4096);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(4096), back = arena.allocate(4096);
            for (int i = 0; i < 4096; i++) host.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
            driver.memcpyHtoDAsync(a.pointer, host, 4096, device.stream);
            driver.memcpyDtoDAsync(b.pointer, a.pointer, 4096, device.stream);
            driver.memcpyDtoHAsync(back, b.pointer, 4096, device.stream);
            device.synchronize();
            assertEquals(-1, host.mismatch(back));
            driver.memsetD8Async(b.pointer, (byte) 7, 10, device.stream);
            driver.memsetD32(b.pointer + 12, 0x01020304, 1);
            driver.memcpyDtoH(back, b.pointer, 16);
            assertEquals(7, back.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 9));
            assertEquals(10, back.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 10), "past the fill: the copied byte");
            assertEquals(0x01020304, back.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 12));
            driver.memsetD8(a.pointer, (byte) 0, 4096);
            driver.memcpyHtoD(a.pointer, host, 1);
            driver.memcpyDtoD(b.pointer, a.pointer, 2);
            driver.memcpyDtoH(back, b.pointer, 2);
            assertEquals(0, back.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            assertEquals(0, back.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 1));
            MemorySegment pinned = driver.memHostAlloc(64);
            assertEquals(64, pinned.byteSize());
            driver.memFreeHost(pinned);
        } finally {
            a.release();
            b.release();
        }
    }

    @Test
    void theAllocatorOnTheDriverReportsOutOfMemoryWithTheDevicesFigures() {
        device.allocator.emptyCache();
        CachingAllocator.Block held = device.allocator.allocate(40L << 20);
        try {
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> device.allocator.allocate(30L << 20));
            assertTrue(e.getMessage().startsWith("CUDA out of memory. Tried to allocate 30.00 MiB. GPU 0 has a total capacity of "
                    + "64.00 MiB of which 24.00 MiB is free. Of the allocated memory 40.00 MiB is allocated by grad4j"), e.getMessage());
            long[] info = driver.memGetInfo();
            assertEquals(24L << 20, info[0]);
        } finally {
            held.release();
            device.allocator.emptyCache();
        }
        assertEquals(64L << 20, driver.memGetInfo()[0], "emptyCache gave every block back to the driver");
    }

    @Test
    void aFailedCallIsNamedByTheDriver() {
        try (Arena a = Arena.ofConfined()) {
            CudaException e = assertThrows(CudaException.class, () -> driver.moduleLoadData(a.allocateFrom("not ptx")));
            assertEquals("cuModuleLoadData failed: CUDA_ERROR_INVALID_PTX: a PTX JIT compilation failed. Fix: update the NVIDIA "
                    + "driver: grad4j's kernels are built with CUDA 13 and need a driver that supports it", e.getMessage());
        }
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", driver.errorName(2));
        assertNull(driver.errorName(99999), "the driver knows no such code");
    }

    @Test
    void aLaunchHandsEveryArgumentKindToTheKernel() throws Exception {
        byte[] ptx;
        try (InputStream in = FakeDriverTest.class.getResourceAsStream("test_kernels.ptx")) {
            ptx = in.readAllBytes();
        }
        Kernels k = new Kernels(device, ptx);
        int n = 1000;
        CachingAllocator.Block in = device.allocator.allocate(4L * n), out = device.allocator.allocate(4L * n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate(JAVA_FLOAT, n), y = arena.allocate(JAVA_FLOAT, n);
            for (int i = 0; i < n; i++) x.setAtIndex(JAVA_FLOAT, i, i * 0.25f);
            driver.memcpyHtoD(in.pointer, x, 4L * n);
            byte[] affine = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putFloat(2f).putFloat(-1f).array();
            k.launch("grad4j_test_affine", 1L << 40, 256, 0,   // a grid past 2^31-1 is clamped, not refused
                    new KernelArgs().ptr(out.pointer).ptr(in.pointer).i64(n).struct(affine, 4).i32(3).f64(0.5));
            driver.memcpyDtoH(y, out.pointer, 4L * n);
            for (int i = 0; i < n; i++) assertEquals(i * 0.25f * 2f - 1f + 1.5f, y.getAtIndex(JAVA_FLOAT, i), "element " + i);
        } finally {
            in.release();
            out.release();
        }
        CudaException e = assertThrows(CudaException.class, () -> k.launch("nope", 1, 1, 0, new KernelArgs()));
        assertEquals("cuModuleGetFunction(nope) failed: CUDA_ERROR_NOT_FOUND: named symbol not found", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> k.launch("grad4j_test_affine", 0, 1, 0, new KernelArgs()));
    }

    /** Row-major C = op(A) op(B) through the (column-major) fake cuBLAS, for every transpose and a batch. */
    @Test
    void rowMajorGemmMapsOntoColumnMajorCublas() {
        LibraryLocator.Env env = new LibraryLocator.Env(v -> null, Map.of("grad4j.cublas.dir", dir.resolve("cublas").toString())::get,
                dir, List::of, Optional::empty);
        CuBlas.Loaded l = CuBlas.load(env);
        assertNotNull(l.cublas(), l.reason());
        int m = 5, n = 3, k = 4, batch = 2;
        double[] a = new double[batch * m * k], b = new double[batch * k * n];
        for (int i = 0; i < a.length; i++) a[i] = i % 7 - 3;
        for (int i = 0; i < b.length; i++) b[i] = i % 5 - 2;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                // the operands as stored: A (m x k) or A^T stored (k x m); B (k x n) or B^T stored (n x k)
                double[] as = ta ? transpose(a, batch, m, k) : a, bs = tb ? transpose(b, batch, k, n) : b;
                int lda = ta ? m : k, ldb = tb ? k : n;
                CachingAllocator.Block da = up(as), db = up(bs), dc = device.allocator.allocate(8L * batch * m * n);
                try (Arena arena = Arena.ofConfined()) {
                    l.cublas().gemmOn(device, ta, tb, m, n, k, 1, da.pointer, lda, (long) m * k, db.pointer, ldb, (long) k * n,
                            0, dc.pointer, n, (long) m * n, batch, DType.FLOAT64);
                    MemorySegment c = arena.allocate(JAVA_DOUBLE, (long) batch * m * n);
                    driver.memcpyDtoH(c, dc.pointer, c.byteSize());
                    for (int q = 0; q < batch; q++)
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < n; j++) {
                                double s = 0;
                                for (int p = 0; p < k; p++) s += a[q * m * k + i * k + p] * b[q * k * n + p * n + j];
                                assertEquals(s, c.getAtIndex(JAVA_DOUBLE, q * m * n + i * n + j), "ta " + ta + " tb " + tb);
                            }
                } finally {
                    da.release();
                    db.release();
                    dc.release();
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> l.cublas().gemmOn(device, false, false, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0,
                1, DType.INT32));
        CudaException e = assertThrows(CudaException.class, () -> l.cublas().gemmOn(device, false, false, -1, 1, 1, 1, 0, 1, 0, 0, 1, 0,
                0, 0, 1, 0, 1, DType.FLOAT32));
        assertTrue(e.getMessage().startsWith("cublasSgemm_v2 failed: CUBLAS_STATUS_INVALID_VALUE"), e.getMessage());
    }

    private static double[] transpose(double[] x, int batch, int rows, int cols) {
        double[] t = new double[x.length];
        for (int q = 0; q < batch; q++)
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[q * rows * cols + j * rows + i] = x[q * rows * cols + i * cols + j];
        return t;
    }

    private static CachingAllocator.Block up(double[] v) {
        CachingAllocator.Block blk = device.allocator.allocate(8L * v.length);
        try (Arena arena = Arena.ofConfined()) {
            driver.memcpyHtoD(blk.pointer, arena.allocateFrom(JAVA_DOUBLE, v), 8L * v.length);
        }
        return blk;
    }
}
