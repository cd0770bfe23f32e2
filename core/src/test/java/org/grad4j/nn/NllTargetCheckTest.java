package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** nll_loss's class-index check (now a backend scan) names the first bad target in row-major order. */
class NllTargetCheckTest {
    @Test
    void theFirstOutOfRangeTargetOfAStridedTargetIsNamedAndIgnoreIndexIsAllowed() {
        Tensor logits = Grad4j.randn(2, 2, 3);                                   // [N, C, d]: targets [N, d]
        // [2, 3] transposed view of [[0, 5], [-100, 1], [7, 2]]: row-major 0, -100, 7, 5, 1, 2
        Tensor target = Grad4j.tensor(new long[]{0, 5, -100, 1, 7, 2}).reshape(3, 2).t();
        Tensor lp = logits.logSoftmax(1).transpose(1, 2).contiguous().transpose(1, 2);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> F.nllLoss(lp, target));
        assertEquals("nll_loss: Target 7 is out of bounds (the input has 2 classes)", e.getMessage());
        Tensor ok = Grad4j.tensor(new long[]{0, 1, -100, 1, 0, 0}).reshape(3, 2).t();
        assertTrue(Double.isFinite(F.nllLoss(lp, ok).item()));
    }
}
