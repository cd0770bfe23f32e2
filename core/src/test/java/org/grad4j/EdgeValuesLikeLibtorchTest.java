package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Elementwise results at edge values that the live oracle (docs/oracle.md) found differing from libtorch 2.5.1. */
class EdgeValuesLikeLibtorchTest {
    private static Tensor f64(double... v) { return Grad4j.tensor(v, DType.FLOAT64); }

    private static Tensor f32(double... v) { return Grad4j.tensor(v, DType.FLOAT32); }

    private static boolean negZero(double v) { return v == 0 && Double.doubleToRawLongBits(v) != 0; }

    @Test
    void signOfNanIsZeroSoAbsHasGradientZeroAtNan() {
        assertArrayEquals(new double[]{0, 1, -1, 0}, f64(Double.NaN, 2, -3, 0).sign().toDoubleArray());
        Tensor x = f64(Double.NaN, -2).requiresGrad_();
        x.abs().sum().backward();
        assertArrayEquals(new double[]{0, -1}, x.grad().toDoubleArray());
    }

    @Test
    void reluKeepsNegativeZeroAndNanInBothDtypesAndLayouts() {
        for (Tensor x : new Tensor[]{f64(-0.0, Double.NaN, -1, 2), f32(-0.0, Double.NaN, -1, 2),
                f32(-0.0, Double.NaN, -1, 2, -0.0, 5, -6, 7, -0.0, Double.NaN, 1, -1, 0, 0, 0, 0, 1)}) {
            double[] v = x.relu().toDoubleArray();
            assertTrue(negZero(v[0]), "relu(-0) is -0 in libtorch");
            assertTrue(Double.isNaN(v[1]));
            assertEquals(0.0, v[2]);
            assertEquals(2.0, v[3]);
        }
    }

    @Test
    void erfOfNegativeZeroIsNegativeZero() {
        assertTrue(negZero(f64(-0.0).erf().toDoubleArray()[0]));
        assertTrue(negZero(f32(-0.0).erf().toDoubleArray()[0]));
    }

    @Test
    void acoshIsNanBelowOneAndFiniteForHugeInputs() {
        double[] v = f64(-1e300, 0.5, 1e300).acosh().toDoubleArray();
        assertTrue(Double.isNaN(v[0]) && Double.isNaN(v[1]));
        assertEquals(Math.log(2) + Math.log(1e300), v[2], 1e-12);
    }

    @Test
    void powOfOneIsOneForEveryExponentAndMinusOneToInfinityIsOne() {
        Tensor base = f64(1, 1, -1, -1), exp = f64(Double.POSITIVE_INFINITY, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertArrayEquals(new double[]{1, 1, 1, 1}, base.pow(exp).toDoubleArray());
        Tensor e = f64(Double.NEGATIVE_INFINITY).requiresGrad_();
        f64(1).pow(e).sum().backward();
        assertArrayEquals(new double[]{0}, e.grad().toDoubleArray(), "d/dy 1^y = 1^y log 1 = 0");
    }

    @Test
    void eluFamilyIsPositiveZeroAtNegativeZeroWithZeroSecondDerivativeAtZero() {
        Tensor x = f64(-0.0, 0.0, -1).requiresGrad_();
        for (Tensor y : new Tensor[]{x.elu(1.5), x.selu(), x.celu(2.0)}) {
            double[] v = y.toDoubleArray();
            assertTrue(v[0] == 0 && !negZero(v[0]), "elu(-0) is +0 in libtorch");
            Tensor g = Autograd.grad(new Tensor[]{y.sum()}, new Tensor[]{x}, null, true, true, false)[0];
            Tensor gg = Autograd.grad(g.sum(), x);
            assertEquals(0.0, gg.toDoubleArray()[0]);
            assertEquals(0.0, gg.toDoubleArray()[1]);
            assertTrue(gg.toDoubleArray()[2] > 0);
        }
    }

    @Test
    void hardswishSecondDerivativeIsZeroAtPlusMinusThree() {
        Tensor x = f64(3, -3, 1).requiresGrad_();
        Tensor g = Autograd.grad(new Tensor[]{x.hardswish().sum()}, new Tensor[]{x}, null, true, true, false)[0];
        assertArrayEquals(new double[]{1.5, -0.5, 5.0 / 6}, g.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{0, 0, 1.0 / 3}, Autograd.grad(g.sum(), x).toDoubleArray(), 1e-12);
    }

    @Test
    void maximumAndMinimumGiveTheGradientToBothSidesAtNanAndHalvesAtTies() {
        Tensor a = f64(Double.NaN, 1, 2, 5).requiresGrad_(), b = f64(0.5, Double.NaN, 2, 1).requiresGrad_();
        a.maximum(b).sum().backward();
        assertArrayEquals(new double[]{1, 1, 0.5, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[]{1, 1, 0.5, 0}, b.grad().toDoubleArray());
        assertTrue(negZero(f64(-0.0).maximum(f64(0.0)).toDoubleArray()[0]), "std::max(-0, 0) is -0");
        assertTrue(negZero(f64(-0.0).minimum(f64(0.0)).toDoubleArray()[0]), "std::min(-0, 0) is -0");
    }

    @Test
    void hardtanhAndRelu6PassTheGradientAtNan() {
        Tensor x = f64(Double.NaN, 7, 0.5).requiresGrad_();
        x.hardtanh(-1, 1).add(x.relu6()).sum().backward();
        assertArrayEquals(new double[]{2, 0, 2}, x.grad().toDoubleArray());
    }

    @Test
    void maxOfATensorWithNanSendsTheGradientToTheNans() {
        Tensor x = f64(1, Double.NaN, 3, Double.NaN).requiresGrad_();
        x.max().backward();
        assertArrayEquals(new double[]{0, 0.5, 0, 0.5}, x.grad().toDoubleArray());
    }

    @Test
    void lerpUsesTheFormulaFromEndForLargeWeights() {
        // start + w (end - start) would give inf + 3e38 * (-inf) = NaN; libtorch: end - (end - start)(1 - w) = -inf
        Tensor out = f64(Double.POSITIVE_INFINITY).lerp(f64(-2), f64(3e38));
        assertEquals(Double.NEGATIVE_INFINITY, out.toDoubleArray()[0]);
        assertEquals(5.0, f64(1).lerp(f64(5), 1.0).item(), "exact at w = 1");
    }

    @Test
    void divisionGradientForATinyDivisorDividesTwice() {
        Tensor a = f64(-0.0, 1e-300), b = f64(4.9e-324, 1e-300).requiresGrad_();
        a.div(b).sum().backward();
        // -(a / b) / b: 0 and -1e300 (b * b would underflow to 0 and give NaN and -inf)
        assertArrayEquals(new double[]{0, -1e300}, b.grad().toDoubleArray(), 1e286);
        assertTrue(Double.isFinite(b.grad().toDoubleArray()[1]));
    }

    @Test
    void nonConstantPaddingNeedsABatchOrChannelDimAsInPyTorch() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Grad4j.pad(f64(1, 2, 3), new int[]{1, 1}, "reflect", 0));
        assertTrue(e.getMessage().contains("Only 2D, 3D, 4D, 5D padding with non-constant padding") && e.getMessage().contains("Fix:"));
        assertArrayEquals(new double[]{2, 1, 2, 3, 2}, Grad4j.pad(f64(1, 2, 3).reshape(1, 3), new int[]{1, 1}, "reflect", 0).toDoubleArray());
    }

