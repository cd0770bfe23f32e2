package org.grad4j;

import org.grad4j.autograd.GradMode;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;

/**
 * In-place ops. Each refuses to write a tensor whose elements share memory (or read an input
 * that partly overlaps it), bumps the version counter (so backward detects values it saved being
 * changed), refuses a leaf that requires grad (or a view of one, or a view that may not be
 * modified) while grad mode is on, and, when recording, rebases the tensor's history onto a new
 * node as PyTorch does: a view's base gets a CopySlices node (see ViewTracking).
 */
final class InPlace {
    private InPlace() {}

    /**
     * The checks every in-place op makes before writing (PyTorch's check_inplace and memory-overlap
     * asserts); returns whether the op must record a node.
     */
    private static boolean prepare(Tensor t, Tensor other, String op) {
        MemOverlap.assertNoInternalOverlap(t, op);
        if (other != null) MemOverlap.assertNoPartialOverlap(t, other, op);
        boolean r = other == null ? Graph.needsGrad(t) : Graph.needsGrad(t, other);
        if (r) ViewTracking.checkInplace(t, op);
        return r;
    }

    private static void checkCast(DType result, Tensor t, String op) {
        if (result != t.dtype && DType.promote(result, t.dtype) != t.dtype) {
            throw new IllegalArgumentException(op + ": result type " + result + " can't be cast to the desired output type "
                    + t.dtype + ". Fix: use the out-of-place op, or convert the tensor first (t = t.to(" + result + "))");
        }
    }

    private static void writeBack(Tensor t, Tensor value) {
        Tensor v = OpSupport.cast(value, t.dtype);
        t.backend().elementwise().copy(OpSupport.view(v, t.shape), t.strided());
    }

    /**
     * t += alpha * other in one pass without a temporary, when both are dense float tensors of one
     * shape in different storages (the optimizers' updates); false when that does not apply.
     */
    private static boolean fusedAxpy(Tensor t, Tensor other, double alpha) {
        if (t.dtype != other.dtype || (t.dtype != DType.FLOAT32 && t.dtype != DType.FLOAT64) || other.wrappedNumber
                || !t.isContiguous() || !other.isContiguous() || !java.util.Arrays.equals(t.shape, other.shape)
                || t.storage == other.storage) return false;
        t.backend().elementwise().axpy(t.storage, t.offset, alpha, other.storage, other.offset, t.numel());
        return true;
    }

    static Tensor binary(Tensor t, BinaryOp op, Tensor other, double alpha) {
        String name = op.name().toLowerCase() + "_";
        boolean rec = prepare(t, other, name);
        DType rt = OpSupport.resultType(t, other);
        if (op == BinaryOp.DIV && !rt.isFloatingPoint()) rt = DType.FLOAT32;
        checkCast(rt, t, name);
        int[] shape = Shapes.broadcast(t.shape, other.shape, name);
        if (!java.util.Arrays.equals(shape, t.shape)) {
            throw new IllegalArgumentException(name + ": output with shape " + Shapes.str(t.shape)
                    + " doesn't match the broadcast shape " + Shapes.str(shape));
        }
        DeviceOps.common(name, t, other);
        Tensor orig = rec && other.requiresGrad() && (op == BinaryOp.MUL || op == BinaryOp.DIV) ? UnaryOps.cloneOp(t) : null;
        // saved before writing, so an alias of t passed as other is caught by the version check
        SavedTensor so = rec && (op == BinaryOp.MUL || op == BinaryOp.DIV) ? Graph.save(other) : null;
        if (!rec && alpha != 1 && (op == BinaryOp.ADD || op == BinaryOp.SUB) && fusedAxpy(t, other, op == BinaryOp.SUB ? -alpha : alpha)) {
            t.version.version++;
            return t;
        }
        Tensor y = alpha == 1 ? other : BinaryOps.binaryForward(BinaryOp.MUL, other, Tensor.wrapScalar(alpha), rt, name);
        if (rt == t.dtype && y.storage != t.storage) {
            Tensor yc = OpSupport.cast(y, rt);
            t.backend().elementwise().binary(op, t.strided(), OpSupport.view(yc, shape), t.strided());
        } else {
            writeBack(t, BinaryOps.binaryForward(op, t, y, rt, name));
        }
        t.version.version++;
        if (rec) {
            Tensor[] inputs = other.wrappedNumber ? new Tensor[]{t} : new Tensor[]{t, other};
            boolean otherIn = !other.wrappedNumber;
            SavedTensor sorig = orig == null ? null : Graph.save(orig);
            String node = switch (op) {
                case ADD -> "AddBackward0";
                case SUB -> "SubBackward0";
                case MUL -> "MulBackward0";
                case DIV -> "DivBackward0";
                default -> throw new IllegalStateException(op.toString());
            };
            Graph.recordInPlace(t, node, (g, n) -> {
                Tensor gs = null, go = null;
                switch (op) {
                    case ADD -> { gs = g[0]; go = alpha == 1 ? g[0] : g[0].mul(alpha); }
                    case SUB -> { gs = g[0]; go = g[0].mul(-alpha); }
                    case MUL -> {
                        gs = g[0].mul(so.unpack());
                        if (sorig != null) go = g[0].mul(sorig.unpack());
                    }
                    case DIV -> {
                        Tensor o = so.unpack();
                        gs = g[0].div(o);
                        if (sorig != null) go = g[0].neg().mul(sorig.unpack()).div(o.mul(o));
                    }
                    default -> { }
                }
                return otherIn ? new Tensor[]{gs, go} : new Tensor[]{gs};
            }, new SavedTensor[]{so, sorig}, inputs);
        }
        return t;
    }

