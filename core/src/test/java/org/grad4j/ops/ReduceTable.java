package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.i64;
import static org.grad4j.ops.OpTable.in;
import static org.grad4j.ops.OpTable.op1;
import static org.grad4j.ops.Samples.a;
import static org.grad4j.ops.Samples.s;
import static org.grad4j.ops.Samples.step;
import static org.grad4j.ops.Samples.t;

/** Reductions and scans. */
final class ReduceTable {
    private ReduceTable() {}

    private static final String R = "Reduction";

    /** Full and per-dim samples: matrix, 0-d, transposed, 3-d, strided. */
    static List<Samples.Sample> all() {
        return Samples.list(s(a(3, 4)), s(a()), s(t(4, 3)), s(a(2, 3, 2)), s(step(2, 3)));
    }

    /** For ops along dim 1 (or -1): no 0-d sample. */
    static List<Samples.Sample> dim() {
        return Samples.list(s(a(3, 4)), s(t(4, 3)), s(a(2, 3, 2)), s(step(2, 3)));
    }

    static List<Samples.Sample> withEmpty(List<Samples.Sample> l) {
        l.add(s(a(0, 3)));
        return l;
    }

    private static OpInfo r(String name, String call, OpTable.F1 f, String... torch) {
        return op1(R, name, call, f, torch);
    }

