package org.grad4j.ops;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.i64;
import static org.grad4j.ops.OpTable.in;
import static org.grad4j.ops.Samples.a;
import static org.grad4j.ops.Samples.constant;
import static org.grad4j.ops.Samples.fixed;
import static org.grad4j.ops.Samples.s;
import static org.grad4j.ops.Samples.step;
import static org.grad4j.ops.Samples.t;

/**
 * Losses of torch.nn.functional. Each entry's function returns, concatenated, the loss with
 * reduction 'none' (flattened), 'sum' and 'mean', so that one entry checks all three reductions;
 * targets in PyTorch's non-differentiable positions are no-grad arguments.
 */
final class LossTable {
    private LossTable() {}

    private static final String L = "Losses (nn.functional)";

    /** A loss with its reduction argument. */
    interface Loss { Tensor f(Tensor[] in, String reduction); }

    /** [loss('none').flatten(), loss('sum'), loss('mean')] */
    static Tensor reductions(Loss loss, Tensor[] in) {
        return Grad4j.cat(List.of(loss.f(in, "none").reshape(-1), loss.f(in, "sum").reshape(1), loss.f(in, "mean").reshape(1)), 0);
    }

    static OpInfo loss(String name, String call, Loss loss, String... torch) {
        return OpTable.op(L, name, call + "; reduction \"mean\" (default), \"sum\" or \"none\"", in -> reductions(loss, in), torch);
    }

    /** Expected [none..., sum, mean] of the given per-element losses. */
    static Tensor nsm(double... none) {
        double sum = 0;
        for (double v : none) sum += v;
        double[] out = java.util.Arrays.copyOf(none, none.length + 2);
        out[none.length] = sum;
        out[none.length + 1] = sum / none.length;
        return f64(out);
    }

    private static Tensor pm1() { return f64(new double[][]{{1, -1, 1}, {-1, -1, 1}}); }

    private static Tensor probs() { return f64(new double[][]{{0.1, 0.2, 0.3, 0.4}, {0.25, 0.25, 0.25, 0.25}, {0.7, 0.1, 0.1, 0.1}}); }

