package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resampling and adaptive pooling read only each output's own source points, as libtorch does: a NaN or
 * inf pixel must not turn the rest of its row into NaN (found by the oracle, docs/oracle.md).
 */
class NonFiniteStaysLocalTest {
    private static Tensor row(double... v) { return Grad4j.tensor(v, DType.FLOAT64).reshape(1, 1, v.length); }

    @Test
    void linearInterpolationOfARowWithInfLeavesFarOutputsFinite() {
        Tensor y = F.interpolate(row(Double.POSITIVE_INFINITY, 1, 2, 3), new int[]{8}, "linear", false);
        // libtorch: [inf, inf, inf, 1.25, 1.75, 2.25, 2.75, 3]
        assertArrayEquals(new double[]{Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1.25, 1.75, 2.25, 2.75, 3},
                y.toDoubleArray(), 1e-12);
    }

    @Test
    void nearestInterpolationCopiesNanOnlyIntoItsOwnOutputs() {
        Tensor y = F.interpolate(row(Double.NaN, 1), new int[]{4}, "nearest", null);
        double[] v = y.toDoubleArray();
        assertTrue(Double.isNaN(v[0]) && Double.isNaN(v[1]));
        assertArrayEquals(new double[]{1, 1}, new double[]{v[2], v[3]});
    }

    @Test
    void bilinearInterpolationKeepsANanPixelLocal() {
        double[] img = new double[16];
        img[0] = Double.NaN;
        for (int i = 1; i < 16; i++) img[i] = i;
        Tensor y = F.interpolate(Grad4j.tensor(img, DType.FLOAT64).reshape(1, 1, 4, 4), 2.0, "bilinear", false);
        double[] v = y.toDoubleArray();
        assertTrue(Double.isNaN(v[0]));
        assertTrue(Double.isFinite(v[63]), "the far corner must stay finite, got " + v[63]);
        assertTrue(Double.isFinite(v[7]), "the first row's far end must stay finite, got " + v[7]);
    }

    @Test
    void adaptiveAvgPoolWindowsDoNotSpreadInfOrNanToOtherWindows() {
        // 6 -> 4 (unequal, overlapping windows [0,2) [1,3) [3,5) [4,6)) and 6 -> 2 (equal windows)
        Tensor x = row(Double.POSITIVE_INFINITY, 1, 2, 3, Double.NaN, 5);
        double[] v = F.adaptiveAvgPool1d(x, 4).toDoubleArray();
        assertTrue(v[0] == Double.POSITIVE_INFINITY && Double.isNaN(v[2]) && Double.isNaN(v[3]));
        assertArrayEquals(new double[]{1.5}, new double[]{v[1]}, 1e-12);
        double[] w = F.adaptiveAvgPool1d(row(1, 2, 3, Double.NaN, 5, 6), 2).toDoubleArray();
        assertArrayEquals(new double[]{2}, new double[]{w[0]}, 1e-12);
        double[] p = F.adaptiveAvgPool2d(Grad4j.tensor(new double[]{Double.NaN, 1, 2, 3, 4, 5, 6, 7, 8}, DType.FLOAT64).reshape(1, 1, 3, 3), 2, 2)
                .toDoubleArray();
        assertTrue(Double.isNaN(p[0]) && Double.isFinite(p[3]), java.util.Arrays.toString(p));
    }

    @Test
    void gatheredResamplingAndPoolingGradcheckTwice() {
        Tensor x = Grad4j.rand(1, 2, 3, 5).toDouble().requiresGrad_();
        GradCheck.Fn bil = in -> F.interpolate(in[0], new int[]{4, 7}, "bilinear", false);
        GradCheck.Fn pool = in -> F.adaptiveAvgPool2d(in[0], 2, 3);
        assertTrue(GradCheck.gradcheck(bil, x));
        assertTrue(GradCheck.gradgradcheck(bil, x));
        assertTrue(GradCheck.gradcheck(pool, x));
        assertTrue(GradCheck.gradgradcheck(pool, x));
    }

    @Test
    void evalBatchNormGradientAtAnInfiniteInputIsWeightTimesInvstdNotNan() {
        // float32 takes the fused kernel: its eval-mode gradient must not multiply the input by 0
        Tensor x = Grad4j.tensor(new double[]{Double.NEGATIVE_INFINITY, 1, 2, Double.NaN}, DType.FLOAT32).reshape(2, 2).requiresGrad_();
        Tensor rm = Grad4j.tensor(new double[]{0.5, -0.5}, DType.FLOAT32), rv = Grad4j.tensor(new double[]{1, 2}, DType.FLOAT32);
        Tensor w = Grad4j.tensor(new double[]{2, 1}, DType.FLOAT32);
        F.batchNorm(x, rm, rv, w, null, false, 0.1, 1e-5).sum().backward();
        double[] g = x.grad().toDoubleArray();
        double i0 = 2 / Math.sqrt(1 + 1e-5), i1 = 1 / Math.sqrt(2 + 1e-5);
        assertArrayEquals(new double[]{i0, i1, i0, i1}, g, 1e-6);
    }
}
