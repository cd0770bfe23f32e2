package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.Test;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** add_(other, alpha) without a temporary: PyTorch's self + alpha*other, rounded once (its vector FMA). */
class FusedAddAlphaTest {
    @Test
    void float32MatchesOneRoundingPerElement() {
        manualSeed(0);
        for (int n : new int[]{1, 7, 16, 33, 100_003}) {
            Tensor p = randn(n), d = randn(n);
            float[] pv = p.contiguous().toFloatArray(), dv = d.contiguous().toFloatArray();
            int before = p.version();
            try (var g = Autograd.noGrad()) {
                p.add_(d, -0.01);
            }
            assertEquals(before + 1, p.version());
            float[] got = p.toFloatArray();
            for (int i = 0; i < n; i++) assertEquals(Math.fma(-0.01f, dv[i], pv[i]), got[i], 0f, "n=" + n + " i=" + i);
        }
    }

    @Test
    void float64AndStridedFallback() {
        Tensor p = arange(6).to(DType.FLOAT64), d = ones(6).to(DType.FLOAT64);
        p.add_(d, -2.0);
        assertArrayEquals(new double[]{-2, -1, 0, 1, 2, 3}, p.toDoubleArray(), 0);
        Tensor q = zeros(3, 2), e = ones(2, 3).t();                 // non-contiguous other: the general path
        q.add_(e, 0.5);
        assertTrue(q.allclose(full(new int[]{3, 2}, 0.5)));
        Tensor r = ones(4);
        r.add_(r, 2.0);                                              // other aliases self
        assertTrue(r.allclose(full(new int[]{4}, 3.0)));
    }
}
