package org.grad4j.nn.functional;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Connectionist temporal classification loss by the forward (alpha) recursion in log space,
 * written with differentiable ops. Impossible states hold a large negative number instead of
 * -inf, so that gradients through logsumexp stay finite.
 */
final class Ctc {
    private Ctc() {}

    static final double NEG = -1e30;

    static Tensor ctcLoss(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths, int blank, String reduction,
                          boolean zeroInfinity) {
        boolean unbatched = logProbs.dim() == 2;
        Tensor lp = unbatched ? logProbs.unsqueeze(1) : logProbs;
        if (lp.dim() != 3) {
            throw new IllegalArgumentException("ctc_loss: log_probs must be [T, N, C] or [T, C], got " + Arrays.toString(logProbs.shape()));
        }
        int tMax = lp.size(0), n = lp.size(1), c = lp.size(2);
        if (blank < 0 || blank >= c) throw new IllegalArgumentException("ctc_loss: blank must be in label range [0, " + c + ")");
        if (inputLengths.length != n || targetLengths.length != n) {
            throw new IllegalArgumentException("ctc_loss: input_lengths and target_lengths must have " + n + " entries (the batch size)");
        }
        long[] tg = targets.toLongArray();
        boolean concatenated = !unbatched && targets.dim() == 1;
        int stride = unbatched || concatenated ? 0 : targets.size(1);
        List<Tensor> losses = new ArrayList<>();
        int offset = 0;
        for (int b = 0; b < n; b++) {
            int tn = (int) inputLengths[b], sn = (int) targetLengths[b];
            if (tn > tMax || tn < 0) throw new IllegalArgumentException("ctc_loss: Expected input_lengths to have value at most " + tMax + ", but got value " + tn);
            int start = concatenated ? offset : b * stride;
            if (start + sn > tg.length) throw new IllegalArgumentException("ctc_loss: targets are shorter than target_lengths say");
            long[] ext = new long[2 * sn + 1];
            Arrays.fill(ext, blank);
            for (int s = 0; s < sn; s++) {
                ext[2 * s + 1] = tg[start + s];
                if (tg[start + s] == blank) throw new IllegalArgumentException("ctc_loss: targets must not contain the blank label " + blank);
            }
            offset += sn;
            losses.add(sequenceLoss(lp.select(1, b), ext, tn, blank));
        }
        Tensor loss = Grad4j.stack(losses, 0);
        Tensor impossible = loss.gt(1e29);
        loss = loss.where(impossible.logicalNot(), Grad4j.fullLike(loss, zeroInfinity ? 0.0 : Double.POSITIVE_INFINITY));
        Tensor out = switch (reduction) {
            case "none" -> loss;
            case "sum" -> loss.sum();
            case "mean" -> {
                double[] tl = new double[n];
                for (int b = 0; b < n; b++) tl[b] = Math.max(1, targetLengths[b]);
                yield loss.div(Grad4j.fromArray(tl, n).to(loss.device(), loss.dtype())).mean();
            }
            default -> throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        };
        return unbatched && reduction.equals("none") ? out.squeeze(0) : out;
    }

    /** -log p(target | x) for one sequence: lp [T, C], ext the target with blanks around every label. */
    private static Tensor sequenceLoss(Tensor lp, long[] ext, int tn, int blank) {
        int l = ext.length;
        if (tn == 0) return Grad4j.fullLike(lp.detach().sum(), l == 1 ? 0.0 : 2e30);
        Tensor e = lp.indexSelect(1, Grad4j.fromArray(ext, l).to(lp.device()));          // [T, L']
        boolean[] noSkip = new boolean[l], notFirst = new boolean[l];
        for (int s = 0; s < l; s++) {
            noSkip[s] = s < 2 || ext[s] == blank || ext[s] == ext[s - 2];
            notFirst[s] = s >= 2;
        }
        Tensor noSkipMask = Grad4j.tensor(noSkip, null, lp.device()), notFirstMask = Grad4j.tensor(notFirst, null, lp.device());
        Tensor alpha = e.select(0, 0).maskedFill(notFirstMask, NEG);
        for (int t = 1; t < tn; t++) {
            Tensor a1 = l > 1 ? F.pad(alpha.narrow(0, 0, l - 1), new int[]{1, 0}, NEG) : Grad4j.fullLike(alpha.detach(), NEG);
            Tensor a2 = l > 2 ? F.pad(alpha.narrow(0, 0, l - 2), new int[]{2, 0}, NEG).maskedFill(noSkipMask, NEG)
                    : Grad4j.fullLike(alpha.detach(), NEG);
            alpha = Grad4j.stack(new Tensor[]{alpha, a1, a2}, 0).logsumexp(0).add(e.select(0, t));
        }
        Tensor last = l > 1 ? alpha.narrow(0, l - 2, 2) : alpha;
        return last.logsumexp(0).neg();
    }
}
