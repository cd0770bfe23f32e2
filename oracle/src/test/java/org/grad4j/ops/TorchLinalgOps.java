package org.grad4j.ops;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.StringViewOptional;

import java.util.Map;

import static org.bytedeco.pytorch.global.torch.*;
import static org.grad4j.ops.Torch.l;
import static org.grad4j.ops.Torch.noType;
import static org.grad4j.ops.Torch.s;

/** libtorch spellings of the Linear algebra family. */
final class TorchLinalgOps {
    private TorchLinalgOps() {}

    static Tensor eyeLike(Tensor x) {
        return eye(x.size(-1), new TensorOptions(x.scalar_type()));
    }

    /** LinalgTable.wellConditioned: x + 4 I. */
    static Tensor wellConditioned(Tensor x) { return x.add(eyeLike(x).mul(s(4.0))); }

    /** LinalgTable.spd: x x^T + n I. */
    static Tensor spd(Tensor x) { return x.matmul(x.transpose(-2, -1)).add(eyeLike(x).mul(s((double) x.size(-1)))); }

    static Tensor flatCat(Tensor... parts) {
        TensorVector v = new TensorVector();
        for (Tensor p : parts) v.push_back(p.reshape(-1));
        return cat(v, 0);
    }

    static void register(Map<String, TorchFn> m) {
        m.put("mm", in -> mm(in[0], in[1]));
        m.put("matmul", in -> matmul(in[0], in[1]));
        m.put("bmm", in -> bmm(in[0], in[1]));
        m.put("dot", in -> dot(in[0], in[1]));
        m.put("mv", in -> mv(in[0], in[1]));
        m.put("outer", in -> outer(in[0], in[1]));
        m.put("addmm", in -> addmm(in[0], in[1], in[2], s(0.5), s(2.0)));
        m.put("baddbmm", in -> baddbmm(in[0], in[1], in[2], s(1.0), s(1.0)));
        m.put("tensordot", in -> tensordot(in[0], in[1], l(1, 0), l(0, 2)));
        m.put("kron", in -> kron(in[0], in[1]));
        m.put("einsum_matmul", in -> einsum("bij,bjk->bik", new TensorVector(in[0], in[1])));
        m.put("einsum_trace", in -> einsum("ii", new TensorVector(in[0])));
        m.put("einsum_ellipsis", in -> einsum("...ij,j->...i", new TensorVector(in[0], in[1])));
        m.put("einsum_implicit", in -> einsum("ij,kj", new TensorVector(in[0], in[1])));
        m.put("linalg.inv", in -> linalg_inv(wellConditioned(in[0])));
        m.put("linalg.det", in -> linalg_det(wellConditioned(in[0])));
        m.put("linalg.det_singular", in -> linalg_det(in[0]));
        m.put("linalg.slogdet", in -> linalg_slogdet(wellConditioned(in[0])).get1());
        m.put("linalg.slogdet_sign", in -> linalg_slogdet(in[0]).get0());
        m.put("linalg.solve", in -> linalg_solve(wellConditioned(in[0]), in[1]));
        m.put("linalg.cholesky", in -> linalg_cholesky(spd(in[0])));
        m.put("linalg.qr", in -> {
            var r = linalg_qr(in[0]);
            return flatCat(r.get0(), r.get1());
        });
        m.put("linalg.qr_product", in -> {
            var r = linalg_qr(in[0]);
            return r.get0().matmul(r.get1());
        });
        m.put("linalg.eigh", in -> {
            var e = linalg_eigh(in[0].add(in[0].transpose(-2, -1)));
            Tensor v2 = e.get1().mul(e.get1());
            return e.get0().add(v2.sum(l(-2), false, noType()).mul(s(0.1))).add(v2.select(-2, 0));
        });
        m.put("linalg.eigvalsh", in -> linalg_eigvalsh(in[0].add(in[0].transpose(-2, -1))));
        m.put("linalg.svdvals", in -> linalg_svdvals(in[0]));
        m.put("linalg.svd", in -> {
            var r = linalg_svd(in[0], false, new StringViewOptional());
            return flatCat(r.get0(), r.get1(), r.get2());
        });
        m.put("linalg.svd_product", in -> {
            var r = linalg_svd(in[0], false, new StringViewOptional());
            return r.get0().mul(r.get1().unsqueeze(-2)).matmul(r.get2());
        });
        m.put("linalg.pinv", in -> linalg_pinv(in[0]));
        m.put("linalg.matrix_norm_fro", in -> linalg_matrix_norm(in[0], "fro", l(-2, -1), false, noType()));
        m.put("linalg.matrix_norm_nuc", in -> linalg_matrix_norm(in[0], "nuc", l(-2, -1), false, noType()));
        m.put("linalg.matrix_norm_1", in -> linalg_matrix_norm(in[0], s(1.0), l(-2, -1), false, noType()));
        m.put("linalg.matrix_norm_inf", in -> linalg_matrix_norm(in[0], s(Double.POSITIVE_INFINITY), l(-2, -1), false, noType()));
        m.put("linalg.matrix_norm_2", in -> linalg_matrix_norm(in[0], s(2.0), l(-2, -1), false, noType()));
        m.put("linalg.vector_norm", in -> linalg_vector_norm(in[0], s(3.0), l(-1), true, noType()));
    }
}
