package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.GradCheck;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Losses at saturated and edge inputs (p exactly 0 or 1, infinite logits or differences, every
 * target ignored). Expected numbers are libtorch 2.5.1's, printed by a scratch oracle program.
 */
class LossEdgeCasesTest {
    private static final double INF = Double.POSITIVE_INFINITY, NAN = Double.NaN;

    private static Tensor f64(double... v) { return Grad4j.tensor(v, DType.FLOAT64); }

    private static Tensor[] grads(Tensor out, Tensor... in) {
        return Autograd.grad(new Tensor[]{out}, in, null, true, true, true);
    }

    private static void close(double[] want, Tensor got) { close(want, got, 1e-9); }

    /** Element-wise within a relative tolerance (the oracle printed 9 significant digits); NaN and inf exact. */
    private static void close(double[] want, Tensor got, double rel) {
        double[] g = got.detach().to(DType.FLOAT64).contiguous().toDoubleArray();
        assertEquals(want.length, g.length);
        for (int i = 0; i < want.length; i++) {
            double tol = Double.isFinite(want[i]) ? rel * Math.max(1, Math.abs(want[i])) : 0;
            if (Double.isNaN(want[i])) assertTrue(Double.isNaN(g[i]), "element " + i + ": " + g[i]);
            else assertEquals(want[i], g[i], tol, "element " + i);
        }
    }

