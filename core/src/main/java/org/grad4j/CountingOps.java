package org.grad4j;

import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;

import java.util.Arrays;

/** Non-differentiable counting ops: unique (sorted) with inverse and counts, bincount. */
final class CountingOps {
    private CountingOps() {}

    /** {@code torch.unique(x, sorted=True, return_inverse=True, return_counts=True)} over all elements. */
    record Unique(Tensor values, Tensor inverse, Tensor counts) {}

    static Unique unique(Tensor x) { return unique(x, true); }

    /**
     * {@code torch.unique_consecutive(x, return_inverse=True, return_counts=True)} over the flattened
     * elements: runs of equal neighbours collapse; NaN != NaN, so NaNs never merge.
     */
    static Unique uniqueConsecutive(Tensor x) { return unique(x, false); }

    /** sorted: torch.unique's ascending numbering (NaN last, each NaN alone, -0 == 0); else unique_consecutive's runs. */
    private static Unique unique(Tensor x, boolean sorted) {
        var k = x.backend().counting();
        Tensor inverse = Tensor.emptyLike(x, x.shape.clone(), DType.INT64);
        int distinct = k.uniqueInverse(x.strided(), sorted, inverse.storage);
        Tensor values = Tensor.emptyLike(x, new int[]{distinct}, x.dtype), counts = Tensor.emptyLike(x, new int[]{distinct}, DType.INT64);
        k.uniqueFill(x.strided(), inverse.storage, values.storage, counts.storage);
        return new Unique(values, inverse, counts);
    }

    /** {@code torch.bincount(x, weights=None, minlength)} of a 1-d non-negative int64 tensor. */
    static Tensor bincount(Tensor x, int minlength) {
        if (x.dim() != 1 || (x.dtype != DType.INT64 && x.dtype != DType.INT32)) {
            throw new IllegalArgumentException("bincount only supports 1-d non-negative integral inputs, got " + x.dtype + " of shape "
                    + Arrays.toString(x.shape));
        }
        long max = x.backend().counting().maxNonNegative(x.strided(), "bincount");
        if (minlength < 0) throw new IllegalArgumentException("bincount: minlength should be >= 0, got " + minlength);
        // the largest value sets the length: say so when it does not fit one Java array (never a wrapped int)
        Tensor out = Tensor.emptyLike(x, new int[]{Shapes.checkedDim("bincount", Math.max(max + 1, minlength), Shapes.SCALAR)}, DType.INT64);
        x.backend().counting().bincount(x.strided(), out.storage);
        return out;
    }
}
