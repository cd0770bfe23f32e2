package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;
import org.grad4j.nn.init.Init;
import org.grad4j.nn.utils.Utils;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** nn.init statistics, recurrent layers against the gate equations, and nn.utils. */
class InitRnnUtilsTest {
    static double std(double[] v) {
        double m = 0, s = 0;
        for (double x : v) m += x;
        m /= v.length;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / v.length);
    }

    static double maxAbs(double[] v) {
        double r = 0;
        for (double x : v) r = Math.max(r, Math.abs(x));
        return r;
    }

    @Test
    void defaultInitBoundsAndStatistics() {
        Linear lin = new Linear(400, 300);
        double bound = 1 / Math.sqrt(400);
        double[] w = lin.weight().toDoubleArray();
        assertTrue(maxAbs(w) <= bound * (1 + 1e-6));
        assertEquals(bound / Math.sqrt(3), std(w), 0.02 * bound, "U(-b, b) has std b/sqrt(3)");
        assertTrue(maxAbs(lin.bias().toDoubleArray()) <= bound * (1 + 1e-6));
        Conv2d conv = new Conv2d(16, 32, 3);
        double cb = 1 / Math.sqrt(16 * 9);
        assertTrue(maxAbs(conv.weight().toDoubleArray()) <= cb * (1 + 1e-6) && maxAbs(conv.bias().toDoubleArray()) <= cb * (1 + 1e-6));
        assertEquals(cb / Math.sqrt(3), std(conv.weight().toDoubleArray()), 0.05 * cb);

        Tensor t = Grad4j.empty(500, 200);
        Init.kaimingNormal_(t, 0, "fan_in", "relu");
        assertEquals(Math.sqrt(2.0 / 200), std(t.toDoubleArray()), 0.02 * Math.sqrt(2.0 / 200));
        Init.xavierUniform_(t, Init.calculateGain("tanh"));
        double xb = 5.0 / 3 * Math.sqrt(6.0 / 700);
        assertTrue(maxAbs(t.toDoubleArray()) <= xb * (1 + 1e-6), "float32 rounding may touch the bound");
        assertEquals(xb / Math.sqrt(3), std(t.toDoubleArray()), 0.02 * xb);
        Init.truncNormal_(t, 0.0, 1.0, -0.5, 1.0);
        double[] tv = t.toDoubleArray();
        for (double v : tv) assertTrue(v >= -0.5 && v <= 1.0);
        assertTrue(std(tv) > 0.3 && std(tv) < 0.5, "truncated std " + std(tv));
        assertEquals(Math.sqrt(2 / (1 + 5.0)), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-15);
        Init.eye_(t);
        assertEquals(200.0, t.sum().item(), 0);
        assertFalse(t.requiresGrad());
        Embedding emb = new Embedding(1000, 50, 3);
        assertEquals(0.0, emb.weight().get(3).abs().sum().item(), 0);
        assertEquals(1.0, std(emb.weight().toDoubleArray()), 0.03);
    }

    @Test
    void orthogonalGivesOrthonormalRows() {
        for (int[] shape : new int[][]{{6, 4}, {3, 7}, {4, 2, 2}}) {
            Tensor q = Init.orthogonal_(Grad4j.empty(shape[0], shape.length == 3 ? shape[1] * shape[2] : shape[1]), 1.0, new Generator().manualSeed(2));
            Tensor prod = shape[0] <= q.size(1) ? q.matmul(q.t()) : q.t().matmul(q);
            int n = prod.size(0);
            assertTrue(prod.allclose(Grad4j.eye(n), 1e-5, 1e-5), prod.toString());
        }
    }

    static double sig(double x) { return 1 / (1 + Math.exp(-x)); }

    @Test
    void lstmFollowsTheGateEquations() {
        LSTM lstm = new LSTM(1, 1);
        lstm.toDouble();
        Map<String, Tensor> sd = new LinkedHashMap<>();
        double[] wih = {0.5, 0.1, -0.3, 0.2}, whh = {0.4, -0.2, 0.6, 0.3}, bih = {0.1, 0.2, 0.0, -0.1}, bhh = {0.0, 0.1, 0.2, 0.05};
        sd.put("weight_ih_l0", Grad4j.tensor(wih, DType.FLOAT64).reshape(4, 1));
        sd.put("weight_hh_l0", Grad4j.tensor(whh, DType.FLOAT64).reshape(4, 1));
        sd.put("bias_ih_l0", Grad4j.tensor(bih, DType.FLOAT64));
        sd.put("bias_hh_l0", Grad4j.tensor(bhh, DType.FLOAT64));
        assertEquals(List.copyOf(sd.keySet()), List.copyOf(lstm.stateDict().keySet()));
        lstm.loadStateDict(sd);
        double[] xs = {1.0, -0.5};
        double h = 0.2, c = -0.1;
        double[] hs = new double[2];
        for (int t = 0; t < 2; t++) {
            double[] g = new double[4];
            for (int k = 0; k < 4; k++) g[k] = wih[k] * xs[t] + bih[k] + whh[k] * h + bhh[k];
            double i = sig(g[0]), f = sig(g[1]), gg = Math.tanh(g[2]), o = sig(g[3]);
            c = f * c + i * gg;
            h = o * Math.tanh(c);
            hs[t] = h;
        }
        Tensor x = Grad4j.tensor(xs, DType.FLOAT64).reshape(2, 1, 1);
        RNNBase.Output out = lstm.run(x, Grad4j.tensor(new double[]{0.2}, DType.FLOAT64).reshape(1, 1, 1),
                Grad4j.tensor(new double[]{-0.1}, DType.FLOAT64).reshape(1, 1, 1));
        assertArrayEquals(hs, out.output().toDoubleArray(), 1e-12);
        assertEquals(h, out.h().item(), 1e-12);
        assertEquals(c, out.c().item(), 1e-12);
    }

    @Test
    void gruFollowsTheGateEquations() {
        GRU gru = new GRU(1, 1).toDouble() instanceof GRU g ? g : null;
        double[] p = new double[12];
        int k = 0;
        for (Tensor t : gru.parameters()) {
            double[] v = t.toDoubleArray();
            System.arraycopy(v, 0, p, k, v.length);
            k += v.length;
        }
        double x = 0.7, h = -0.3;
        double[] wih = {p[0], p[1], p[2]}, whh = {p[3], p[4], p[5]}, bih = {p[6], p[7], p[8]}, bhh = {p[9], p[10], p[11]};
        double r = sig(wih[0] * x + bih[0] + whh[0] * h + bhh[0]);
        double z = sig(wih[1] * x + bih[1] + whh[1] * h + bhh[1]);
        double n = Math.tanh(wih[2] * x + bih[2] + r * (whh[2] * h + bhh[2]));
        double expect = (1 - z) * n + z * h;
        RNNBase.Output out = gru.run(Grad4j.tensor(new double[]{x}, DType.FLOAT64).reshape(1, 1),
                Grad4j.tensor(new double[]{h}, DType.FLOAT64).reshape(1, 1), null);
        assertEquals(expect, out.output().item(), 1e-12, "unbatched input [L, in]");
    }

    @Test
    void multiLayerBidirectionalShapesAndNames() {
        LSTM lstm = new LSTM(3, 4, 2, true, true, 0.0, true);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"), List.copyOf(lstm.stateDict().keySet()));
        assertArrayEquals(new int[]{16, 8}, lstm.getParameter("weight_ih_l1").shape());
        Tensor x = Grad4j.randn(2, 5, 3);
        RNNBase.Output out = lstm.run(x);
        assertArrayEquals(new int[]{2, 5, 8}, out.output().shape());
        assertArrayEquals(new int[]{4, 2, 4}, out.h().shape());
        assertArrayEquals(out.h().get(2).toDoubleArray(), out.output().select(1, 4).narrow(1, 0, 4).toDoubleArray(), 1e-6,
                "forward direction ends at the last step");
        assertArrayEquals(out.h().get(3).toDoubleArray(), out.output().select(1, 0).narrow(1, 4, 4).toDoubleArray(), 1e-6,
                "reverse direction ends at the first step");
        RNN rnn = new RNN(2, 3, 1, "relu", false, false, 0.0, false);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(rnn.stateDict().keySet()));
        assertArrayEquals(new int[]{4, 1, 3}, rnn.call(Grad4j.randn(4, 1, 2)).shape());
    }

    @Test
    void recurrentGradientsCheck() {
        GRU gru = new GRU(2, 3);
        gru.toDouble();
        Tensor x = Grad4j.randn(new int[]{3, 2, 2}, DType.FLOAT64, new Generator().manualSeed(4)).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> gru.run(in[0]).output(), x));
        LSTM lstm = new LSTM(2, 2, 1, true, false, 0.0, true);
        lstm.toDouble();
        assertTrue(GradCheck.gradcheck(in -> lstm.run(in[0]).c(), x));
    }

    @Test
    void clipGradNormUsesTheTotalNorm() {
        Tensor a = Grad4j.zeros(2).requiresGrad_(), b = Grad4j.zeros(1).requiresGrad_();
        a.setGrad(Grad4j.tensor(new double[]{3, 0}));
        b.setGrad(Grad4j.tensor(new double[]{4}));
        double norm = Utils.clipGradNorm_(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-6);
        assertArrayEquals(new double[]{0.6, 0}, a.grad().toDoubleArray(), 1e-6);
        assertArrayEquals(new double[]{0.8}, b.grad().toDoubleArray(), 1e-6);
        assertEquals(1.0, Utils.clipGradNorm_(List.of(a, b), 10.0), 1e-5, "below max_norm: unchanged");
        assertArrayEquals(new double[]{0.6, 0}, a.grad().toDoubleArray(), 1e-6);
        assertEquals(0.8, Utils.clipGradNorm_(List.of(a, b), 1.0, Double.POSITIVE_INFINITY, false), 1e-6);
        Utils.clipGradValue_(List.of(a, b), 0.7);
        assertArrayEquals(new double[]{0.7}, b.grad().toDoubleArray(), 1e-6);
        b.setGrad(Grad4j.tensor(new double[]{Double.NaN}));
        assertThrows(IllegalStateException.class, () -> Utils.clipGradNorm_(List.of(a, b), 1.0, 2.0, true));
    }

    @Test
    void parametersRoundTripThroughAVector() {
        Linear lin = new Linear(3, 2);
        Tensor v = Utils.parametersToVector(lin.parameters());
        assertArrayEquals(new int[]{8}, v.shape());
        Utils.vectorToParameters(Grad4j.arange(0.0, 8.0, 1.0), lin.parameters());
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, lin.weight().toDoubleArray(), 0);
        assertArrayEquals(new double[]{6, 7}, lin.bias().toDoubleArray(), 0);
        assertTrue(lin.weight().requiresGrad() && lin.weight().isLeaf());
    }
}