    @Test
    void clampWithMinAboveMaxGivesTheGradientToMax() {
        Tensor x = f64(-6, 0), lo = f64(-4.5, 1).requiresGrad_(), hi = f64(-9, 2).requiresGrad_();
        Tensor y = x.clamp(lo, hi);
        assertArrayEquals(new double[]{-9, 1}, y.toDoubleArray(), "min > max gives max, as libtorch");
        y.sum().backward();
        assertArrayEquals(new double[]{0, 1}, lo.grad().toDoubleArray());
        assertArrayEquals(new double[]{1, 0}, hi.grad().toDoubleArray());
    }

    @Test
    void infinityNormOfATensorWithNanHasZeroGradientNotNan() {
        Tensor x = f64(1, Double.NaN, -3).requiresGrad_();
        x.norm(Double.POSITIVE_INFINITY).backward();
        assertArrayEquals(new double[]{0, 0, 0}, x.grad().toDoubleArray(), 0.0);
        Tensor y = f64(1, -3, 3).requiresGrad_();
        y.norm(Double.POSITIVE_INFINITY).backward();
        assertArrayEquals(new double[]{0, -0.5, 0.5}, y.grad().toDoubleArray());
    }

    @Test
    void logSoftmaxOfARowHoldingInfinityIsNanThroughoutAsInLibtorch() {
        double[] v = f64(Double.POSITIVE_INFINITY, 1, 2).reshape(1, 3).logSoftmax(1).toDoubleArray();
        for (double e : v) assertTrue(Double.isNaN(e), java.util.Arrays.toString(v));
        assertArrayEquals(new double[]{-Math.log(2), -Math.log(2)}, f64(1000, 1000).reshape(1, 2).logSoftmax(1).toDoubleArray(), 1e-12);
    }

    @Test
    void scatterReduceAmaxWithoutSelfSplitsTheGradientAsLibtorchWhenSelfTies() {
        // libtorch counts self in the split wherever self equals the result, even with include_self=False
        Tensor self = f64(2).requiresGrad_(), src = f64(2, 2).requiresGrad_();
        self.scatterReduce(0, Grad4j.tensor(new long[]{0, 0}), src, "amax", false).sum().backward();
        assertArrayEquals(new double[]{1.0 / 3, 1.0 / 3}, src.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{0}, self.grad().toDoubleArray());
    }

    @Test
    void prodOfAZeroDimInfinityPassesTheGradient() {
        Tensor x = Grad4j.scalarTensor(Double.POSITIVE_INFINITY, DType.FLOAT64).requiresGrad_();
        x.prod().backward();
        assertEquals(1.0, x.grad().item(), "libtorch: a 0-d input's prod gradient is grad, not inf / inf");
    }

    @Test
    void integerTensorToNegativeTensorPowersIsZeroButANegativeScalarPowerRaises() {
        Tensor base = Grad4j.tensor(new long[]{2, -1, 1, 7}), exp = Grad4j.tensor(new long[]{-1, -3, -5, Long.MIN_VALUE});
        assertArrayEquals(new long[]{0, -1, 1, 0}, base.pow(exp).toLongArray(), "libtorch's powi");
        ArithmeticException e = org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class, () -> base.pow(-1L));
        assertTrue(e.getMessage().startsWith("Integers to negative integer powers are not allowed.") && e.getMessage().contains("Fix:"));
    }
}
