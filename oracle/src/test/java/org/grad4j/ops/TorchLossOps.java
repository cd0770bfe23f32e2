package org.grad4j.ops;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import java.util.Arrays;
import java.util.Map;

import static org.bytedeco.pytorch.global.torch.*;
import static org.grad4j.ops.Torch.l;
import static org.grad4j.ops.Torch.noType;
import static org.grad4j.ops.Torch.opt;
import static org.grad4j.ops.Torch.s;

/**
 * libtorch spellings of the Losses family. Like LossTable's rows, each returns
 * [loss('none').flatten(), loss('sum'), loss('mean')]; ATen's reduction codes are 0 none, 1 mean, 2 sum.
 */
final class TorchLossOps {
    private TorchLossOps() {}

    interface Loss { Tensor f(Tensor[] in, long reduction); }

    static TorchFn reductions(Loss loss) {
        return in -> cat(new TensorVector(loss.f(in, 0).reshape(-1), loss.f(in, 2).reshape(1), loss.f(in, 1).reshape(1)), 0);
    }

    static Tensor reduce(Tensor loss, long r) {
        return r == 0 ? loss : r == 2 ? loss.sum() : loss.mean();
    }

    /** F.gaussian_nll_loss (Python): var clamped to eps without grad, 0.5 (log var + (x - t)^2 / var) [+ 0.5 log 2 pi]. */
    static Tensor gaussianNll(Tensor input, Tensor target, Tensor var, boolean full, double eps, long r) {
        if (!Arrays.equals(Torch.shape(var), Torch.shape(input))) {
            long[] is = Torch.shape(input), vs = Torch.shape(var);
            if (Arrays.equals(Arrays.copyOf(is, is.length - 1), vs)) var = var.unsqueeze(-1);
            else if (!(Arrays.equals(Arrays.copyOf(is, is.length - 1), Arrays.copyOf(vs, vs.length - 1)) && vs[vs.length - 1] == 1)) {
                throw new IllegalArgumentException("var is of incorrect size");
            }
        }
        if (var.lt(s(0.0)).any().item_bool()) throw new IllegalArgumentException("var has negative entry/entries");
        Tensor v = var.clone();
        try (NoGradGuard g = new NoGradGuard()) {
            v.clamp_min_(s(eps));
        }
        Tensor loss = log(v).add(input.sub(target).pow(s(2.0)).div(v)).mul(s(0.5));
        if (full) loss = loss.add(s(0.5 * Math.log(2 * Math.PI)));
        return reduce(loss, r);
    }

    /** F.multilabel_soft_margin_loss (Python): per-sample mean over classes of the two-sided log-sigmoid loss. */
    static Tensor multilabelSoftMargin(Tensor input, Tensor target, long r) {
        Tensor loss = target.mul(log_sigmoid(input)).add(rsub(target, s(1.0)).mul(log_sigmoid(input.neg()))).neg();
        long classDim = input.dim() - 1;
        loss = loss.sum(l(classDim), false, noType()).div(s(input.size(classDim)));
        return reduce(loss, r);
    }

    static void register(Map<String, TorchFn> m) {
        m.put("mse_loss", reductions((in, r) -> mse_loss(in[0], in[1], r)));
        m.put("l1_loss", reductions((in, r) -> l1_loss(in[0], in[1], r)));
        m.put("smooth_l1_loss", reductions((in, r) -> smooth_l1_loss(in[0], in[1], r, 1.0)));
        m.put("huber_loss", reductions((in, r) -> huber_loss(in[0], in[1], r, 2.0)));
        m.put("poisson_nll_loss", reductions((in, r) -> poisson_nll_loss(in[0], in[1], true, false, 1e-8, r)));
        m.put("poisson_nll_loss_full", reductions((in, r) -> poisson_nll_loss(in[0], in[1], false, true, 1e-8, r)));
        m.put("gaussian_nll_loss", reductions((in, r) -> gaussianNll(in[0], in[1], in[2], false, 1e-6, r)));
        m.put("gaussian_nll_loss_full", reductions((in, r) -> gaussianNll(in[0], in[1], in[2], true, 1e-6, r)));
        m.put("cross_entropy", reductions((in, r) -> cross_entropy_loss(in[0], in[1], opt(null), r, -100, 0.0)));
        m.put("cross_entropy_weight_ignore_index", reductions((in, r) -> cross_entropy_loss(in[0], in[1], opt(in[2]), r, -100, 0.0)));
        m.put("cross_entropy_probabilities", reductions((in, r) -> cross_entropy_loss(in[0], in[1], opt(null), r, -100, 0.0)));
        m.put("cross_entropy_label_smoothing", reductions((in, r) -> cross_entropy_loss(in[0], in[1], opt(null), r, -100, 0.1)));
        m.put("nll_loss", reductions((in, r) -> nll_loss_nd(in[0], in[1], opt(null), r, -100)));
        m.put("nll_loss_weight_ignore_index", reductions((in, r) -> nll_loss_nd(in[0], in[1], opt(in[2]), r, 1)));
        m.put("binary_cross_entropy", reductions((in, r) -> binary_cross_entropy(in[0], in[1], opt(null), r)));
        m.put("binary_cross_entropy_weight", reductions((in, r) -> binary_cross_entropy(in[0], in[1], opt(in[2]), r)));
        m.put("binary_cross_entropy_with_logits", reductions((in, r) -> binary_cross_entropy_with_logits(in[0], in[1], opt(null), opt(null), r)));
        m.put("binary_cross_entropy_with_logits_pos_weight",
                reductions((in, r) -> binary_cross_entropy_with_logits(in[0], in[1], opt(null), opt(in[2]), r)));
        m.put("kl_div", reductions((in, r) -> kl_div(in[0], in[1], r, false)));
        m.put("kl_div_batchmean_log_target", in -> kl_div(in[0], in[1], 2, true).div(s(in[0].size(0))));
        m.put("soft_margin_loss", reductions((in, r) -> soft_margin_loss(in[0], in[1], r)));
        m.put("multilabel_soft_margin_loss", reductions((in, r) -> multilabelSoftMargin(in[0], in[1], r)));
        m.put("ctc_loss", reductions((x, r) -> {
            long[] il = new long[(int) x[0].size(1)];
            Arrays.fill(il, x[0].size(0));
            long[] tl = new long[(int) x[2].numel()];
            for (int i = 0; i < tl.length; i++) tl[i] = x[2].select(0, i).item_long();
            return ctc_loss(log_softmax(x[0], 2), x[1], il, tl, 0, r, false);
        }));
        m.put("margin_ranking_loss", reductions((in, r) -> margin_ranking_loss(in[0], in[1], in[2], 0.1, r)));
        m.put("hinge_embedding_loss", reductions((in, r) -> hinge_embedding_loss(in[0], in[1], 1.0, r)));
        m.put("cosine_embedding_loss", reductions((in, r) -> cosine_embedding_loss(in[0], in[1], in[2], 0.2, r)));
        m.put("triplet_margin_loss", reductions((in, r) -> triplet_margin_loss(in[0], in[1], in[2], 1.0, 2.0, 1e-6, false, r)));
        m.put("triplet_margin_loss_swap", reductions((in, r) -> triplet_margin_loss(in[0], in[1], in[2], 1.0, 1.0, 1e-6, true, r)));
    }
}
