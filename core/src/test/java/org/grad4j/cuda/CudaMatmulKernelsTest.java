package org.grad4j.cuda;

import org.grad4j.kernels.Backend;
import org.grad4j.kernels.MatmulKernels;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Matmul's choices (cuBLAS or g4_gemm, transposed operands without a copy, a copy for the rest, fallback)
 * and its arguments: the g4_gemm launches are replayed by a Java transcription of gemm.cu's indexing over
 * the heap storages behind the fake addresses and compared with the CPU family.
 */
class CudaMatmulKernelsTest {
    final FakeRuntime rt = new FakeRuntime();
    final CudaMatmulKernels k = new CudaMatmulKernels(rt, rt.host(MatmulKernels.class));

    Storage dev(int n, long seed) {
        double[] d = new double[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) d[i] = Math.round(r.nextGaussian() * 8) / 8.0;   // exact products and sums
        Storage s = HeapStorage.wrap(DType.FLOAT64, d);
        rt.put(s);
        return s;
    }

    @Test
    void transposedOperandsReachCublasWithoutACopy() {
        rt.cublas = true;
        Storage a = dev(6, 1), b = dev(12, 2), c = dev(8, 3);
        // a [2, 3] row-major; b^T of a [4, 3] row-major: [3, 4] with strides (1, 3)
        k.gemm(new Strided(a, new int[]{2, 3}, new int[]{3, 1}, 0), new Strided(b, new int[]{3, 4}, new int[]{1, 3}, 0), c);
        assertTrue(rt.launches.isEmpty());
        assertEquals(List.of("NT m=2 n=4 k=3 lda=3 ldb=3 ldc=4 sA=0 sB=0 sC=8 batch=1 a=" + Long.toHexString(rt.address(a))
                + " b=" + Long.toHexString(rt.address(b)) + " c=" + Long.toHexString(rt.address(c))), rt.cublasCalls);
    }

    @Test
    void ownKernelMatchesTheCpuForEveryLayoutIncludingOnesThatNeedACopy() {
        int m = 5, kk = 7, n = 3;
        int[][][] layouts = {
                {{kk, 1}, {n, 1}},          // both row-major
                {{1, m}, {1, kk}},          // both transposed
                {{2 * kk, 2}, {n, 1}},      // a with column stride 2: copied to scratch first
        };
        for (int[][] lay : layouts) {
            FakeRuntime r = new FakeRuntime();
            CudaMatmulKernels g = new CudaMatmulKernels(r, r.host(MatmulKernels.class));
            Storage a = HeapStorage.wrap(DType.FLOAT64, values(4 * m * kk, 5)), b = HeapStorage.wrap(DType.FLOAT64, values(4 * kk * n, 6));
            Storage c = HeapStorage.allocate(DType.FLOAT64, m * n);
            r.put(a);
            r.put(b);
            r.put(c);
            Strided va = new Strided(a, new int[]{m, kk}, lay[0], 1), vb = new Strided(b, new int[]{kk, n}, lay[1], 0);
            g.gemm(va, vb, c);
            assertTrue(r.hostCalls.isEmpty());
            DeviceMemoryReplay.run(r, Map.of());
            Storage expect = HeapStorage.allocate(DType.FLOAT64, m * n);
            Backend.cpu().matmul().gemm(va, vb, expect);
            for (int i = 0; i < m * n; i++) assertEquals(expect.getDouble(i), c.getDouble(i), 0.0, "layout " + java.util.Arrays.deepToString(lay));
        }
    }

    @Test
    void batchedProductWithABroadcastBatchUsesStrideZero() {
        rt.cublas = true;
        Storage a = dev(6, 1), b = dev(24, 2), c = dev(16, 3);
        k.gemmBatched(new Strided(a, new int[]{2, 2, 3}, new int[]{0, 3, 1}, 0), new Strided(b, new int[]{2, 3, 4}, new int[]{12, 4, 1}, 0), c);
        assertTrue(rt.cublasCalls.getFirst().startsWith("NN m=2 n=4 k=3 lda=3 ldb=4 ldc=4 sA=0 sB=12 sC=8 batch=2"), rt.cublasCalls.toString());
    }

    @Test
    void emptyInnerDimFillsZerosAndIntegersOrHostOperandsFallBack() {
        Storage a = dev(0, 1), b = dev(0, 2), c = dev(4, 3);
        k.gemm(new Strided(a, new int[]{2, 0}, new int[]{0, 1}, 0), new Strided(b, new int[]{0, 2}, new int[]{2, 1}, 0), c);
        assertEquals(List.of("g4_fill_f64"), rt.names());
        Storage i = HeapStorage.allocate(DType.INT64, 4);
        rt.put(i);
        Strided vi = new Strided(i, new int[]{2, 2}, new int[]{2, 1}, 0);
        k.gemm(vi, vi, i);
        Storage host = HeapStorage.allocate(DType.FLOAT64, 4);
        k.gemm(new Strided(host, new int[]{2, 2}, new int[]{2, 1}, 0), new Strided(c, new int[]{2, 2}, new int[]{2, 1}, 0), c);
        assertEquals(List.of("gemm", "gemm"), rt.hostCalls);
    }

    static double[] values(int n, long seed) {
        double[] d = new double[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) d[i] = Math.round(r.nextGaussian() * 8) / 8.0;
        return d;
    }
}
