package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Forward values of nn.functional against direct loops, closed forms and values PyTorch documents. */
class FunctionalValuesTest {
    private static final Generator GEN = new Generator().manualSeed(3);

    static Tensor t(double[] v, int... shape) { return Grad4j.fromArray(v.clone(), shape); }

    /** Direct 2-d convolution loop (cross-correlation with stride, padding, dilation). */
    static double[] naiveConv(double[] x, int n, int c, int h, int w, double[] k, int o, int kh, int kw, int s, int p, int d) {
        int oh = (h + 2 * p - d * (kh - 1) - 1) / s + 1, ow = (w + 2 * p - d * (kw - 1) - 1) / s + 1;
        double[] out = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) for (int q = 0; q < o; q++) for (int y = 0; y < oh; y++) for (int xx = 0; xx < ow; xx++) {
            double acc = 0;
            for (int ch = 0; ch < c; ch++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
                int iy = y * s - p + i * d, ix = xx * s - p + j * d;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                acc += x[((b * c + ch) * h + iy) * w + ix] * k[((q * c + ch) * kh + i) * kw + j];
            }
            out[((b * o + q) * oh + y) * ow + xx] = acc;
        }
        return out;
    }

    @Test
    void conv2dMatchesADirectLoop() {
        Tensor x = Grad4j.randn(new int[]{2, 3, 7, 6}, DType.FLOAT64, GEN), k = Grad4j.randn(new int[]{4, 3, 3, 2}, DType.FLOAT64, GEN);
        Tensor y = F.conv2d(x, k, null, new int[]{2}, new int[]{1}, new int[]{2}, 1);
        assertArrayEquals(naiveConv(x.toDoubleArray(), 2, 3, 7, 6, k.toDoubleArray(), 4, 3, 2, 2, 1, 2), y.toDoubleArray(), 1e-12);
        Tensor xf = x.toFloat(), kf = k.toFloat();
        assertArrayEquals(F.conv2d(x, k).toFloatArray(), F.conv2d(xf, kf).toFloatArray(), 1e-5f, "float32 agrees with float64");
        assertEquals("ConvolutionBackward0", F.conv2d(x, k.detach().requiresGrad_()).gradFn().name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Grad4j.zeros(1, 2, 5, 5), Grad4j.zeros(4, 3, 3, 3)));
        assertTrue(e.getMessage().contains("expected input[1, 2, 5, 5] to have 3 channels, but got 2 channels instead"), e.getMessage());
    }

    @Test
    void parallelKernelsGiveTheSameResultsAsOneThread() {
        Tensor x = Grad4j.randn(new int[]{8, 3, 20, 20}, DType.FLOAT64, GEN), k = Grad4j.randn(new int[]{4, 3, 3, 3}, DType.FLOAT64, GEN);
        int before = Grad4j.getNumThreads();
        try {
            double[][] r = new double[2][];
            double[][] gx = new double[2][];
            for (int run = 0; run < 2; run++) {
                Grad4j.setNumThreads(run == 0 ? 1 : 4);
                Tensor xi = x.detach().requiresGrad_();
                Tensor y = F.maxPool2d(F.conv2d(xi, k, null, 1, 1), 2);
                y.sum().backward();
                r[run] = y.toDoubleArray();
                gx[run] = xi.grad().toDoubleArray();
            }
            assertArrayEquals(r[0], r[1], 0);
            assertArrayEquals(gx[0], gx[1], 0);
            assertArrayEquals(naiveConv(x.toDoubleArray(), 8, 3, 20, 20, k.toDoubleArray(), 4, 3, 3, 1, 1, 1),
                    F.conv2d(x, k, null, 1, 1).toDoubleArray(), 1e-12);
        } finally {
            Grad4j.setNumThreads(before);
        }
    }

    @Test
    void convTransposeIsTheAdjointOfConv() {
        // <conv(x, w), y> == <x, conv_transpose(y, w)>
        Tensor x = Grad4j.randn(new int[]{1, 2, 6, 5}, DType.FLOAT64, GEN), w = Grad4j.randn(new int[]{3, 2, 3, 3}, DType.FLOAT64, GEN);
        Tensor cx = F.conv2d(x, w, null, new int[]{2}, new int[]{1}, new int[]{1}, 1);
        Tensor y = Grad4j.randn(cx.shape(), DType.FLOAT64, GEN);
        Tensor ty = F.convTranspose2d(y, w, null, new int[]{2}, new int[]{1}, new int[]{0}, 1, new int[]{1});
        assertArrayEquals(new int[]{1, 2, 5, 5}, ty.shape());
        Tensor ty2 = F.convTranspose2d(y, w, null, new int[]{2}, new int[]{1}, new int[]{1, 0}, 1, new int[]{1});
        assertArrayEquals(x.shape(), ty2.shape(), "output_padding recovers the odd size");
        assertEquals(cx.mul(y).sum().item(), x.mul(ty2).sum().item(), 1e-9);
    }

    @Test
    void unfoldThenFoldCountsOverlaps() {
        Tensor x = Grad4j.ones(new int[]{1, 1, 3, 3}, DType.FLOAT64);
        Tensor cols = F.unfold(x, 2);
        assertArrayEquals(new int[]{1, 4, 4}, cols.shape());
        Tensor back = F.fold(cols, new int[]{3, 3}, 2);
        assertArrayEquals(new double[]{1, 2, 1, 2, 4, 2, 1, 2, 1}, back.toDoubleArray(), 0);
    }

    @Test
    void poolingValues() {
        Tensor x = t(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25}, 1, 1, 5, 5);
        Tensor[] mp = F.maxPool2dWithIndices(x, new int[]{2}, new int[]{2}, new int[]{0}, new int[]{1}, true);
        assertArrayEquals(new double[]{7, 9, 10, 17, 19, 20, 22, 24, 25}, mp[0].toDoubleArray(), 0, "ceil_mode keeps the partial windows");
        assertArrayEquals(new long[]{6, 8, 9, 16, 18, 19, 21, 23, 24}, mp[1].toLongArray());
        assertArrayEquals(new int[]{1, 1, 2, 2}, F.maxPool2d(x, 2).shape());
        // avg with padding 1, kernel 3, stride 2: corner window covers 4 real cells of 9
        Tensor incl = F.avgPool2d(x, 3, 2, 1);
        Tensor excl = F.avgPool2d(x, new int[]{3}, new int[]{2}, new int[]{1}, false, false, null);
        assertEquals((1 + 2 + 6 + 7) / 9.0, incl.getDouble(0, 0, 0, 0), 1e-12);
        assertEquals((1 + 2 + 6 + 7) / 4.0, excl.getDouble(0, 0, 0, 0), 1e-12);
        assertEquals(13.0, F.adaptiveAvgPool2d(x, 1).item(), 1e-12);
        Tensor a = F.adaptiveAvgPool2d(x, 2, 2);   // windows rows [0,3) and [2,5)
        assertEquals((1 + 2 + 3 + 6 + 7 + 8 + 11 + 12 + 13) / 9.0, a.getDouble(0, 0, 0, 0), 1e-12);
        assertArrayEquals(new double[]{13, 15, 23, 25}, F.adaptiveMaxPool2d(x, 2).toDoubleArray(), 0);
        Tensor seq = t(new double[]{1, 5, 2, 8, 3}, 1, 1, 5);
        assertArrayEquals(new double[]{5, 8, 3}, F.maxPool1d(seq, 2, 2, 0, 1, true).toDoubleArray(), 0);
        assertArrayEquals(new double[]{0.5, 3.5, 5.5}, F.avgPool1d(seq, 2, 2, 1, false, true).toDoubleArray(), 1e-12);
    }

    @Test
    void interpolateMatchesPyTorchDocs() {
        Tensor x = t(new double[]{1, 2, 3, 4}, 1, 1, 2, 2);
        assertArrayEquals(new double[]{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                F.interpolate(x, 2.0, "nearest", null).toDoubleArray(), 0);
        assertArrayEquals(new double[]{1.0, 1.25, 1.75, 2.0}, F.interpolate(x, 2.0, "bilinear", false).get(0, 0, 0).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{1.0, 1.3333333333333333, 1.6666666666666667, 2.0},
                F.interpolate(x, 2.0, "bilinear", true).get(0, 0, 0).toDoubleArray(), 1e-12);
        Tensor ps = F.pixelShuffle(Grad4j.arange(0, 8, 1).toDouble().reshape(1, 4, 1, 2), 2);
        assertArrayEquals(new double[]{0, 2, 1, 3, 4, 6, 5, 7}, ps.toDoubleArray(), 0);
        assertTrue(F.pixelUnshuffle(ps, 2).equal(Grad4j.arange(0, 8, 1).toDouble().reshape(1, 4, 1, 2)));
    }

    @Test
    void softmaxFamilyIsStable() {
        Tensor big = t(new double[]{1000, 1001, 1002}, 3);
        Tensor ls = F.logSoftmax(big, 0);
        double lse = Math.log(Math.exp(-2) + Math.exp(-1) + 1);
        assertArrayEquals(new double[]{-2 - lse, -1 - lse, -lse}, ls.toDoubleArray(), 1e-12);
        assertEquals(1.0, F.softmax(big.toFloat(), 0).sum().item(), 1e-6);
        Tensor withInf = t(new double[]{Double.NEGATIVE_INFINITY, 0}, 2);
        assertArrayEquals(new double[]{0, 1}, F.softmax(withInf, 0).toDoubleArray(), 0);
        assertEquals(1002 + lse, big.logsumexp(0).item(), 1e-9);
        assertEquals("LogSoftmaxBackward0", F.logSoftmax(big.requiresGrad_(), 0).gradFn().name());
    }

    @Test
    void activationValues() {
        assertEquals(0.5204998778130465, t(new double[]{0.5}, 1).erf().item(), 1e-15);
        assertEquals(0.9999779095030014, t(new double[]{3}, 1).erf().item(), 1e-15);
        assertEquals(-0.8427007929497149, t(new double[]{-1}, 1).erf().item(), 1e-15);
        assertEquals(0.8413447460685429, F.gelu(t(new double[]{1}, 1)).item(), 1e-15);
        assertEquals(0.8411919906082768, F.gelu(t(new double[]{1}, 1), "tanh").item(), 1e-12);
        assertEquals(-1000.0, F.logsigmoid(t(new double[]{-1000}, 1)).item(), 1e-9);
        assertEquals(30.0, F.softplus(t(new double[]{30}, 1)).item(), 0, "linear above the threshold");
        assertEquals(Math.log1p(Math.exp(2.0)) / 2.0, F.softplus(t(new double[]{1}, 1), 2.0, 20.0).item(), 1e-15);
        assertEquals(1.0507009873554805 * 1.6732632423543772 * Math.expm1(-1), F.selu(t(new double[]{-1}, 1)).item(), 1e-12);
        assertArrayEquals(new double[]{0.0, 1.125, 4.0}, F.hardswish(t(new double[]{-3, 1.5, 4}, 3)).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{-1, 0.5, 1}, F.hardtanh(t(new double[]{-3, 0.5, 2}, 3)).toDoubleArray(), 0);
        assertArrayEquals(new double[]{-0.02, 3}, F.leakyRelu(t(new double[]{-2, 3}, 2)).toDoubleArray(), 1e-15);
        // the unused exponential branch of elu must not turn into NaN gradients for large inputs
        Tensor x = t(new double[]{1000}, 1).requiresGrad_();
        F.elu(x).sum().backward();
        assertEquals(1.0, x.grad().item(), 0);
        Tensor s = t(new double[]{1000, -1000}, 2).requiresGrad_();
        F.softplus(s).sum().backward();
        assertArrayEquals(new double[]{1, 0}, s.grad().toDoubleArray(), 0);
    }

    @Test
    void lossValues() {
        Tensor logits = t(new double[]{1, 2, 3, 1, 1, 1}, 2, 3);
        Tensor target = Grad4j.tensor(new long[]{2, 0});
        double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, l1 = Math.log(3);
        assertEquals((l0 + l1) / 2, F.crossEntropy(logits, target).item(), 1e-12);
        Tensor w = t(new double[]{2, 1, 3}, 3);
        assertEquals((3 * l0 + 2 * l1) / 5, F.crossEntropy(logits, target, w, -100, "mean", 0).item(), 1e-12,
                "weighted mean divides by the sum of the weights");
        assertEquals(l1, F.crossEntropy(logits, Grad4j.tensor(new long[]{-100, 0})).item(), 1e-12, "ignore_index");
        // label smoothing: (1 - e) * nll + e / C * sum_c(-logp_c), averaged
        double e = 0.3;
        double[] lp0 = {1 - 3 - l0, 2 - 3 - l0, -l0};
        double smooth0 = -(lp0[0] + lp0[1] + lp0[2]), smooth1 = 3 * l1;
        double expect = ((1 - e) * (l0 + l1) + e / 3 * (smooth0 + smooth1)) / 2;
        assertEquals(expect, F.crossEntropy(logits, target, null, -100, "mean", e).item(), 1e-12);
        Tensor probs = t(new double[]{0, 0, 1, 1, 0, 0}, 2, 3);
        assertEquals((l0 + l1) / 2, F.crossEntropy(logits, probs).item(), 1e-12, "one-hot probabilities equal indices");
        assertArrayEquals(new double[]{l0, l1}, F.crossEntropy(logits, target, "none").toDoubleArray(), 1e-12);
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> F.crossEntropy(logits, Grad4j.tensor(new long[]{3, 0})));
        assertTrue(oob.getMessage().contains("Target 3 is out of bounds"));

        Tensor p = t(new double[]{0.8, 0.1}, 2), y = t(new double[]{1, 0}, 2);
        double bce = -(Math.log(0.8) + Math.log(0.9)) / 2;
        assertEquals(bce, F.binaryCrossEntropy(p, y).item(), 1e-12);
        Tensor logit = t(new double[]{Math.log(4), Math.log(1.0 / 9)}, 2);
        assertEquals(bce, F.binaryCrossEntropyWithLogits(logit, y).item(), 1e-12);
        assertEquals(Math.log1p(Math.exp(-200)) + 0.0, F.binaryCrossEntropyWithLogits(t(new double[]{200}, 1), t(new double[]{1}, 1)).item(), 1e-12);
        assertEquals(200.0, F.binaryCrossEntropyWithLogits(t(new double[]{-200}, 1), t(new double[]{1}, 1)).item(), 1e-9, "no overflow");
        Tensor pw = t(new double[]{3}, 1);
        assertEquals(3 * Math.log1p(Math.exp(-0.5)), F.binaryCrossEntropyWithLogits(t(new double[]{0.5}, 1), t(new double[]{1}, 1), null, "mean", pw).item(), 1e-12);
        assertEquals(100.0, F.binaryCrossEntropy(t(new double[]{0}, 1), t(new double[]{1}, 1)).item(), 0, "log clamped at -100");

        Tensor a = t(new double[]{1, 2, 3}, 3), b = t(new double[]{1.5, 2, 0}, 3);
        assertEquals((0.25 + 9) / 3, F.mseLoss(a, b).item(), 1e-12);
        assertEquals(3.5 / 3, F.l1Loss(a, b).item(), 1e-12);
        assertEquals((0.125 + 2.5) / 3, F.smoothL1Loss(a, b).item(), 1e-12);
        assertEquals((0.125 + 2 * (3 - 1)) / 3, F.huberLoss(a, b, "mean", 2.0).item(), 1e-12);
        Tensor q = t(new double[]{0.25, 0.75}, 2), logpIn = t(new double[]{Math.log(0.5), Math.log(0.5)}, 2);
        double kl = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
        assertEquals(kl, F.klDiv(logpIn, q, "sum", false).item(), 1e-12);
        assertEquals(kl, F.klDiv(logpIn, q.log(), "sum", true).item(), 1e-12);
        assertEquals(0.0, F.klDiv(logpIn, t(new double[]{0, 0}, 2), "sum", false).item(), 0, "0 * log 0 = 0");
        assertEquals(Math.max(0, -(1 - 2) + 0.5), F.marginRankingLoss(t(new double[]{1}, 1), t(new double[]{2}, 1), t(new double[]{1}, 1), 0.5, "mean").item(), 1e-12);
        assertEquals((0.3 + Math.max(0, 1 - 0.3)) / 2, F.hingeEmbeddingLoss(t(new double[]{0.3, 0.3}, 2), t(new double[]{1, -1}, 2)).item(), 1e-12);
        assertEquals(Math.log1p(Math.exp(-2)), F.softMarginLoss(t(new double[]{2}, 1), t(new double[]{1}, 1)).item(), 1e-12);
        assertEquals(Math.exp(0.5) - 2 * 0.5, F.poissonNllLoss(t(new double[]{0.5}, 1), t(new double[]{2}, 1)).item(), 1e-12);
        assertEquals(0.5 * (Math.log(2) + 1 / 2.0), F.gaussianNllLoss(t(new double[]{1}, 1), t(new double[]{0}, 1), t(new double[]{2}, 1)).item(), 1e-12);
        Tensor anchor = t(new double[]{0, 0}, 1, 2), pos = t(new double[]{3, 4}, 1, 2), neg = t(new double[]{1, 0}, 1, 2);
        assertEquals(Math.hypot(3 - 1e-6, 4 - 1e-6) - Math.hypot(1 - 1e-6, 1e-6) + 1, F.tripletMarginLoss(anchor, pos, neg).item(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> F.mseLoss(a, b, "avg"));
    }

    @Test
    void normalizationValues() {
        Tensor x = t(new double[]{1, 2, 3, 4, 10, 20, 30, 40}, 2, 4);
        Tensor ln = F.layerNorm(x, 4);
        double sd = Math.sqrt(1.25 + 1e-5);
        assertArrayEquals(new double[]{-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd}, ln.get(0).toDoubleArray(), 1e-12);
        Tensor rms = F.rmsNorm(x, new int[]{4}, null, 0.0);
        assertEquals(1 / Math.sqrt(7.5), rms.getDouble(0, 0), 1e-12);
        Tensor gn = F.groupNorm(x.reshape(1, 8), 2);
        assertArrayEquals(ln.reshape(8).toDoubleArray(), gn.reshape(8).toDoubleArray(), 1e-6);
        Tensor n = F.normalize(t(new double[]{3, 4, 0, 0}, 2, 2));
        assertArrayEquals(new double[]{0.6, 0.8, 0, 0}, n.toDoubleArray(), 1e-12, "zero rows stay zero (eps)");
        assertEquals(1.0, F.cosineSimilarity(t(new double[]{1, 2}, 1, 2), t(new double[]{2, 4}, 1, 2)).item(), 1e-12);
        assertEquals(5.0, F.pairwiseDistance(t(new double[]{0, 0}, 1, 2), t(new double[]{3, 4}, 1, 2), 2, 0, false).item(), 1e-12);
    }

    @Test
    void dropoutIsSeededAndScales() {
        Tensor x = Grad4j.ones(new int[]{200}, DType.FLOAT64);
        Tensor a = F.dropout(x, 0.3, true, new Generator().manualSeed(5));
        Tensor b = F.dropout(x, 0.3, true, new Generator().manualSeed(5));
        assertTrue(a.equal(b), "same seed, same mask");
        assertTrue(a.eq(0.0).logicalOr(a.sub(1 / 0.7).abs().lt(1e-12)).all().itemBool());
        assertTrue(F.dropout(x, 0.3, false).equal(x));
        assertEquals(0.0, F.dropout(x, 1.0, true).abs().sum().item(), 0);
        Tensor d2 = F.dropout2d(Grad4j.ones(new int[]{4, 8, 3, 3}, DType.FLOAT64), 0.5, true, new Generator().manualSeed(1));
        Tensor perChannel = d2.sum(2, 3);
        assertTrue(perChannel.eq(0.0).logicalOr(perChannel.eq(18.0)).all().itemBool(), "whole channels are kept or dropped");
    }

    @Test
    void embeddingPaddingRowGetsNoGradient() {
        Tensor w = Grad4j.randn(new int[]{4, 3}, DType.FLOAT64, GEN).requiresGrad_();
        Tensor idx = Grad4j.tensor(new long[][]{{0, 2}, {2, 1}});
        Tensor e = F.embedding(idx, w, 2);
        assertArrayEquals(new int[]{2, 2, 3}, e.shape());
        assertArrayEquals(w.detach().get(2).toDoubleArray(), e.get(0, 1).toDoubleArray(), 0);
        e.sum().backward();
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, w.grad().toDoubleArray(), 0);
        assertEquals("EmbeddingBackward0", e.gradFn().name());
    }

    @Test
    void attentionMasks() {
        Tensor q = Grad4j.randn(new int[]{1, 3, 4}, DType.FLOAT64, GEN), k = Grad4j.randn(new int[]{1, 3, 4}, DType.FLOAT64, GEN);
        Tensor v = Grad4j.randn(new int[]{1, 3, 2}, DType.FLOAT64, GEN);
        Tensor causal = F.scaledDotProductAttention(q, k, v, null, true);
        assertArrayEquals(v.get(0, 0).toDoubleArray(), causal.get(0, 0).toDoubleArray(), 1e-12, "the first query sees only the first key");
        boolean[][] m = {{true, false, false}, {true, true, false}, {true, true, true}};
        Tensor masked = F.scaledDotProductAttention(q, k, v, Grad4j.tensor(m), false);
        assertArrayEquals(causal.toDoubleArray(), masked.toDoubleArray(), 1e-12, "a bool mask marks what may be attended");
        Tensor scores = q.matmul(k.transpose(-2, -1)).div(2.0);
        Tensor manual = F.softmax(scores, -1).matmul(v);
        assertArrayEquals(manual.toDoubleArray(), F.scaledDotProductAttention(q, k, v).toDoubleArray(), 1e-12);
    }
}
