package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The custom Function contract: context flags, dirty and non-differentiable outputs, grad materialisation. */
class CustomFunctionTest {

    /** Doubles its input in place (markDirty). */
    static final class DoubleInPlace extends Function {
        @Override
        protected Tensor forward(FunctionCtx ctx, Tensor... in) {
            in[0].mul_(2.0);
            ctx.markDirty(in[0]);
            return in[0];
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return new Tensor[]{g[0].mul(2.0)}; }
    }

    /** Returns (sorted values, their int64 indices): the indices are not differentiable. */
    static final class SortWithIndex extends Function {
        @Override
        protected Tensor[] forwardAll(FunctionCtx ctx, Tensor... in) {
            double[] v = in[0].toDoubleArray();
            Integer[] idx = new Integer[v.length];
            for (int i = 0; i < v.length; i++) idx[i] = i;
            java.util.Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
            double[] sorted = new double[v.length];
            long[] order = new long[v.length];
            for (int i = 0; i < v.length; i++) { sorted[i] = v[idx[i]]; order[i] = idx[i]; }
            Tensor values = Grad4j.tensor(sorted, DType.FLOAT64);
            Tensor indices = Grad4j.tensor(order);
            ctx.markNonDifferentiable(indices);
            ctx.put("order", order);
            return new Tensor[]{values, indices};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            long[] order = ctx.get("order");
            double[] gv = g[0].toDoubleArray();
            double[] gi = new double[gv.length];
            for (int i = 0; i < gv.length; i++) gi[(int) order[i]] = gv[i];
            return new Tensor[]{Grad4j.tensor(gi, DType.FLOAT64)};
        }
    }

    /** Records whether backward saw a null gradient for its second output. */
    static final class TwoOutputs extends Function {
        final List<Boolean> sawNull = new ArrayList<>();
        final boolean materialize;

        TwoOutputs(boolean materialize) { this.materialize = materialize; }

        @Override
        protected Tensor[] forwardAll(FunctionCtx ctx, Tensor... in) {
            ctx.setMaterializeGrads(materialize);
            return new Tensor[]{in[0].mul(2.0), in[0].mul(3.0)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            sawNull.add(g[1] == null);
            Tensor r = g[0].mul(2.0);
            if (g[1] != null) r = r.add(g[1].mul(3.0));
            return new Tensor[]{r};
        }
    }

    @Test
    void markDirtyRebasesHistoryAndBumpsTheVersion() {
        Tensor x = Grad4j.tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y = x.mul(1.0);
        int v = y.version();
        Tensor z = new DoubleInPlace().apply(y);
        assertSame(y, z);
        assertEquals(v + 1, y.version());
        assertEquals("DoubleInPlaceBackward", y.gradFn().name());
        z.sum().backward();
        assertEquals("tensor([2., 2.])", x.grad().toString());
        var e = assertThrows(IllegalStateException.class, () -> new DoubleInPlace().apply(x));
        assertTrue(e.getMessage().contains("leaf Variable that requires grad"), e.getMessage());
    }

    @Test
    void nonDifferentiableOutputsHaveNoHistory() {
        Tensor x = Grad4j.tensor(new double[]{3, 1, 2}, DType.FLOAT64).requiresGrad_();
        Tensor[] out = new SortWithIndex().applyAll(x);
        assertEquals("tensor([1, 2, 0])", out[1].toString());
        assertFalse(out[1].requiresGrad());
        assertTrue(out[0].requiresGrad());
        out[0].mul(Grad4j.tensor(new double[]{10, 20, 30}, DType.FLOAT64)).sum().backward();
        assertEquals("tensor([30., 10., 20.], dtype=torch.float64)", x.grad().toString());
        assertTrue(GradCheck.gradcheck(in -> new SortWithIndex().applyAll(in[0])[0], x.detach().clone().requiresGrad_()));
    }

    @Test
    void materializeGradsControlsAbsentOutputGradients() {
        Tensor x = Grad4j.tensor(new double[]{1}).requiresGrad_();
        TwoOutputs on = new TwoOutputs(true);
        on.applyAll(x)[0].sum().backward();
        assertEquals(List.of(false), on.sawNull);
        TwoOutputs off = new TwoOutputs(false);
        x.setGrad(null);
        off.applyAll(x)[0].sum().backward();
        assertEquals(List.of(true), off.sawNull);
        assertEquals(2.0, x.grad().item());
    }

    @Test
    void needsInputGradReflectsWhichInputsRequireGrad() {
        List<Boolean> flags = new ArrayList<>();
        Function f = new Function() {
            @Override
            protected Tensor forward(FunctionCtx ctx, Tensor... in) {
                flags.add(ctx.needsInputGrad(0));
                flags.add(ctx.needsInputGrad(1));
                return in[0].mul(in[1]);
            }

            @Override
            protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return new Tensor[]{g[0], null}; }
        };
        f.apply(Grad4j.tensor(1.0).requiresGrad_(), Grad4j.tensor(2.0));
        assertEquals(List.of(true, false), flags);
    }
}
