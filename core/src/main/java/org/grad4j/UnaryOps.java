package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.UnaryOp;
import org.grad4j.storage.DType;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * Unary elementwise ops and casts: forward through a kernel (or a no-grad composition) and PyTorch's
 * derivative formula written with tensor ops, so double backward works.
 */
final class UnaryOps {
    private UnaryOps() {}

    /** A gradient formula of a unary op: (incoming gradient, saved input, saved output) -> input gradient. */
    interface Bwd { Tensor apply(Tensor g, Tensor x, Tensor out); }

    static final double LN2 = Math.log(2.0), LN10 = Math.log(10.0);

    /** Integer and bool inputs of float functions compute in the default dtype, as in PyTorch. */
    static Tensor floatIn(Tensor a) {
        return a.dtype.isFloatingPoint() ? a : OpSupport.cast(a, DType.FLOAT32);
    }

    /** Runs {@code op}'s kernel and records {@code node} with gradient {@code bwd}. */
    static Tensor kernel(UnaryOp op, String node, Tensor a, Bwd bwd) {
        Tensor x = floatIn(a);
        Tensor out = unaryForward(op, x, x.dtype);
        return record(node, a, out, bwd);
    }

    /** Forward as a no-grad composition of tensor ops; gradient from {@code bwd}. */
    static Tensor composite(String node, Tensor a, UnaryOperator<Tensor> fwd, Bwd bwd) {
        Tensor x = floatIn(a);
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            out = fwd.apply(x.detach());
        }
        if (out.storage == x.storage) out = OpSupport.copyOf(out);
        out.wrappedNumber = false;
        return record(node, a, out, bwd);
    }

    /** Elementwise {@code f} over a floating tensor (same dtype), no autograd. */
    static Tensor map(Tensor x, DoubleUnaryOperator f) {
        Tensor out = Tensor.emptyLike(x, x.shape.clone(), x.dtype);
        x.backend().elementwise().map(x.strided(), out.storage, f);
        return out;
    }

    private static Tensor record(String node, Tensor a, Tensor out, Bwd bwd) {
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            Graph.record(out, node, (g, n) -> new Tensor[]{bwd.apply(g[0], sa.unpack(), so.unpack())},
                    new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    // ------------------------------------------------------------------ kernel unary ops (exp, log, ..., relu), neg, clamp

    static Tensor unaryForward(UnaryOp op, Tensor a, DType outType) {
        Tensor x = OpSupport.cast(a, outType);
        Tensor out = Tensor.emptyLike(a, a.shape.clone(), outType);
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

    static Tensor neg(Tensor a) {
        if (a.dtype == DType.BOOL) {
            throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. "
                    + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }
        Tensor out = unaryForward(UnaryOp.NEG, a, a.dtype);
        if (Graph.needsGrad(a)) Graph.record(out, "NegBackward0", (g, n) -> new Tensor[]{g[0].neg()}, null, a);
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
        Tensor x = OpSupport.cast(a, rt);
        Tensor out = Tensor.emptyLike(a, a.shape.clone(), rt);
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

    // ------------------------------------------------------------------ copies and casts

    static Tensor cloneOp(Tensor a) {
        Tensor out = Tensor.emptyLike(a, a.shape.clone(), a.dtype);
        a.backend().elementwise().copy(a.strided(), out.strided());
        if (Graph.needsGrad(a)) Graph.record(out, "CloneBackward0", (g, n) -> new Tensor[]{g[0]}, null, a);
        return out;
    }

    static Tensor toDtype(Tensor a, DType d) {
        if (a.dtype == d) return a;
        Tensor out = OpSupport.cast(a, d);
        out.wrappedNumber = false;
        if (d.isFloatingPoint() && Graph.needsGrad(a)) {
            DType src = a.dtype;
            Graph.record(out, "ToCopyBackward0", (g, n) -> new Tensor[]{g[0].to(src)}, null, a);
        }
        return out;
    }

    // ------------------------------------------------------------------ math

    static Tensor exp2(Tensor a) { return kernel(UnaryOp.EXP2, "Exp2Backward0", a, (g, x, y) -> g.mul(y.mul(LN2))); }

    static Tensor expm1(Tensor a) { return kernel(UnaryOp.EXPM1, "Expm1Backward0", a, (g, x, y) -> g.mul(y.add(1.0))); }

    static Tensor log1p(Tensor a) { return kernel(UnaryOp.LOG1P, "Log1PBackward0", a, (g, x, y) -> g.div(x.add(1.0))); }

    static Tensor log2(Tensor a) { return kernel(UnaryOp.LOG2, "Log2Backward0", a, (g, x, y) -> g.div(x.mul(LN2))); }

    static Tensor log10(Tensor a) { return kernel(UnaryOp.LOG10, "Log10Backward0", a, (g, x, y) -> g.div(x.mul(LN10))); }

    static Tensor rsqrt(Tensor a) {
        return kernel(UnaryOp.RSQRT, "RsqrtBackward0", a, (g, x, y) -> g.mul(y.pow(3L).mul(-0.5)));
    }

    static Tensor tan(Tensor a) { return kernel(UnaryOp.TAN, "TanBackward0", a, (g, x, y) -> g.mul(y.mul(y).add(1.0))); }

    static Tensor asin(Tensor a) {
        return kernel(UnaryOp.ASIN, "AsinBackward0", a, (g, x, y) -> g.mul(x.mul(x).rsub(1.0).rsqrt()));
    }

    static Tensor acos(Tensor a) {
        return kernel(UnaryOp.ACOS, "AcosBackward0", a, (g, x, y) -> g.mul(x.mul(x).rsub(1.0).rsqrt()).neg());
    }

    static Tensor atan(Tensor a) { return kernel(UnaryOp.ATAN, "AtanBackward0", a, (g, x, y) -> g.div(x.mul(x).add(1.0))); }

    static Tensor sinh(Tensor a) { return kernel(UnaryOp.SINH, "SinhBackward0", a, (g, x, y) -> g.mul(x.cosh())); }

    static Tensor cosh(Tensor a) { return kernel(UnaryOp.COSH, "CoshBackward0", a, (g, x, y) -> g.mul(x.sinh())); }

    static Tensor asinh(Tensor a) {
        return kernel(UnaryOp.ASINH, "AsinhBackward0", a, (g, x, y) -> g.mul(x.mul(x).add(1.0).rsqrt()));
    }

    static Tensor acosh(Tensor a) {
        return kernel(UnaryOp.ACOSH, "AcoshBackward0", a, (g, x, y) -> g.mul(x.mul(x).sub(1.0).rsqrt()));
    }

    static Tensor atanh(Tensor a) {
        return kernel(UnaryOp.ATANH, "AtanhBackward0", a, (g, x, y) -> g.div(x.mul(x).rsub(1.0)));
    }

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    static Tensor erf(Tensor a) {
        return kernel(UnaryOp.ERF, "ErfBackward0", a, (g, x, y) -> g.mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI)));
    }

    static Tensor erfc(Tensor a) {
        return kernel(UnaryOp.ERFC, "ErfcBackward0", a, (g, x, y) -> g.mul(x.mul(x).neg().exp().mul(-TWO_OVER_SQRT_PI)));
    }

    static Tensor frac(Tensor a) {
        if (!a.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("frac: \"frac_cpu\" not implemented for '" + a.dtype + "'. Fix: convert first, "
                    + "e.g. x.toFloat().frac()");
        }
        return kernel(UnaryOp.FRAC, "FracBackward0", a, (g, x, y) -> g);
    }

    /** nan_to_num: NaN to {@code nan}, +inf/-inf to the given values (null: the dtype's largest/smallest finite). */
    static Tensor nanToNum(Tensor a, double nan, Double posinf, Double neginf) {
        if (!a.dtype.isFloatingPoint()) return cloneOp(a);
        double big = a.dtype == DType.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        double pi = posinf == null ? big : posinf, ni = neginf == null ? -big : neginf;
        return composite("NanToNumBackward0", a,
                x -> map(x, v -> v != v ? nan : v == Double.POSITIVE_INFINITY ? pi : v == Double.NEGATIVE_INFINITY ? ni : v),
                (g, x, y) -> g.mul(isfinite(x).to(g.dtype)));
    }

    static Tensor isnan(Tensor a) { return a.ne(a); }

    static Tensor isinf(Tensor a) {
        if (!a.dtype.isFloatingPoint()) return Tensor.emptyLike(a, a.shape.clone(), DType.BOOL);
        return a.abs().eq(Double.POSITIVE_INFINITY);
    }

    static Tensor isfinite(Tensor a) {
        if (!a.dtype.isFloatingPoint()) return BinaryOps.compare(org.grad4j.kernels.BinaryOp.EQ, a, a);
        return a.sub(a).eq(0.0);
    }

    // ------------------------------------------------------------------ activations

    static Tensor logsigmoid(Tensor a) {
        return kernel(UnaryOp.LOGSIGMOID, "LogSigmoidBackward0", a, (g, x, y) -> g.mul(x.neg().sigmoid()));
    }

    /** softplus(x) = log(1 + exp(beta x)) / beta, linear where beta x > threshold (as PyTorch). */
    static Tensor softplus(Tensor a, double beta, double threshold) {
        return composite("SoftplusBackward0", a, x -> {
            Tensor bx = x.mul(beta);
            Tensor soft = unaryForward(UnaryOp.SOFTPLUS, bx, x.dtype).div(beta);
            return BinaryOps.where(bx.gt(threshold), x, soft);
        }, (g, x, y) -> {
            Tensor bx = x.mul(beta);
            return BinaryOps.where(bx.gt(threshold), g, g.mul(bx.sigmoid()));
        });
    }

    static Tensor silu(Tensor a) {
        return kernel(UnaryOp.SILU, "SiluBackward0", a, (g, x, y) -> {
            Tensor s = x.sigmoid();
            return g.mul(s.mul(x.mul(s.rsub(1.0)).add(1.0)));
        });
    }

    static Tensor mish(Tensor a) {
        return kernel(UnaryOp.MISH, "MishBackward0", a, (g, x, y) -> {
            Tensor tsp = softplus(x, 1, 20).tanh();
            return g.mul(tsp.add(x.mul(x.sigmoid()).mul(tsp.mul(tsp).rsub(1.0))));
        });
    }

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI), INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** gelu with approximate "none" (exact, via erf) or "tanh". */
    static Tensor gelu(Tensor a, String approximate) {
        if (approximate.equals("none")) {
            return kernel(UnaryOp.GELU, "GeluBackward0", a, (g, x, y) -> {
                Tensor cdf = x.mul(Math.sqrt(0.5)).erf().add(1.0).mul(0.5);
                Tensor pdf = x.mul(x).mul(-0.5).exp().mul(INV_SQRT_2PI);
                return g.mul(cdf.add(x.mul(pdf)));
            });
        }
        if (!approximate.equals("tanh")) {
            throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        }
        return kernel(UnaryOp.GELU_TANH, "GeluBackward0", a, (g, x, y) -> {
            double k = 0.044715;
            Tensor x2 = x.mul(x);
            Tensor t = x.add(x2.mul(x).mul(k)).mul(SQRT_2_OVER_PI).tanh();
            Tensor left = t.add(1.0).mul(0.5);
            Tensor right = x.mul(0.5).mul(t.mul(t).rsub(1.0)).mul(x2.mul(3 * k).add(1.0).mul(SQRT_2_OVER_PI));
            return g.mul(left.add(right));
        });
    }

    /** hardtanh: clamp to [min, max]; the gradient passes strictly inside (HardtanhBackward0). */
    static Tensor hardtanh(Tensor a, double min, double max) {
        if (min > max) throw new IllegalArgumentException("hardtanh: min_val (" + min + ") cannot be greater than max_val (" + max + ")");
        return composite("HardtanhBackward0", a, x -> clamp(x, min, max),
                // libtorch's mask: zero where x <= min or x >= max, so the gradient passes at NaN
                (g, x, y) -> g.mul(x.le(min).logicalOr(x.ge(max)).logicalNot().to(g.dtype)));
    }

    static Tensor leakyRelu(Tensor a, double slope) {
        return composite("LeakyReluBackward0", a, x -> BinaryOps.where(x.gt(0.0), x, x.mul(slope)),
                (g, x, y) -> BinaryOps.where(x.gt(0.0), g, g.mul(slope)));
    }

    /** PyTorch's elu family: scale * (x > 0 ? x : alpha * (exp(x * inputScale) - 1)). */
    static Tensor eluFamily(String node, Tensor a, double alpha, double scale, double inputScale) {
        // libtorch's branches: x <= 0 takes the exponential one (NaN the linear one); x + 0 makes elu(-0) +0 as
        // libtorch's exp(x) - 1 does; the second derivative is libtorch's too: 0 at x = 0 (the x < 0 mask)
        return composite(node, a,
                x -> BinaryOps.where(x.le(0.0), x.add(0.0).mul(inputScale).expm1().mul(alpha * scale), x.mul(scale)),
                (g, x, y) -> BinaryOps.where(x.le(0.0), g.mul(BinaryOps.where(x.lt(0.0), x, x.detach()).mul(inputScale).exp().mul(alpha * scale * inputScale)),
                        g.mul(scale)));
    }

    static final double SELU_ALPHA = 1.6732632423543772848170429916717, SELU_SCALE = 1.0507009873554804934193349852946;

    static Tensor hardsigmoid(Tensor a) {
        return composite("HardsigmoidBackward0", a, x -> clamp(x.add(3.0), 0.0, 6.0).div(6.0),
                (g, x, y) -> g.mul(x.gt(-3.0).logicalAnd(x.lt(3.0)).to(g.dtype)).div(6.0));
    }

    static Tensor hardswish(Tensor a) {
        return composite("HardswishBackward0", a, x -> x.mul(clamp(x.add(3.0), 0.0, 6.0)).div(6.0),
                // libtorch's second derivative is g/3 only strictly inside (-3, 3): x is constant at the ends
                (g, x, y) -> BinaryOps.where(x.lt(-3.0), g.mul(0.0), BinaryOps.where(x.le(3.0),
                        g.mul(BinaryOps.where(x.gt(-3.0).logicalAnd(x.lt(3.0)), x, x.detach()).div(3.0).add(0.5)), g)));
    }
}
