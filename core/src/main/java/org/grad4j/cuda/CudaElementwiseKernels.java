package org.grad4j.cuda;

import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.ElementwiseKernels;
import org.grad4j.kernels.UnaryOp;
import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/*
 * Wiring (CudaBackend): elementwise() returns new CudaElementwiseKernels(deviceIndex, <the host-copy family>),
 * one instance per device, made once. Every method launches when all operands are CudaStorages of this
 * device and KernelCatalog plans the case (dtype, rank after coalescing); otherwise, and for the methods
 * without a kernel (map with a Java lambda, accumulate, the scans, toArray, triangleMask), it calls the
 * fallback. Integer kernels that flag an element on the device (division by zero, a float-only op) rerun
 * on the fallback, so the error is the CPU's own message.
 */

/**
 * The elementwise kernel family on one CUDA device: copy/cast, fill, unary and binary maps, clamp, where
 * and axpy as grad4j's CUDA kernels (docs/cuda.md, "Numbers: CUDA vs CPU": bitwise for copies and the
 * basic arithmetic). Written, never run on a GPU.
 *
 * <pre>{@code
 * ElementwiseKernels k = new CudaElementwiseKernels(0, hostFamily);
 * k.binary(BinaryOp.ADD, a.strided(), b.strided(), out.strided());   // one g4_binary_f32 launch
 * }</pre>
 */
final class CudaElementwiseKernels extends CudaFamily implements ElementwiseKernels {
    private final ElementwiseKernels host;

    CudaElementwiseKernels(int deviceIndex, ElementwiseKernels hostFallback) {
        this(new DriverRuntime(deviceIndex), hostFallback);
    }

    CudaElementwiseKernels(DeviceRuntime rt, ElementwiseKernels hostFallback) {
        super(rt);
        this.host = hostFallback;
    }

    @Override
    public void copy(Strided src, Strided dst) {
        if (!onDevice(dst)) { host.copy(src, dst); return; }
        List<DeviceRuntime.Scratch> held = new ArrayList<>(1);
        try {
            DeviceView vs = viewOrScalar(src, held);   // a broadcast CPU scalar is copied up, not the whole op sent home
            KernelLaunch l = vs == null ? null : plan(() -> KernelCatalog.copy(view(dst), vs));
            if (l == null) host.copy(src, dst); else rt.launch(l);
        } finally {
            closeAll(held);
            keep(src, dst);
        }
    }

    @Override
    public void fill(Strided dst, double value) {
        KernelLaunch l = onDevice(dst) ? plan(() -> KernelCatalog.fill(view(dst), value)) : null;
        if (l == null) host.fill(dst, value); else rt.launch(l);
        keep(dst);
    }

    @Override
    public void binary(BinaryOp op, Strided a, Strided b, Strided out) {
        if (!onDevice(out)) { host.binary(op, a, b, out); return; }
        DType t = a.storage().dtype();
        boolean integer = !op.isComparison() && !t.isFloatingPoint(), checked = integer && canFlag(op, t);
        List<DeviceRuntime.Scratch> held = new ArrayList<>(2);
        try (DeviceRuntime.Scratch err = checked ? errorSlot() : null) {
            DeviceView va = viewOrScalar(a, held), vb = va == null ? null : viewOrScalar(b, held);
            long slot = checked ? err.pointer() : integer ? unreadSlot() : 0;
            KernelLaunch l = vb == null ? null : plan(() -> KernelCatalog.binary(op, view(out), va, vb, slot));
            if (l == null) { host.binary(op, a, b, out); return; }
            rt.launch(l);
            if (checked && flagged(err)) host.binary(op, a, b, out);   // raises the CPU's message (or computes it there)
        } finally {
            closeAll(held);
            keep(a, b, out);
        }
    }

    @Override
    public void unary(UnaryOp op, Strided in, Strided out) {
        if (!onDevice(in, out) || in.storage().dtype() == DType.BOOL) { host.unary(op, in, out); return; }
        boolean integer = !in.storage().dtype().isFloatingPoint(), checked = integer && !INT_UNARY.contains(op);
        try (DeviceRuntime.Scratch err = checked ? errorSlot() : null) {
            long slot = checked ? err.pointer() : integer ? unreadSlot() : 0;
            KernelLaunch l = plan(() -> KernelCatalog.unary(op, view(out), view(in), slot));
            if (l == null) { host.unary(op, in, out); return; }
            rt.launch(l);
            if (checked && flagged(err)) host.unary(op, in, out);
        } finally {
            keep(in, out);
        }
    }

