package org.grad4j;

import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;
import org.grad4j.storage.Strided;

/** Plumbing every op family uses: PyTorch's type promotion, no-grad casts and copies, kernel operands. */
final class OpSupport {
    private OpSupport() {}

    // ------------------------------------------------------------------ type promotion

    /**
     * PyTorch's result_type: tensors with dims outrank 0-d tensors, which outrank Java scalars,
     * unless a lower-priority operand is of a higher category (bool < integral < floating).
     * Float scalars count as the default dtype (float32).
     */
    static DType resultType(Tensor a, Tensor b) {
        DType dim = null, zero = null, wrapped = null;
        for (Tensor t : new Tensor[]{a, b}) {
            DType cur = t.dtype;
            if (t.wrappedNumber) {
                if (cur.isFloatingPoint()) cur = DType.FLOAT32;
                wrapped = wrapped == null ? cur : DType.promote(wrapped, cur);
            } else if (t.shape.length == 0) {
                zero = zero == null ? cur : DType.promote(zero, cur);
            } else {
                dim = dim == null ? cur : DType.promote(dim, cur);
            }
        }
        return combine(dim, combine(zero, wrapped));
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (lower == null) return higher;
        if (higher.isFloatingPoint()) return higher;
        if (higher == DType.BOOL || lower.isFloatingPoint()) return DType.promote(higher, lower);
        return higher;
    }

    // ------------------------------------------------------------------ no-grad casts and copies

    /** A copy of t in dtype d (t itself if it already has d); no autograd. */
    static Tensor cast(Tensor t, DType d) {
        if (t.dtype == d) return t;
        Tensor out = Tensor.emptyLike(t, t.shape.clone(), d);
        t.backend().elementwise().copy(t.strided(), out.strided());
        out.wrappedNumber = t.wrappedNumber;
        return out;
    }

    /** A contiguous copy without autograd. */
    static Tensor copyOf(Tensor a) {
        Tensor out = Tensor.emptyLike(a, a.shape.clone(), a.dtype);
        a.backend().elementwise().copy(a.strided(), out.strided());
        return out;
    }

    // ------------------------------------------------------------------ kernel operands

    /** t as a kernel operand over {@code shape}: its strides broadcast to that shape (0 along expanded dims). */
    static Strided view(Tensor t, int[] shape) {
        return new Strided(t.storage, shape, Shapes.broadcastStrides(t.shape, t.strides, shape), t.offset);
    }

    /** A kernel operand at an explicit layout of t's storage (a window of an output, a non-default stride set). */
    static Strided at(Tensor t, int[] shape, int[] strides, int offset) {
        return new Strided(t.storage, shape, strides, offset);
    }
}