    private static final double LN2 = Math.log(2);

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        regression(l);
        classification(l);
        embeddings(l);
        return l;
    }

    private static void regression(List<OpInfo> l) {
        l.add(loss("mse_loss", "F.mseLoss(input, target, reduction)", (in, r) -> F.mseLoss(in[0], in[1], r), "torch.nn.functional.mse_loss", "F.mse_loss")
                .note("module `torch.nn.MSELoss`").sample(s(a(2, 3), a(2, 3))).sample(s(t(2, 3), step(2, 3))).sample(s(a(), a()))
                .known(in(() -> f64(1, 2), () -> f64(0, 0)), nsm(1, 4))
                .error("bad reduction", () -> F.mseLoss(f64(1), f64(1), "avg"), "not a valid value for reduction"));
        l.add(loss("l1_loss", "F.l1Loss(input, target, reduction)", (in, r) -> F.l1Loss(in[0], in[1], r), "torch.nn.functional.l1_loss", "F.l1_loss")
                .note("module `torch.nn.L1Loss`").sample(s(a(2, 3), a(2, 3))).sample(s(t(2, 3), step(2, 3)))
                .known(in(() -> f64(1, -2), () -> f64(0, 0)), nsm(1, 2)));
        l.add(loss("smooth_l1_loss", "F.smoothL1Loss(input, target, reduction, beta)", (in, r) -> F.smoothL1Loss(in[0], in[1], r, 1.0),
                "torch.nn.functional.smooth_l1_loss", "F.smooth_l1_loss").note("module `torch.nn.SmoothL1Loss`")
                .sample(s(a(2, 3), a(2, 3))).sample(s(t(2, 3), step(2, 3))).known(in(() -> f64(0.5, 2), () -> f64(0, 0)), nsm(0.125, 1.5))
                .error("negative beta", () -> F.smoothL1Loss(f64(1), f64(1), "mean", -1), "negative values for beta"));
        l.add(loss("huber_loss", "F.huberLoss(input, target, reduction, delta)", (in, r) -> F.huberLoss(in[0], in[1], r, 2.0),
                "torch.nn.functional.huber_loss", "F.huber_loss").note("module `torch.nn.HuberLoss`")
                .sample(s(a(2, 3), a(2, 3))).sample(s(t(2, 3), step(2, 3))).domain(-3, 3).known(in(() -> f64(1, 3), () -> f64(0, 0)), nsm(0.5, 4))
                .error("zero delta", () -> F.huberLoss(f64(1), f64(1), "mean", 0), "non-positive values for delta"));
        l.add(loss("poisson_nll_loss", "F.poissonNllLoss(input, target, logInput, full, eps, reduction)",
                (in, r) -> F.poissonNllLoss(in[0], in[1], true, false, 1e-8, r), "torch.nn.functional.poisson_nll_loss", "F.poisson_nll_loss")
                .note("module `torch.nn.PoissonNLLLoss`").sample(s(a(2, 3), constant(() -> f64(new double[][]{{0, 1, 2}, {3, 1, 0}}))))
                .sample(s(t(2, 3), constant(() -> f64(new double[][]{{0, 1, 2}, {3, 1, 0}}))))
                .known(in(() -> f64(0, 1), () -> f64(1, 2)), nsm(1, Math.E - 2)));
        double full = 2 - 3 * Math.log(2 + 1e-8) + (3 * Math.log(3) - 3 + 0.5 * Math.log(2 * Math.PI * 3));
        l.add(loss("poisson_nll_loss_full", "F.poissonNllLoss(input, target, false, true, eps, reduction)",
                (in, r) -> F.poissonNllLoss(in[0], in[1], false, true, 1e-8, r), "F.poisson_nll_loss(log_input=False, full=True)")
                .domain(0.2, 2).sample(s(a(2, 3), constant(() -> f64(new double[][]{{0, 1, 2}, {3, 1, 0}}))))
                .known(in(() -> f64(2, 1), () -> f64(3, 1)), nsm(full, 1 - Math.log(1 + 1e-8))));
        double half = 0.5 * Math.log(2 * Math.PI);
        l.add(loss("gaussian_nll_loss", "F.gaussianNllLoss(input, target, var, full, eps, reduction)",
                (in, r) -> F.gaussianNllLoss(in[0], in[1], in[2], false, 1e-6, r), "torch.nn.functional.gaussian_nll_loss", "F.gaussian_nll_loss")
                .note("module `torch.nn.GaussianNLLLoss`").domain(0.1, 2).sample(s(a(2, 3), a(2, 3), a(2, 3))).sample(s(t(2, 3), a(2, 3), a(2, 1)))
                .known(in(() -> f64(1, 2), () -> f64(0, 0), () -> f64(1, Math.E)), nsm(0.5, 0.5 * (1 + 4 / Math.E)))
                .error("negative var", () -> F.gaussianNllLoss(f64(1), f64(1), f64(-1)), "negative"));
        l.add(loss("gaussian_nll_loss_full", "F.gaussianNllLoss(input, target, var, true, eps, reduction)",
                (in, r) -> F.gaussianNllLoss(in[0], in[1], in[2], true, 1e-6, r), "F.gaussian_nll_loss(full=True)")
                .domain(0.1, 2).sample(s(a(3), a(3), a(3)))
                .known(in(() -> f64(1), () -> f64(0), () -> f64(1)), nsm(0.5 + half)));
    }

    private static void classification(List<OpInfo> l) {
        Tensor logits = f64(new double[][]{{0, 0}, {0, Math.log(3)}});
        double l43 = Math.log(4.0 / 3);
        l.add(loss("cross_entropy", "F.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing)",
                (in, r) -> F.crossEntropy(in[0], in[1], null, -100, r, 0.0), "torch.nn.functional.cross_entropy", "F.cross_entropy")
                .note("module `torch.nn.CrossEntropyLoss`; target: class indices")
                .sample(s(a(3, 4), fixed(() -> i64(0, 3, 1)))).sample(s(t(3, 4), fixed(() -> i64(2, 2, 0))))
                .sample(s(a(2, 3, 2), fixed(() -> i64(0, 2, 1, 1).reshape(2, 2)))).sample(s(a(4), fixed(() -> Grad4j.tensor(3L))))
                .known(in(() -> logits, () -> i64(0, 1)), nsm(LN2, l43))
                .error("float target of the wrong shape", () -> F.crossEntropy(logits, f64(0, 1)), "target")
                .error("class out of range", () -> F.crossEntropy(logits, i64(0, 2)), "out of bounds"));
        l.add(loss("cross_entropy_weight_ignore_index", "F.crossEntropy(input, target, weight, ignoreIndex, reduction, 0)",
                (in, r) -> F.crossEntropy(in[0], in[1], in[2], -100, r, 0.0), "F.cross_entropy(weight=w, ignore_index=-100)")
                .sample(s(a(3, 4), fixed(() -> i64(0, -100, 3)), constant(() -> f64(1, 2, 0.5, 3))))
                .sample(s(t(3, 4), fixed(() -> i64(1, 2, 3)), constant(() -> f64(1, 2, 0.5, 3))))
                .known(() -> new Tensor[]{f64(new double[][]{{0, 0}, {0, Math.log(3)}, {5, 5}}), i64(0, 1, -100), f64(1, 3)},
                        f64(LN2, 3 * l43, 0, LN2 + 3 * l43, (LN2 + 3 * l43) / 4)));
        l.add(loss("cross_entropy_probabilities", "F.crossEntropy(input, probs, null, -100, reduction, 0)",
                (in, r) -> F.crossEntropy(in[0], in[1], null, -100, r, 0.0), "F.cross_entropy(target=probabilities)")
                .sample(s(a(3, 4), constant(LossTable::probs))).sample(s(t(3, 4), constant(LossTable::probs)))
                .known(in(() -> f64(new double[][]{{0, 0}}), () -> f64(new double[][]{{0.25, 0.75}})), nsm(LN2)));
        double ls = 0.9 * l43 + 0.1 * (Math.log(4) + l43) / 2;
        l.add(loss("cross_entropy_label_smoothing", "F.crossEntropy(input, target, null, -100, reduction, 0.1)",
                (in, r) -> F.crossEntropy(in[0], in[1], null, -100, r, 0.1), "F.cross_entropy(label_smoothing=0.1)")
                .sample(s(a(3, 4), fixed(() -> i64(0, 3, 1)))).sample(s(a(3, 4), constant(LossTable::probs)))
                .known(in(() -> f64(new double[][]{{0, Math.log(3)}}), () -> i64(1)), nsm(ls))
                .error("smoothing > 1", () -> F.crossEntropy(logits, i64(0, 1), null, -100, "mean", 1.5), "label_smoothing must be between"));
        l.add(loss("nll_loss", "F.nllLoss(input, target, weight, ignoreIndex, reduction)", (in, r) -> F.nllLoss(in[0], in[1], null, -100, r),
                "torch.nn.functional.nll_loss", "F.nll_loss").note("module `torch.nn.NLLLoss`")
                .sample(s(a(3, 4), fixed(() -> i64(0, 3, 1)))).sample(s(t(3, 4), fixed(() -> i64(2, -100, 0))))
                .known(in(() -> f64(new double[][]{{-1, -2}, {-3, -4}}), () -> i64(1, 0)), nsm(2, 3))
                .error("float target", () -> F.nllLoss(logits, f64(0, 1)), "int64")
                .error("batch mismatch", () -> F.nllLoss(logits, i64(0, 1, 1)), "batch_size"));
        l.add(loss("nll_loss_weight_ignore_index", "F.nllLoss(input, target, weight, ignoreIndex, reduction)",
                (in, r) -> F.nllLoss(in[0], in[1], in[2], 1, r), "F.nll_loss(weight=w, ignore_index=1)")
                .sample(s(a(3, 4), fixed(() -> i64(0, 1, 3)), constant(() -> f64(1, 2, 0.5, 3)))).sample(s(a(2, 4, 2), fixed(() -> i64(1, 2, 3, 0).reshape(2, 2)), constant(() -> f64(1, 2, 0.5, 3))))
                .known(in(() -> f64(new double[][]{{-1, -2, -3}, {-4, -5, -6}, {-7, -8, -9}}), () -> i64(2, 1, 0), () -> f64(2, 1, 3)),
                        f64(9, 0, 14, 23, 23.0 / 5)));
        Tensor bt = f64(new double[][]{{0, 1, 0.3}, {1, 0, 0.5}});
        l.add(loss("binary_cross_entropy", "F.binaryCrossEntropy(input, target, weight, reduction)",
                (in, r) -> F.binaryCrossEntropy(in[0], in[1], null, r), "torch.nn.functional.binary_cross_entropy", "F.binary_cross_entropy")
                .note("module `torch.nn.BCELoss`").domain(0.05, 0.95).sample(s(a(2, 3), constant(() -> bt))).sample(s(t(2, 3), constant(() -> bt)))
                .known(in(() -> f64(0.5, 0.8), () -> f64(1, 0)), nsm(LN2, -Math.log(0.2)))
                .error("input > 1", () -> F.binaryCrossEntropy(f64(1.5), f64(1)), "between 0 and 1")
                .error("shape mismatch", () -> F.binaryCrossEntropy(f64(0.5, 0.5), f64(1)), "target size"));
        l.add(loss("binary_cross_entropy_weight", "F.binaryCrossEntropy(input, target, weight, reduction)",
                (in, r) -> F.binaryCrossEntropy(in[0], in[1], in[2], r), "F.binary_cross_entropy(weight=w)")
                .domain(0.05, 0.95).sample(s(a(2, 3), constant(() -> bt), constant(() -> f64(1, 2, 0.5))))
                .known(in(() -> f64(0.5, 0.8), () -> f64(1, 0), () -> f64(2, 1)), nsm(2 * LN2, -Math.log(0.2))));
        l.add(loss("binary_cross_entropy_with_logits", "F.binaryCrossEntropyWithLogits(input, target, weight, reduction, posWeight)",
                (in, r) -> F.binaryCrossEntropyWithLogits(in[0], in[1], null, r, null), "torch.nn.functional.binary_cross_entropy_with_logits",
                "F.binary_cross_entropy_with_logits").note("module `torch.nn.BCEWithLogitsLoss`").domain(-30, 30)
                .sample(s(a(2, 3), constant(() -> bt))).sample(s(t(2, 3), constant(() -> bt)))
                .known(in(() -> f64(0, 800), () -> f64(1, 0)), nsm(LN2, 800))
                .error("shape mismatch", () -> F.binaryCrossEntropyWithLogits(f64(0.5, 0.5), f64(1)), "must be the same as input size"));
        l.add(loss("binary_cross_entropy_with_logits_pos_weight", "F.binaryCrossEntropyWithLogits(input, target, null, reduction, posWeight)",
                (in, r) -> F.binaryCrossEntropyWithLogits(in[0], in[1], null, r, in[2]), "F.binary_cross_entropy_with_logits(pos_weight=p)")
                .sample(s(a(2, 3), constant(() -> bt), constant(() -> f64(3, 1, 2)))).sample(s(t(2, 3), constant(() -> bt), constant(() -> f64(3, 1, 2))))
                .known(in(() -> f64(new double[][]{{0, 0}}), () -> f64(new double[][]{{1, 0}}), () -> f64(3, 5)), nsm(3 * LN2, LN2)));
        Tensor lp = f64(Math.log(0.5), Math.log(0.5));
        double k1 = 0.25 * (Math.log(0.25) - Math.log(0.5)), k2 = 0.75 * (Math.log(0.75) - Math.log(0.5));
        l.add(loss("kl_div", "F.klDiv(input, target, reduction, logTarget)", (in, r) -> F.klDiv(in[0], in[1], r, false),
                "torch.nn.functional.kl_div", "F.kl_div").note("module `torch.nn.KLDivLoss`; input holds log-probabilities")
                .sample(s(a(3, 4), constant(LossTable::probs))).sample(s(t(3, 4), constant(LossTable::probs)))
                .known(in(() -> lp, () -> f64(0.25, 0.75)), nsm(k1, k2)));
        l.add(OpTable.op(L, "kl_div_batchmean_log_target", "F.klDiv(input, target, \"batchmean\", true)", in -> F.klDiv(in[0], in[1], "batchmean", true),
                        "F.kl_div(reduction='batchmean', log_target=True)")
                .sample(s(a(3, 4), constant(() -> probs().log()))).sample(s(t(3, 4), a(3, 4)))
                .known(in(() -> lp.reshape(1, 2), () -> f64(0.25, 0.75).log().reshape(1, 2)), OpTable.sc(k1 + k2)));
        l.add(loss("soft_margin_loss", "F.softMarginLoss(input, target, reduction)", (in, r) -> F.softMarginLoss(in[0], in[1], r),
                "torch.nn.functional.soft_margin_loss", "F.soft_margin_loss").note("module `torch.nn.SoftMarginLoss`")
                .sample(s(a(2, 3), constant(LossTable::pm1))).sample(s(t(2, 3), constant(LossTable::pm1)))
                .known(in(() -> f64(0, 1), () -> f64(1, -1)), nsm(LN2, Math.log1p(Math.E))));
        l.add(loss("multilabel_soft_margin_loss", "F.multilabelSoftMarginLoss(input, target, weight, reduction)",
                (in, r) -> F.multilabelSoftMarginLoss(in[0], in[1], null, r), "torch.nn.functional.multilabel_soft_margin_loss",
                "F.multilabel_soft_margin_loss").note("module `torch.nn.MultiLabelSoftMarginLoss`; 'none' gives one loss per sample")
                .sample(s(a(2, 3), constant(() -> bt.round()))).sample(s(t(2, 3), constant(() -> bt.round())))
                .known(in(() -> f64(new double[][]{{0, 0}, {0, Math.log(3)}}), () -> f64(new double[][]{{1, 0}, {0, 1}})),
                        nsm(LN2, (LN2 + Math.log(4.0 / 3)) / 2)));
        l.add(OpTable.op(L, "ctc_loss", "F.ctcLoss(logProbs, targets, inputLengths, targetLengths, blank, reduction, zeroInfinity)",
                        in -> reductions((x, r) -> {
                            long[] il = new long[x[0].size(1)];
                            java.util.Arrays.fill(il, x[0].size(0));
                            return F.ctcLoss(x[0].logSoftmax(2), x[1], il, x[2].toLongArray(), 0, r, false);
                        }, in), "torch.nn.functional.ctc_loss", "F.ctc_loss")
                .note("module `torch.nn.CTCLoss`; here input 0 is passed through log_softmax first, as PyTorch's gradient assumes")
                .grad(OpInfo.Grad.ONCE).sample(s(a(4, 2, 3), fixed(() -> i64(1, 2, 1, 0).reshape(2, 2)), fixed(() -> i64(2, 1))))
                .sample(s(t(5, 2, 3), fixed(() -> i64(1, 1, 2, 0).reshape(2, 2)), fixed(() -> i64(2, 1))))
                .known(in(() -> f64(0, Math.log(3)).reshape(1, 1, 2), () -> i64(1).reshape(1, 1), () -> i64(1)), nsm(-Math.log(0.75))));
    }

    private static void embeddings(List<OpInfo> l) {
        l.add(loss("margin_ranking_loss", "F.marginRankingLoss(input1, input2, target, margin, reduction)",
                (in, r) -> F.marginRankingLoss(in[0], in[1], in[2], 0.1, r), "torch.nn.functional.margin_ranking_loss", "F.margin_ranking_loss")
                .note("module `torch.nn.MarginRankingLoss`").sample(s(a(2, 3), a(2, 3), constant(LossTable::pm1))).sample(s(t(2, 3), step(2, 3), constant(LossTable::pm1)))
                .known(in(() -> f64(1, 1), () -> f64(2, 0), () -> f64(1, 1)), nsm(1.1, 0)));
        l.add(loss("hinge_embedding_loss", "F.hingeEmbeddingLoss(input, target, margin, reduction)",
                (in, r) -> F.hingeEmbeddingLoss(in[0], in[1], 1.0, r), "torch.nn.functional.hinge_embedding_loss", "F.hinge_embedding_loss")
                .note("module `torch.nn.HingeEmbeddingLoss`").sample(s(a(2, 3), constant(LossTable::pm1))).sample(s(t(2, 3), constant(LossTable::pm1)))
                .known(in(() -> f64(0.3, 2, 0.5), () -> f64(1, -1, -1)), nsm(0.3, 0, 0.5)));
        l.add(loss("cosine_embedding_loss", "F.cosineEmbeddingLoss(input1, input2, target, margin, reduction)",
                (in, r) -> F.cosineEmbeddingLoss(in[0], in[1], in[2], 0.2, r), "torch.nn.functional.cosine_embedding_loss", "F.cosine_embedding_loss")
                .note("module `torch.nn.CosineEmbeddingLoss`").sample(s(a(3, 4), a(3, 4), constant(() -> f64(1, -1, 1)))).sample(s(t(3, 4), step(3, 4), constant(() -> f64(-1, -1, 1))))
                .known(in(() -> f64(new double[][]{{1, 0}, {1, 0}}), () -> f64(new double[][]{{0, 1}, {1, 1}}), () -> f64(1, -1)),
                        nsm(1, 1 / Math.sqrt(2) - 0.2)));
        double dap = Math.hypot(1e-6, 1 - 1e-6), dan = Math.hypot(1e-6, 1.5 - 1e-6);
        l.add(loss("triplet_margin_loss", "F.tripletMarginLoss(anchor, positive, negative, margin, p, eps, swap, reduction)",
                (in, r) -> F.tripletMarginLoss(in[0], in[1], in[2], 1.0, 2.0, 1e-6, false, r), "torch.nn.functional.triplet_margin_loss",
                "F.triplet_margin_loss").note("module `torch.nn.TripletMarginLoss`")
                .sample(s(a(3, 4), a(3, 4), a(3, 4))).sample(s(t(3, 4), step(3, 4), a(3, 4)))
                .known(in(() -> f64(new double[][]{{0, 0}}), () -> f64(new double[][]{{0, 1}}), () -> f64(new double[][]{{0, 1.5}})), nsm(1 + dap - dan)));
        l.add(loss("triplet_margin_loss_swap", "F.tripletMarginLoss(anchor, positive, negative, margin, p, eps, true, reduction)",
                (in, r) -> F.tripletMarginLoss(in[0], in[1], in[2], 1.0, 1.0, 1e-6, true, r), "F.triplet_margin_loss(p=1, swap=True)")
                .sample(s(a(3, 4), a(3, 4), a(3, 4)))
                .known(in(() -> f64(new double[][]{{0, 0}}), () -> f64(new double[][]{{0, 1}}), () -> f64(new double[][]{{0, 1.5}})),
                        nsm(1.5)));
    }
}