    private static final Tensor M = f64(new double[][]{{1, 5, 2}, {4, 3, 6}});

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        l.add(r("sum", "x.sum()", Tensor::sum, "torch.sum", "Tensor.sum").samples(withEmpty(all())).node("SumBackward0").dtypes(OpInfo.ALL)
                .known(in(() -> M), OpTable.sc(21)).known(in(() -> Grad4j.ones(new int[]{10_000_000}, DType.FLOAT32)), Grad4j.tensor(1e7)));
        l.add(r("sum_dim", "x.sum(new int[]{dim}, keepdim)", x -> x.sum(new int[]{1}, true), "torch.sum(dim, keepdim)")
                .samples(withEmpty(dim())).node("SumBackward1").known(in(() -> M), f64(new double[][]{{8}, {13}})));
        l.add(r("mean", "x.mean()", Tensor::mean, "torch.mean", "Tensor.mean").samples(all()).node("MeanBackward0").known(in(() -> M), OpTable.sc(3.5))
                .error("integer input", () -> i64(1, 2).mean(), "mean"));
        l.add(r("mean_dims", "x.mean(new int[]{0, 1}, keepdim)", x -> x.mean(new int[]{0, -1}, false), "torch.mean(dim=(..))")
                .samples(dim()).node("MeanBackward1").known(in(() -> M), OpTable.sc(3.5)));
        l.add(r("prod", "x.prod()", Tensor::prod, "torch.prod", "Tensor.prod").samples(all()).node("ProdBackward0").domain(0.5, 1.5)
                .known(in(() -> M), OpTable.sc(720)).knownGrad(in(() -> f64(2, 0, 3)), f64(0, 6, 0)).knownGrad(in(() -> f64(0, 0, 3)), f64(0, 0, 0)));
        l.add(r("prod_dim", "x.prod(dim, keepdim)", x -> x.prod(1, false), "torch.prod(dim)").samples(dim()).node("ProdBackward1").domain(0.5, 1.5)
                .known(in(() -> M), f64(10, 72)).knownGrad(in(() -> f64(new double[][]{{2, 0, 3}, {1, 2, 3}})), f64(new double[][]{{0, 6, 0}, {6, 3, 2}})));
        l.add(r("amax", "x.amax(dims)", x -> x.amax(-1), "torch.amax", "Tensor.amax").samples(dim()).node("AmaxBackward0").known(in(() -> M), f64(5, 6))
                .knownGrad(in(() -> f64(new double[][]{{1, 3, 3}})), f64(new double[][]{{0, 0.5, 0.5}})));
        l.add(r("amin", "x.amin(dims)", x -> x.amin(0), "torch.amin", "Tensor.amin").samples(dim()).node("AminBackward0").known(in(() -> M), f64(1, 3, 2)));
        l.add(r("max", "x.max()", Tensor::max, "torch.max", "Tensor.max").samples(all()).node("MaxBackward1").known(in(() -> M), OpTable.sc(6))
                .knownGrad(in(() -> f64(3, 1, 3)), f64(0.5, 0, 0.5))
                .error("empty", () -> Grad4j.zeros(0).max(), "numel() == 0"));
        l.add(r("min", "x.min()", Tensor::min, "torch.min", "Tensor.min").samples(all()).node("MinBackward1").known(in(() -> M), OpTable.sc(1)));
        l.add(r("max_dim", "x.max(dim, keepdim).values()", x -> x.max(1, false).values(), "torch.max(dim)", "Tensor.max(dim)").samples(dim())
                .node("MaxBackward0").known(in(() -> M), f64(5, 6))
                .knownGrad(in(() -> f64(new double[][]{{3, 1, 3}})), f64(new double[][]{{1, 0, 0}})));
        l.add(r("max_dim_indices", "x.max(dim).indices()", x -> x.max(1).indices(), "torch.max(dim).indices").samples(dim()).grad(OpInfo.Grad.NONE)
                .known(in(() -> M), i64(1, 2)));
        l.add(r("min_dim", "x.min(dim, keepdim).values()", x -> x.min(0, true).values(), "torch.min(dim)", "Tensor.min(dim)").samples(dim())
                .node("MinBackward0").known(in(() -> M), f64(new double[][]{{1, 3, 2}})));
        l.add(r("argmax", "x.argmax(dim, keepdim)", x -> x.argmax(1, false), "torch.argmax", "Tensor.argmax").samples(dim()).grad(OpInfo.Grad.NONE)
                .dtypes(OpInfo.NUMERIC).known(in(() -> M), i64(1, 2)));
        l.add(r("argmin", "x.argmin()", Tensor::argmin, "torch.argmin", "Tensor.argmin").samples(all()).grad(OpInfo.Grad.NONE)
                .dtypes(OpInfo.NUMERIC).known(in(() -> M), Grad4j.tensor(0L)));
        l.add(r("var", "x.var()", Tensor::var, "torch.var", "Tensor.var").samples(dim()).node("VarBackward0").known(in(() -> f64(1, 2, 3, 4)), OpTable.sc(5.0 / 3)));
        l.add(r("var_dim", "x.var(dims, correction, keepdim)", x -> x.var(new int[]{1}, 0, true), "torch.var(dim, correction=)").samples(dim())
                .node("VarBackward0").known(in(() -> M), f64(new double[][]{{26.0 / 9}, {14.0 / 9}})));
        l.add(r("std", "x.std()", Tensor::std, "torch.std", "Tensor.std").samples(dim()).node("StdBackward0").known(in(() -> f64(1, 2, 3, 4)), OpTable.sc(Math.sqrt(5.0 / 3)))
                .knownGrad(in(() -> f64(2, 2, 2)), f64(0, 0, 0)));
        l.add(r("std_dim", "x.std(dims, correction, keepdim)", x -> x.std(new int[]{0}, 1, false), "torch.std(dim, correction=)").samples(dim())
                .node("StdBackward0").known(in(() -> M), f64(Math.sqrt(4.5), Math.sqrt(2), Math.sqrt(8))));
        l.add(r("norm", "x.norm()", Tensor::norm, "torch.norm", "Tensor.norm", "torch.linalg.vector_norm").samples(all()).node("NormBackward0")
                .known(in(() -> f64(3, 4)), OpTable.sc(5)).knownGrad(in(() -> f64(0, 0)), f64(0, 0)));
        l.add(r("norm_p1", "x.norm(1)", x -> x.norm(1), "torch.norm(p=1)").samples(all()).known(in(() -> f64(3, -4)), OpTable.sc(7)));
        l.add(r("norm_inf", "x.norm(inf)", x -> x.norm(Double.POSITIVE_INFINITY), "torch.norm(p=inf)").samples(dim()).known(in(() -> f64(3, -4)), OpTable.sc(4))
                .knownGrad(in(() -> f64(-4, 4, 1)), f64(-0.5, 0.5, 0)));
        l.add(r("norm_p3_dim", "x.norm(p, dims, keepdim)", x -> x.norm(3, new int[]{1}, false), "torch.norm(p, dim)").samples(dim()).node("NormBackward1")
                .known(in(() -> f64(new double[][]{{1, 2}})), f64(Math.cbrt(9))));
        l.add(r("logsumexp", "x.logsumexp(dim)", x -> x.logsumexp(1), "torch.logsumexp", "Tensor.logsumexp").samples(dim()).node("LogsumexpBackward0")
                .known(in(() -> f64(new double[][]{{1000, 1000}})), f64(1000 + Math.log(2)))
                .known(in(() -> f64(new double[][]{{Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}})), f64(Double.NEGATIVE_INFINITY)));
        l.add(r("softmax", "x.softmax(dim)", x -> x.softmax(-1), "torch.softmax", "Tensor.softmax", "F.softmax").samples(dim()).node("SoftmaxBackward0")
                .known(in(() -> f64(new double[][]{{1000, 1000}})), f64(new double[][]{{0.5, 0.5}})));
        l.add(r("log_softmax", "x.logSoftmax(dim)", x -> x.logSoftmax(1), "torch.log_softmax", "Tensor.log_softmax", "F.log_softmax").samples(dim())
                .node("LogSoftmaxBackward0").known(in(() -> f64(new double[][]{{1000, 1000}})), f64(new double[][]{{-Math.log(2), -Math.log(2)}})));
        l.add(r("cumsum", "x.cumsum(dim)", x -> x.cumsum(1), "torch.cumsum", "Tensor.cumsum").samples(dim()).node("CumsumBackward0").dtypes(OpInfo.NUMERIC)
                .known(in(() -> M), f64(new double[][]{{1, 6, 8}, {4, 7, 13}})));
        l.add(r("cumprod", "x.cumprod(dim)", x -> x.cumprod(-1), "torch.cumprod", "Tensor.cumprod").samples(dim()).node("CumprodBackward0").domain(0.5, 1.5)
                .known(in(() -> M), f64(new double[][]{{1, 5, 10}, {4, 12, 72}}))
                .knownGrad(in(() -> f64(2, 0, 3)), f64(1, 8, 0)));
        l.add(r("all", "x.all()", Tensor::all, "torch.all", "Tensor.all").samples(all()).grad(OpInfo.Grad.NONE).dtypes(OpInfo.ALL)
                .known(in(() -> f64(1, 0)), Grad4j.tensor(false)));
        l.add(r("any_dim", "x.any(dim, keepdim)", x -> x.any(1, false), "torch.any", "Tensor.any").samples(dim()).grad(OpInfo.Grad.NONE).dtypes(OpInfo.ALL)
                .known(in(() -> f64(new double[][]{{0, 0}, {0, 1}})), OpTable.bool(false, true)));
        l.add(r("sort", "x.sort(dim, descending).values()", x -> x.sort(1, true).values(), "torch.sort", "Tensor.sort").samples(dim()).node("SortBackward0")
                .known(in(() -> M), f64(new double[][]{{5, 2, 1}, {6, 4, 3}})));
        l.add(r("argsort", "x.argsort(dim, descending)", x -> x.argsort(-1, false), "torch.argsort", "Tensor.argsort").samples(dim()).grad(OpInfo.Grad.NONE)
                .dtypes(OpInfo.NUMERIC).known(in(() -> M), i64(0, 2, 1, 1, 0, 2).reshape(2, 3)));
        l.add(r("topk", "x.topk(k, dim, largest).values()", x -> x.topk(2, 1, true).values(), "torch.topk", "Tensor.topk").samples(dim()).node("TopkBackward0")
                .known(in(() -> M), f64(new double[][]{{5, 2}, {6, 4}})));
        l.add(r("median", "x.median()", Tensor::median, "torch.median", "Tensor.median").samples(all()).node("MedianBackward0")
                .known(in(() -> f64(4, 1, 3, 2)), OpTable.sc(2)).knownGrad(in(() -> f64(1, 2, 2, 9)), f64(0, 0.5, 0.5, 0)));
        l.add(r("median_dim", "x.median(dim, keepdim).values()", x -> x.median(1, false).values(), "torch.median(dim)").samples(dim())
                .node("MedianBackward1").known(in(() -> M), f64(2, 4)));
        l.add(r("quantile", "x.quantile(q, dim, keepdim)", x -> x.quantile(0.3, 1, false), "torch.quantile", "Tensor.quantile").samples(dim())
                .known(in(() -> f64(new double[][]{{1, 2, 3, 4, 5}})), f64(2.2)));
        l.add(r("unique", "x.unique()", Tensor::unique, "torch.unique", "Tensor.unique").samples(all()).grad(OpInfo.Grad.NONE).dtypes(OpInfo.NUMERIC)
                .known(in(() -> i64(3, 1, 3, 2)), i64(1, 2, 3)));
        l.add(r("unique_counts", "x.uniqueCounts() / x.uniqueInverse()", x -> x.uniqueCounts().add(x.uniqueInverse().sum()), "torch.unique(return_counts=True, return_inverse=True)")
                .samples(all()).grad(OpInfo.Grad.NONE).dtypes(OpInfo.NUMERIC).keepsFloatDtype(false)
                .known(in(() -> i64(3, 1, 3, 2)), i64(1 + 5, 1 + 5, 2 + 5)));
        l.add(r("bincount", "x.bincount(minlength)", x -> x.bincount(4), "torch.bincount").sample(s(Samples.fixed(() -> i64(1, 1, 3))))
                .grad(OpInfo.Grad.NONE).dtypes(OpInfo.NUMERIC).known(in(() -> i64(0, 2, 2)), i64(1, 0, 2, 0))
                .error("negative", () -> i64(-1).bincount(0), "non-negative"));
        return l;
    }
}
