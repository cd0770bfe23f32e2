package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Loss and activation modules agree with F; a small network trained with plain SGD learns. */
class LossModulesAndTrainingTest {
    private static final Generator GEN = new Generator().manualSeed(8);

    @Test
    void lossModulesMatchFunctional() {
        Tensor x = Grad4j.randn(new int[]{4, 3}, DType.FLOAT64, GEN), t = Grad4j.randn(new int[]{4, 3}, DType.FLOAT64, GEN);
        Tensor cls = Grad4j.tensor(new long[]{0, 2, 1, 2});
        Tensor w = Grad4j.tensor(new double[]{1, 2, 0.5}, DType.FLOAT64);
        assertEquals(F.mseLoss(x, t).item(), new MSELoss().forward(x, t).item(), 0);
        assertEquals(F.l1Loss(x, t, "sum").item(), new L1Loss("sum").forward(x, t).item(), 0);
        CrossEntropyLoss ce = new CrossEntropyLoss(w, -100, 0.1, "mean");
        assertEquals(F.crossEntropy(x, cls, w, -100, "mean", 0.1).item(), ce.forward(x, cls).item(), 0);
        assertEquals(List.of("weight"), new ArrayList<>(ce.stateDict().keySet()), "a class weight is a buffer, as in PyTorch");
        assertEquals(F.nllLoss(F.logSoftmax(x, 1), cls).item(), new NLLLoss().call(new LogSoftmax(1).call(x), cls).item(), 0);
        Tensor p = x.sigmoid(), y = t.gt(0.0).toDouble();
        assertEquals(F.binaryCrossEntropy(p, y).item(), new BCELoss().forward(p, y).item(), 0);
        assertEquals(F.binaryCrossEntropyWithLogits(x, y).item(), new BCEWithLogitsLoss().forward(x, y).item(), 0);
        assertEquals(F.klDiv(F.logSoftmax(x, 1), F.softmax(t, 1), "batchmean", false).item(),
                new KLDivLoss(false, "batchmean").forward(F.logSoftmax(x, 1), F.softmax(t, 1)).item(), 0);
        assertEquals(F.huberLoss(x, t, "mean", 0.5).item(), new HuberLoss(0.5, "mean").forward(x, t).item(), 0);
        assertEquals(F.tripletMarginLoss(x, t, t.neg()).item(), new TripletMarginLoss().forward(x, t, t.neg()).item(), 0);
        assertEquals(F.gelu(x).sum().item(), new GELU().call(x).sum().item(), 0);
        assertEquals(F.softplus(x, 2, 1).sum().item(), new Softplus(2, 1).call(x).sum().item(), 0);
        assertThrows(IllegalArgumentException.class, () -> new MSELoss("avg"));
        assertThrows(IllegalArgumentException.class, () -> new MSELoss().forward(x));
    }

    @Test
    void smallNetworkLearnsWithSgd() {
        // two interleaved half-moons would need more steps; concentric classes are enough to show learning
        int n = 200;
        double[] xs = new double[n * 2];
        long[] ys = new long[n];
        for (int i = 0; i < n; i++) {
            double r = i % 2 == 0 ? 0.5 : 1.5, a = GEN.nextDouble() * 2 * Math.PI;
            xs[2 * i] = r * Math.cos(a) + 0.1 * GEN.nextGaussian();
            xs[2 * i + 1] = r * Math.sin(a) + 0.1 * GEN.nextGaussian();
            ys[i] = i % 2;
        }
        Tensor x = Grad4j.fromArray(xs, n, 2).toFloat(), y = Grad4j.fromArray(ys, n);
        Grad4j.manualSeed(0);
        Sequential net = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 2));
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        double first = 0, last = 0;
        for (int step = 0; step < 300; step++) {
            Tensor loss = lossFn.forward(net.call(x), y);
            if (step == 0) first = loss.item();
            last = loss.item();
            net.zeroGrad();
            loss.backward();
            try (var ng = Autograd.noGrad()) {
                for (Tensor p : net.parameters()) p.sub_(p.grad().mul(0.5));
            }
        }
        assertTrue(last < first / 4, "loss fell from " + first + " to " + last);
        Tensor pred = net.call(x).argmax(1, false);
        double acc = pred.eq(y).toDouble().mean().item();
        assertTrue(acc > 0.95, "accuracy " + acc);
    }
}
