package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * AccumulateGrad keeps a fresh gradient as .grad without copying it; these check that .grad then
 * never shares memory with anything else the user can reach, and that it still is stolen when safe.
 */
class GradStealingTest {
    private static boolean shares(Tensor a, Tensor b) { return a.storage() == b.storage(); }

    @Test
    void passThroughGradientsAreCopiedPerLeaf() {
        Tensor a = randn(3, 4).requiresGrad_(), b = randn(3, 4).requiresGrad_();
        Tensor seed = randn(3, 4);
        a.add(b).backward(seed);                       // AddBackward hands the same gradient to both
        assertFalse(shares(a.grad(), b.grad()));
        assertFalse(shares(a.grad(), seed));
        assertFalse(shares(b.grad(), seed));
        a.grad().add_(1.0);
        assertTrue(b.grad().allclose(seed));
    }

    @Test
    void userGradientIsNeverKept() {
        Tensor x = randn(5).requiresGrad_();
        Tensor seed = randn(5);
        x.mul(1.0).backward(seed);
        Tensor y = randn(5).requiresGrad_();
        y.reshape(5).backward(seed);                   // a view of the user's gradient reaches the leaf
        assertFalse(shares(x.grad(), seed));
        assertFalse(shares(y.grad(), seed));
    }

    @Test
    void retainedAndHookedGradientsStaySeparate() {
        Tensor x = randn(2, 3).requiresGrad_(), z = randn(2, 3).requiresGrad_();
        Tensor y = x.add(z);
        y.retainGrad();
        y.sum().backward();
        assertFalse(shares(x.grad(), y.grad()));
        assertFalse(shares(z.grad(), y.grad()));

        Tensor w = randn(4).requiresGrad_();
        List<Tensor> seen = new ArrayList<>();
        w.registerHook(g -> { seen.add(g); return null; });
        w.mul(3.0).sum().backward();
        assertEquals(1, seen.size());
        assertFalse(shares(w.grad(), seen.get(0)));
    }

    @Test
    void gradientsOfInputsAreNotKeptAsGrad() {
        Tensor x = randn(4).requiresGrad_();
        Tensor[] g = Autograd.grad(new Tensor[]{x.mul(2.0).sum()}, new Tensor[]{x}, null, true, false, false);
        x.mul(2.0).sum().backward();
        assertFalse(shares(x.grad(), g[0]));
    }

    @Test
    void savedTensorsAreNotKept() {
        // d(a*b)/da = g*b is fresh; but an op whose gradient is a saved value must not hand that over
        Tensor a = randn(3).requiresGrad_(), b = randn(3).requiresGrad_();
        Tensor out = a.mul(b);
        out.backward(ones(3), true);
        assertFalse(shares(a.grad(), b));
        assertFalse(shares(b.grad(), a));
        a.grad().zero_();
        assertFalse(b.allclose(zeros(3)));
    }

    @Test
    void freshGradientIsKeptAndLaterOnesAccumulate() {
        Tensor x = randn(6).requiresGrad_();
        x.mul(2.0).sum().backward();
        Tensor first = x.grad();
        assertTrue(first.allclose(full(new int[]{6}, 2.0)));
        x.mul(3.0).sum().backward();
        assertSame(first, x.grad());                   // accumulated in place into the stolen tensor
        assertTrue(x.grad().allclose(full(new int[]{6}, 5.0)));
    }

    @Test
    void linearWeightGradientIsRowMajorAndSeparateFromItsSiblings() {
        Tensor x = randn(5, 4), w = randn(3, 4).requiresGrad_(), b = randn(3).requiresGrad_();
        Tensor y = x.matmul(w.t()).add(b);
        Tensor seed = randn(5, 3);
        y.backward(seed);
        assertTrue(w.grad().isContiguous());
        assertTrue(w.grad().allclose(seed.t().mm(x), 1e-5, 1e-6));
        assertTrue(b.grad().allclose(seed.sum(0), 1e-5, 1e-6));
        assertFalse(shares(w.grad(), seed));
        assertFalse(shares(b.grad(), seed));
        // a leaf used twice through transposes: two gradients summed, neither kept alone
        Tensor v = randn(2, 2).requiresGrad_();
        v.t().add(v.t()).sum().backward();
        assertTrue(v.grad().allclose(full(new int[]{2, 2}, 2.0)));
    }
}
