package org.grad4j;

import org.grad4j.kernels.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** Tensor-level results of the fast paths (GEMM with views, batched, broadcast, sums) at 1 and 2 threads. */
class FastPathOpsTest {
    private final int initial = Parallel.numThreads();

    @AfterEach
    void restore() { Parallel.setNumThreads(initial); }

    private static double[][] naive(Tensor a, Tensor b) {
        int m = a.size(0), k = a.size(1), n = b.size(1);
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a.getDouble(i, p) * b.getDouble(p, j);
                c[i][j] = s;
            }
        return c;
    }

    private static void assertClose(double[][] want, Tensor got, double tol) {
        for (int i = 0; i < want.length; i++)
            for (int j = 0; j < want[i].length; j++)
                assertEquals(want[i][j], got.getDouble(i, j), tol * (1 + Math.abs(want[i][j])), "at " + i + "," + j);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void matmulOfTransposedViewsNeedsNoCopyAndIsRight(int threads) {
        setNumThreads(threads);
        manualSeed(0);
        Tensor a = randn(300, 130), b = randn(70, 300);
        Tensor c = a.t().matmul(b.t());                   // [130,300] @ [300,70], both operands transposed views
        assertArrayEquals(new int[]{130, 70}, c.shape());
        assertClose(naive(a.t(), b.t()), c, 1e-4);
        Tensor ad = a.toDouble(), bd = b.toDouble();
        assertClose(naive(ad.t(), bd.t()), ad.t().mm(bd.t()), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void linearLayerProductWithTransposedWeightIsRight(int threads) {
        // x @ W^T packs W^T with in-register block transposes: whole blocks, a depth remainder, a narrow last panel
        setNumThreads(threads);
        manualSeed(2);
        for (int[] s : new int[][]{{64, 784, 256}, {33, 47, 70}, {5, 300, 40}}) {
            Tensor x = randn(s[0], s[1]), w = randn(s[2], s[1]);
            assertClose(naive(x, w.t()), x.mm(w.t()), 1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void batchedMatmulMatchesPerBatchProducts(int threads) {
        setNumThreads(threads);
        manualSeed(1);
        Tensor a = randn(5, 17, 33), b = randn(5, 33, 9);
        Tensor c = bmm(a, b.transpose(1, 2).contiguous().transpose(1, 2));
        for (int i = 0; i < 5; i++) assertClose(naive(a.get(i), b.get(i)), c.get(i), 1e-4);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void broadcastAndStridedElementwise(int threads) {
        setNumThreads(threads);
        manualSeed(2);
        Tensor x = randn(300, 1), y = randn(1, 500);
        Tensor z = x.add(y).mul(2.0).sub(x.t().t()).exp().tanh();
        for (int i = 0; i < 300; i += 37)
            for (int j = 0; j < 500; j += 41) {
                double want = Math.tanh(Math.exp((x.getDouble(i, 0) + y.getDouble(0, j)) * 2 - x.getDouble(i, 0)));
                assertEquals(want, z.getDouble(i, j), 1e-5);
            }
        Tensor big = randn(400, 400);
        Tensor r = big.t().relu().add(1.0).rsub(3.0);            // strided then contiguous, scalar on both sides
        for (int i = 0; i < 400; i += 53)
            for (int j = 0; j < 400; j += 61)
                assertEquals(3.0 - (Math.max(big.getDouble(j, i), 0) + 1.0), r.getDouble(i, j), 1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void sumOfTenMillionFloatOnesIsExact(int threads) {
        setNumThreads(threads);
        assertEquals(1e7, ones(10_000_000).sum().item());
        assertEquals(1e7, ones(10_000_000).mean().item() * 1e7, 1e-3);
        assertEquals(0.0, zeros(0).sum().item());
    }
}