    static Tensor fill(Tensor t, double value) {
        boolean rec = prepare(t, null, value == 0 ? "zero_" : "fill_");
        t.backend().elementwise().fill(t.strided(), value);
        t.version.version++;
        if (rec) Graph.recordInPlace(t, value == 0 ? "ZeroBackward0" : "FillBackward0", (g, n) -> new Tensor[]{g[0].mul(0.0)}, null, t);
        return t;
    }

    static Tensor copy(Tensor t, Tensor src) {
        if (!Tensor.isExpandableTo(src.shape, t.shape)) {
            throw new IllegalArgumentException("copy_: the source of shape " + Shapes.str(src.shape)
                    + " cannot be broadcast to the destination shape " + Shapes.str(t.shape));
        }
        boolean rec = prepare(t, src, "copy_");
        Tensor s = src.storage == t.storage ? OpSupport.copyOf(src) : src;
        writeBack(t, s);
        t.version.version++;
        if (rec) {
            int[] srcShape = src.shape;
            DType srcType = src.dtype;
            boolean srcFloat = src.dtype.isFloatingPoint();
            Graph.recordInPlace(t, "CopyBackwards", (g, n) -> new Tensor[]{g[0].mul(0.0),
                    srcFloat ? g[0].sumTo(srcShape).to(srcType) : null}, null, t, src);
        }
        return t;
    }

    static Tensor maskedFill(Tensor t, Tensor mask, double value) {
        boolean rec = prepare(t, null, "masked_fill_");
        Tensor filled = BinaryOps.maskedFill(t.detach(), mask, Tensor.wrapScalar(value));
        writeBack(t, filled);
        t.version.version++;
        if (rec) {
            org.grad4j.autograd.SavedTensor sm = Graph.save(mask);
            Graph.recordInPlace(t, "MaskedFillBackward0", (g, n) -> new Tensor[]{g[0].maskedFill(sm.unpack(), 0.0)},
                    new org.grad4j.autograd.SavedTensor[]{sm}, t);
        }
        return t;
    }

    static Tensor clamp(Tensor t, Double min, Double max) {
        boolean rec = prepare(t, null, "clamp_");
        Tensor orig = rec ? t.detach().clone() : null;
        Tensor v;
        try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
            v = UnaryOps.clamp(t, min, max);
        }
        checkCast(v.dtype, t, "clamp_");
        writeBack(t, v);
        t.version.version++;
        if (rec) {
            SavedTensor so = Graph.save(orig);
            Graph.recordInPlace(t, "ClampBackward1", (g, n) -> {
                Tensor x = so.unpack();
                Tensor keep = null;
                if (min != null) keep = x.ge(min);
                if (max != null) keep = keep == null ? x.le(max) : keep.logicalAnd(x.le(max));
                return new Tensor[]{g[0].mul(keep.to(g[0].dtype))};
            }, new SavedTensor[]{so}, t);
        }
        return t;
    }

    /**
     * An in-place elementwise op ({@code relu_}, {@code exp_}...): computes {@code f} on a recorded
     * clone (so a formula that saves its input keeps the old values) and copies the result back.
     */
    static Tensor apply(Tensor t, String op, java.util.function.UnaryOperator<Tensor> f) {
        prepare(t, null, op);
        Tensor src;
        if (Graph.needsGrad(t)) {
            src = f.apply(UnaryOps.cloneOp(t));
        } else {
            try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
                src = f.apply(t);
            }
        }
        checkCast(src.dtype, t, op);
        return copy(t, src);
    }
}
