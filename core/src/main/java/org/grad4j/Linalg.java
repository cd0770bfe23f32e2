package org.grad4j;

import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.DecompositionKernels;
import org.grad4j.storage.Shapes;

import java.util.Arrays;

/**
 * {@code torch.linalg}: inverses, determinants, solves and decompositions of (batches of)
 * matrices in the last two dims, with PyTorch's gradient formulas.
 *
 * <pre>{@code
 * Tensor a = tensor(new double[][]{{4, 1}, {1, 3}}, DType.FLOAT64);
 * Linalg.inv(a);                       // torch.linalg.inv(a)
 * Linalg.solve(a, b);                  // torch.linalg.solve(a, b)
 * Linalg.eigh(a).eigenvalues();        // ascending
 * }</pre>
 */
public final class Linalg {
    private Linalg() {}

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
        Tensor excl = ReductionOps.exclusiveProd(r.S(), r.S().dim() - 1);
        Tensor gs = excl.mul(g.mul(sign).unsqueeze(-1));
        return r.U().mul(gs.unsqueeze(-2)).matmul(r.Vh());
    }

    /** {@code torch.linalg.slogdet}: sign and log of the absolute determinant. */
    public record Slogdet(Tensor sign, Tensor logabsdet) {}

    /** {@code torch.linalg.qr} (reduced): Q with orthonormal columns and upper-triangular R. */
    public record QR(Tensor Q, Tensor R) {}

    /** {@code torch.linalg.eigh}: ascending eigenvalues and eigenvectors as columns. */
    public record Eigh(Tensor eigenvalues, Tensor eigenvectors) {}

    /** {@code torch.linalg.svd(full_matrices=False)}: A = U diag(S) Vh. */
    public record SVD(Tensor U, Tensor S, Tensor Vh) {}

    // ------------------------------------------------------------------ batch plumbing

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
    private static Tensor result(int[] shape) { return Tensor.empty(shape, DType.FLOAT64); }

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
    public static Tensor inv(Tensor a) {
        checkSquare(a, "linalg.inv");
        Tensor res = result(a.shape.clone());
        DecompositionKernels.Failure f = kernels(a).inv(a.strided(), res.storage);
        if (f != null) {
            throw new IllegalArgumentException("linalg.inv: " + batchPrefix(a, f.batch())
                    + "The matrix is singular, the inversion could not be completed. Fix: check the input, or use a pseudo-inverse");
        }
        Tensor out = Ops.cast(res, a.dtype);
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
    public static Tensor det(Tensor a) {
        checkSquare(a, "linalg.det");
        Tensor res = result(batch(a));
        kernels(a).det(a.strided(), res.storage);
        Tensor out = Ops.cast(res, a.dtype);
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
    public static Slogdet slogdet(Tensor a) {
        checkSquare(a, "linalg.slogdet");
        Tensor sg = result(batch(a)), la = result(batch(a));
        kernels(a).slogdet(a.strided(), sg.storage, la.storage);
        Tensor sign = Ops.cast(sg, a.dtype), logabs = Ops.cast(la, a.dtype);
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a);
            Graph.record(logabs, "LinalgSlogdetBackward0", (g, nd) ->
                    new Tensor[]{g[0].unsqueeze(-1).unsqueeze(-1).mul(inv(sa.unpack()).mT())}, new SavedTensor[]{sa}, a);
        }
        return new Slogdet(sign, logabs);
    }

    /** {@code torch.linalg.solve(A, B)}: X with A X = B; B is a vector when it has one dim fewer than A. */
    public static Tensor solve(Tensor a, Tensor b) {
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
        Tensor xs = result(with(bb, n, m));
        if (kernels(a).solve(ae.strided(), be.strided(), xs.storage) != null) {
            throw new IllegalArgumentException("linalg.solve: The solver failed because the input matrix is singular.");
        }
        DType dt = DType.promote(a.dtype, b.dtype);
        Tensor x = Ops.cast(xs, dt);
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
    public static Tensor cholesky(Tensor a) {
        checkSquare(a, "linalg.cholesky");
        Tensor ls = result(a.shape.clone());
        DecompositionKernels.Failure f = kernels(a).cholesky(a.strided(), ls.storage);
        if (f != null) {
            throw new IllegalArgumentException("linalg.cholesky: " + batchPrefix(a, f.batch())
                    + "The factorization could not be completed because the input is not positive-definite (the leading minor of order "
                    + f.info() + " is not positive-definite).");
        }
        Tensor l = Ops.cast(ls, a.dtype);
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
    public static QR qr(Tensor a) {
        checkFloat(a, "linalg.qr");
        int m = a.size(-2), n = a.size(-1), k = Math.min(m, n);
        Tensor qs = result(with(batch(a), m, k)), rs = result(with(batch(a), k, n));
        kernels(a).qr(a.strided(), qs.storage, rs.storage);
        Tensor q = Ops.cast(qs, a.dtype), r = Ops.cast(rs, a.dtype);
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
    public static Eigh eigh(Tensor a) {
        checkSquare(a, "linalg.eigh");
        int n = a.size(-1);
        Tensor vals = result(with(batch(a), n)), vecs = result(a.shape.clone());
        kernels(a).eigh(a.strided(), vals.storage, vecs.storage);
        Tensor l = Ops.cast(vals, a.dtype), v = Ops.cast(vecs, a.dtype);
        if (Graph.needsGrad(a)) {
            SavedTensor sl = Graph.save(l), sv = Graph.save(v);
            Graph.recordMulti(new Tensor[]{l, v}, "LinalgEighBackward0", (g, nd) -> {
                Tensor lam = sl.unpack(), vv = sv.unpack();
                Tensor eye = Grad4j.eye(n).to(lam.dtype);
                Tensor e = lam.unsqueeze(-2).sub(lam.unsqueeze(-1)).add(eye);          // lambda_j - lambda_i, 1 on the diagonal
                Tensor f = e.reciprocal().mul(eye.rsub(1.0));
                Tensor inner = g[0].diagEmbed().add(f.mul(vv.mT().matmul(g[1])));
                return new Tensor[]{vv.matmul(inner).matmul(vv.mT())};
            }, new SavedTensor[]{sl, sv}, a);
        }
        return new Eigh(l, v);
    }

    /** {@code torch.linalg.eigvalsh}. */
    public static Tensor eigvalsh(Tensor a) { return eigh(a).eigenvalues(); }

    /**
     * {@code torch.linalg.svd(A, full_matrices=False)}: U, S (descending), Vh with A = U diag(S) Vh.
     * Signs are normalised (each row of Vh has a positive largest entry). Gradients follow PyTorch's
     * svd_backward and need distinct, non-zero singular values when U or Vh are used.
     */
    public static SVD svd(Tensor a) {
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
        Tensor eye = Grad4j.eye(k).to(s.dtype);
        Tensor s2 = s.mul(s);
        Tensor e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1)).add(eye);
        Tensor f = e.reciprocal().mul(eye.rsub(1.0));
        Tensor sm = s.diagEmbed(), sinv = s.reciprocal().diagEmbed();
        Tensor utgu = u.mT().matmul(gu), vtgv = v.mT().matmul(gv);
        Tensor inner = f.mul(utgu.sub(utgu.mT())).matmul(sm).add(gs.diagEmbed()).add(sm.matmul(f.mul(vtgv.sub(vtgv.mT()))));
        Tensor ga = u.matmul(inner).matmul(vh);
        int m = u.size(-2), n = v.size(-2);
        if (m > k) {
            Tensor proj = Grad4j.eye(m).to(s.dtype).sub(u.matmul(u.mT()));
            ga = ga.add(proj.matmul(gu).matmul(sinv).matmul(vh));
        }
        if (n > k) {
            Tensor proj = Grad4j.eye(n).to(s.dtype).sub(v.matmul(vh));
            ga = ga.add(u.matmul(sinv).matmul(gv.mT()).matmul(proj));
        }
        return ga;
    }

    /**
     * {@code torch.linalg.pinv(A)}: the pseudo-inverse from the SVD, dropping singular values below
     * {@code rtol * max(S)} with PyTorch's default rtol = eps * max(m, n).
     */
    public static Tensor pinv(Tensor a) {
        checkFloat(a, "linalg.pinv");
        SVD r = svd(a);
        double eps = a.dtype == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
        double rtol = eps * Math.max(a.size(-2), a.size(-1));
        Tensor s = r.S();
        Tensor cutoff = s.detach().amax(new int[]{-1}, true).mul(rtol);
        Tensor keep = s.detach().gt(cutoff);
        Tensor sinv = Ops.where(keep, s.reciprocal(), s.mul(0.0));
        return r.Vh().mT().mul(sinv.unsqueeze(-2)).matmul(r.U().mT());
    }

    private static SVD svdForward(Tensor a) {
        int m = a.size(-2), n = a.size(-1);
        boolean tr = m < n;
        Tensor x = tr ? a.mT() : a;
        int mm = Math.max(m, n), nn = Math.min(m, n);
        Tensor us = result(with(batch(a), mm, nn)), ss = result(with(batch(a), nn)), vs = result(with(batch(a), nn, nn));
        kernels(a).svd(x.strided(), us.storage, ss.storage, vs.storage);
        Tensor u = Ops.cast(us, a.dtype), s = Ops.cast(ss, a.dtype);
        Tensor v = Ops.cast(vs, a.dtype);
        // x = u s v^T; for the transposed case a = v s u^T
        return tr ? new SVD(v, s, u.mT().contiguous()) : new SVD(u, s, v.mT().contiguous());
    }

    /** {@code torch.linalg.svdvals}: singular values (descending), differentiable through {@link #svd}. */
    public static Tensor svdvals(Tensor a) {
        checkFloat(a, "linalg.svdvals");
        return svd(a).S();
    }

    // ------------------------------------------------------------------ norms

    /** {@code torch.linalg.vector_norm(x, ord, dim, keepdim)}; dims null means all. */
    public static Tensor vectorNorm(Tensor x, double ord, int[] dims, boolean keepdim) { return ReduceOps.norm(x, ord, dims, keepdim); }

    /** {@code torch.linalg.matrix_norm(A, ord)} over the last two dims: "fro" or "nuc". */
    public static Tensor matrixNorm(Tensor a, String ord) {
        checkFloat(a, "linalg.matrix_norm");
        return switch (ord) {
            case "fro" -> ReduceOps.norm(a, 2, new int[]{-2, -1}, false);
            case "nuc" -> svdvals(a).sum(new int[]{-1}, false);
            default -> throw new IllegalArgumentException("linalg.matrix_norm: Order " + ord + " not supported; use \"fro\", \"nuc\" or a number");
        };
    }

    /** {@code torch.linalg.matrix_norm(A, ord)} for ord in {1, -1, 2, -2, inf, -inf}. */
    public static Tensor matrixNorm(Tensor a, double ord) {
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

    /** {@code torch.linalg.norm(x)}: the 2-norm of all elements (Frobenius for matrices). */
    public static Tensor norm(Tensor x) { return ReduceOps.norm(x, 2, null, false); }

    /** {@code torch.linalg.norm(A, ord)} for a matrix ord over the last two dims. */
    public static Tensor norm(Tensor x, String ord) { return matrixNorm(x, ord); }
}
