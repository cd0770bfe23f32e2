package org.grad4j;

import org.grad4j.Linalg.Eigh;
import org.grad4j.Linalg.QR;
import org.grad4j.Linalg.SVD;
import org.grad4j.Linalg.Slogdet;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.DecompositionKernels;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matrix products (mm, bmm, dot, matmul's dispatch; mv, outer, addmm, baddbmm, tensordot, kron, einsum)
 * and torch.linalg's inverses, solves and decompositions with PyTorch's gradient formulas (the public
 * facade is {@link Linalg}).
 */
final class LinalgOps {
    private LinalgOps() {}

    // ------------------------------------------------------------------ mm, bmm, dot, matmul

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
        Tensor on = DeviceOps.common("mm", a, b);
        Tensor x = OpSupport.cast(a, kt), y = OpSupport.cast(b, kt);
        int m = x.shape[0], k = x.shape[1], n = y.shape[1];
        Tensor out = Tensor.emptyLike(on, new int[]{m, n}, kt);
        out.backend().matmul().gemm(x.strided(), y.strided(), out.storage);
        return kt == dt ? out : OpSupport.cast(out, dt);
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
        Tensor on = DeviceOps.common("bmm", a, b);
        Tensor x = OpSupport.cast(a, kt), y = OpSupport.cast(b, kt);
        int batch = a.shape[0], m = a.shape[1], k = a.shape[2], n = b.shape[2];
        Tensor out = Tensor.emptyLike(on, new int[]{batch, m, n}, kt);
        out.backend().matmul().gemmBatched(x.strided(), y.strided(), out.storage);
        if (kt != dt) out = OpSupport.cast(out, dt);
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

    // ------------------------------------------------------------------ mv, outer, addmm, baddbmm, tensordot, kron

    static Tensor mv(Tensor a, Tensor v) {
        if (a.dim() != 2 || v.dim() != 1) {
            throw new IllegalArgumentException("mv: expected a 2-D matrix and a 1-D vector, got " + Shapes.str(a.shape) + " and " + Shapes.str(v.shape));
        }
        if (a.shape[1] != v.shape[0]) {
            throw new IllegalArgumentException("mv: size mismatch, got input (" + a.shape[0] + "), mat (" + a.shape[0] + "x" + a.shape[1]
                    + "), vec (" + v.shape[0] + "). Fix: the vector's size must equal the matrix's columns");
        }
        return a.matmul(v);
    }

    static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: expected 1-D tensors, got " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    /** {@code beta * input + alpha * (m1 @ m2)}. */
    static Tensor addmm(Tensor input, Tensor m1, Tensor m2, double beta, double alpha) {
        Tensor p = m1.mm(m2);
        Shapes.broadcast(input.shape, p.shape, "addmm");      // a mismatched input names addmm, not add
        if (alpha != 1) p = p.mul(alpha);
        if (beta == 0) return p.add(Grad4j.zeros(input.shape(), p.dtype(), p.device()));   // beta = 0 ignores NaN/inf in input, as PyTorch
        return beta == 1 ? input.add(p) : input.mul(beta).add(p);
    }

    static Tensor baddbmm(Tensor input, Tensor b1, Tensor b2, double beta, double alpha) {
        checkBatches(b1, b2, "baddbmm");
        Tensor p = bmm(b1, b2);
        Shapes.broadcast(input.shape, p.shape, "baddbmm");
        if (alpha != 1) p = p.mul(alpha);
        return beta == 1 ? input.add(p) : input.mul(beta).add(p);
    }

    /** Contracts dims {@code da} of a with dims {@code db} of b. */
    static Tensor tensordot(Tensor a, Tensor b, int[] da, int[] db) {
        if (da.length != db.length) throw new IllegalArgumentException("tensordot: both dimension lists should have same length");
        int[] wa = new int[da.length], wb = new int[db.length];
        int k = 1;
        for (int i = 0; i < da.length; i++) {
            wa[i] = Shapes.wrapDim(da[i], a.dim(), "tensordot");
            wb[i] = Shapes.wrapDim(db[i], b.dim(), "tensordot");
            if (a.shape[wa[i]] != b.shape[wb[i]]) {
                throw new IllegalArgumentException("tensordot: contracted dimensions need to match, but first has size " + a.shape[wa[i]]
                        + " in dim " + wa[i] + " and second has size " + b.shape[wb[i]] + " in dim " + wb[i]);
            }
            k *= a.shape[wa[i]];
        }
        List<Integer> freeA = new ArrayList<>(), freeB = new ArrayList<>();
        for (int i = 0; i < a.dim(); i++) if (!contains(wa, i)) freeA.add(i);
        for (int i = 0; i < b.dim(); i++) if (!contains(wb, i)) freeB.add(i);
        int[] pa = new int[a.dim()], pb = new int[b.dim()];
        int j = 0, m = 1, n = 1;
        List<Integer> outShape = new ArrayList<>();
        for (int i : freeA) { pa[j++] = i; m *= a.shape[i]; outShape.add(a.shape[i]); }
        for (int i : wa) pa[j++] = i;
        j = 0;
        for (int i : wb) pb[j++] = i;
        for (int i : freeB) { pb[j++] = i; n *= b.shape[i]; outShape.add(b.shape[i]); }
        Tensor r = a.permute(pa).reshape(m, k).mm(b.permute(pb).reshape(k, n));
        return r.reshape(outShape.stream().mapToInt(Integer::intValue).toArray());
    }

    static Tensor tensordot(Tensor a, Tensor b, int dims) {
        int[] da = new int[dims], db = new int[dims];
        for (int i = 0; i < dims; i++) { da[i] = a.dim() - dims + i; db[i] = i; }
        return tensordot(a, b, da, db);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    static Tensor kron(Tensor a, Tensor b) {
        int r = Math.max(a.dim(), b.dim());
        int[] sa = pad(a.shape, r), sb = pad(b.shape, r);
        int[] ia = new int[2 * r], ib = new int[2 * r], out = new int[r];
        for (int i = 0; i < r; i++) {
            ia[2 * i] = sa[i]; ia[2 * i + 1] = 1;
            ib[2 * i] = 1; ib[2 * i + 1] = sb[i];
            out[i] = sa[i] * sb[i];
        }
        return a.reshape(ia).mul(b.reshape(ib)).reshape(out);
    }

    private static int[] pad(int[] s, int r) {
        int[] o = new int[r];
        Arrays.fill(o, 1);
        System.arraycopy(s, 0, o, r - s.length, s.length);
        return o;
    }

    // ------------------------------------------------------------------ einsum

    /**
     * einsum by broadcasting: each operand is aligned to a common label order (repeated labels
     * take a diagonal), operands are multiplied pairwise and labels no longer needed are summed
     * out as early as possible. Supports "..." and implicit output.
     */
    static Tensor einsum(String equation, Tensor... ops) {
        String eq = equation.replace(" ", "");
        String lhs, rhs;
        int arrow = eq.indexOf("->");
        if (arrow >= 0) { lhs = eq.substring(0, arrow); rhs = eq.substring(arrow + 2); }
        else { lhs = eq; rhs = null; }
        String[] terms = lhs.split(",", -1);
        if (terms.length != ops.length) {
            throw new IllegalArgumentException("einsum(): more operands were provided than specified in the equation"
                    .replace("more", terms.length < ops.length ? "more" : "fewer") + " ('" + equation + "' has " + terms.length
                    + " operands, got " + ops.length + ")");
        }
        // "..." becomes private labels (chars from U+0100), aligned to the right
        int ell = 0;
        for (int i = 0; i < terms.length; i++) {
            if (terms[i].contains("...")) ell = Math.max(ell, ops[i].dim() - (terms[i].length() - 3));
        }
        StringBuilder ellLabels = new StringBuilder();
        for (int i = 0; i < ell; i++) ellLabels.append((char) (0x100 + i));
        List<String> t = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            String s = terms[i];
            if (s.contains("...")) {
                int n = ops[i].dim() - (s.length() - 3);
                if (n < 0) throw new IllegalArgumentException("einsum(): the number of subscripts in '" + s + "' exceeds operand " + i + "'s dims");
                s = s.replace("...", ellLabels.substring(ell - n));
            }
            if (s.length() != ops[i].dim()) {
                throw new IllegalArgumentException("einsum(): the number of subscripts in the equation (" + s.length()
                        + ") does not match the number of dimensions (" + ops[i].dim() + ") for operand " + i
                        + (terms[i].contains("...") ? "" : " and no ellipsis was given"));
            }
            for (char c : s.toCharArray()) {
                if (!Character.isLetter(c) && c < 0x100) throw new IllegalArgumentException("einsum(): invalid subscript '" + c + "' in '" + equation + "'");
            }
            t.add(s);
        }
        String out;
        if (rhs == null) {
            Map<Character, Integer> count = new LinkedHashMap<>();
            for (String s : t) for (char c : s.toCharArray()) count.merge(c, 1, Integer::sum);
            StringBuilder sb = new StringBuilder(ellLabels);
            count.entrySet().stream().filter(e -> e.getValue() == 1 && e.getKey() < 0x100).map(Map.Entry::getKey).sorted()
                    .forEach(sb::append);
            out = sb.toString();
        } else {
            out = rhs.replace("...", ellLabels);
            for (char c : out.toCharArray()) {
                if (t.stream().noneMatch(s -> s.indexOf(c) >= 0)) {
                    throw new IllegalArgumentException("einsum(): output subscript " + c + " does not appear in the equation for any input operand");
                }
            }
        }
        // every label gets a global position: output labels first, then contracted ones
        StringBuilder all = new StringBuilder(out);
        for (String s : t) for (char c : s.toCharArray()) if (all.indexOf(String.valueOf(c)) < 0) all.append(c);
        String labels = all.toString();
        Tensor acc = null;
        String accLabels = null;
        for (int i = 0; i < ops.length; i++) {
            Tensor x = ops[i];
            String s = t.get(i);
            // repeated labels within one operand: take the diagonal
            for (int p = 0; p < s.length(); p++) {
                int q = s.indexOf(s.charAt(p), p + 1);
                while (q >= 0) {
                    x = x.diagonal(0, p, q).movedim(-1, p);
                    s = s.substring(0, q) + s.substring(q + 1);
                    q = s.indexOf(s.charAt(p), p + 1);
                }
            }
            Tensor aligned = align(x, s, labels);
            acc = acc == null ? aligned : acc.mul(aligned);
            accLabels = labels;
            // sum out labels used by no later operand and not in the output
            List<Integer> done = new ArrayList<>();
            for (int p = out.length(); p < labels.length(); p++) {
                char c = labels.charAt(p);
                boolean later = false;
                for (int j = i + 1; j < ops.length; j++) if (t.get(j).indexOf(c) >= 0) later = true;
                if (!later && acc.size(p) > 1) done.add(p);
            }
            if (!done.isEmpty()) acc = acc.sum(done.stream().mapToInt(Integer::intValue).toArray(), true);
        }
        // remaining contracted dims are size 1 (or summed): reduce and drop them
        int[] extra = new int[labels.length() - out.length()];
        for (int p = 0; p < extra.length; p++) extra[p] = out.length() + p;
        if (extra.length > 0) acc = acc.sum(extra, false);
        // broadcast output dims of size 1 to their true size (a label can be size 1 in every operand)
        return acc;
    }

    /** Permutes x (labels s) into the order of {@code labels}, inserting size-1 dims for absent labels. */
    private static Tensor align(Tensor x, String s, String labels) {
        List<Integer> perm = new ArrayList<>();
        int[] shape = new int[labels.length()];
        for (int p = 0; p < labels.length(); p++) {
            int at = s.indexOf(labels.charAt(p));
            if (at >= 0) { perm.add(at); shape[p] = x.size(at); }
            else shape[p] = 1;
        }
        Tensor r = x.permute(perm.stream().mapToInt(Integer::intValue).toArray());
        return r.reshape(shape);
    }

    /**
     * det's gradient without inverting (singular inputs): with A = U diag(S) Vh and det = sign * prod(S),
     * d det / dA = U diag(sign * prod_{j != i} s_j) Vh.
     */
    private static Tensor singularDetBackward(Tensor g, Tensor a) {
        SVD r = svd(a);
        Tensor sign;
        try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
            sign = det(r.U()).mul(det(r.Vh()));
        }
        Tensor excl = ReduceOps.exclusiveProd(r.S(), r.S().dim() - 1);
        Tensor gs = excl.mul(g.mul(sign).unsqueeze(-1));
        return r.U().mul(gs.unsqueeze(-2)).matmul(r.Vh());
    }

    // ------------------------------------------------------------------ torch.linalg: batch plumbing

    private static void checkFloat(Tensor a, String op) {
        if (!a.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": Expected a floating point tensor as input. Got " + a.dtype + ". Fix: call .toDouble() first");
        }
        if (a.dim() < 2) {
            throw new IllegalArgumentException(op + ": The input tensor A must have at least 2 dimensions (got shape " + Shapes.str(a.shape) + ")");
        }
    }

    private static void checkSquare(Tensor a, String op) {
        checkFloat(a, op);
        if (a.size(-1) != a.size(-2)) {
            throw new IllegalArgumentException(op + ": A must be batches of square matrices, but they are " + a.size(-2) + " by "
                    + a.size(-1) + " matrices");
        }
    }

    private static DecompositionKernels kernels(Tensor a) { return a.backend().linalg(); }

    /** A float64 result of {@code shape} for a kernel to fill. */
    private static Tensor result(Tensor like, int[] shape) { return Tensor.emptyLike(like, shape, DType.FLOAT64); }

    private static int[] batch(Tensor a) { return Arrays.copyOf(a.shape, a.dim() - 2); }

    private static int[] with(int[] batch, int... tail) {
        int[] r = Arrays.copyOf(batch, batch.length + tail.length);
        System.arraycopy(tail, 0, r, batch.length, tail.length);
        return r;
    }

    /** Batch element {@code b}'s prefix of a message, only when there is a batch (PyTorch's wording). */
    private static String batchPrefix(Tensor a, int b) {
        return Shapes.numel(batch(a)) > 1 ? "(Batch element " + b + "): " : "";
    }

    // ------------------------------------------------------------------ LU family

    /** {@code torch.linalg.inv}; fails clearly on singular matrices. Gradient {@code -A^-T g A^-T}. */
    static Tensor inv(Tensor a) {
        checkSquare(a, "linalg.inv");
        Tensor res = result(a, a.shape.clone());
        DecompositionKernels.Failure f = kernels(a).inv(a.strided(), res.storage);
        if (f != null) {
            throw new IllegalArgumentException("linalg.inv: " + batchPrefix(a, f.batch())
                    + "The matrix is singular, the inversion could not be completed. Fix: check the input, or use a pseudo-inverse");
        }
        Tensor out = OpSupport.cast(res, a.dtype);
        if (Graph.needsGrad(a)) {
            SavedTensor so = Graph.save(out);
            Graph.record(out, "LinalgInvExBackward0", (g, nd) -> {
                Tensor ai = so.unpack().mT();
                return new Tensor[]{ai.matmul(g[0]).matmul(ai).neg()};
            }, new SavedTensor[]{so}, a);
        }
        return out;
    }

    /** {@code torch.linalg.det}; gradient {@code g det A^-T} (needs an invertible A). */
    static Tensor det(Tensor a) {
        checkSquare(a, "linalg.det");
        Tensor res = result(a, batch(a));
        kernels(a).det(a.strided(), res.storage);
        Tensor out = OpSupport.cast(res, a.dtype);
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            Graph.record(out, "LinalgDetBackward0", (g, nd) -> {
                Tensor dv = so.unpack(), x = sa.unpack();
                if (dv.eq(0.0).any().itemBool()) return new Tensor[]{singularDetBackward(g[0], x)};
                Tensor s = g[0].mul(dv).unsqueeze(-1).unsqueeze(-1);
                return new Tensor[]{s.mul(inv(x).mT())};
            }, new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    /** {@code torch.linalg.slogdet}: (sign, log|det|); log|det| gets gradient {@code g A^-T}. */
    static Slogdet slogdet(Tensor a) {
        checkSquare(a, "linalg.slogdet");
        Tensor sg = result(a, batch(a)), la = result(a, batch(a));
        kernels(a).slogdet(a.strided(), sg.storage, la.storage);
        Tensor sign = OpSupport.cast(sg, a.dtype), logabs = OpSupport.cast(la, a.dtype);
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a);
            Graph.record(logabs, "LinalgSlogdetBackward0", (g, nd) ->
                    new Tensor[]{g[0].unsqueeze(-1).unsqueeze(-1).mul(inv(sa.unpack()).mT())}, new SavedTensor[]{sa}, a);
        }
        return new Slogdet(sign, logabs);
    }

    /** {@code torch.linalg.solve(A, B)}: X with A X = B; B is a vector when it has one dim fewer than A. */
    static Tensor solve(Tensor a, Tensor b) {
        checkSquare(a, "linalg.solve");
        boolean vec = b.dim() == 1 || (b.dim() == a.dim() - 1 && Arrays.equals(Arrays.copyOf(b.shape, b.dim() - 1), batch(a)));
        Tensor bm = vec ? b.unsqueeze(-1) : b;
        int n = a.size(-1);
        if (bm.size(-2) != n) {
            throw new IllegalArgumentException("linalg.solve: Incompatible shapes of A and B for the equation AX = B (" + Shapes.str(a.shape)
                    + " and " + Shapes.str(b.shape) + ")");
        }
        int[] bb = Shapes.broadcast(batch(a), batch(bm), "linalg.solve");
        int m = bm.size(-1);
        Tensor ae = a.expand(with(bb, n, n)), be = bm.expand(with(bb, n, m));
        Tensor xs = result(a, with(bb, n, m));
        if (kernels(a).solve(ae.strided(), be.strided(), xs.storage) != null) {
            throw new IllegalArgumentException("linalg.solve: The solver failed because the input matrix is singular.");
        }
        DType dt = DType.promote(a.dtype, b.dtype);
        Tensor x = OpSupport.cast(xs, dt);
        if (Graph.needsGrad(a, bm)) {
            SavedTensor sa = Graph.save(a), sx = Graph.save(x);
            Graph.record(x, "LinalgSolveExBackward0", (g, nd) -> {
                Tensor gb = solve(sa.unpack().mT(), g[0]);
                Tensor ga = nd.needsInputGrad(0) ? gb.matmul(sx.unpack().mT()).neg() : null;
                return new Tensor[]{ga, gb};
            }, new SavedTensor[]{sa, sx}, a, bm);
        }
        return vec ? x.squeeze(-1) : x;
    }

    // ------------------------------------------------------------------ decompositions

    /** {@code torch.linalg.cholesky}: lower L with A = L L^T, for symmetric positive-definite A. */
    static Tensor cholesky(Tensor a) {
        checkSquare(a, "linalg.cholesky");
        Tensor ls = result(a, a.shape.clone());
        DecompositionKernels.Failure f = kernels(a).cholesky(a.strided(), ls.storage);
        if (f != null) {
            throw new IllegalArgumentException("linalg.cholesky: " + batchPrefix(a, f.batch())
                    + "The factorization could not be completed because the input is not positive-definite (the leading minor of order "
                    + f.info() + " is not positive-definite).");
        }
        Tensor l = OpSupport.cast(ls, a.dtype);
        if (Graph.needsGrad(a)) {
            SavedTensor sl = Graph.save(l);
            Graph.record(l, "LinalgCholeskyExBackward0", (g, nd) -> {
                Tensor lt = sl.unpack();
                Tensor p = lt.mT().matmul(g[0]);
                p = p.tril().sub(p.diagonal(0, -2, -1).diagEmbed().mul(0.5));        // phi: lower triangle, halved diagonal
                Tensor s = solve(lt.mT(), solve(lt.mT(), p).mT()).mT();              // L^-T P L^-1
                return new Tensor[]{s.add(s.mT()).mul(0.5)};
            }, new SavedTensor[]{sl}, a);
        }
        return l;
    }

    /** {@code torch.linalg.qr} in reduced mode (needs rows >= cols for gradients, as PyTorch). */
    static QR qr(Tensor a) {
        checkFloat(a, "linalg.qr");
        int m = a.size(-2), n = a.size(-1), k = Math.min(m, n);
        Tensor qs = result(a, with(batch(a), m, k)), rs = result(a, with(batch(a), k, n));
        kernels(a).qr(a.strided(), qs.storage, rs.storage);
        Tensor q = OpSupport.cast(qs, a.dtype), r = OpSupport.cast(rs, a.dtype);
        if (Graph.needsGrad(a)) {
            if (m < n) {
                throw new UnsupportedOperationException("linalg.qr: gradients are implemented for inputs with rows >= columns only "
                        + "(got " + m + " x " + n + "). Fix: compute the QR of A.mT() instead");
            }
            SavedTensor sq = Graph.save(q), sr = Graph.save(r);
            Graph.recordMulti(new Tensor[]{q, r}, "LinalgQrBackward0", (g, nd) -> {
                Tensor qq = sq.unpack(), rr = sr.unpack();
                Tensor gq = g[0], gr = g[1];
                Tensor mm = rr.matmul(gr.mT()).sub(gq.mT().matmul(qq));
                Tensor copyltu = mm.tril(-1).add(mm.tril(-1).mT()).add(mm.diagonal(0, -2, -1).diagEmbed());
                Tensor b = gq.add(qq.matmul(copyltu));
                return new Tensor[]{solve(rr, b.mT()).mT()};                       // b R^-T
            }, new SavedTensor[]{sq, sr}, a);
        }
        return new QR(q, r);
    }

    /** {@code torch.linalg.eigh} (reads the lower triangle, like UPLO='L'); eigenvector signs are normalised. */
    static Eigh eigh(Tensor a) {
        checkSquare(a, "linalg.eigh");
        int n = a.size(-1);
        Tensor vals = result(a, with(batch(a), n)), vecs = result(a, a.shape.clone());
        kernels(a).eigh(a.strided(), vals.storage, vecs.storage);
        Tensor l = OpSupport.cast(vals, a.dtype), v = OpSupport.cast(vecs, a.dtype);
        if (Graph.needsGrad(a)) {
            SavedTensor sl = Graph.save(l), sv = Graph.save(v);
            Graph.recordMulti(new Tensor[]{l, v}, "LinalgEighBackward0", (g, nd) -> {
                Tensor lam = sl.unpack(), vv = sv.unpack();
                Tensor eye = Grad4j.eye(n).to(lam.device(), lam.dtype);
                Tensor e = lam.unsqueeze(-2).sub(lam.unsqueeze(-1)).add(eye);          // lambda_j - lambda_i, 1 on the diagonal
                Tensor f = e.reciprocal().mul(eye.rsub(1.0));
                Tensor inner = g[0].diagEmbed().add(f.mul(vv.mT().matmul(g[1])));
                return new Tensor[]{vv.matmul(inner).matmul(vv.mT())};
            }, new SavedTensor[]{sl, sv}, a);
        }
        return new Eigh(l, v);
    }

    /** {@code torch.linalg.eigvalsh}. */
    static Tensor eigvalsh(Tensor a) { return eigh(a).eigenvalues(); }

    /**
     * {@code torch.linalg.svd(A, full_matrices=False)}: U, S (descending), Vh with A = U diag(S) Vh.
     * Signs are normalised (each row of Vh has a positive largest entry). Gradients follow PyTorch's
     * svd_backward and need distinct, non-zero singular values when U or Vh are used.
     */
    static SVD svd(Tensor a) {
        checkFloat(a, "linalg.svd");
        SVD r = svdForward(a);
        if (!Graph.needsGrad(a)) return r;
        Tensor u = r.U(), s = r.S(), vh = r.Vh();
        SavedTensor su = Graph.save(u), ss = Graph.save(s), sv = Graph.save(vh);
        Graph.recordMulti(new Tensor[]{u, s, vh}, "LinalgSvdBackward0", (g, nd) ->
                new Tensor[]{svdBackward(g[0], g[1], g[2], su.unpack(), ss.unpack(), sv.unpack())}, new SavedTensor[]{su, ss, sv}, a);
        return r;
    }

    /**
     * gA = U [(F o (U^T gU - gU^T U)) S + diag(gS) + S (F o (V^T gV - gV^T V))] V^T
     *      + (I - U U^T) gU S^-1 V^T + U S^-1 gV^T (I - V V^T),  F_ij = 1 / (s_j^2 - s_i^2).
     */
    private static Tensor svdBackward(Tensor gu, Tensor gs, Tensor gvh, Tensor u, Tensor s, Tensor vh) {
        int k = s.size(-1);
        Tensor v = vh.mT(), gv = gvh.mT();
        Tensor eye = Grad4j.eye(k).to(s.device(), s.dtype);
        Tensor s2 = s.mul(s);
        Tensor e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1)).add(eye);
        Tensor f = e.reciprocal().mul(eye.rsub(1.0));
        Tensor sm = s.diagEmbed(), sinv = s.reciprocal().diagEmbed();
        Tensor utgu = u.mT().matmul(gu), vtgv = v.mT().matmul(gv);
        Tensor inner = f.mul(utgu.sub(utgu.mT())).matmul(sm).add(gs.diagEmbed()).add(sm.matmul(f.mul(vtgv.sub(vtgv.mT()))));
        Tensor ga = u.matmul(inner).matmul(vh);
        int m = u.size(-2), n = v.size(-2);
        if (m > k) {
            Tensor proj = Grad4j.eye(m).to(s.device(), s.dtype).sub(u.matmul(u.mT()));
            ga = ga.add(proj.matmul(gu).matmul(sinv).matmul(vh));
        }
        if (n > k) {
            Tensor proj = Grad4j.eye(n).to(s.device(), s.dtype).sub(v.matmul(vh));
            ga = ga.add(u.matmul(sinv).matmul(gv.mT()).matmul(proj));
        }
        return ga;
    }

    /**
     * {@code torch.linalg.pinv(A)}: the pseudo-inverse from the SVD, dropping singular values below
     * {@code rtol * max(S)} with PyTorch's default rtol = eps * max(m, n).
     */
    static Tensor pinv(Tensor a) {
        checkFloat(a, "linalg.pinv");
        SVD r = svd(a);
        double eps = a.dtype == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
        double rtol = eps * Math.max(a.size(-2), a.size(-1));
        Tensor s = r.S();
        Tensor cutoff = s.detach().amax(new int[]{-1}, true).mul(rtol);
        Tensor keep = s.detach().gt(cutoff);
        Tensor sinv = BinaryOps.where(keep, s.reciprocal(), s.mul(0.0));
        return r.Vh().mT().mul(sinv.unsqueeze(-2)).matmul(r.U().mT());
    }

    private static SVD svdForward(Tensor a) {
        int m = a.size(-2), n = a.size(-1);
        boolean tr = m < n;
        Tensor x = tr ? a.mT() : a;
        int mm = Math.max(m, n), nn = Math.min(m, n);
        Tensor us = result(a, with(batch(a), mm, nn)), ss = result(a, with(batch(a), nn)), vs = result(a, with(batch(a), nn, nn));
        kernels(a).svd(x.strided(), us.storage, ss.storage, vs.storage);
        Tensor u = OpSupport.cast(us, a.dtype), s = OpSupport.cast(ss, a.dtype);
        Tensor v = OpSupport.cast(vs, a.dtype);
        // x = u s v^T; for the transposed case a = v s u^T
        return tr ? new SVD(v, s, u.mT().contiguous()) : new SVD(u, s, v.mT().contiguous());
    }

    /** {@code torch.linalg.svdvals}: singular values (descending), differentiable through {@link Linalg#svd}. */
    static Tensor svdvals(Tensor a) {
        checkFloat(a, "linalg.svdvals");
        return svd(a).S();
    }

    /** {@code torch.linalg.matrix_norm(A, ord)} over the last two dims: "fro" or "nuc". */
    static Tensor matrixNorm(Tensor a, String ord) {
        checkFloat(a, "linalg.matrix_norm");
        return switch (ord) {
            case "fro" -> ReduceOps.norm(a, 2, new int[]{-2, -1}, false);
            case "nuc" -> svdvals(a).sum(new int[]{-1}, false);
            default -> throw new IllegalArgumentException("linalg.matrix_norm: Order " + ord + " not supported; use \"fro\", \"nuc\" or a number");
        };
    }

    /** {@code torch.linalg.matrix_norm(A, ord)} for ord in {1, -1, 2, -2, inf, -inf}. */
    static Tensor matrixNorm(Tensor a, double ord) {
        checkFloat(a, "linalg.matrix_norm");
        if (Math.abs(ord) == 1) {
            Tensor cols = a.abs().sum(new int[]{-2}, false);
            return ord > 0 ? cols.amax(-1) : cols.amin(-1);
        }
        if (Double.isInfinite(ord)) {
            Tensor rows = a.abs().sum(new int[]{-1}, false);
            return ord > 0 ? rows.amax(-1) : rows.amin(-1);
        }
        if (Math.abs(ord) == 2) {
            Tensor s = svdvals(a);
            return ord > 0 ? s.amax(-1) : s.amin(-1);
        }
        throw new IllegalArgumentException("linalg.matrix_norm: Order " + ord + " not supported; use 1, -1, 2, -2, inf, -inf, \"fro\" or \"nuc\"");
    }
}
