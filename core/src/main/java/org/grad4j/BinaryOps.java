package org.grad4j;

import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;

/**
 * Binary and ternary elementwise ops: forward (type promotion, broadcasting, kernel call) and gradient
 * formulas together: arithmetic, pow, maximum/minimum, comparisons, where, masked_fill, rounding division,
 * atan2, logaddexp, fmod/remainder, lerp and clamp with tensor bounds.
 */
final class BinaryOps {
    private BinaryOps() {}

    // ------------------------------------------------------------------ forward without autograd, node inputs/grads

    /** Forward of a binary op without autograd. */
    static Tensor binaryForward(BinaryOp op, Tensor a, Tensor b, DType compute, String opName) {
        int[] shape = Shapes.broadcast(a.shape, b.shape, opName);
        Tensor on = DeviceOps.common(opName, a, b);
        Tensor x = OpSupport.cast(a, compute), y = OpSupport.cast(b, compute);
        Tensor out = Tensor.emptyLike(on, shape, op.isComparison() ? DType.BOOL : compute);
        out.backend().elementwise().binary(op, OpSupport.view(x, shape), OpSupport.view(y, shape), out.strided());
        return out;
    }

    /** The inputs a node gets: Java scalars are not graph inputs (so next_functions match PyTorch). */
    static Tensor[] inputs(Tensor a, Tensor b) {
        if (b.wrappedNumber) return new Tensor[]{a};
        if (a.wrappedNumber) return new Tensor[]{b};
        return new Tensor[]{a, b};
    }

    /** Which of (a, b) are graph inputs, for {@link #grads}: computed at forward so formulas capture no tensor. */
    static int kind(Tensor a, Tensor b) { return b.wrappedNumber ? 1 : a.wrappedNumber ? 2 : 0; }

    /** The gradients a node returns for the inputs {@link #inputs} gave it ({@code kind} from {@link #kind}). */
    static Tensor[] grads(int kind, Tensor ga, Tensor gb) {
        if (kind == 1) return new Tensor[]{ga};
        if (kind == 2) return new Tensor[]{gb};
        return new Tensor[]{ga, gb};
    }

