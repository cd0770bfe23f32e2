package org.grad4j;

import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.storage.Shapes;

/** Binary elementwise ops beyond add/sub/mul/div: rounding division, atan2, fmod, remainder, lerp, tensor clamp. */
final class BinaryOps {
    private BinaryOps() {}

    /** div with rounding_mode "trunc" or "floor" (null: true division). Integer inputs stay integer. */
    static Tensor div(Tensor a, Tensor b, String mode) {
        if (mode == null) return Ops.div(a, b);
        BinaryOp op = switch (mode) {
            case "trunc" -> BinaryOp.DIV_TRUNC;
            case "floor" -> BinaryOp.DIV_FLOOR;
            default -> throw new IllegalArgumentException("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                    + "but found '" + mode + "'");
        };
        DType rt = Ops.resultType(a, b);
        if (rt == DType.BOOL) rt = DType.INT64;
        Tensor out = Ops.binaryForward(op, a, b, rt, "div");
        if (rt.isFloatingPoint() && Graph.needsGrad(a, b)) {
            // rounding makes the result piecewise constant: PyTorch returns zero gradients
            int k = Ops.kind(a, b);
            int[] as = a.shape, bs = b.shape;
            Graph.record(out, "DivBackward2", (g, n) -> Ops.grads(k, g[0].mul(0.0).sumTo(as), g[0].mul(0.0).sumTo(bs)),
                    null, Ops.inputs(a, b));
        }
        return out;
    }

    static Tensor atan2(Tensor a, Tensor b) {
        DType rt = Ops.resultType(a, b);
        if (!rt.isFloatingPoint()) rt = DType.FLOAT32;
        Tensor out = Ops.binaryForward(BinaryOp.ATAN2, a, b, rt, "atan2");
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = Graph.save(a), sb = Graph.save(b);
            int k = Ops.kind(a, b);
            Graph.record(out, "Atan2Backward0", (g, n) -> {
                Tensor x = sa.unpack(), y = sb.unpack();
                Tensor r = g[0].div(x.mul(x).add(y.mul(y)));
                return Ops.grads(k, r.mul(y), r.mul(x).neg());
            }, new SavedTensor[]{sa, sb}, Ops.inputs(a, b));
        }
        return out;
    }

