package org.grad4j;

import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.storage.Shapes;

import java.util.Arrays;

/** Matrix products: mm, bmm, dot and matmul's dispatch over them. */
final class LinalgOps {
    private LinalgOps() {}

    private static DType computeType(Tensor a, Tensor b, String op) {
        if (a.dtype != b.dtype) {
            throw new IllegalArgumentException(op + ": expected m1 and m2 to have the same dtype, but got: " + a.dtype
                    + " != " + b.dtype + ". Fix: convert one side, e.g. b.to(a.dtype())");
        }
        return a.dtype;
    }

    /** Runs the float kernel; integer inputs compute in float64 and convert back (exact for small values). */
    private static Tensor gemmForward(Tensor a, Tensor b, DType dt) {
        DType kt = dt.isFloatingPoint() ? dt : DType.FLOAT64;
        Tensor x = Ops.cast(a, kt), y = Ops.cast(b, kt);
        int m = x.shape[0], k = x.shape[1], n = y.shape[1];
        Tensor out = Tensor.empty(new int[]{m, n}, kt);
        out.backend().matmul().gemm(x.strided(), y.strided(), out.storage);
        return kt == dt ? out : Ops.cast(out, dt);
    }

    static Tensor mm(Tensor a, Tensor b) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("mm: expected 2-D tensors, got " + a.dim() + "-D " + Shapes.str(a.shape) + " and "
                    + b.dim() + "-D " + Shapes.str(b.shape) + ". Fix: use matmul for 1-D or batched operands");
        }
        if (a.shape[1] != b.shape[0]) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + a.shape[0] + "x" + a.shape[1]
                    + " and " + b.shape[0] + "x" + b.shape[1] + "). Fix: the inner dimensions must agree; transpose one "
                    + "operand (t()) or reshape it");
        }
        DType dt = computeType(a, b, "mm");
        Tensor out = gemmForward(a, b, dt);
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = b.requiresGrad() ? Graph.save(a) : null;
            SavedTensor sb = a.requiresGrad() ? Graph.save(b) : null;
            // b = w.t() (nn.Linear): (a^T g)^T = g^T a, so the gradient comes out in w's row-major
            // layout and reaches w.grad without a transposing copy
            boolean bTransposed = b.strides[0] == 1 && b.strides[1] == b.shape[0] && b.shape[0] > 1;
            Graph.record(out, "MmBackward0", (g, n) -> new Tensor[]{
                    sb == null ? null : g[0].mm(sb.unpack().t()),
                    sa == null ? null : bTransposed ? g[0].t().mm(sa.unpack()).t() : sa.unpack().t().mm(g[0])},
                    new SavedTensor[]{sa, sb}, a, b);
        }
        return out;
    }

    static Tensor bmm(Tensor a, Tensor b) {
        checkBatches(a, b, "bmm");
        DType dt = computeType(a, b, "bmm");
        DType kt = dt.isFloatingPoint() ? dt : DType.FLOAT64;
        Tensor x = Ops.cast(a, kt), y = Ops.cast(b, kt);
        int batch = a.shape[0], m = a.shape[1], k = a.shape[2], n = b.shape[2];
        Tensor out = Tensor.empty(new int[]{batch, m, n}, kt);
        out.backend().matmul().gemmBatched(x.strided(), y.strided(), out.storage);
        if (kt != dt) out = Ops.cast(out, dt);
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = b.requiresGrad() ? Graph.save(a) : null;
            SavedTensor sb = a.requiresGrad() ? Graph.save(b) : null;
            Graph.record(out, "BmmBackward0", (g, nn) -> new Tensor[]{
                    sb == null ? null : bmm(g[0], sb.unpack().transpose(1, 2)),
                    sa == null ? null : bmm(sa.unpack().transpose(1, 2), g[0])}, new SavedTensor[]{sa, sb}, a, b);
        }
        return out;
    }

    static Tensor dot(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1 || a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException("dot: expected 1-D tensors of the same size, got " + Shapes.str(a.shape)
                    + " and " + Shapes.str(b.shape));
        }
        DType dt = computeType(a, b, "dot");
        Tensor out = gemmForward(a.detach().reshape(1, -1), b.detach().reshape(-1, 1), dt).reshape();
        if (Graph.needsGrad(a, b)) {
            SavedTensor sa = Graph.save(a), sb = Graph.save(b);
            Graph.record(out, "DotBackward0", (g, n) -> new Tensor[]{
                    n.needsInputGrad(0) ? sb.unpack().mul(g[0]) : null,
                    n.needsInputGrad(1) ? sa.unpack().mul(g[0]) : null}, new SavedTensor[]{sa, sb}, a, b);
        }
        return out;
    }

    /** torch.matmul's rules: dot, mv, mm, and broadcast batched products. */
    static Tensor matmul(Tensor a, Tensor b) {
        int da = a.dim(), db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are " + da + "D and " + db + "D");
        }
        computeType(a, b, "matmul");     // the user called matmul: name it, not mm/bmm/dot
        if (da == 1 && db == 1) {
            checkInner(a.shape[0], b.shape[0], a, b);     // the user called matmul, not dot
            return dot(a, b);
        }
        if (da == 2 && db == 1) {
            checkInner(a.shape[1], b.shape[0], a, b);
            return mm(a, b.unsqueeze(1)).squeeze(1);
        }
        if (da == 1 && db == 2) {
            checkInner(a.shape[0], b.shape[0], a, b);
            return mm(a.unsqueeze(0), b).squeeze(0);
        }
        if (da == 2 && db == 2) return mm(a, b);
        // batched: fold a's batch dims into rows when b is a plain matrix
        if (da >= 3 && db <= 2) {
            Tensor bm = db == 1 ? b.unsqueeze(1) : b;
            int k = a.shape[da - 1];
            checkInner(k, bm.shape[0], a, b);
            int[] outShape = Arrays.copyOf(a.shape, da);
            outShape[da - 1] = bm.shape[1];
            Tensor r = mm(a.reshape(-1, k), bm).reshape(outShape);
            return db == 1 ? r.squeeze(-1) : r;
        }
        Tensor x = da == 1 ? a.unsqueeze(0) : a;
        Tensor y = db == 1 ? b.unsqueeze(1) : b;
        int rx = x.dim(), ry = y.dim();
        int n = x.shape[rx - 2], k = x.shape[rx - 1], k2 = y.shape[ry - 2], m = y.shape[ry - 1];
        checkInner(k, k2, a, b);
        int[] bx = Arrays.copyOf(x.shape, rx - 2), by = Arrays.copyOf(y.shape, ry - 2);
        int[] batch = Shapes.broadcast(bx, by, "matmul");
        int bn = Shapes.numel(batch);
        Tensor xe = x.expand(concat(batch, n, k)).reshape(bn, n, k);
        Tensor ye = y.expand(concat(batch, k, m)).reshape(bn, k, m);
        Tensor r = bmm(xe, ye).reshape(concat(batch, n, m));
        if (da == 1) r = r.squeeze(-2);
        if (db == 1) r = r.squeeze(-1);
        return r;
    }

    /** bmm's operands: [b, n, k] and [b, k, m]; {@code op} is the user's call (bmm, baddbmm). */
    static void checkBatches(Tensor a, Tensor b, String op) {
        if (a.dim() != 3 || b.dim() != 3 || a.shape[0] != b.shape[0] || a.shape[2] != b.shape[1]) {
            throw new IllegalArgumentException(op + ": expected batches of matrices [b, n, k] and [b, k, m], got "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
    }

    private static void checkInner(int k1, int k2, Tensor a, Tensor b) {
        if (k1 != k2) {
            throw new IllegalArgumentException("matmul: inner dimensions do not match: " + Shapes.str(a.shape) + " @ "
                    + Shapes.str(b.shape) + " needs the last dim of the first (" + k1 + ") to equal the "
                    + (b.dim() == 1 ? "size" : "second-to-last dim") + " of the second (" + k2 + "). Fix: transpose or "
                    + "reshape one operand, e.g. b.t()");
        }
    }

    private static int[] concat(int[] a, int x, int y) {
        int[] r = Arrays.copyOf(a, a.length + 2);
        r[a.length] = x;
        r[a.length + 1] = y;
        return r;
    }
}