    private static void checkBoolArith(Tensor a, Tensor b, String op) {
        if (a.dtype == DType.BOOL && b.dtype == DType.BOOL && (op.equals("sub") || op.equals("neg"))) {
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                    + "Use the `^` or `logical_xor()` operator instead.");
        }
    }

    // ------------------------------------------------------------------ arithmetic, pow, maximum/minimum

    static Tensor add(Tensor a, Tensor b, double alpha) {
        DType rt = OpSupport.resultType(a, b);
        Tensor out = alpha == 1 ? binaryForward(BinaryOp.ADD, a, b, rt, "add")
                : binaryForward(BinaryOp.ADD, a, binaryForward(BinaryOp.MUL, b, Tensor.wrapScalar(alpha), rt, "add"), rt, "add");
        if (Graph.needsGrad(a, b)) {
            int k = kind(a, b);
            Graph.record(out, "AddBackward0", (g, n) -> grads(k, g[0], alpha == 1 ? g[0] : g[0].mul(alpha)), null, inputs(a, b));
        }
        return out;
    }

    static Tensor sub(Tensor a, Tensor b, double alpha) {
        checkBoolArith(a, b, "sub");
        DType rt = OpSupport.resultType(a, b);
        Tensor out = alpha == 1 ? binaryForward(BinaryOp.SUB, a, b, rt, "sub")
                : binaryForward(BinaryOp.SUB, a, binaryForward(BinaryOp.MUL, b, Tensor.wrapScalar(alpha), rt, "sub"), rt, "sub");
        if (Graph.needsGrad(a, b)) {
            int k = kind(a, b);
            Graph.record(out, "SubBackward0", (g, n) -> grads(k, g[0], alpha == 1 ? g[0].neg() : g[0].mul(-alpha)), null, inputs(a, b));
        }
        return out;
    }

    /** {@code scalar - self}. */
    static Tensor rsub(Tensor self, Tensor scalar) {
        DType rt = OpSupport.resultType(self, scalar);
        Tensor out = binaryForward(BinaryOp.SUB, scalar, self, rt, "rsub");
        if (Graph.needsGrad(self)) Graph.record(out, "RsubBackward1", (g, n) -> new Tensor[]{g[0].neg()}, null, self);
        return out;
    }

    static Tensor mul(Tensor a, Tensor b) {
        DType rt = OpSupport.resultType(a, b);
        Tensor out = binaryForward(BinaryOp.MUL, a, b, rt, "mul");
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = b.requiresGrad() ? Graph.save(a) : null;
            SavedTensor sb = a.requiresGrad() ? Graph.save(b) : null;
            int k = kind(a, b);
            Graph.record(out, "MulBackward0", (g, n) -> grads(k,
                    sb == null ? null : g[0].mul(sb.unpack()),
                    sa == null ? null : g[0].mul(sa.unpack())), new SavedTensor[]{sa, sb}, inputs(a, b));
        }
        return out;
    }

    static Tensor div(Tensor a, Tensor b) {
        DType rt = OpSupport.resultType(a, b);
        if (!rt.isFloatingPoint()) rt = DType.FLOAT32;   // true division: int / int gives the default float
        Tensor out = binaryForward(BinaryOp.DIV, a, b, rt, "div");
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = b.requiresGrad() ? Graph.save(a) : null;
            SavedTensor sb = Graph.save(b);
            int k = kind(a, b);
            boolean aGrad = a.requiresGrad();
            Graph.record(out, "DivBackward0", (g, n) -> {
                Tensor bb = sb.unpack();
                Tensor ga = aGrad ? g[0].div(bb) : null;
                // libtorch's order, -g * ((a / b) / b): b * b would underflow (or overflow) where a / b / b does not
                Tensor gb = sa == null ? null : g[0].neg().mul(sa.unpack().div(bb).div(bb));
                return grads(k, ga, gb);
            }, new SavedTensor[]{sa, sb}, inputs(a, b));
        }
        return out;
    }

    /** {@code self ** exponent} for a Java scalar exponent (PowBackward0). */
    static Tensor powScalar(Tensor a, Tensor e) {
        DType rt = OpSupport.resultType(a, e);
        double ev = e.item();
        if (!rt.isFloatingPoint() && ev < 0) {
            throw new ArithmeticException("Integers to negative integer powers are not allowed. (pow: " + a.dtype
                    + " tensor of shape " + java.util.Arrays.toString(a.shape) + " to the power " + (long) ev
                    + ") Fix: use a float exponent or tensor, e.g. x.pow(" + (long) ev + ".0)");
        }
        Tensor out;
        if (ev == 2.0 && rt.isFloatingPoint()) out = binaryForward(BinaryOp.MUL, a, a, rt, "pow");
        else out = binaryForward(BinaryOp.POW, a, e, rt, "pow");
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a);
            Graph.record(out, "PowBackward0", (g, n) -> {
                if (ev == 0.0) return new Tensor[]{g[0].mul(0.0)};
                Tensor x = sa.unpack();
                Tensor d = ev == 2.0 ? x.mul(2.0) : x.pow(ev - 1).mul(ev);
                return new Tensor[]{g[0].mul(d)};
            }, new SavedTensor[]{sa}, a);
        }
        return out;
    }

    /** {@code self ** exponent} elementwise (PowBackward1). */
    static Tensor powTensor(Tensor a, Tensor e) {
        DType rt = OpSupport.resultType(a, e);
        Tensor out = binaryForward(BinaryOp.POW, a, e, rt, "pow");
        if (Graph.needsGrad(a, e)) {
            SavedTensor sa = Graph.save(a), se = Graph.save(e), so = e.requiresGrad() ? Graph.save(out) : null;
            int k = kind(a, e);
            Graph.record(out, "PowBackward1", (g, n) -> {
                Tensor x = sa.unpack(), y = se.unpack();
                Tensor ga = null, gb = null;
                if (n.needsInputGrad(0)) {
                    Tensor d = y.mul(x.pow(y.sub(1.0)));
                    ga = g[0].mul(d.maskedFill(y.eq(0.0), 0.0));
                }
                if (so != null) {
                    Tensor r = so.unpack();
                    Tensor d = r.mul(x.log()).maskedFill(x.eq(0.0).logicalAnd(y.ge(0.0)), 0.0);
                    gb = g[0].mul(d);
                }
                return grads(k, ga, gb);
            }, new SavedTensor[]{sa, se, so}, inputs(a, e));
            if (so != null) { /* saved output: version recorded after history set */ }
        }
        return out;
    }

    /** {@code base ** self} for a Java scalar base (PowBackward2). */
    static Tensor rpow(Tensor base, Tensor e) {
        DType rt = OpSupport.resultType(base, e);
        if (!rt.isFloatingPoint()) rt = DType.promote(rt, DType.INT64);
        Tensor out = binaryForward(BinaryOp.POW, base, e, rt, "pow");
        if (Graph.needsGrad(e)) {
            double bv = base.item();
            SavedTensor so = Graph.save(out);
            SavedTensor se = Graph.save(e);
            Graph.record(out, "PowBackward2", (g, n) -> {
                Tensor d = so.unpack().mul(Math.log(bv));
                if (bv == 0.0) d = d.maskedFill(se.unpack().ge(0.0), 0.0);
                return new Tensor[]{g[0].mul(d)};
            }, new SavedTensor[]{so, se}, e);
        }
        return out;
    }

    /** Elementwise maximum/minimum; at ties the gradient is split in half between the inputs. */
    static Tensor maxMin(Tensor a, Tensor b, boolean max) {
        DType rt = OpSupport.resultType(a, b);
        Tensor out = binaryForward(max ? BinaryOp.MAXIMUM : BinaryOp.MINIMUM, a, b, rt, max ? "maximum" : "minimum");
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = Graph.save(a), sb = Graph.save(b);
            int k = kind(a, b);
            Graph.record(out, max ? "MaximumBackward0" : "MinimumBackward0", (g, n) -> {
                Tensor x = sa.unpack(), y = sb.unpack();
                // libtorch's masks: each side keeps the gradient unless it lost the comparison, so where either is
                // NaN both get it (the result is NaN); at ties each gets half
                Tensor half = where(x.eq(y), g[0].mul(0.5), g[0]);
                Tensor ga = n.needsInputGrad(0) ? half.maskedFill(max ? x.lt(y) : x.gt(y), 0.0) : null;
                Tensor gb = n.needsInputGrad(1) ? half.maskedFill(max ? x.gt(y) : x.lt(y), 0.0) : null;
                return grads(k, ga, gb);
            }, new SavedTensor[]{sa, sb}, inputs(a, b));
        }
        return out;
    }

    // ------------------------------------------------------------------ comparisons, where, masks

    static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        DType ct = OpSupport.resultType(a, b);
        return binaryForward(op, a, b, ct, op.name().toLowerCase());
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + cond.dtype + ". Fix: pass a comparison result such as x.gt(0), or cond.toBool()");
        }
        DType rt = OpSupport.resultType(a, b);
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.shape, a.shape, "where"), b.shape, "where");
        Tensor on = DeviceOps.common("where", cond, a, b);
        Tensor x = OpSupport.cast(a, rt), y = OpSupport.cast(b, rt);
        Tensor out = Tensor.emptyLike(on, shape, rt);
        out.backend().elementwise().where(OpSupport.view(cond, shape), OpSupport.view(x, shape), OpSupport.view(y, shape), out.storage);
        if (Graph.needsGrad(a, b)) {
            int k = kind(a, b);
            boolean aGrad = a.requiresGrad(), bGrad = b.requiresGrad();
            SavedTensor sc = Graph.save(cond);
            Graph.record(out, "WhereBackward0", (g, n) -> {
                Tensor zero = Tensor.wrapScalar(0.0);
                Tensor c = sc.unpack();
                return grads(k,
                        aGrad ? where(c, g[0], zero) : null,
                        bGrad ? where(c, zero, g[0]) : null);
            }, new SavedTensor[]{sc}, inputs(a, b));
        }
        return out;
    }

    static Tensor maskedFill(Tensor a, Tensor mask, Tensor value) {
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill only supports boolean masks, but got mask with dtype " + mask.dtype
                    + ". Fix: use a comparison result (x.lt(0)) or mask.toBool()");
        }
        if (!value.wrappedNumber && value.dim() != 0) {
            throw new IllegalArgumentException("masked_fill only supports a 0-dimensional value tensor, but got tensor with "
                    + value.dim() + " dimension(s).");
        }
        Shapes.broadcast(a.shape, mask.shape, "masked_fill");
        if (!Tensor.isExpandableTo(mask.shape, a.shape)) {
            throw new IllegalArgumentException("masked_fill: mask of shape " + Shapes.str(mask.shape)
                    + " must broadcast to the tensor's shape " + Shapes.str(a.shape) + " without changing it");
        }
        Tensor v = OpSupport.cast(value, a.dtype);
        Tensor out = Tensor.emptyLike(a, a.shape.clone(), a.dtype);
        out.backend().elementwise().where(OpSupport.view(mask, a.shape), OpSupport.view(v, a.shape), a.strided(), out.storage);
        if (Graph.needsGrad(a, value.wrappedNumber ? a : value)) {
            boolean valueGrad = !value.wrappedNumber && value.requiresGrad();
            boolean aGrad = a.requiresGrad();
            SavedTensor sm = Graph.save(mask);
            Graph.record(out, "MaskedFillBackward0", (g, n) -> {
                Tensor m = sm.unpack();
                Tensor ga = aGrad ? g[0].maskedFill(m, 0.0) : null;
                if (!valueGrad) return new Tensor[]{ga};
                Tensor gv = where(m, g[0], Tensor.wrapScalar(0.0)).sum();
                return new Tensor[]{ga, gv};
            }, new SavedTensor[]{sm}, valueGrad ? new Tensor[]{a, value} : new Tensor[]{a});
        }
        return out;
    }

    // ------------------------------------------------------------------ div modes, atan2, logaddexp, fmod, lerp, clamp

    /** div with rounding_mode "trunc" or "floor" (null: true division). Integer inputs stay integer. */
    static Tensor div(Tensor a, Tensor b, String mode) {
        if (mode == null) return div(a, b);
        BinaryOp op = switch (mode) {
            case "trunc" -> BinaryOp.DIV_TRUNC;
            case "floor" -> BinaryOp.DIV_FLOOR;
            default -> throw new IllegalArgumentException("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                    + "but found '" + mode + "'");
        };
        DType rt = OpSupport.resultType(a, b);
        if (rt == DType.BOOL) rt = DType.INT64;
        Tensor out = binaryForward(op, a, b, rt, "div");
        if (rt.isFloatingPoint() && Graph.needsGrad(a, b)) {
            // rounding makes the result piecewise constant: PyTorch returns zero gradients
            int k = kind(a, b);
            int[] as = a.shape, bs = b.shape;
            Graph.record(out, "DivBackward2", (g, n) -> grads(k, g[0].mul(0.0).sumTo(as), g[0].mul(0.0).sumTo(bs)),
                    null, inputs(a, b));
        }
        return out;
    }

    static Tensor atan2(Tensor a, Tensor b) {
        DType rt = OpSupport.resultType(a, b);
        if (!rt.isFloatingPoint()) rt = DType.FLOAT32;
        Tensor out = binaryForward(BinaryOp.ATAN2, a, b, rt, "atan2");
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = Graph.save(a), sb = Graph.save(b);
            int k = kind(a, b);
            Graph.record(out, "Atan2Backward0", (g, n) -> {
                Tensor x = sa.unpack(), y = sb.unpack();
                Tensor r = g[0].div(x.mul(x).add(y.mul(y)));
                return grads(k, r.mul(y), r.mul(x).neg());
            }, new SavedTensor[]{sa, sb}, inputs(a, b));
        }
        return out;
    }

    /**
     * log(exp(a) + exp(b)), computed stably (torch.logaddexp); floating inputs only, as PyTorch's CPU kernel.
     * Gradients as PyTorch's derivatives.yaml: g / (1 + exp(b - a)) and g / (1 + exp(a - b)).
     */
    static Tensor logaddexp(Tensor a, Tensor b) {
        DType rt = OpSupport.resultType(a, b);
        if (!rt.isFloatingPoint()) {
            throw new IllegalArgumentException("logaddexp: \"logaddexp_cpu\" not implemented for '" + rt + "' (shapes "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape) + "). Fix: convert to a floating dtype first, "
                    + "e.g. a.to(DType.FLOAT32)");
        }
        Tensor out = binaryForward(BinaryOp.LOGADDEXP, a, b, rt, "logaddexp");
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = Graph.save(a), sb = Graph.save(b);
            int k = kind(a, b);
            Graph.record(out, "LogaddexpBackward0", (g, n) -> {
                Tensor x = sa.unpack(), y = sb.unpack();
                return grads(k, g[0].div(y.sub(x).exp().add(1.0)), g[0].div(x.sub(y).exp().add(1.0)));
            }, new SavedTensor[]{sa, sb}, inputs(a, b));
        }
        return out;
    }

    /** fmod (C's remainder, sign of the dividend) or remainder (Python's %, sign of the divisor). */
    static Tensor fmodRemainder(Tensor a, Tensor b, boolean python) {
        DType rt = OpSupport.resultType(a, b);
        String name = python ? "remainder" : "fmod";
        Tensor out = binaryForward(python ? BinaryOp.REMAINDER : BinaryOp.FMOD, a, b, rt, name);
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = b.requiresGrad() ? Graph.save(a) : null, sb = b.requiresGrad() ? Graph.save(b) : null;
            String node = (python ? "RemainderBackward" : "FmodBackward") + (b.wrappedNumber ? "0" : "1");
            int k = kind(a, b);
            Graph.record(out, node, (g, n) -> {
                Tensor gb = null;
                if (sb != null) {
                    Tensor x = sa.unpack(), y = sb.unpack();
                    gb = g[0].mul(div(x, y, python ? "floor" : "trunc")).neg();
                }
                return grads(k, g[0], gb);
            }, new SavedTensor[]{sa, sb}, inputs(a, b));
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
            else out = where(weight.abs().lt(0.5), start.add(d.mul(weight)), end.sub(d.mul(weight.rsub(1.0))));
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
            if (min != null) out = maxMin(out, min, true);
            if (max != null) out = maxMin(out, max, false);
            if (out == x) out = OpSupport.copyOf(x);
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
                Tensor gx = where(keep, g[0], zero).sumTo(v.shape);
                // libtorch's clamp_backward_min_max: where min > max the result is max, so max gets the gradient
                Tensor minWins = lo == null ? null : hi == null ? v.lt(lo) : v.lt(lo).logicalAnd(lo.lt(hi));
                Tensor maxWins = hi == null ? null : lo == null ? v.gt(hi) : v.gt(hi).logicalOr(hi.lt(lo));
                Tensor gmin = lo == null || !n.needsInputGrad(1) ? null : where(minWins, g[0], zero).sumTo(lo.shape);
                Tensor gmax = hi == null || !n.needsInputGrad(2) ? null : where(maxWins, g[0], zero).sumTo(hi.shape);
                return new Tensor[]{gx, gmin, gmax};
            }, new SavedTensor[]{sx, smin, smax}, ins);
        }
        return out;
    }
}
