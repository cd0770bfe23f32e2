package org.grad4j;

import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.UnaryOp;
import org.grad4j.storage.Shapes;
import org.grad4j.storage.Strided;

/** Elementwise ops: forward (type promotion, broadcasting, kernel call) and gradient formulas together. */
final class Ops {
    private Ops() {}

    private static final Tensor[] NONE = new Tensor[0];

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

    /** A copy of t in dtype d (t itself if it already has d); no autograd. */
    static Tensor cast(Tensor t, DType d) {
        if (t.dtype == d) return t;
        Tensor out = Tensor.empty(t.shape.clone(), d);
        t.backend().elementwise().copy(t.strided(), out.strided());
        out.wrappedNumber = t.wrappedNumber;
        return out;
    }

    /** t as a kernel operand over {@code shape}: its strides broadcast to that shape (0 along expanded dims). */
    static Strided view(Tensor t, int[] shape) {
        return new Strided(t.storage, shape, Shapes.broadcastStrides(t.shape, t.strides, shape), t.offset);
    }

    /** A kernel operand at an explicit layout of t's storage (a window of an output, a non-default stride set). */
    static Strided at(Tensor t, int[] shape, int[] strides, int offset) {
        return new Strided(t.storage, shape, strides, offset);
    }

    /** Forward of a binary op without autograd. */
    static Tensor binaryForward(BinaryOp op, Tensor a, Tensor b, DType compute, String opName) {
        int[] shape = Shapes.broadcast(a.shape, b.shape, opName);
        Tensor x = cast(a, compute), y = cast(b, compute);
        Tensor out = Tensor.empty(shape, op.isComparison() ? DType.BOOL : compute);
        out.backend().elementwise().binary(op, view(x, shape), view(y, shape), out.strided());
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

    // ------------------------------------------------------------------ arithmetic

    static Tensor add(Tensor a, Tensor b, double alpha) {
        DType rt = resultType(a, b);
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
        DType rt = resultType(a, b);
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
        DType rt = resultType(self, scalar);
        Tensor out = binaryForward(BinaryOp.SUB, scalar, self, rt, "rsub");
        if (Graph.needsGrad(self)) Graph.record(out, "RsubBackward1", (g, n) -> new Tensor[]{g[0].neg()}, null, self);
        return out;
    }

    static Tensor mul(Tensor a, Tensor b) {
        DType rt = resultType(a, b);
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
        DType rt = resultType(a, b);
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

    static Tensor neg(Tensor a) {
        if (a.dtype == DType.BOOL) {
            throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. "
                    + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }
        Tensor out = unaryForward(UnaryOp.NEG, a, a.dtype);
        if (Graph.needsGrad(a)) Graph.record(out, "NegBackward0", (g, n) -> new Tensor[]{g[0].neg()}, null, a);
        return out;
    }

    /** {@code self ** exponent} for a Java scalar exponent (PowBackward0). */
    static Tensor powScalar(Tensor a, Tensor e) {
        DType rt = resultType(a, e);
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
        DType rt = resultType(a, e);
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
        DType rt = resultType(base, e);
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
        DType rt = resultType(a, b);
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

    // ------------------------------------------------------------------ unary

    static Tensor unaryForward(UnaryOp op, Tensor a, DType outType) {
        Tensor x = cast(a, outType);
        Tensor out = Tensor.empty(a.shape.clone(), outType);
        x.backend().elementwise().unary(op, x.strided(), out.strided());
        return out;
    }

    static Tensor unary(UnaryOp op, Tensor a) {
        boolean keepsInt = op == UnaryOp.ABS || op == UnaryOp.NEG || op == UnaryOp.SIGN || op == UnaryOp.RELU
                || op == UnaryOp.FLOOR || op == UnaryOp.CEIL || op == UnaryOp.ROUND || op == UnaryOp.TRUNC || op == UnaryOp.SQUARE;
        DType outType = a.dtype.isFloatingPoint() || keepsInt ? a.dtype : DType.FLOAT32;
        if (a.dtype == DType.BOOL && keepsInt) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " is not implemented for bool tensors; "
                    + "convert first with .to(DType.INT64) or .to(DType.FLOAT32)");
        }
        Tensor out = unaryForward(op, a, outType);
        if (!Graph.needsGrad(a)) return out;
        switch (op) {
            case EXP -> {
                SavedTensor so = Graph.save(out);
                Graph.record(out, "ExpBackward0", (g, n) -> new Tensor[]{g[0].mul(so.unpack())}, new SavedTensor[]{so}, a);
            }
            case LOG -> {
                SavedTensor sa = Graph.save(a);
                Graph.record(out, "LogBackward0", (g, n) -> new Tensor[]{g[0].div(sa.unpack())}, new SavedTensor[]{sa}, a);
            }
            case SQRT -> {
                SavedTensor so = Graph.save(out);
                Graph.record(out, "SqrtBackward0", (g, n) -> new Tensor[]{g[0].div(so.unpack().mul(2.0))}, new SavedTensor[]{so}, a);
            }
            case ABS -> {
                SavedTensor sa = Graph.save(a);
                Graph.record(out, "AbsBackward0", (g, n) -> new Tensor[]{g[0].mul(sa.unpack().sign())}, new SavedTensor[]{sa}, a);
            }
            case TANH -> {
                SavedTensor so = Graph.save(out);
                Graph.record(out, "TanhBackward0", (g, n) -> {
                    Tensor y = so.unpack();
                    return new Tensor[]{g[0].mul(y.mul(y).rsub(1.0))};
                }, new SavedTensor[]{so}, a);
            }
            case SIGMOID -> {
                SavedTensor so = Graph.save(out);
                Graph.record(out, "SigmoidBackward0", (g, n) -> {
                    Tensor y = so.unpack();
                    return new Tensor[]{g[0].mul(y.mul(y.rsub(1.0)))};
                }, new SavedTensor[]{so}, a);
            }
            case RELU -> {
                SavedTensor so = Graph.save(out);
                Graph.record(out, "ReluBackward0", (g, n) -> new Tensor[]{NnOps.reluBackward(g[0], so.unpack())},
                        new SavedTensor[]{so}, a);
            }
            case SIGN, FLOOR, CEIL, ROUND, TRUNC -> {
                String name = switch (op) {
                    case SIGN -> "SignBackward0";
                    case FLOOR -> "FloorBackward0";
                    case CEIL -> "CeilBackward0";
                    case ROUND -> "RoundBackward0";
                    default -> "TruncBackward0";
                };
                Graph.record(out, name, (g, n) -> new Tensor[]{g[0].mul(0.0)}, null, a);
            }
            case SIN -> {
                SavedTensor sa = Graph.save(a);
                Graph.record(out, "SinBackward0", (g, n) -> new Tensor[]{g[0].mul(sa.unpack().cos())}, new SavedTensor[]{sa}, a);
            }
            case COS -> {
                SavedTensor sa = Graph.save(a);
                Graph.record(out, "CosBackward0", (g, n) -> new Tensor[]{g[0].mul(sa.unpack().sin().neg())}, new SavedTensor[]{sa}, a);
            }
            case RECIPROCAL -> {
                SavedTensor so = Graph.save(out);
                Graph.record(out, "ReciprocalBackward0", (g, n) -> {
                    Tensor y = so.unpack();
                    return new Tensor[]{g[0].mul(y.mul(y)).neg()};
                }, new SavedTensor[]{so}, a);
            }
            default -> throw new UnsupportedOperationException("no gradient formula for " + op);
        }
        return out;
    }

    /** clamp(min, max): gradient passes where min <= x <= max (ClampBackward1). */
    static Tensor clamp(Tensor a, Double min, Double max) {
        if (min == null && max == null) {
            throw new IllegalArgumentException("clamp: At least one of 'min' or 'max' must not be None");
        }
        DType rt = a.dtype;
        if (!rt.isFloatingPoint() && ((min != null && min != Math.rint(min)) || (max != null && max != Math.rint(max)))) {
            rt = DType.FLOAT32;
        }
        Tensor x = cast(a, rt);
        Tensor out = Tensor.empty(a.shape.clone(), rt);
        x.backend().elementwise().clamp(x.strided(), out.strided(), min == null ? Double.NaN : min, max == null ? Double.NaN : max);
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a);
            String name = min != null && max != null ? "ClampBackward1" : min != null ? "ClampMinBackward0" : "ClampMaxBackward0";
            Graph.record(out, name, (g, n) -> {
                Tensor v = sa.unpack();
                Tensor keep = null;
                if (min != null) keep = v.ge(min);
                if (max != null) keep = keep == null ? v.le(max) : keep.logicalAnd(v.le(max));
                return new Tensor[]{g[0].mul(keep.to(g[0].dtype))};
            }, new SavedTensor[]{sa}, a);
        }
        return out;
    }

    // ------------------------------------------------------------------ comparisons, where, masks

    static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        DType ct = resultType(a, b);
        return binaryForward(op, a, b, ct, op.name().toLowerCase());
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + cond.dtype + ". Fix: pass a comparison result such as x.gt(0), or cond.toBool()");
        }
        DType rt = resultType(a, b);
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.shape, a.shape, "where"), b.shape, "where");
        Tensor x = cast(a, rt), y = cast(b, rt);
        Tensor out = Tensor.empty(shape, rt);
        out.backend().elementwise().where(view(cond, shape), view(x, shape), view(y, shape), out.storage);
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
        Tensor v = cast(value, a.dtype);
        Tensor out = Tensor.empty(a.shape.clone(), a.dtype);
        out.backend().elementwise().where(view(mask, a.shape), view(v, a.shape), a.strided(), out.storage);
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

    // ------------------------------------------------------------------ copies and casts

    /** A contiguous copy without autograd. */
    static Tensor copyOf(Tensor a) {
        Tensor out = Tensor.empty(a.shape.clone(), a.dtype);
        a.backend().elementwise().copy(a.strided(), out.strided());
        return out;
    }

    static Tensor cloneOp(Tensor a) {
        Tensor out = Tensor.empty(a.shape.clone(), a.dtype);
        a.backend().elementwise().copy(a.strided(), out.strided());
        if (Graph.needsGrad(a)) Graph.record(out, "CloneBackward0", (g, n) -> new Tensor[]{g[0]}, null, a);
        return out;
    }

    static Tensor toDtype(Tensor a, DType d) {
        if (a.dtype == d) return a;
        Tensor out = cast(a, d);
        out.wrappedNumber = false;
        if (d.isFloatingPoint() && Graph.needsGrad(a)) {
            DType src = a.dtype;
            Graph.record(out, "ToCopyBackward0", (g, n) -> new Tensor[]{g[0].to(src)}, null, a);
        }
        return out;
    }

    static Tensor[] none() { return NONE; }
}
