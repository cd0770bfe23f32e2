package org.grad4j.rng;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.Checkpoint;
import org.grad4j.autograd.GradCheck;
import org.grad4j.nn.Linear;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/** Activation checkpointing: RNG state preserved for the recompute, and no side effects under Autograd.grad. */
class CheckpointRngTest {
    static Tensor f64(double... v) { return Grad4j.tensor(v).toDouble(); }

    static final UnaryOperator<Tensor> DROPOUT_SEGMENT = t -> F.dropout(t.mul(t), 0.5, true).mul(3);

    @Test
    void dropoutInsideCheckpointGetsTheSameMaskInTheRecompute() {
        Tensor x = Grad4j.randn(new int[]{64}, DType.FLOAT64, new Generator().manualSeed(1)).requiresGrad_();
        Grad4j.manualSeed(0);
        Tensor ref = DROPOUT_SEGMENT.apply(x);
        ref.sum().backward();
        Tensor gRef = x.grad().clone();
        Tensor afterRef = Grad4j.rand(4);
        x.grad().zero_();

        Grad4j.manualSeed(0);
        Tensor y = Checkpoint.checkpoint(DROPOUT_SEGMENT, x);
        assertTrue(y.equal(ref), "forward values");
        y.sum().backward();
        assertTrue(x.grad().equal(gRef), "gradient uses the forward's mask: " + x.grad() + " vs " + gRef);
        assertTrue(Grad4j.rand(4).equal(afterRef), "the recompute leaves the caller's random stream where the plain run left it");
    }

    @Test
    void preserveRngStateFalseRedrawsInTheRecompute() {
        Tensor x = Grad4j.ones(new int[]{64}, DType.FLOAT64).requiresGrad_();
        Grad4j.manualSeed(0);
        DROPOUT_SEGMENT.apply(x).sum().backward();
        Tensor gRef = x.grad().clone();
        x.grad().zero_();
        Grad4j.manualSeed(0);
        Checkpoint.preserveRngState(false).run(DROPOUT_SEGMENT, x).sum().backward();
        assertFalse(x.grad().equal(gRef), "without preserving the state the recompute draws a new mask");
    }

    @Test
    void checkpointWithDropoutPassesGradcheck() {
        Tensor x = Grad4j.randn(new int[]{3, 5}, DType.FLOAT64, new Generator().manualSeed(2)).requiresGrad_();
        // each call reseeds, so the finite differences see one fixed mask
        assertTrue(GradCheck.gradcheck(in -> {
            Grad4j.manualSeed(9);
            return Checkpoint.checkpoint(DROPOUT_SEGMENT, in[0]);
        }, x));
        assertTrue(GradCheck.gradgradcheck(in -> {
            Grad4j.manualSeed(9);
            return Checkpoint.checkpoint(t -> DROPOUT_SEGMENT.apply(t).tanh(), in[0]);
        }, x));
    }

    @Test
    void autogradGradThroughCheckpointWritesNoGradIntoParameters() {
        Grad4j.manualSeed(3);
        Linear lin = new Linear(4, 3);
        lin.toDouble();
        Tensor x = Grad4j.randn(new int[]{2, 4}, DType.FLOAT64, new Generator().manualSeed(4)).requiresGrad_();
        UnaryOperator<Tensor> seg = t -> lin.call(t).tanh();
        Tensor gxRef = Autograd.grad(seg.apply(x).sum(), x);
        Tensor gwRef = Autograd.grad(seg.apply(x).sum(), lin.weight());

        Tensor gx = Autograd.grad(Checkpoint.checkpoint(seg, x).sum(), x);
        assertTrue(gx.equal(gxRef), "grad of the input");
        assertNull(lin.weight().gradNoWarn(), "no .grad written into the weight");
        assertNull(lin.bias().gradNoWarn(), "no .grad written into the bias");
        assertNull(x.gradNoWarn());
        Tensor gw = Autograd.grad(Checkpoint.checkpoint(seg, x).sum(), lin.weight());
        assertTrue(gw.equal(gwRef), "grad of a parameter used inside the segment");
        assertNull(lin.weight().gradNoWarn());

        Checkpoint.checkpoint(seg, x).sum().backward();
        assertTrue(lin.weight().grad().equal(gwRef), "backward() accumulates into the parameters as usual");
        assertTrue(x.grad().equal(gxRef));
    }