    /** The integer unary ops the kernels define (elementwise.cu); the others flag the element. */
    static final java.util.Set<UnaryOp> INT_UNARY = java.util.EnumSet.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.RELU,
            UnaryOp.SQUARE, UnaryOp.FLOOR, UnaryOp.CEIL, UnaryOp.ROUND, UnaryOp.TRUNC);

    /**
     * Whether an integer or bool binary kernel can flag an element (elementwise.cu, grad4j_math.cuh): integer
     * division by zero; bool arithmetic other than add/mul/maximum/minimum. Only then is the slot read back
     * (a read waits for the device); other integer ops take a slot nobody reads.
     */
    static boolean canFlag(BinaryOp op, DType t) {
        if (t == DType.BOOL) return !(op == BinaryOp.ADD || op == BinaryOp.MUL || op == BinaryOp.MAXIMUM || op == BinaryOp.MINIMUM);
        return switch (op) {
            case DIV, DIV_FLOOR, DIV_TRUNC, FMOD, REMAINDER -> true;
            default -> false;
        };
    }

    @Override
    public void clamp(Strided in, Strided out, double lo, double hi) {
        KernelLaunch l = onDevice(in, out) ? plan(() -> KernelCatalog.clamp(view(out), view(in), lo, hi)) : null;
        if (l == null) host.clamp(in, out, lo, hi); else rt.launch(l);
        keep(in, out);
    }

    @Override
    public void where(Strided cond, Strided a, Strided b, Storage out) {
        if (!onDevice(cond) || !onDevice(out)) { host.where(cond, a, b, out); return; }
        List<DeviceRuntime.Scratch> held = new ArrayList<>(2);
        try {
            DeviceView va = viewOrScalar(a, held), vb = va == null ? null : viewOrScalar(b, held);
            KernelLaunch l = vb == null ? null : plan(() -> KernelCatalog.where(
                    DeviceView.contiguous(rt.address(out), out.dtype(), cond.shape()), view(cond), va, vb));
            if (l == null) host.where(cond, a, b, out); else rt.launch(l);
        } finally {
            closeAll(held);
            keep(cond, a, b, out);
        }
    }

    @Override
    public void axpy(Storage y, int yo, double alpha, Storage x, int xo, int n) {
        KernelLaunch l = onDevice(x, y) && x.dtype() == y.dtype()
                ? plan(() -> KernelCatalog.axpy(y.dtype(), at(y, yo), at(x, xo), n, alpha)) : null;
        if (l == null) host.axpy(y, yo, alpha, x, xo, n); else rt.launch(l);
        keep(x, y);
    }

    // No kernels for these: a Java lambda cannot run on the device; the rest are rare or host-bound.

    @Override
    public void map(Strided in, Storage out, DoubleUnaryOperator f) { host.map(in, out, f); }

    @Override
    public void accumulate(Strided src, Strided dst) { host.accumulate(src, dst); }

    @Override
    public boolean anyNaN(Strided x) { return host.anyNaN(x); }

    @Override
    public int firstNonFinite(Storage s, int offset, int n) { return host.firstNonFinite(s, offset, n); }

    @Override
    public int firstOutOfRange(Strided x, long lo, long hi, long allowed) { return host.firstOutOfRange(x, lo, hi, allowed); }

    @Override
    public Object toArray(Strided x) { return host.toArray(x); }

    @Override
    public void triangleMask(Storage mask, int rows, int cols, int k, boolean lower) { host.triangleMask(mask, rows, cols, k, lower); }

    /**
     * The catalog's launch, or null when it has no kernel for the case (it raises IllegalArgumentException
     * for a dtype without a kernel, mismatched shapes or dtypes, more than 8 dims after coalescing).
     */
    static KernelLaunch plan(java.util.function.Supplier<KernelLaunch> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException notCovered) {
            return null;
        }
    }
}
