package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** GradCheck catches wrong gradients; autograd.functional matches closed forms. */
class GradCheckAndFunctionalTest {

    static Tensor t64(double... v) { return Grad4j.tensor(v, DType.FLOAT64); }

    static void assertClose(Tensor actual, double[] expected, int... shape) {
        if (shape.length > 0) assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.toDoubleArray(), 1e-9);
    }

    /** x^3 with a deliberately wrong backward (2x instead of 3x^2). */
    static final class WrongCube extends Function {
        @Override
        protected Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].pow(3);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[]{g[0].mul(ctx.savedTensors()[0].mul(2))};
        }
    }

    @Test
    void gradcheckReportsTheWorstElementOfAWrongBackward() {
        Tensor x = t64(1, 2, 3).requiresGrad_();
        var e = assertThrows(GradCheck.GradcheckError.class, () -> GradCheck.gradcheck(in -> new WrongCube().apply(in[0]), x));
        assertTrue(e.getMessage().contains("Jacobian mismatch for output 0 with respect to input 0"), e.getMessage());
        // worst at x=3: numerical 27, analytical 6
        assertTrue(e.getMessage().contains("d(output[2]) / d(input[2])"), e.getMessage());
        assertTrue(e.getMessage().contains("numerical 27.0000"), e.getMessage());
        assertFalse(GradCheck.gradcheck(in -> new WrongCube().apply(in[0]),
                GradCheck.Options.defaults().raiseException(false), x));
    }

    @Test
    void gradgradcheckCatchesAWrongDoubleBackward() {
        // First derivative right (3x^2), but computed from a detached value: no second derivative recorded.
        final class DetachedSecond extends Function {
            @Override
            protected Tensor forward(FunctionCtx ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                return in[0].pow(3);
            }

            @Override
            protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
                Tensor x = ctx.savedTensors()[0].detach();
                return new Tensor[]{g[0].mul(x.mul(x).mul(3))};
            }
        }
        Tensor x = t64(0.5, -1.5).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> new DetachedSecond().apply(in[0]), x));
        assertThrows(GradCheck.GradcheckError.class, () -> GradCheck.gradgradcheck(in -> new DetachedSecond().apply(in[0]), x));
        assertTrue(GradCheck.gradgradcheck(in -> in[0].pow(3), x));
    }

    @Test
    void gradcheckRejectsOverlappingInputsAndNoDifferentiableInput() {
        Tensor e = t64(1).requiresGrad_().expand(3);
        var ex = assertThrows(IllegalArgumentException.class, () -> GradCheck.gradcheck(in -> in[0].mul(2), e));
        assertTrue(ex.getMessage().contains("overlapping memory"), ex.getMessage());
        var ex2 = assertThrows(IllegalArgumentException.class, () -> GradCheck.gradcheck(in -> in[0].mul(2), t64(1, 2)));
        assertTrue(ex2.getMessage().contains("at least one input tensor should require grad"), ex2.getMessage());
    }

    @Test
    void gradcheckPassesNonDifferentiableInputsThrough() {
        Tensor x = t64(1, -2, 3).requiresGrad_();
        Tensor mask = Grad4j.tensor(new boolean[]{true, false, true});
        assertTrue(GradCheck.gradcheck(in -> in[0].maskedFill(in[1], 0.0).mul(in[0]), x, mask));
    }

    @Test
    void jacobianOfElementwiseSquareIsDiagonal() {
        Tensor x = t64(1, 2);
        Tensor j = Functional.jacobian(in -> in[0].pow(2), x);
        assertClose(j, new double[]{2, 0, 0, 4}, 2, 2);
        assertFalse(j.requiresGrad());
    }

    @Test
    void jacobianOfMatrixFunctionHasOutputThenInputShape() {
        Tensor a = Grad4j.tensor(new double[][]{{1, 2}, {3, 4}}, DType.FLOAT64);
        Tensor x = t64(1, 1);
        Tensor[][] j = Functional.jacobian(in -> new Tensor[]{in[0].matmul(in[1])}, new Tensor[]{a, x}, false, false);
        assertClose(j[0][1], new double[]{1, 2, 3, 4}, 2, 2);                 // d(Ax)/dx = A
        assertClose(j[0][0], new double[]{1, 1, 0, 0, 0, 0, 1, 1}, 2, 2, 2); // d(Ax)_i/dA_jk = delta_ij x_k
    }

    @Test
    void hessianOfCubicSum() {
        Tensor x = t64(1, 2);
        Tensor h = Functional.hessian(in -> in[0].pow(3).sum(), x);
        assertClose(h, new double[]{6, 0, 0, 12}, 2, 2);
        // mixed: f(x, y) = x*y^2 -> [[0, 2y], [2y, 2x]]
        Tensor[][] hm = Functional.hessian(in -> in[0].mul(in[1].pow(2)).sum(),
                new Tensor[]{t64(3).reshape(), t64(2).reshape()}, false, false);
        assertEquals(0, hm[0][0].item(), 1e-12);
        assertEquals(4, hm[0][1].item(), 1e-12);
        assertEquals(4, hm[1][0].item(), 1e-12);
        assertEquals(6, hm[1][1].item(), 1e-12);
    }

    @Test
    void vjpAndJvpOfExp() {
        Tensor x = t64(0, 1);
        Tensor v = t64(1, 2);
        Functional.Result r = Functional.vjp(in -> in[0].exp(), x, v);
        assertClose(r.output(), new double[]{1, Math.E});
        assertClose(r.value(), new double[]{1, 2 * Math.E});
        Functional.Result f = Functional.jvp(in -> in[0].exp(), x, v);
        assertClose(f.value(), new double[]{1, 2 * Math.E});
        // jvp of a non-square map: f(x) = [x0*x1, x0 + x1, x1^2]; J v with v = (1, -1)
        Functional.Result g = Functional.jvp(in -> Grad4j.stack(in[0].get(0).mul(in[0].get(1)),
                in[0].get(0).add(in[0].get(1)), in[0].get(1).pow(2)), t64(2, 3), t64(1, -1));
        assertClose(g.value(), new double[]{3 - 2, 0, -6}, 3);
    }

    @Test
    void hvpAndVhpOfAQuadratic() {
        // f(x) = x^T A x with A = [[1,2],[0,3]]: H = A + A^T = [[2,2],[2,6]]
        Tensor a = Grad4j.tensor(new double[][]{{1, 2}, {0, 3}}, DType.FLOAT64);
        GradCheck.Fn f = in -> in[0].matmul(a).matmul(in[0]);
        Tensor x = t64(1, -1), v = t64(1, 2);
        assertClose(Functional.hvp(f, new Tensor[]{x}, new Tensor[]{v}).value(), new double[]{6, 14});
        assertClose(Functional.vhp(f, new Tensor[]{x}, new Tensor[]{v}).value(), new double[]{6, 14});
        assertEquals(1 - 2 + 0 + 3, Functional.vhp(f, new Tensor[]{x}, new Tensor[]{v}).output().item(), 1e-12);
    }

    @Test
    void createGraphMakesResultsDifferentiable() {
        Tensor x = t64(2).reshape().requiresGrad_();
        Tensor j = Functional.jacobian(in -> in[0].pow(3), x, true);    // 3x^2 = 12
        assertTrue(j.requiresGrad());
        assertEquals(12, j.item(), 1e-12);
        assertEquals(12, Autograd.grad(j, x).item(), 1e-12);             // 6x
    }

    @Test
    void strictModeRejectsUnusedInputs() {
        Tensor x = t64(1, 2), y = t64(3);
        Tensor[][] j = Functional.jacobian(in -> new Tensor[]{in[0].mul(2)}, new Tensor[]{x, y}, false, false);
        assertClose(j[0][1], new double[]{0, 0}, 2, 1);
        var e = assertThrows(IllegalStateException.class,
                () -> Functional.jacobian(in -> new Tensor[]{in[0].mul(2)}, new Tensor[]{x, y}, false, true));
        assertTrue(e.getMessage().contains("independent of input 1"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Functional.hessian(in -> in[0].mul(2), x));
        assertTrue(e2.getMessage().contains("single element Tensor"), e2.getMessage());
    }

    @Test
    void catAndStackValuesShapesAndErrors() {
        Tensor a = Grad4j.tensor(new double[][]{{1, 2}, {3, 4}});
        Tensor b = Grad4j.tensor(new double[][]{{5, 6}});
        assertEquals("tensor([[1., 2.],\n        [3., 4.],\n        [5., 6.]])", Grad4j.cat(java.util.List.of(a, b), 0).toString());
        assertEquals("tensor([[1., 2., 1., 3.],\n        [3., 4., 2., 4.]])", Grad4j.cat(new Tensor[]{a, a.t()}, 1).toString());
        assertArrayEquals(new int[]{2, 2, 2}, Grad4j.stack(new Tensor[]{a, a}, 1).shape());
        assertEquals("tensor([1, 2, 3])", Grad4j.stack(Grad4j.tensor(1L), Grad4j.tensor(2L), Grad4j.tensor(3L)).toString());
        // dtype promotion like torch.cat
        assertEquals(DType.FLOAT32, Grad4j.cat(Grad4j.tensor(new long[]{1}), Grad4j.tensor(new double[]{2})).dtype());
        var e = assertThrows(IllegalArgumentException.class, () -> Grad4j.cat(new Tensor[]{a, b.t()}, 0));
        assertTrue(e.getMessage().contains("Sizes of tensors must match except in dimension 0"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Grad4j.stack(a, b));
        assertTrue(e2.getMessage().contains("stack expects each tensor to be equal size"), e2.getMessage());
        Tensor x = Grad4j.tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y = Grad4j.cat(x, x.mul(3));
        assertEquals("CatBackward0", y.gradFn().name());
        y.sum().backward();
        assertEquals("tensor([4., 4.])", x.grad().toString());
    }
}