    @Test
    void capturedNonLeafTensorsGetTheirGradientOnce() {
        Tensor w = f64(1.5, -2, 0.5).requiresGrad_();
        Tensor x = f64(0.3, 0.7, -1.1).requiresGrad_();
        Tensor h = w.mul(w);                                   // made outside, used inside
        UnaryOperator<Tensor> seg = t -> t.mul(h).add(t.mul(w)).sin();
        seg.apply(x).sum().backward();
        Tensor gw = w.grad().clone(), gx = x.grad().clone();
        w.grad().zero_();
        x.grad().zero_();
        Tensor h2 = w.mul(w);
        Checkpoint.checkpoint(t -> t.mul(h2).add(t.mul(w)).sin(), x).sum().backward();
        assertTrue(w.grad().equal(gw), w.grad() + " vs " + gw);
        assertTrue(x.grad().equal(gx));
        Tensor h3 = w.mul(w);
        Tensor[] g = Autograd.grad(new Tensor[]{Checkpoint.checkpoint(t -> t.mul(h3).add(t.mul(w)).sin(), x).sum()},
                new Tensor[]{w, h3}, null, false, false, false);
        assertTrue(g[0].equal(gw), "grad of w through both paths");
        assertTrue(w.grad().equal(gw), "unchanged by Autograd.grad");
        assertNotNull(g[1]);
    }

    @Test
    void checkpointGradcheckWithParametersAndSeveralOutputs() {
        Tensor w = Grad4j.randn(new int[]{3}, DType.FLOAT64, new Generator().manualSeed(6)).requiresGrad_();
        Tensor a = Grad4j.randn(new int[]{3}, DType.FLOAT64, new Generator().manualSeed(7)).requiresGrad_();
        Tensor b = Grad4j.randn(new int[]{3}, DType.FLOAT64, new Generator().manualSeed(8)).requiresGrad_();
        GradCheck.MultiFn fn = in -> Checkpoint.checkpoint(t -> new Tensor[]{t[0].mul(t[1]).mul(in[2]).exp(), t[1].sub(in[2]).tanh()},
                in[0], in[1]);
        assertTrue(GradCheck.gradcheckMulti(fn, GradCheck.Options.defaults(), a, b, w));
    }

    @Test
    void aViewOutputDoesNotKeepTheSegmentsActivations() {
        Tensor x = f64(1, 2, 3, 4).requiresGrad_();
        java.util.List<java.lang.ref.WeakReference<Tensor>> inner = new java.util.ArrayList<>();
        Tensor y = Checkpoint.checkpoint(t -> {
            Tensor h = t.exp();
            inner.add(new java.lang.ref.WeakReference<>(h));
            return h.mul(t).view(2, 2);
        }, x);
        for (int i = 0; i < 50 && inner.get(0).get() != null; i++) System.gc();
        assertNull(inner.get(0).get(), "the activation inside the segment is not kept after forward");
        y.sum().backward();
        Tensor expected = x.detach().exp().mul(x.detach().add(1));
        assertTrue(x.grad().sub(expected).abs().max().item() < 1e-12);
    }

    @Test
    void nestedCheckpointsWithDropoutMatchThePlainRun() {
        Tensor w = Grad4j.randn(new int[]{16}, DType.FLOAT64, new Generator().manualSeed(12)).requiresGrad_();
        Tensor x = Grad4j.randn(new int[]{16}, DType.FLOAT64, new Generator().manualSeed(13)).requiresGrad_();
        UnaryOperator<Tensor> inner = t -> F.dropout(t.mul(w), 0.4, true).tanh();
        Grad4j.manualSeed(21);
        F.dropout(inner.apply(x.sin()), 0.4, true).mul(w).sum().backward();
        Tensor gw = w.grad().clone(), gx = x.grad().clone();
        w.grad().zero_();
        x.grad().zero_();
        Grad4j.manualSeed(21);
        Checkpoint.checkpoint(t -> F.dropout(Checkpoint.checkpoint(inner, t.sin()), 0.4, true).mul(w), x).sum().backward();
        assertTrue(w.grad().equal(gw), w.grad() + " vs " + gw);
        assertTrue(x.grad().equal(gx), x.grad() + " vs " + gx);
    }
}
