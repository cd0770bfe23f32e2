package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** torch.logaddexp: stable at large inputs and infinities, PyTorch's gradient, floating inputs only. */
class LogaddexpTest {
    @Test
    void largeInputsDoNotOverflowInFloat32() {
        Tensor a = Grad4j.tensor(new double[]{100, 1000, -1000}).to(DType.FLOAT32);
        Tensor out = a.logaddexp(a);
        assertEquals(DType.FLOAT32, out.dtype());
        assertArrayEquals(new double[]{(float) (100 + Math.log(2)), (float) (1000 + Math.log(2)), (float) (-1000 + Math.log(2))},
                out.toDoubleArray(), 0.0);
    }

    @Test
    void equalInfinitiesGiveThemselvesAndNanPropagates() {
        Tensor a = Grad4j.tensor(new double[]{Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, 0});
        Tensor b = Grad4j.tensor(new double[]{Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1, Double.NEGATIVE_INFINITY});
        assertArrayEquals(new double[]{Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, 0}, a.logaddexp(b).toDoubleArray(), 0.0);
    }

    @Test
    void theGradientIsTheSoftmaxOfTheTwoInputs() {
        Tensor a = Grad4j.tensor(new double[]{0, 1}, DType.FLOAT64).requiresGrad_();
        Tensor b = Grad4j.tensor(new double[]{0, 3}, DType.FLOAT64).requiresGrad_();
        a.logaddexp(b).sum().backward();
        assertArrayEquals(new double[]{0.5, 1 / (1 + Math.exp(2))}, a.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{0.5, 1 / (1 + Math.exp(-2))}, b.grad().toDoubleArray(), 1e-15);
        assertEquals("LogaddexpBackward0", a.logaddexp(b).gradFn().name());
    }

    @Test
    void integerInputsRaiseAsPyTorchsCpuKernelDoes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Grad4j.tensor(new long[]{1}).logaddexp(Grad4j.tensor(new long[]{2})));
        assertTrue(e.getMessage().startsWith("logaddexp: \"logaddexp_cpu\" not implemented for 'torch.int64'"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
    }
}
