package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.GradOptions;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** The seed documents' behaviours S1-S29 (../shared/SEEDS-SPEC.md), one test each. */
class SeedCasesTest {
    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void captureWarnings() {
        Warnings.reset();
        Warnings.setListener(warnings::add);
    }

    @AfterEach
    void restore() {
        Warnings.setListener(null);
    }

    static void assertValues(Tensor t, double... expected) {
        double[] got = t.toDoubleArray();
        assertEquals(expected.length, got.length, "element count of " + t);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "element " + i + " of " + t);
        }
    }

    @Test
    void S1_polynomialGradient() {
        Tensor x = tensor(2.0).requiresGrad_();
        Tensor y = x.pow(2).add(x.mul(3)).add(1);
        y.backward();
        assertEquals(7.0, x.grad().item());
        assertEquals("tensor(7.)", x.grad().toString());
    }

    @Test
    void S2_nonScalarOutputNeedsGradient() {
        Tensor xs = tensor(new double[]{1, 2, 3});
        Tensor ys = tensor(new double[]{2, 4, 6});
        Tensor w = tensor(new double[]{1.0}).requiresGrad_();
        Tensor l = xs.mul(w).sub(ys).pow(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, l::backward);
        assertTrue(e.getMessage().startsWith("grad can be implicitly created only for scalar outputs"), e.getMessage());
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
        l.sum().backward();
        assertValues(w.grad(), -28);
    }

    @Test
    void S3_mulBackwardName() {
        Tensor x = tensor(new double[]{2.0}).requiresGrad_();
        Tensor y = x.mul(x);
        assertEquals("MulBackward0", y.gradFn().name());
        y.backward();
        assertValues(x.grad(), 4);
    }

    @Test
    void S4_productGradients() {
        Tensor x = tensor(1.0).requiresGrad_(), y = tensor(2.0).requiresGrad_();
        x.mul(y).backward();
        assertEquals(2.0, x.grad().item());
        assertEquals(1.0, y.grad().item());
    }

    @Test
    void S5_noGradRecordsNothing() {
        Tensor x = tensor(1.0).requiresGrad_();
        Tensor y;
        try (var g = Autograd.noGrad()) {
            y = x.mul(2);
        }
        assertNull(y.gradFn());
        assertFalse(y.requiresGrad());
        assertTrue(x.mul(2).requiresGrad(), "grad mode is restored after the scope");
    }

    private static Tensor[] s6Leaves() {
        return new Tensor[]{tensor(1.0).requiresGrad_(), tensor(2.0).requiresGrad_(), tensor(3.0).requiresGrad_()};
    }

    @Test
    void S6_linearGradients() {
        Tensor[] l = s6Leaves();
        Tensor x = l[0], w = l[1], b = l[2];
        Tensor y = w.mul(x).add(b);
        y.sub(5).backward();
        assertEquals(2.0, x.grad().item());
        assertEquals(1.0, w.grad().item());
        assertEquals(1.0, b.grad().item());
    }

    @Test
    void S7_gradientsAccumulateUntilZeroed() {
        Tensor[] l = s6Leaves();
        Tensor x = l[0], w = l[1], b = l[2];
        for (int i = 0; i < 2; i++) w.mul(x).add(b).sub(5).backward();
        assertEquals(4.0, x.grad().item());
        assertEquals(2.0, w.grad().item());
        assertEquals(2.0, b.grad().item());
        for (Tensor t : l) t.grad().zero_();
        w.mul(x).add(b).sub(5).backward();
        assertEquals(2.0, x.grad().item());
        assertEquals(1.0, w.grad().item());
        assertEquals(1.0, b.grad().item());
    }

    @Test
    void S8_secondBackwardFailsThenCreateGraph() {
        Tensor[] l = s6Leaves();
        Tensor x = l[0], w = l[1], b = l[2];
        Tensor y = w.mul(x).add(b);
        y.sub(5).backward();
        Tensor z = y.mul(y);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> z.backward(GradOptions.defaults().createGraph(true)));
        assertTrue(e.getMessage().startsWith("Trying to backward through the graph a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retain_graph=True"));

        for (Tensor t : l) t.grad().zero_();
        Tensor y2 = w.mul(x).add(b);
        Tensor z2 = y2.mul(y2);
        z2.backward(GradOptions.defaults().createGraph(true));
        assertEquals(20.0, x.grad().item(), 1e-12);
        assertNotNull(x.grad().gradFn(), "x.grad carries a graph under create_graph");
        assertEquals("AddBackward0", x.grad().gradFn().name());
        assertEquals(8.0, Autograd.grad(x.grad(), x).item(), 1e-12);
    }

    @Test
    void S9_controlFlowFollowsBranchTaken() {
        Tensor x = tensor(1.0).requiresGrad_();
        Tensor y = x.gt(0).itemBool() ? x.mul(2) : x.div(2);
        y.backward();
        assertEquals(2.0, x.grad().item());
    }

    /** The seed's MyReLU: forward saves the input and clamps at 0; backward zeroes the gradient where input < 0. */
    static final class MyReLU extends org.grad4j.autograd.Function {
        @Override
        protected Tensor forward(org.grad4j.autograd.FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].clamp(0.0, null);
        }

        @Override
        protected Tensor[] backward(org.grad4j.autograd.FunctionCtx ctx, Tensor... grad) {
            Tensor x = ctx.savedTensors()[0];
            return new Tensor[]{grad[0].clone().maskedFill(x.lt(0), 0)};
        }
    }

    @Test
    void S10_customFunction() {
        Tensor x = tensor(new double[]{-1, 1, 2}).requiresGrad_();
        Tensor y = new MyReLU().apply(x);
        assertEquals("MyReLUBackward", y.gradFn().name());
        assertValues(y, 0, 1, 2);
        y.backward(tensor(new double[]{1, 1, 1}));
        assertValues(x.grad(), 0, 1, 1);
    }

    @Test
    void S12_checkpointRecomputes() {
        Tensor x = tensor(new double[]{1, 2, 3}).requiresGrad_();
        List<java.lang.ref.WeakReference<Tensor>> intermediates = new ArrayList<>();
        int[] calls = {0};
        Tensor y = org.grad4j.autograd.Checkpoint.checkpoint(t -> {
            calls[0]++;
            Tensor h = t.mul(2);
            intermediates.add(new java.lang.ref.WeakReference<>(h));
            return h.add(0);
        }, x);
        assertEquals(1, calls[0]);
        for (int i = 0; i < 50 && intermediates.get(0).get() != null; i++) System.gc();
        assertNull(intermediates.get(0).get(), "the activation inside the segment is not kept after forward");
        y.backward(tensor(new double[]{1, 1, 1}));
        assertEquals(2, calls[0], "backward recomputed the segment");
        assertValues(x.grad(), 2, 2, 2);
    }

    @Test
    void S11_noGradPartDoesNotContribute() {
        Tensor x = tensor(new double[]{1, 2, 3}).requiresGrad_();
        Tensor y;
        try (var g = Autograd.noGrad()) {
            y = x.mul(2);
        }
        assertFalse(y.requiresGrad());
        Tensor z = x.mul(3);
        z.backward(tensor(new double[]{1, 1, 1}));
        assertValues(x.grad(), 3, 3, 3);
    }

    @Test
    void S13_requiresGradFlagAndSumBackward() {
        Tensor a = randn(2, 2);
        a = a.mul(3).div(a.sub(1));
        assertFalse(a.requiresGrad());
        a.requiresGrad_(true);
        assertTrue(a.requiresGrad());
        Tensor b = a.mul(a).sum();
        assertEquals("SumBackward0", b.gradFn().name());
    }

    @Test
    void S14_printing() {
        Tensor x = tensor(1.).requiresGrad_(), y = tensor(2.).requiresGrad_();
        Tensor z = x.add(y);
        assertEquals("tensor(1., requires_grad=True) tensor(2., requires_grad=True) tensor(3., grad_fn=<AddBackward0>)",
                x + " " + y + " " + z);
    }

    @Test
    void S15_functionalBackwardAccumulatesSeveralOutputs() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor a = x.mul(2).sum(), b = x.mul(x).sum();
        Autograd.backward(a, b);
        assertValues(x.grad(), 2 + 2, 2 + 4);
        Tensor x2 = tensor(new double[]{1, 2}).requiresGrad_();
        Autograd.backward(new Tensor[]{x2.mul(2).sum()}, null, false, false);
        Tensor x3 = tensor(new double[]{1, 2}).requiresGrad_();
        x3.mul(2).sum().backward();
        assertEquals(x3.grad().toString(), x2.grad().toString());
    }

    @Test
    void S16_addGradientsPrinted() {
        Tensor x = tensor(3.).requiresGrad_(), y = tensor(7.).requiresGrad_();
        Tensor z = x.add(y);
        z.backward();
        assertEquals("tensor(1.) tensor(1.) tensor(10., grad_fn=<AddBackward0>)", x.grad() + " " + y.grad() + " " + z);
    }

    @Test
    void S17_weightedBackward() {
        Tensor x = ones(4).requiresGrad_();
        Tensor z = x.add(2);
        z.backward(onesLike(z));
        assertValues(x.grad(), 1, 1, 1, 1);
        Tensor x2 = ones(4).requiresGrad_();
        x2.add(2).backward(tensor(new double[]{1, 2, 3, 4}));
        assertValues(x2.grad(), 1, 2, 3, 4);
    }

    @Test
    void S18_dtypeInferenceAndIntRequiresGrad() {
        assertEquals(DType.FLOAT32, floatTensor(new long[]{1, 2, 3, 4}).dtype());
        Tensor t = tensor(new long[]{1, 2, 3, 4});
        assertEquals(DType.INT64, t.dtype());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::requiresGrad_);
        assertTrue(e.getMessage().startsWith("only Tensors of floating point and complex dtype can require gradients"));
    }

    @Test
    void S19_eagerValuesAndData() {
        manualSeed(0);
        Tensor w = tensor(new double[][]{{3, 1}}).requiresGrad_();
        Tensor b = tensor(new double[][]{{3}}).requiresGrad_();
        Tensor X = randn(10, 2), Y = randn(10, 1);
        Tensor yHat = X.matmul(w.t()).add(b);
        assertArrayEquals(new int[]{10, 1}, yHat.shape());
        Tensor loss = yHat.sub(Y).pow(2).mean();
        double expected = 0;
        for (int i = 0; i < 10; i++) {
            double p = X.getDouble(i, 0) * 3 + X.getDouble(i, 1) + 3 - Y.getDouble(i, 0);
            expected += p * p / 10;
        }
        assertEquals(expected, loss.item(), 1e-5 * expected);
        assertNull(loss.data().gradFn());
        assertFalse(yHat.data().requiresGrad());
        assertEquals(loss.item(), loss.data().item());
    }

    @Test
    void S20_retainGraph() {
        Tensor w = tensor(new double[][]{{3, 1}}).requiresGrad_();
        Tensor X = tensor(new double[][]{{1, 2}, {3, 4}});
        Tensor loss = X.matmul(w.t()).pow(2).mean();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("Specify retain_graph=True"));

        Tensor w2 = tensor(new double[][]{{3, 1}}).requiresGrad_();
        Tensor loss2 = X.matmul(w2.t()).pow(2).mean();
        loss2.backward(null, true);
        double[] first = w2.grad().toDoubleArray();
        loss2.backward();
        assertValues(w2.grad(), 2 * first[0], 2 * first[1]);
    }

    @Test
    void S21_reluModelWithBroadcast() {
        Tensor X = tensor(new double[][]{{-1, -1}, {1, 1}});
        Tensor w = tensor(new double[][]{{3, 1}}).requiresGrad_();
        Tensor b = tensor(new double[][]{{3}}).requiresGrad_();
        Tensor Y = tensor(new double[][]{{2, 3}});
        Tensor yHat = X.matmul(w.t()).add(b).relu();
        Tensor loss = yHat.sub(Y).pow(2).mean();
        assertEquals(13.5, loss.item(), 1e-6);
        loss.backward();
        assertValues(w.grad(), 4.5, 4.5);
        assertValues(b.grad(), 4.5);
    }

    @Test
    void S21_customReluInModel() {
        Tensor X = tensor(new double[][]{{-1, -1}, {1, 1}});
        Tensor w = tensor(new double[][]{{3, 1}}).requiresGrad_();
        Tensor b = tensor(new double[][]{{3}}).requiresGrad_();
        Tensor Y = tensor(new double[][]{{2, 3}});
        Tensor yHat = new MyReLU().apply(X.matmul(w.t()).add(b));
        Tensor loss = yHat.sub(Y).pow(2).mean();
        assertEquals(13.5, loss.item(), 1e-6);
        loss.backward();
        assertValues(w.grad(), 4.5, 4.5);
        assertValues(b.grad(), 4.5);
    }

    @Test
    void S22_nonLeafGradIsNoneWithWarning() {
        Tensor x = tensor(3.0).requiresGrad_();
        Tensor y1 = x.add(1), y2 = x.mul(2);
        Tensor loss = y1.sub(y2).pow(2);
        loss.backward();
        assertEquals(4.0, x.grad().item());
        assertNull(loss.grad());
        assertNull(y1.grad());
        assertNull(y2.grad());
        // Python's default filter shows a warning once per call site: three lines, three warnings
        assertEquals(3, warnings.size(), "the warning is shown once per call site");
        assertTrue(warnings.get(0).contains("not a leaf Tensor"), warnings.get(0));
        for (int i = 0; i < 2; i++) assertNull(loss.grad());
        assertEquals(4, warnings.size(), "a call site warns once however often it runs");
    }

    @Test
    void S23_hooksAndRetainGrad() {
        Tensor x = tensor(3.0).requiresGrad_();
        Tensor y1 = x.add(1), y2 = x.mul(2);
        Tensor loss = y1.sub(y2).pow(2);
        List<String> seen = new ArrayList<>();
        y1.registerHook(g -> { seen.add("y1 " + g.item()); return null; });
        y2.registerHook(g -> { seen.add("y2 " + g.item()); return null; });
        loss.retainGrad();
        loss.backward();
        assertEquals(List.of("y2 4.0", "y1 -4.0"), seen, "y2's hook runs first (reverse creation order)");
        assertEquals(1.0, loss.grad().item());
        assertEquals(4.0, x.grad().item());

        Tensor xb = tensor(3.0).requiresGrad_();
        Tensor z1 = xb.add(1), z2 = xb.mul(2);
        var handle = z2.registerHook(g -> g.mul(3));
        z1.sub(z2).pow(2).backward();
        assertEquals(-4.0 + 3 * 4.0 * 2, xb.grad().item(), 1e-12, "a returned tensor replaces the gradient");
        handle.remove();
    }

    @Test
    void S24_leafRule() {
        Tensor a = tensor(1.0);
        Tensor b = tensor(1.0).requiresGrad_();
        assertTrue(a.isLeaf());
        assertTrue(b.isLeaf());
        assertFalse(b.mul(2).isLeaf());
        assertTrue(a.mul(2).isLeaf(), "results that do not require grad are leaves");
        Tensor c;
        try (var g = Autograd.noGrad()) {
            c = b.mul(2);
        }
        assertTrue(c.isLeaf());
    }

    @Test
    void S25_tutorialExample() {
        Tensor x = ones(2, 2).requiresGrad_();
        Tensor y = x.pow(2);
        Tensor z = y.mul(y).mul(3);
        Tensor out = z.mean();
        assertEquals("PowBackward0", y.gradFn().name());
        assertEquals("MulBackward0", z.gradFn().name());
        assertEquals("MeanBackward0", out.gradFn().name());
        assertEquals("tensor(3., grad_fn=<MeanBackward0>)", out.toString());
        out.backward();
        assertEquals("tensor([[3., 3.],\n        [3., 3.]])", x.grad().toString());
    }

    @Test
    void S26_zeroGradData() {
        Tensor x = ones(2, 2).requiresGrad_();
        x.pow(2).mul(3).mean().backward();
        x.grad().data().zero_();
        x.sum().backward();
        assertValues(x.grad(), 1, 1, 1, 1);
    }

    @Test
    void S27_whileLoopVectorJacobian() {
        manualSeed(1);
        Tensor x = randn(3).requiresGrad_();
        Tensor y = x.mul(2);
        int i = 0;
        while (y.data().norm().item() < 1000) {
            y = y.mul(2);
            i++;
        }
        y.backward(tensor(new double[]{0.1, 1.0, 0.0001}));
        double s = Math.pow(2, i + 1);
        assertValues(x.grad(), 0.1 * s, 1.0 * s, 0.0001 * s);
    }

    @Test
    void S27_printsScientific() {
        Tensor g = tensor(new double[]{204.8, 2048, 0.2048});
        assertEquals("tensor([2.0480e+02, 2.0480e+03, 2.0480e-01])", g.toString());
    }

    @Test
    void S28_requiresGradPropagation() {
        Tensor x = randn(3).requiresGrad_();
        assertTrue(x.requiresGrad());
        assertTrue(x.pow(2).requiresGrad());
        try (var g = Autograd.noGrad()) {
            assertFalse(x.pow(2).requiresGrad());
        }
    }

    @Test
    void S29_dataSharesStorageUntracked() {
        Tensor x = ones(1).requiresGrad_();
        Tensor y = x.mul(2);
        x.data().mul_(100);
        y.backward();
        assertValues(x, 100);
        assertValues(x.grad(), 2);
    }
}