    @Test
    void bceOfASaturatedFloat32SigmoidHasAZeroGradientNotNaN() {
        Tensor x = Grad4j.tensor(new double[]{20}).requiresGrad_();
        Tensor loss = F.binaryCrossEntropy(x.sigmoid(), Grad4j.tensor(new double[]{1}));
        loss.backward();
        assertEquals(0.0, loss.item(), 0);
        assertArrayEquals(new double[]{0.0}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void bceAtProbabilityZeroOrOneMatchesPyTorchValuesGradientsAndSecondGradients() {
        Tensor p = f64(0, 1, 0, 1, 0.5, 1e-300).requiresGrad_(), t = f64(0, 1, 1, 0, 0.3, 1).requiresGrad_();
        Tensor loss = F.binaryCrossEntropy(p, t, null, "none");
        close(new double[]{0, 0, 100, 100, 0.6931471805599453, 100}, loss);
        Tensor[] g = grads(loss.sum(), p, t);
        double e = 1.0000000039958029E12;   // 1 / (float) 1e-12, PyTorch's kernel eps
        close(new double[]{0, 0, -e, e, 0.8, -e}, g[0]);
        close(new double[]{INF, -INF, INF, -INF, 0, 690.7755278982137}, g[1]);
        Tensor[] h = grads(g[0].sum(), p, t);
        close(new double[]{0, 0, 9.999999999979999E23, 9.999999999979999E23, 3.9999999999680007, 9.999999999979999E23}, h[0]);
        close(new double[]{-1e12, -1e12, -1e12, -1e12, -4, -1e12}, h[1]);
    }

    @Test
    void bceWeightedMeanAtSaturationMatchesPyTorch() {
        Tensor p = f64(0, 1, 0.5, 1, 0).requiresGrad_(), t = f64(1, 1, 0.2, 0, 0);
        Tensor loss = F.binaryCrossEntropy(p, t, f64(1, 2, 3, 4, 5), "mean");
        close(new double[]{100.415888}, loss, 1e-8);
        close(new double[]{-2.00000001e11, 0, 0.72, 8.00000003e11, 0}, grads(loss, p)[0], 1e-8);
    }

    @Test
    void bceOnEmptyInputIsNaNForMeanAndZeroForSum() {
        Tensor p = f64().requiresGrad_();
        assertTrue(Double.isNaN(F.binaryCrossEntropy(p, f64()).item()));
        Tensor s = F.binaryCrossEntropy(p, f64(), null, "sum");
        assertEquals(0.0, s.item(), 0);
        s.backward();
        assertEquals(0, p.grad().numel());
    }

    @Test
    void bceGradcheckAndGradgradcheckInInputAndTarget() {
        for (String r : new String[]{"none", "mean", "sum"}) {
            Tensor p = f64(0.2, 0.5, 0.9, 0.35).requiresGrad_(), t = f64(0, 0.3, 1, 0.8).requiresGrad_();
            Tensor w = f64(1, 2, 0.5, 3);
            assertTrue(GradCheck.gradcheck(in -> F.binaryCrossEntropy(in[0], in[1], w, r), p, t));
            assertTrue(GradCheck.gradgradcheck(in -> F.binaryCrossEntropy(in[0], in[1], w, r), p, t));
        }
    }

    @Test
    void bceWithLogitsAtZeroLogitAndHalfTargetHasZeroGradient() {
        Tensor x = f64(1e4, -1e4, 0, INF, -INF, 50, -50, -800).requiresGrad_(), t = f64(1, 0, .5, 1, 0, 0, 1, 1).requiresGrad_();
        Tensor loss = F.binaryCrossEntropyWithLogits(x, t, null, "none", null);
        close(new double[]{0, 0, 0.693147181, NAN, NAN, 50, 50, 800}, loss, 1e-8);
        Tensor[] g = grads(loss.sum(), x, t);
        close(new double[]{0, 0, 0, 0, 0, 1, -1, -1}, g[0]);
        close(new double[]{-1e4, 1e4, 0, -INF, INF, -50, 50, 800}, g[1]);
        Tensor[] h = grads(g[0].sum().add(g[1].sum()), x, t);
        close(new double[]{-1, -1, -0.75, -1, -1, -1, -1, -1}, h[0]);
    }

    @Test
    void bceWithLogitsPosWeightAndWeightMatchPyTorch() {
        Tensor x = f64(1e4, -1e4, 0, 50, -50, -800).requiresGrad_(), t = f64(1, 0, .5, 0, 1, 1).requiresGrad_();
        Tensor loss = F.binaryCrossEntropyWithLogits(x, t, f64(1, 2, 3, 6, 7, 8), "none", f64(3));
        close(new double[]{0, 0, 4.15888308, 300, 1050, 19200}, loss, 1e-8);
        Tensor[] g = grads(loss.sum(), x, t);
        close(new double[]{0, 0, -1.5, 6, -21, -24}, g[0]);
        close(new double[]{-1e4, 6e4, 4.15888308, -300, 1050, 19200}, g[1], 1e-8);
    }

    @Test
    void bceWithLogitsGradcheckAndGradgradcheckInInputAndTarget() {
        for (String r : new String[]{"none", "mean", "sum"}) {
            Tensor x = f64(-2, 0.5, 3, -0.1).requiresGrad_(), t = f64(0, 0.3, 1, 0.8).requiresGrad_();
            Tensor w = f64(1, 2, 0.5, 3), pw = f64(3, 1, 2, 0.5);
            assertTrue(GradCheck.gradcheck(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], w, r, pw), x, t));
            assertTrue(GradCheck.gradgradcheck(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], w, r, pw), x, t));
            assertTrue(GradCheck.gradgradcheck(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], null, r, null), x, t));
        }
    }

    @Test
    void smoothL1AndHuberAtAnInfiniteDifferenceHaveUnitSlopeNotNaN() {
        Tensor x = f64(INF, Double.NEGATIVE_INFINITY, 1, 0, 1e300, 0.5).requiresGrad_();
        Tensor t = f64(INF, 0, 1, 0, -1e300, 0.5).requiresGrad_();
        for (Tensor loss : new Tensor[]{F.smoothL1Loss(x, t, "sum", 1.0), F.huberLoss(x, t, "sum", 1.0)}) {
            assertTrue(Double.isNaN(loss.item()));
            Tensor[] g = grads(loss, x, t);
            close(new double[]{NAN, -1, 0, 0, 1, 0}, g[0]);
            close(new double[]{NAN, 1, 0, 0, -1, 0}, g[1]);
        }
    }

    @Test
    void smoothL1AndHuberGradcheckAndGradgradcheck() {
        for (String r : new String[]{"none", "mean", "sum"}) {
            Tensor x = f64(-2, 0.3, 3, -0.1).requiresGrad_(), t = f64(0, 0.1, 1, 0.8).requiresGrad_();
            assertTrue(GradCheck.gradcheck(in -> F.smoothL1Loss(in[0], in[1], r, 0.7), x, t));
            assertTrue(GradCheck.gradgradcheck(in -> F.smoothL1Loss(in[0], in[1], r, 0.7), x, t));
            assertTrue(GradCheck.gradcheck(in -> F.huberLoss(in[0], in[1], r, 1.5), x, t));
            assertTrue(GradCheck.gradgradcheck(in -> F.huberLoss(in[0], in[1], r, 1.5), x, t));
        }
    }

    @Test
    void l1LossOfANaNDifferenceHasZeroGradientAsPyTorchSignOfNaN() {
        Tensor x = f64(INF, 1).requiresGrad_();
        F.l1Loss(x, f64(INF, 0), "sum").backward();
        assertArrayEquals(new double[]{0, 1}, x.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[]{0, 0, 0, -1}, f64(NAN, -0.0, 0, -3).sign().toDoubleArray(), 0);
    }

    @Test
    void poissonNllFullGivesTheTargetTheStirlingGradient() {
        Tensor x = f64(0, 1, 2, 3).requiresGrad_(), t = f64(1, 0, 2, 1.5).requiresGrad_();
        Tensor loss = F.poissonNllLoss(x, t, false, true, 1e-8, "none");
        close(new double[]{18.4206807, 1, 1.26551211, 1.58195031}, loss, 1e-8);
        Tensor g = grads(loss.sum(), x, t)[1];
        close(new double[]{18.4206807, NAN, 0.249999995, -0.359813851}, g, 1e-8);
        Tensor x2 = f64(0.5, 1, 2, 3).requiresGrad_(), t2 = f64(1.2, 0.5, 2, 1.5).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> F.poissonNllLoss(in[0], in[1], false, true, 1e-8, "mean"), x2, t2));
    }

    @Test
    void crossEntropyWithEveryTargetIgnoredIsNaNWithZeroGradients() {
        Tensor ignored = Grad4j.tensor(new long[]{-100, -100, -100});
        double[][] rows = {{1e4, 0, -1e4}, {0, Double.NEGATIVE_INFINITY, 1}, {1, 2, 3}};
        for (double smoothing : new double[]{0.0, 0.2}) {
            for (Tensor w : new Tensor[]{null, f64(1, 2, 3)}) {
                for (String r : new String[]{"mean", "sum", "none"}) {
                    Tensor x = Grad4j.tensor(rows, DType.FLOAT64).requiresGrad_();
                    Tensor loss = F.crossEntropy(x, ignored, w, -100, r, smoothing);
                    if (r.equals("mean")) assertTrue(Double.isNaN(loss.item()), "mean of nothing is nan");
                    else assertArrayEquals(new double[loss.numel()], loss.detach().contiguous().toDoubleArray(), 0);
                    Tensor[] g = grads(loss.sum(), x);
                    assertArrayEquals(new double[9], g[0].contiguous().toDoubleArray(), 0, r + " " + smoothing + " " + w);
                }
            }
        }
    }

    @Test
    void nllLossWithEveryTargetIgnoredHasZeroGradients() {
        Tensor logp = Grad4j.tensor(new double[][]{{-1, -2}, {Double.NEGATIVE_INFINITY, 0}}, DType.FLOAT64).requiresGrad_();
        Tensor loss = F.nllLoss(logp, Grad4j.tensor(new long[]{-100, -100}), f64(1, 2), -100, "mean");
        assertTrue(Double.isNaN(loss.item()));
        loss.backward();
        assertArrayEquals(new double[4], logp.grad().contiguous().toDoubleArray(), 0);
        Tensor none = F.nllLoss(logp.detach(), Grad4j.tensor(new long[]{-100, 1}), null, -100, "none");
        assertArrayEquals(new double[]{0, -0.0}, none.toDoubleArray(), 0, "an ignored row over a -inf log-probability is 0, not nan");
    }

    @Test
    void klDivTargetGradientIsNaNAtAZeroTargetAsPyTorchXlogy() {
        Tensor x = f64(Double.NEGATIVE_INFINITY, 0, -1, -1e300).requiresGrad_(), t = f64(0, 0.5, 1, 0).requiresGrad_();
        Tensor loss = F.klDiv(x, t, "none", false);
        close(new double[]{NAN, -0.34657359, 1, 0}, loss, 1e-8);
        Tensor[] g = grads(loss.sum(), x, t);
        close(new double[]{0, -0.5, -1, 0}, g[0]);
        close(new double[]{NAN, 0.306852819, 2, NAN}, g[1], 1e-8);
        Tensor x2 = f64(-1, -0.5, -2).requiresGrad_(), t2 = f64(0.2, 0.5, 0.3).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> F.klDiv(in[0], in[1], "batchmean", false), x2, t2));
        assertTrue(GradCheck.gradgradcheck(in -> F.klDiv(in[0], in[1], "sum", false), x2, t2));
    }

    @Test
    void logSoftmaxOfAPlusInfiniteLogitIsNaNForTheWholeSliceAsLibtorch() {
        Tensor x = Grad4j.tensor(new double[][]{{INF, 0, 1}, {1, 2, 3}}, DType.FLOAT64).requiresGrad_();
        Tensor lp = x.logSoftmax(1);
        double[] v = lp.detach().contiguous().toDoubleArray();
        for (int i = 0; i < 3; i++) assertTrue(Double.isNaN(v[i]), "element " + i + ": " + v[i]);
        assertEquals(-2.40760596, v[3], 1e-8);
        Tensor g = grads(F.crossEntropy(x, Grad4j.tensor(new long[]{0, 2}), null, -100, "sum", 0.0), x)[0];
        double[] gv = g.contiguous().toDoubleArray();
        for (int i = 0; i < 3; i++) assertTrue(Double.isNaN(gv[i]), "gradient " + i + ": " + gv[i]);
        assertEquals(0.0900305732, gv[3], 1e-9);
    }
}
