package org.grad4j;

import org.grad4j.autograd.Autograd;
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
}
