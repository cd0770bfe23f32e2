package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** Views and in-place ops together (PyTorch's differentiable views, CopySlices, creation meta). */
class ViewInPlaceTest {

    private static void assertValues(Tensor t, double... want) {
        assertArrayEquals(want, t.toDoubleArray(), 1e-12, () -> java.util.Arrays.toString(t.toDoubleArray()));
    }

    private static Tensor rg(double... v) { return tensor(v).requiresGrad_(); }

    // ---------------------------------------------------------------- item 1: views see in-place changes of their base

    @Test
    void viewSeesInPlaceChangeOfItsBase() {
        Tensor w = ones(2).requiresGrad_(), m = tensor(new double[]{3, 5}).requiresGrad_();
        Tensor y = w.mul(1.0);
        Tensor v = y.view(1, 2);
        y.mul_(m);
        assertEquals("AsStridedBackward0", v.gradFn().name());
        v.sum().backward();
        assertValues(w.grad(), 3, 5);
        assertValues(m.grad(), 1, 1);
    }

    /** Every view op: the view's gradient goes through the base's in-place history. */
    @Test
    void retainGradOfAViewMovesToItsRegeneratedHistory() {
        Tensor w = ones(3).requiresGrad_();
        Tensor y = w.mul(1.0);
        Tensor v = y.slice(0, 0, 2).retainGrad();
        y.mul_(2.0);
        v.mul(tensor(new double[]{3, 4})).sum().backward();
        assertValues(v.grad(), 3, 4);
        assertValues(w.grad(), 6, 8, 0);
    }

    @Test
    void everyViewOpSeesInPlaceChangeOfItsBase() {
        List<UnaryOperator<Tensor>> views = List.of(
                y -> y.view(3, 2), y -> y.reshape(6), y -> y.slice(0, 1, 2), y -> y.select(1, 0), y -> y.narrow(1, 1, 1),
                y -> y.transpose(0, 1), y -> y.t(), y -> y.permute(1, 0), y -> y.unsqueeze(0).expand(3, 2, 3),
                y -> y.unsqueeze(1), y -> y.unsqueeze(0).squeeze(), y -> y.diagonal(0, 0, 1), y -> y.t().slice(0, 0, 2).select(1, 1),
                y -> y.index("1, ::2"), y -> y.unfold(1, 2, 1), y -> y.asStrided(new int[]{2, 2}, new int[]{3, 1}, 1));
        for (UnaryOperator<Tensor> view : views) {
            Tensor w = arange(6).to(org.grad4j.storage.DType.FLOAT64).reshape(2, 3).requiresGrad_();
            Tensor m = arange(6).to(org.grad4j.storage.DType.FLOAT64).add(1).reshape(2, 3).requiresGrad_();
            Tensor y = w.mul(1.0);
            Tensor v = view.apply(y);
            y.mul_(m);
            v.mul(v).sum().backward();
            // reference: the same view of the out-of-place product
            Tensor w2 = w.detach().clone().requiresGrad_(), m2 = m.detach().clone().requiresGrad_();
            Tensor v2 = view.apply(w2.mul(m2));
            v2.mul(v2).sum().backward();
            assertArrayEquals(w2.grad().toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
            assertArrayEquals(m2.grad().toDoubleArray(), m.grad().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void unbindAndSplitOutputsRefuseStaleHistoryAfterBaseChanges() {
        Tensor w = ones(2, 2).requiresGrad_();
        Tensor y = w.mul(1.0);
        Tensor a = y.unbind(0).get(0);
        Tensor b = y.split(1, 0).get(1);
        y.mul_(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.mul(2.0));
        assertTrue(e.getMessage().startsWith("Output 0 of UnbindBackward0 is a view and its base or another view of its base "
                + "has been modified inplace. This view is the output of a function that returns multiple views."), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> b.sum().backward());
        assertTrue(e.getMessage().startsWith("Output 1 of SplitBackward0 is a view and its base"), e.getMessage());
    }

    @Test
    void splitAndChunkAreOneMultiOutputNode() {
        Tensor x = arange(5).to(org.grad4j.storage.DType.FLOAT64).requiresGrad_();
        List<Tensor> parts = x.mul(1.0).chunk(2, 0);
        assertEquals("SplitBackward0", parts.get(0).gradFn().name());
        parts.get(1).mul(3.0).sum().backward();
        assertValues(x.grad(), 0, 0, 0, 3, 3);
        assertEquals("SplitWithSizesBackward0", x.mul(1.0).split(new int[]{2, 3}, 0).get(0).gradFn().name());
        assertTrue(GradCheck.gradgradcheck(in -> in[0].split(new int[]{1, 2}, 1).get(1).pow(2), rand(2, 3).to(org.grad4j.storage.DType.FLOAT64).requiresGrad_()));
    }

    // ---------------------------------------------------------------- item 2: in-place on views (CopySlices)

    @Test
    void inPlaceMulOnSliceScalesThatPartOfTheGradient() {
        Tensor w = ones(3).requiresGrad_();
        Tensor x = w.mul(1.0);
        x.slice(0, 0, 1).mul_(2.0);
        assertEquals("CopySlices", x.gradFn().name());
        x.sum().backward();
        assertValues(w.grad(), 2, 1, 1);
    }

    @Test
    void zeroOnSelectedColumnZeroesItsGradient() {
        Tensor w = ones(2, 3).requiresGrad_();
        Tensor x = w.mul(1.0);
        x.select(1, 0).zero_();
        x.mul(tensor(new double[]{1, 2, 3})).sum().backward();
        assertValues(w.grad(), 0, 2, 3, 0, 2, 3);
        assertValues(x, 0, 1, 1, 0, 1, 1);
    }

    @Test
    void inPlaceOnViewWithAnotherInputThatRequiresGrad() {
        Tensor w = ones(2, 2).requiresGrad_(), m = tensor(new double[]{3, 5}).requiresGrad_();
        Tensor x = w.mul(2.0);
        x.select(0, 1).mul_(m);                  // row 1 *= m
        x.sum().backward();
        assertValues(w.grad(), 2, 2, 6, 10);
        assertValues(m.grad(), 2, 2);
    }

    @Test
    void everyInPlaceOpOnAViewOfAViewMatchesTheOutOfPlaceGradient() {
        List<UnaryOperator<Tensor>> ops = List.of(
                v -> v.mul_(3.0), v -> v.add_(v.detach()), v -> v.sub_(2.0), v -> v.div_(4.0), v -> v.fill_(7.0), v -> v.zero_(),
                v -> v.copy_(ones(v.shape()).mul(5.0)), v -> v.clamp_(0.2, 0.6), v -> v.maskedFill_(v.gt(0.5), 1.0),
                v -> v.exp_(), v -> v.tanh_(), v -> v.sigmoid_(), v -> v.relu_(), v -> v.pow_(2.0), v -> v.neg_(), v -> v.sqrt_(),
                v -> v.set(":1", 9.0), v -> v.indexPut_(new Tensor[]{tensor(new long[]{0})}, tensor(new double[]{4.0}), true),
                v -> v.scatter_(0, tensor(new long[]{1}), tensor(new double[]{6.0})), v -> v.scatter_(0, tensor(new long[]{0}), 2.0),
                v -> v.scatterAdd_(0, tensor(new long[]{1, 1}), tensor(new double[]{1.0, 2.0})),
                v -> v.indexAdd_(0, tensor(new long[]{0}), tensor(new double[]{3.0})));
        for (UnaryOperator<Tensor> op : ops) {
            Tensor base = rand(3, 4).to(org.grad4j.storage.DType.FLOAT64).add(0.1);
            Tensor w = base.clone().requiresGrad_();
            Tensor x = w.mul(1.0);
            op.apply(x.t().slice(0, 1, 3).select(0, 1));   // a view of a view of a view: x[:, 2]
            x.mul(x).sum().backward();
            // reference: modify a clone of the column and put it back with cat
            Tensor w2 = base.clone().requiresGrad_();
            Tensor col = w2.mul(1.0).select(1, 2).clone();
            op.apply(col);
            Tensor x2 = cat(new Tensor[]{w2.slice(1, 0, 2), col.unsqueeze(1), w2.slice(1, 3, 4)}, 1);
            x2.mul(x2).sum().backward();
            assertArrayEquals(x2.detach().toDoubleArray(), x.detach().toDoubleArray(), 1e-12);
            assertArrayEquals(w2.grad().toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void inPlaceOnViewsOfViewsPassesGradcheckAndGradgradcheck() {
        Tensor a = rand(3, 4).to(org.grad4j.storage.DType.FLOAT64).requiresGrad_();
        Tensor b = rand(2).to(org.grad4j.storage.DType.FLOAT64).requiresGrad_();
        GradCheck.Fn f = in -> {
            Tensor x = in[0].mul(1.0);
            Tensor v = x.t().slice(0, 1, 3);          // [2, 3] view of x
            v.select(1, 0).mul_(in[1]);               // x[0, 1:3] *= b
            v.narrow(1, 2, 1).squeeze(1).add_(in[1].pow(2));
            x.diagonal(0, 0, 1).exp_();
            return x.pow(2);
        };
        assertTrue(GradCheck.gradcheck(f, a, b));
        assertTrue(GradCheck.gradgradcheck(f, a, b));
    }

    @Test
    void inPlaceIndexOpsOnViewsPassGradcheckAndGradgradcheck() {
        Tensor a = rand(3, 4).to(org.grad4j.storage.DType.FLOAT64).requiresGrad_();
        Tensor src = rand(2).to(org.grad4j.storage.DType.FLOAT64).requiresGrad_();
        Tensor idx = tensor(new long[]{2, 0});
        GradCheck.Fn f = in -> {
            Tensor x = in[0].mul(1.0);
            x.select(0, 1).scatter_(0, idx, in[1]);
            x.t().select(0, 3).scatterAdd_(0, tensor(new long[]{1, 1}), in[1].exp());
            x.slice(0, 0, 2).select(1, 1).indexAdd_(0, tensor(new long[]{0, 0}), in[1].mul(in[1]));
            return x.mul(x);
        };
        assertTrue(GradCheck.gradcheck(f, a, src));
        assertTrue(GradCheck.gradgradcheck(f, a, src));
    }

    @Test
    void inPlaceOnViewOfLeafThatRequiresGradIsRefused() {
        Tensor w = ones(3).requiresGrad_();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.slice(0, 0, 1).mul_(2.0));
        assertTrue(e.getMessage().startsWith("a view of a leaf Variable that requires grad is being used in an in-place operation."));
        try (var g = Autograd.noGrad()) {
            w.slice(0, 0, 1).mul_(2.0);        // allowed without grad mode, as optimizers and init do
        }
        assertValues(w.detach(), 2, 1, 1);
    }

    @Test
    void inPlaceOnViewOfBufferRecordsOtherInputs() {
        Tensor m = tensor(new double[]{3, 5}).requiresGrad_();
        Tensor x = zeros(3).to(org.grad4j.storage.DType.FLOAT64);
        Tensor v = x.slice(0, 1, 3);
        v.add_(m);
        assertTrue(x.requiresGrad());
        x.mul(tensor(new double[]{1, 2, 4})).sum().backward();
        assertValues(m.grad(), 2, 4);
    }

    // ---------------------------------------------------------------- item 3: views made under noGrad

    @Test
    void viewMadeUnderNoGradModifiedInPlaceWithGradIsRefused() {
        Tensor w = ones(2).requiresGrad_();
        Tensor y = w.mul(1.0);
        Tensor v;
        try (var g = Autograd.noGrad()) {
            v = y.view(2);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.mul_(2.0));
        assertTrue(e.getMessage().startsWith("A view was created in no_grad mode and is being modified inplace with grad mode "
                + "enabled. Given that this use case is ambiguous and error-prone, it is forbidden."), e.getMessage());
        Tensor leafView;
        try (var g = Autograd.noGrad()) {
            leafView = w.slice(0, 0, 1);
        }
        assertThrows(IllegalStateException.class, () -> leafView.add_(1.0));
        assertValues(w.detach(), 1, 1);
    }

    @Test
    void viewMadeUnderNoGradFailsOnceItsBaseChangedInPlace() {
        Tensor w = ones(2).requiresGrad_();
        Tensor v;
        try (var g = Autograd.noGrad()) {
            v = w.view(2);
            w.add_(1.0);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.mul(2.0));
        assertTrue(e.getMessage().startsWith("A view was created in no_grad mode and its base or another view of its base has "
                + "been modified inplace with grad mode enabled."), e.getMessage());
    }

    @Test
    void inPlaceOnUnbindOutputIsRefused() {
        Tensor y = ones(2, 2).requiresGrad_().mul(1.0);
        Tensor a = y.unbind(0).get(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.mul_(2.0));
        assertTrue(e.getMessage().startsWith("Output 1 of UnbindBackward0 is a view and is being modified inplace. This view is "
                + "the output of a function that returns multiple views."), e.getMessage());
    }

    // ---------------------------------------------------------------- custom Functions

    /** Doubles its input in place and says so (mark_dirty). */
    static final class DoubleInPlace extends Function {
        @Override
        protected Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.markDirty(in[0]);
            return in[0].mul_(2.0);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return new Tensor[]{g[0].mul(2.0)}; }
    }

    @Test
    void customFunctionModifyingAViewInPlaceRoutesTheBaseGradient() {
        Tensor w = ones(3).requiresGrad_();
        Tensor x = w.mul(1.0);
        Tensor v = new DoubleInPlace().apply(x.slice(0, 1, 3));
        assertEquals("CopySlices", x.gradFn().name());
        x.sum().backward();
        assertValues(w.grad(), 1, 2, 2);
        assertValues(v.detach(), 2, 2);
    }

    @Test
    void inputReturnedAsIsByACustomFunctionRefusesInPlace() {
        Function identity = new Function() {
            @Override
            protected Tensor forward(FunctionCtx ctx, Tensor... in) { return in[0]; }

            @Override
            protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return g; }

            @Override
            protected String nodeName() { return "IdentityBackward"; }
        };
        Tensor y = identity.apply(ones(2).requiresGrad_().mul(1.0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.add_(1.0));
        assertTrue(e.getMessage().startsWith("Output 0 of IdentityBackward is a view and is being modified inplace. This view "
                + "was created inside a custom Function (or because an input was returned as-is)"), e.getMessage());
    }

    @Test
    void outputOfAModuleWithFullBackwardHookRefusesInPlace() {
        org.grad4j.nn.Linear lin = new org.grad4j.nn.Linear(2, 2);
        lin.registerFullBackwardHook((m, gi, go) -> null);
        Tensor y = lin.call(ones(1, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.relu_());
        assertTrue(e.getMessage().startsWith("Output 0 of BackwardHookFunctionBackward is a view and is being modified inplace. "
                + "This view was created inside a custom Function"), e.getMessage());
        y.relu().sum().backward();   // out of place is fine, and the hook runs
        assertNotNull(lin.parameters().get(0).grad());
    }
}
