package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine's per-node input buffer: sums gradients from several paths, writes in place only
 * into a tensor it owns (explicitly: one handed over or one it allocated), never into the others.
 */
class InputBufferTest {
    private static Tensor copy(Tensor t) { return t.clone(); }

    /** The engine runs buffers with grad mode off unless create_graph. */
    @BeforeEach
    void noGrad() { previous = GradMode.setEnabled(false); }

    @AfterEach
    void restore() { GradMode.setEnabled(previous); }

    private boolean previous;

    @Test
    void sumsThreePathsAndWritesOnlyIntoTheOwnedOne() {
        Tensor a = randn(3, 4), b = randn(3, 4), c = randn(3, 4);
        Tensor a0 = copy(a), b0 = copy(b), c0 = copy(c);
        InputBuffer buf = new InputBuffer(1);
        buf.add(0, a, false);
        buf.add(0, b, true);
        buf.add(0, c, false);
        Tensor sum = buf.grads()[0];
        assertTrue(sum.allclose(a0.add(b0).add(c0)));
        assertTrue(a.equal(a0), "a gradient the buffer does not own was written");
        assertTrue(c.equal(c0), "a gradient the buffer does not own was written");
        assertSame(b, sum, "the owned gradient is the sum, without a new allocation");
        assertTrue(buf.owned(0));
    }

    @Test
    void unownedGradientsAreSummedOutOfPlaceIntoATensorTheBufferThenOwns() {
        Tensor a = randn(5), b = randn(5), c = randn(5);
        Tensor a0 = copy(a), b0 = copy(b), c0 = copy(c);
        InputBuffer buf = new InputBuffer(2);
        buf.add(1, a, false);
        assertSame(a, buf.grads()[1]);                 // a single gradient is taken as is, without copy
        assertFalse(buf.owned(1));
        buf.add(1, b, false);
        Tensor firstSum = buf.grads()[1];
        assertTrue(buf.owned(1));
        buf.add(1, c, false);
        assertSame(firstSum, buf.grads()[1], "the buffer's own sum takes the third path in place");
        assertTrue(buf.grads()[1].allclose(a0.add(b0).add(c0)));
        assertTrue(a.equal(a0) && b.equal(b0) && c.equal(c0));
        assertNull(buf.grads()[0]);
    }

    @Test
    void anOwnedFirstGradientTakesTheOthersInPlace() {
        Tensor a = randn(2, 3), b = randn(2, 3);
        Tensor a0 = copy(a), b0 = copy(b);
        InputBuffer buf = new InputBuffer(1);
        buf.add(0, a, true);
        buf.add(0, b, false);
        assertSame(a, buf.grads()[0]);
        assertTrue(a.allclose(a0.add(b0)));
        assertTrue(b.equal(b0));
    }

    @Test
    void aDifferentDtypeIsSummedOutOfPlaceWithPromotion() {
        Tensor a = randn(4), b = randn(4).to(DType.FLOAT64);
        Tensor a0 = copy(a);
        InputBuffer buf = new InputBuffer(1);
        buf.add(0, a, true);
        buf.add(0, b, false);
        assertEquals(DType.FLOAT64, buf.grads()[0].dtype());
        assertTrue(buf.grads()[0].allclose(a0.to(DType.FLOAT64).add(b)));   // a, owned and summed, was released
    }

    @Test
    void underCreateGraphTheSumIsRecordedNotWrittenInPlace() {
        Tensor x = randn(3).requiresGrad_();
        GradMode.setEnabled(true);
        Tensor a = x.mul(2.0), b = x.mul(3.0);
        Tensor a0 = a.detach().clone();
        InputBuffer buf = new InputBuffer(1);
        boolean prev = GradMode.setEnabled(true);
        try {
            buf.add(0, a, true);
            buf.add(0, b, true);
        } finally {
            GradMode.setEnabled(prev);
        }
        Tensor sum = buf.grads()[0];
        assertNotSame(a, sum);
        assertTrue(a.detach().equal(a0));
        assertEquals("AddBackward0", sum.gradFn().name());
    }
}
