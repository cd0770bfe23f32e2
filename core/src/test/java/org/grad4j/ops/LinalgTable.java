package org.grad4j.ops;

import org.grad4j.Grad4j;
import org.grad4j.Linalg;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.in;
import static org.grad4j.ops.OpTable.op;
import static org.grad4j.ops.Samples.a;
import static org.grad4j.ops.Samples.s;
import static org.grad4j.ops.Samples.step;
import static org.grad4j.ops.Samples.t;

/** Linear algebra. */
final class LinalgTable {
    private LinalgTable() {}

    private static final String L = "Linear algebra";

    private static final Tensor A = f64(new double[][]{{1, 2}, {3, 4}});

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        l.add(op(L, "mm", "a.mm(b)", in -> in[0].mm(in[1]), "torch.mm", "Tensor.mm").node("MmBackward0")
                .sample(s(a(2, 3), a(3, 4))).sample(s(t(2, 3), step(3, 2))).sample(s(a(0, 3), a(3, 2)))
                .known(in(() -> A, () -> A), f64(new double[][]{{7, 10}, {15, 22}}))
                .error("inner mismatch", () -> A.mm(Grad4j.zeros(3, 3)), "cannot be multiplied"));
        l.add(op(L, "matmul", "a.matmul(b)", in -> in[0].matmul(in[1]), "torch.matmul", "Tensor.matmul", "a @ b")
                .sample(s(a(2, 3), a(3))).sample(s(a(3), a(3, 2))).sample(s(a(2, 2, 3), a(3, 2))).sample(s(a(2, 1, 2, 3), a(3, 3, 2)))
                .sample(s(a(3), a(3))).sample(s(t(2, 2, 3), a(2, 3, 1)))
                .known(in(() -> A, () -> f64(1, 1)), f64(3, 7))
                .error("0-d", () -> Grad4j.tensor(1.0).matmul(A), "at least 1D"));
        l.add(op(L, "bmm", "Grad4j.bmm(a, b)", in -> Grad4j.bmm(in[0], in[1]), "torch.bmm", "Tensor.bmm").node("BmmBackward0")
                .sample(s(a(2, 2, 3), a(2, 3, 2))).sample(s(t(2, 2, 3), a(2, 3, 1)))
                .known(in(() -> A.unsqueeze(0), () -> A.unsqueeze(0)), f64(new double[][]{{7, 10}, {15, 22}}).unsqueeze(0)));
        l.add(op(L, "dot", "Grad4j.dot(a, b)", in -> Grad4j.dot(in[0], in[1]), "torch.dot", "Tensor.dot", "torch.inner (1-d)").node("DotBackward0")
                .sample(s(a(3), a(3))).sample(s(step(4), a(4)))
                .known(in(() -> f64(1, 2), () -> f64(3, 4)), OpTable.sc(11)));
        l.add(op(L, "mv", "m.mv(v)", in -> in[0].mv(in[1]), "torch.mv", "Tensor.mv").sample(s(a(2, 3), a(3))).sample(s(t(2, 3), step(3)))
                .known(in(() -> A, () -> f64(1, 1)), f64(3, 7)));
        l.add(op(L, "outer", "a.outer(b)", in -> in[0].outer(in[1]), "torch.outer", "torch.ger", "Tensor.outer").sample(s(a(2), a(3)))
                .known(in(() -> f64(1, 2), () -> f64(3, 4)), f64(new double[][]{{3, 4}, {6, 8}})));
        l.add(op(L, "addmm", "input.addmm(m1, m2, beta, alpha)", in -> in[0].addmm(in[1], in[2], 0.5, 2.0), "torch.addmm", "Tensor.addmm")
                .sample(s(a(2, 2), a(2, 3), a(3, 2))).sample(s(a(2), t(2, 3), a(3, 2)))
                .known(() -> new Tensor[]{f64(new double[][]{{2, 2}, {2, 2}}), A, A}, f64(new double[][]{{15, 21}, {31, 45}})));
        l.add(op(L, "baddbmm", "input.baddbmm(b1, b2, beta, alpha)", in -> in[0].baddbmm(in[1], in[2], 1.0, 1.0), "torch.baddbmm", "Tensor.baddbmm")
                .sample(s(a(2, 2, 2), a(2, 2, 3), a(2, 3, 2))).known(() -> new Tensor[]{A.unsqueeze(0), A.unsqueeze(0), A.unsqueeze(0)},
                        f64(new double[][]{{8, 12}, {18, 26}}).unsqueeze(0)));
        l.add(op(L, "tensordot", "Grad4j.tensordot(a, b, dimsA, dimsB)", in -> Grad4j.tensordot(in[0], in[1], new int[]{1, 0}, new int[]{0, 2}), "torch.tensordot")
                .sample(s(a(3, 2, 2), a(2, 2, 3))).known(in(() -> A.unsqueeze(-1), () -> A.unsqueeze(1)), f64(new double[][]{{29}})));
        l.add(op(L, "kron", "Grad4j.kron(a, b)", in -> Grad4j.kron(in[0], in[1]), "torch.kron").sample(s(a(2, 2), a(2, 3))).sample(s(a(2), a(2, 2)))
                .known(in(() -> f64(1, 2), () -> f64(1, 10)), f64(1, 10, 2, 20)));
        l.add(op(L, "einsum_matmul", "Grad4j.einsum(\"bij,bjk->bik\", a, b)", in -> Grad4j.einsum("bij,bjk->bik", in[0], in[1]), "torch.einsum")
                .sample(s(a(2, 2, 3), a(2, 3, 2))).sample(s(t(2, 2, 3), a(2, 3, 1))).known(in(() -> A.unsqueeze(0), () -> A.unsqueeze(0)),
                        f64(new double[][]{{7, 10}, {15, 22}}).unsqueeze(0))
                .error("bad rank", () -> Grad4j.einsum("ij->i", f64(1, 2)), "number of subscripts"));
        l.add(op(L, "einsum_trace", "Grad4j.einsum(\"ii\", a)", in -> Grad4j.einsum("ii", in[0]), "torch.einsum('ii')", "torch.trace")
                .sample(s(a(3, 3))).sample(s(t(3, 3))).known(in(() -> A), OpTable.sc(5)));
        l.add(op(L, "einsum_ellipsis", "Grad4j.einsum(\"...ij,j->...i\", a, v)", in -> Grad4j.einsum("...ij,j->...i", in[0], in[1]), "torch.einsum('...')")
                .sample(s(a(2, 2, 3), a(3))).sample(s(a(2, 3), a(3))).known(in(() -> A, () -> f64(1, 1)), f64(3, 7)));
        l.add(op(L, "einsum_implicit", "Grad4j.einsum(\"ij,kj\", a, b)", in -> Grad4j.einsum("ij,kj", in[0], in[1]), "torch.einsum (implicit output)")
                .sample(s(a(2, 3), a(4, 3))).known(in(() -> A, () -> A), f64(new double[][]{{5, 11}, {11, 25}})));
        l.addAll(decompositions());
        return l;
    }

    private static final Tensor SPD = f64(new double[][]{{4, 2}, {2, 3}});

    /** A well-conditioned matrix from a sample: x + 3 I (random entries are in [-2, 2)... shifted). */
    private static Tensor wellConditioned(Tensor x) {
        int n = x.size(-1);
        return x.add(Grad4j.eye(n).to(x.device(), x.dtype()).mul(4.0));
    }

    private static Tensor spd(Tensor x) {
        int n = x.size(-1);
        return x.matmul(x.mT()).add(Grad4j.eye(n).to(x.device(), x.dtype()).mul((double) n));
    }

    static List<OpInfo> decompositions() {
        List<OpInfo> l = new ArrayList<>();
        l.add(op(L, "linalg.inv", "Linalg.inv(a)", in -> Linalg.inv(wellConditioned(in[0])), "torch.linalg.inv", "torch.inverse", "Tensor.inverse")
                .node("LinalgInvExBackward0").sample(s(a(3, 3))).sample(s(t(2, 2, 2))).domain(-1, 1)
                .known(in(() -> A.sub(Grad4j.eye(2).toDouble().mul(4.0))), f64(new double[][]{{-2, 1}, {1.5, -0.5}}))
                .error("singular", () -> Linalg.inv(f64(new double[][]{{1, 2}, {2, 4}})), "singular")
                .error("non-square", () -> Linalg.inv(Grad4j.zeros(2, 3).toDouble()), "square"));
        l.add(op(L, "linalg.det", "Linalg.det(a)", in -> Linalg.det(wellConditioned(in[0])), "torch.linalg.det", "torch.det", "Tensor.det")
                .node("LinalgDetBackward0").sample(s(a(3, 3))).sample(s(t(2, 2, 2))).domain(-1, 1)
                .known(in(() -> A.sub(Grad4j.eye(2).toDouble().mul(4.0))), OpTable.sc(-2)));
        l.add(op(L, "linalg.det_singular", "Linalg.det(a) at a singular a", in -> Linalg.det(in[0]), "torch.linalg.det (singular input)")
                .sample(s(Samples.fixed(() -> f64(new double[][]{{1, 2, 3}, {2, 4, 6}, {1, 0, 1}})))).grad(OpInfo.Grad.ONCE)
                .dtypes(java.util.EnumSet.of(org.grad4j.storage.DType.FLOAT64))
                .known(in(() -> f64(new double[][]{{1, 2}, {2, 4}})), OpTable.sc(0))
                .knownGrad(in(() -> f64(new double[][]{{1, 2}, {2, 4}})), f64(new double[][]{{4, -2}, {-2, 1}})));
        l.add(op(L, "linalg.slogdet", "Linalg.slogdet(a).logabsdet()", in -> Linalg.slogdet(wellConditioned(in[0])).logabsdet(), "torch.linalg.slogdet", "torch.logdet")
                .node("LinalgSlogdetBackward0").sample(s(a(3, 3))).sample(s(t(2, 2, 2))).domain(-1, 1)
                .known(in(() -> A.sub(Grad4j.eye(2).toDouble().mul(4.0))), OpTable.sc(Math.log(2))));
        l.add(op(L, "linalg.slogdet_sign", "Linalg.slogdet(a).sign()", in -> Linalg.slogdet(in[0]).sign(), "torch.linalg.slogdet().sign")
                .grad(OpInfo.Grad.NONE).sample(s(a(3, 3))).known(in(() -> A), OpTable.sc(-1)));
        l.add(op(L, "linalg.solve", "Linalg.solve(A, B)", in -> Linalg.solve(wellConditioned(in[0]), in[1]), "torch.linalg.solve")
                .node("LinalgSolveExBackward0").sample(s(a(3, 3), a(3, 2))).sample(s(a(2, 3, 3), a(3))).sample(s(t(3, 3), a(2, 3, 1))).domain(-1, 1)
                .known(in(() -> SPD, () -> f64(10, 9)), f64(1, 1)));
        l.add(op(L, "linalg.cholesky", "Linalg.cholesky(A)", in -> Linalg.cholesky(spd(in[0])), "torch.linalg.cholesky", "torch.cholesky")
                .node("LinalgCholeskyExBackward0").sample(s(a(3, 3))).sample(s(a(2, 2, 2))).domain(-1, 1)
                .known(in(() -> f64(new double[][]{{0, 0}, {0, 0}})), f64(new double[][]{{Math.sqrt(2), 0}, {0, Math.sqrt(2)}}))
                .error("not PD", () -> Linalg.cholesky(f64(new double[][]{{1, 2}, {2, 1}})), "positive-definite"));
        l.add(op(L, "linalg.qr", "Linalg.qr(A)", in -> {
                    Linalg.QR r = Linalg.qr(in[0]);
                    return Grad4j.cat(List.of(r.Q().reshape(-1), r.R().reshape(-1)), 0);
                }, "torch.linalg.qr", "torch.qr").sample(s(a(3, 3))).sample(s(a(4, 2))).sample(s(t(2, 3, 2)))
                .known(in(() -> f64(new double[][]{{2, 0}, {0, 3}})), f64(1, 0, 0, 1, 2, 0, 0, 3)));
        l.add(op(L, "linalg.qr_product", "Linalg.qr(A).Q().matmul(R)", in -> {
                    Linalg.QR r = Linalg.qr(in[0]);
                    return r.Q().matmul(r.R());
                }, "torch.linalg.qr (Q @ R == A)").sample(s(a(3, 3))).sample(s(a(4, 2)))
                .known(in(() -> f64(new double[][]{{3, 0}, {4, 5}})), f64(new double[][]{{3, 0}, {4, 5}})));
        l.add(op(L, "linalg.eigh", "Linalg.eigh(A)", in -> {
                    Linalg.Eigh e = Linalg.eigh(in[0].add(in[0].mT()));
                    return e.eigenvalues().add(e.eigenvectors().mul(e.eigenvectors()).sum(new int[]{-2}, false).mul(0.1))
                            .add(e.eigenvectors().mul(e.eigenvectors()).select(-2, 0));
                }, "torch.linalg.eigh").sample(s(a(3, 3))).sample(s(a(2, 2, 2)))
                .known(in(() -> f64(new double[][]{{1, 0}, {1, 1}})), f64(1.6, 3.6)));
        l.add(op(L, "linalg.eigvalsh", "Linalg.eigvalsh(A)", in -> Linalg.eigvalsh(in[0].add(in[0].mT())), "torch.linalg.eigvalsh")
                .node("LinalgEighBackward0").sample(s(a(3, 3))).sample(s(t(2, 2, 2)))
                .known(in(() -> f64(new double[][]{{1, 0}, {1, 1}})), f64(1, 3)));
        l.add(op(L, "linalg.svdvals", "Linalg.svdvals(A)", in -> Linalg.svdvals(in[0]), "torch.linalg.svdvals")
                .sample(s(a(3, 2))).sample(s(a(2, 3))).sample(s(t(2, 3, 3)))
                .known(in(() -> f64(new double[][]{{3, 0}, {0, -4}})), f64(4, 3)));
        l.add(op(L, "linalg.svd", "Linalg.svd(A)", in -> {
                    Linalg.SVD r = Linalg.svd(in[0]);
                    return Grad4j.cat(List.of(r.U().reshape(-1), r.S().reshape(-1), r.Vh().reshape(-1)), 0);
                }, "torch.linalg.svd(full_matrices=False)", "torch.svd").sample(s(a(3, 2))).sample(s(a(2, 3))).sample(s(a(3, 3)))
                .known(in(() -> f64(new double[][]{{0, 2}, {3, 0}})), f64(0, 1, 1, 0, 3, 2, 1, 0, 0, 1)));
        l.add(op(L, "linalg.svd_product", "U diag(S) Vh", in -> {
                    Linalg.SVD r = Linalg.svd(in[0]);
                    return r.U().mul(r.S().unsqueeze(-2)).matmul(r.Vh());
                }, "torch.linalg.svd (U S Vh == A)").sample(s(a(3, 2))).sample(s(t(2, 2, 3))).known(in(() -> A), A));
        l.add(op(L, "linalg.pinv", "Linalg.pinv(A)", in -> Linalg.pinv(in[0]), "torch.linalg.pinv", "torch.pinverse")
                .sample(s(a(3, 2))).sample(s(a(2, 3))).known(in(() -> f64(new double[][]{{2, 0}, {0, 0}})), f64(new double[][]{{0.5, 0}, {0, 0}})));
        l.add(op(L, "linalg.matrix_norm_fro", "Linalg.matrixNorm(A, \"fro\")", in -> Linalg.matrixNorm(in[0], "fro"), "torch.linalg.matrix_norm", "torch.linalg.norm(A)")
                .sample(s(a(2, 3))).sample(s(t(2, 2, 3))).known(in(() -> A), OpTable.sc(Math.sqrt(30))));
        l.add(op(L, "linalg.matrix_norm_nuc", "Linalg.matrixNorm(A, \"nuc\")", in -> Linalg.matrixNorm(in[0], "nuc"), "torch.linalg.matrix_norm(ord='nuc')")
                .sample(s(a(2, 3))).known(in(() -> f64(new double[][]{{3, 0}, {0, -4}})), OpTable.sc(7)));
        l.add(op(L, "linalg.matrix_norm_1", "Linalg.matrixNorm(A, 1)", in -> Linalg.matrixNorm(in[0], 1), "torch.linalg.matrix_norm(ord=1)")
                .sample(s(a(2, 3))).known(in(() -> A), OpTable.sc(6)));
        l.add(op(L, "linalg.matrix_norm_inf", "Linalg.matrixNorm(A, inf)", in -> Linalg.matrixNorm(in[0], Double.POSITIVE_INFINITY),
                "torch.linalg.matrix_norm(ord=inf)").sample(s(a(2, 3))).known(in(() -> A), OpTable.sc(7)));
        l.add(op(L, "linalg.matrix_norm_2", "Linalg.matrixNorm(A, 2)", in -> Linalg.matrixNorm(in[0], 2), "torch.linalg.matrix_norm(ord=2)")
                .sample(s(a(2, 3))).known(in(() -> f64(new double[][]{{3, 0}, {0, -4}})), OpTable.sc(4)));
        l.add(op(L, "linalg.vector_norm", "Linalg.vectorNorm(x, ord, dims, keepdim)", in -> Linalg.vectorNorm(in[0], 3, new int[]{-1}, true),
                "torch.linalg.vector_norm").sample(s(a(2, 3))).sample(s(t(2, 3))).known(in(() -> f64(3, 4)), f64(Math.cbrt(91))));
        return l;
    }
}