    /**
     * log(exp(a) + exp(b)), computed stably (torch.logaddexp); floating inputs only, as PyTorch's CPU kernel.
     * Gradients as PyTorch's derivatives.yaml: g / (1 + exp(b - a)) and g / (1 + exp(a - b)).
     */
    static Tensor logaddexp(Tensor a, Tensor b) {
        DType rt = Ops.resultType(a, b);
        if (!rt.isFloatingPoint()) {
            throw new IllegalArgumentException("logaddexp: \"logaddexp_cpu\" not implemented for '" + rt + "' (shapes "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape) + "). Fix: convert to a floating dtype first, "
                    + "e.g. a.to(DType.FLOAT32)");
        }
        Tensor out = Ops.binaryForward(BinaryOp.LOGADDEXP, a, b, rt, "logaddexp");
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = Graph.save(a), sb = Graph.save(b);
            int k = Ops.kind(a, b);
            Graph.record(out, "LogaddexpBackward0", (g, n) -> {
                Tensor x = sa.unpack(), y = sb.unpack();
                return Ops.grads(k, g[0].div(y.sub(x).exp().add(1.0)), g[0].div(x.sub(y).exp().add(1.0)));
            }, new SavedTensor[]{sa, sb}, Ops.inputs(a, b));
        }
        return out;
    }

    /** fmod (C's remainder, sign of the dividend) or remainder (Python's %, sign of the divisor). */
    static Tensor fmodRemainder(Tensor a, Tensor b, boolean python) {
        DType rt = Ops.resultType(a, b);
        String name = python ? "remainder" : "fmod";
        Tensor out = Ops.binaryForward(python ? BinaryOp.REMAINDER : BinaryOp.FMOD, a, b, rt, name);
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = b.requiresGrad() ? Graph.save(a) : null, sb = b.requiresGrad() ? Graph.save(b) : null;
            String node = (python ? "RemainderBackward" : "FmodBackward") + (b.wrappedNumber ? "0" : "1");
            int k = Ops.kind(a, b);
            Graph.record(out, node, (g, n) -> {
                Tensor gb = null;
                if (sb != null) {
                    Tensor x = sa.unpack(), y = sb.unpack();
                    gb = g[0].mul(div(x, y, python ? "floor" : "trunc")).neg();
                }
                return Ops.grads(k, g[0], gb);
            }, new SavedTensor[]{sa, sb}, Ops.inputs(a, b));
        }
        return out;
    }

    /** {@code start + weight * (end - start)}; weight a Java scalar (LerpBackward0) or a tensor (LerpBackward1). */
    static Tensor lerp(Tensor start, Tensor end, Tensor weight) {
        if (!start.dtype.isFloatingPoint() || start.dtype != end.dtype) {
            throw new IllegalArgumentException("lerp: expected floating start and end of the same dtype, got " + start.dtype
                    + " and " + end.dtype + ". Fix: convert both, e.g. end.to(start.dtype())");
        }
        Tensor out;
        boolean wt = !weight.wrappedNumber;
        try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
            // libtorch's two formulas: from start for |w| < 0.5, from end otherwise (exact at w = 1, and no
            // inf * 0 from a far weight)
            Tensor d = end.sub(start);
            // 1 - w in double: weight.rsub(1.0) of two wrapped numbers would round to the default dtype, float32
            if (!wt) out = Math.abs(weight.item()) < 0.5 ? start.add(d.mul(weight)) : end.sub(d.mul(1.0 - weight.item()));
            else out = Ops.where(weight.abs().lt(0.5), start.add(d.mul(weight)), end.sub(d.mul(weight.rsub(1.0))));
        }
        Tensor[] ins = wt ? new Tensor[]{start, end, weight} : new Tensor[]{start, end};
        if (Graph.needsGrad(ins)) {
            SavedTensor sw = Graph.save(weight), ss = wt ? Graph.save(start) : null, se = wt ? Graph.save(end) : null;
            Graph.record(out, wt ? "LerpBackward1" : "LerpBackward0", (g, n) -> {
                Tensor w = sw.unpack();
                Tensor gs = n.needsInputGrad(0) ? (wt ? g[0].mul(w.rsub(1.0)) : g[0].mul(1.0 - w.item())) : null;
                Tensor ge = n.needsInputGrad(1) ? g[0].mul(w) : null;
                if (!wt) return new Tensor[]{gs, ge};
                Tensor gw = n.needsInputGrad(2) ? g[0].mul(se.unpack().sub(ss.unpack())) : null;
                return new Tensor[]{gs, ge, gw};
            }, new SavedTensor[]{sw, ss, se}, ins);
        }
        return out;
    }

    /** clamp with tensor bounds (either may be null), broadcasting (ClampBackward0). */
    static Tensor clamp(Tensor x, Tensor min, Tensor max) {
        if (min == null && max == null) throw new IllegalArgumentException("clamp: At least one of 'min' or 'max' must not be None");
        Tensor out;
        try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
            out = x;
            if (min != null) out = Ops.maxMin(out, min, true);
            if (max != null) out = Ops.maxMin(out, max, false);
            if (out == x) out = Ops.copyOf(x);
        }
        Tensor[] ins = {x, min, max};
        if (Graph.needsGrad(ins)) {
            SavedTensor sx = Graph.save(x), smin = min == null ? null : Graph.save(min), smax = max == null ? null : Graph.save(max);
            Graph.record(out, "ClampBackward0", (g, n) -> {
                Tensor v = sx.unpack();
                Tensor lo = smin == null ? null : smin.unpack(), hi = smax == null ? null : smax.unpack();
                Tensor keep = null;
                if (lo != null) keep = v.ge(lo);
                if (hi != null) keep = keep == null ? v.le(hi) : keep.logicalAnd(v.le(hi));
                Tensor zero = g[0].mul(0.0);
                Tensor gx = Ops.where(keep, g[0], zero).sumTo(v.shape);
                // libtorch's clamp_backward_min_max: where min > max the result is max, so max gets the gradient
                Tensor minWins = lo == null ? null : hi == null ? v.lt(lo) : v.lt(lo).logicalAnd(lo.lt(hi));
                Tensor maxWins = hi == null ? null : lo == null ? v.gt(hi) : v.gt(hi).logicalOr(hi.lt(lo));
                Tensor gmin = lo == null || !n.needsInputGrad(1) ? null : Ops.where(minWins, g[0], zero).sumTo(lo.shape);
                Tensor gmax = hi == null || !n.needsInputGrad(2) ? null : Ops.where(maxWins, g[0], zero).sumTo(hi.shape);
                return new Tensor[]{gx, gmin, gmax};
            }, new SavedTensor[]{sx, smin, smax}, ins);
        }
        return out;
    }
}
