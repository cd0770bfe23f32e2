package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 12 item 4 (a): an index, mask or condition a gradient formula needs is saved with its version,
 * so changing it in place between forward and backward raises PyTorch's error instead of giving a
 * silently wrong gradient.
 */
class SavedStateTest {
    private static Tensor x() { return randn(3, 4).to(DType.FLOAT64).requiresGrad_(); }

    private static Tensor idx(long[] v, int... shape) { return fromArray(v, shape); }

    /** Runs forward, changes the saved tensor in place (bumping its version to 1), then backward must fail. */
    private static void assertInplaceChangeDetected(Tensor out, Tensor changed, Function<Tensor, Tensor> change) {
        change.apply(changed);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> out.sum().backward());
        assertTrue(e.getMessage().startsWith("one of the variables needed for gradient computation has been modified by an "
                + "inplace operation: ["), e.getMessage());
        assertTrue(e.getMessage().contains("is at version 1; expected version 0 instead. Hint: "), e.getMessage());
    }

    @Test
    void gatherIndexChangedInPlaceBeforeBackwardRaises() {
        Tensor i = idx(new long[]{0, 1, 2, 3, 1, 1}, 3, 2);
        assertInplaceChangeDetected(x().gather(1, i), i, t -> t.zero_());
    }

    @Test
    void scatterAddIndexChangedInPlaceBeforeBackwardRaises() {
        Tensor src = randn(2, 4).to(DType.FLOAT64).requiresGrad_();
        Tensor i = idx(new long[]{0, 1, 2, 0, 1, 2, 0, 1}, 2, 4);
        assertInplaceChangeDetected(zeros(new int[]{3, 4}, DType.FLOAT64).scatterAdd(0, i, src), i, t -> t.zero_());
    }

    @Test
    void scatterIndexChangedInPlaceBeforeBackwardRaises() {
        Tensor src = randn(2, 4).to(DType.FLOAT64).requiresGrad_();
        Tensor i = idx(new long[]{0, 1, 2, 0, 1, 2, 0, 1}, 2, 4);
        assertInplaceChangeDetected(x().scatter(0, i, src), i, t -> t.zero_());
    }

    @Test
    void indexSelectIndexChangedInPlaceBeforeBackwardRaises() {
        Tensor i = idx(new long[]{2, 0, 2}, 3);
        assertInplaceChangeDetected(x().indexSelect(1, i), i, t -> t.zero_());
    }

    @Test
    void indexAddIndexChangedInPlaceBeforeBackwardRaises() {
        Tensor src = randn(3, 2).to(DType.FLOAT64).requiresGrad_();
        Tensor i = idx(new long[]{3, 0}, 2);
        assertInplaceChangeDetected(x().indexAdd(1, i, src), i, t -> t.zero_());
    }

    @Test
    void embeddingIndicesChangedInPlaceBeforeBackwardRaises() {
        Tensor i = idx(new long[]{1, 0, 2, 1}, 2, 2);
        assertInplaceChangeDetected(F.embedding(i, x()), i, t -> t.zero_());
    }

    @Test
    void maskedFillMaskChangedInPlaceBeforeBackwardRaises() {
        Tensor x = x();
        Tensor mask = x.detach().gt(0.0);
        assertInplaceChangeDetected(x.maskedFill(mask, 0.0), mask, t -> t.zero_());
    }

    @Test
    void inPlaceMaskedFillMaskChangedBeforeBackwardRaises() {
        Tensor x = x();
        Tensor mask = x.detach().gt(0.0);
        Tensor y = x.mul(1.0).maskedFill_(mask, 0.0);
        assertInplaceChangeDetected(y, mask, t -> t.zero_());
    }

    @Test
    void whereConditionChangedInPlaceBeforeBackwardRaises() {
        Tensor x = x();
        Tensor cond = x.detach().gt(0.0);
        assertInplaceChangeDetected(x.where(cond, zeros(new int[]{3, 4}, DType.FLOAT64)), cond, t -> t.zero_());
    }

    @Test
    void maxPoolIndicesChangedInPlaceBeforeBackwardRaises() {
        Tensor in = randn(1, 1, 4, 4).to(DType.FLOAT64).requiresGrad_();
        Tensor[] r = F.maxPool2dWithIndices(in, new int[]{2, 2}, new int[]{2, 2}, new int[]{0, 0}, new int[]{1, 1}, false);
        assertInplaceChangeDetected(r[0], r[1], t -> t.zero_());
    }

    @Test
    void maxDimIndicesChangedInPlaceBeforeBackwardRaises() {
        var r = x().max(1);
        assertInplaceChangeDetected(r.values(), r.indices(), t -> t.zero_());
    }

    /**
     * nll_loss and cross_entropy are composite here: they gather with a copy of the target (its ignored
     * entries replaced), so a later in-place change of the target cannot reach the gradient. PyTorch's
     * fused node saves the target and raises instead; grad4j's gradient stays the one of the forward.
     */
    @Test
    void nllLossTargetChangedInPlaceAfterForwardDoesNotChangeTheGradient() {
        Tensor x = x();
        Tensor t = idx(new long[]{1, 3, 0}, 3);
        Tensor loss = F.nllLoss(x, t);
        t.zero_();
        loss.backward();
        double third = -1.0 / 3;
        assertArrayEquals(new double[]{0, third, 0, 0, 0, 0, 0, third, third, 0, 0, 0}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void unchangedIndexStillGivesTheGradient() {
        Tensor x = x();
        Tensor i = idx(new long[]{0, 0, 2, 3, 1, 1}, 3, 2);
        x.gather(1, i).sum().backward();
        assertArrayEquals(new double[]{2, 0, 0, 0, 0, 0, 1, 1, 0, 2, 0, 0}, x.grad().toDoubleArray());
    }
}
