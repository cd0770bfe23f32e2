package org.grad4j.nn.functional;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.internal.NnOps;
import org.grad4j.Tensor;

import java.util.Arrays;

/** Loss functions with PyTorch's reductions, composed of differentiable ops. */
final class Losses {
    private Losses() {}

    static Tensor reduce(Tensor loss, String reduction) {
        return switch (reduction) {
            case "none" -> loss;
            case "sum" -> loss.sum();
            case "mean" -> loss.mean();
            default -> throw new IllegalArgumentException(reduction + " is not a valid value for reduction; use 'mean', 'sum' or 'none'");
        };
    }

    static void checkReduction(String reduction) {
        if (!reduction.equals("none") && !reduction.equals("sum") && !reduction.equals("mean")) reduce(null, reduction);
    }

    /** PyTorch broadcasts a target of another size, with its warning (once per call site); the shapes must broadcast. */
    private static void sameShape(Tensor input, Tensor target, String op) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            org.grad4j.Warnings.warn("Using a target size (torch.Size(" + Arrays.toString(target.shape()) + ")) that is different to the "
                    + "input size (torch.Size(" + Arrays.toString(input.shape()) + ")). This will likely lead to incorrect results due to "
                    + "broadcasting. Please ensure they have the same size.");
            org.grad4j.storage.Shapes.broadcast(input.shape(), target.shape(), op);
        }
    }

    static Tensor mse(Tensor input, Tensor target, String reduction) {
        sameShape(input, target, "mse_loss");
        Tensor d = input.sub(target);
        return reduce(d.mul(d), reduction);
    }

    static Tensor l1(Tensor input, Tensor target, String reduction) {
        sameShape(input, target, "l1_loss");
        return reduce(input.sub(target).abs(), reduction);
    }

    static Tensor smoothL1(Tensor input, Tensor target, String reduction, double beta) {
        if (beta < 0) throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        if (beta == 0) return l1(input, target, reduction); // l1 checks the shapes (one warning, not two)
        sameShape(input, target, "smooth_l1_loss");
        return PiecewiseLoss.smoothL1(input, target, reduction, beta);
    }

    static Tensor huber(Tensor input, Tensor target, String reduction, double delta) {
        if (delta <= 0) throw new IllegalArgumentException("huber_loss does not support non-positive values for delta.");
        sameShape(input, target, "huber_loss");
        return PiecewiseLoss.huber(input, target, reduction, delta);
    }

    /** nll_loss over class dim 1 (or 0 for a 1-d input); the weighted mean divides by the sum of the weights used. */
    static Tensor nll(Tensor logp, Tensor target, Tensor weight, long ignoreIndex, String reduction) {
        if (target.dtype() != DType.INT64 && target.dtype() != DType.INT32) {
            throw new IllegalArgumentException("nll_loss: expected target of dtype int64 (class indices), got " + target.dtype()
                    + ". Fix: target.toLong(), or pass class probabilities to cross_entropy");
        }
        if (logp.dim() < 1) throw new IllegalArgumentException("nll_loss: Expected 1 or more dimensions (got 0)");
        int cdim = logp.dim() == 1 ? 0 : 1;
        int c = logp.size(cdim);
        int[] want = logp.dim() == 1 ? new int[0] : removeDim(logp.shape(), 1);
        if (!Arrays.equals(target.shape(), want)) {
            if (logp.dim() > 1 && target.dim() > 0 && logp.size(0) != target.size(0)) {
                throw new IllegalArgumentException("Expected input batch_size (" + logp.size(0) + ") to match target batch_size ("
                        + target.size(0) + ").");
            }
            throw new IllegalArgumentException("nll_loss: Expected target size " + Arrays.toString(want) + ", got "
                    + Arrays.toString(target.shape()));
        }
        if (weight != null && weight.numel() != c) {
            throw new IllegalArgumentException("nll_loss: weight tensor should be defined either for all " + c
                    + " classes or no classes but got weight tensor of shape: " + Arrays.toString(weight.shape()));
        }
        int bad = NnOps.firstBadTarget(target, c, ignoreIndex);
        if (bad >= 0) {
            long v = target.reshape(-1).getLong(bad);
            throw new IndexOutOfBoundsException("nll_loss: Target " + v + " is out of bounds (the input has " + c + " classes)");
        }
        Tensor ignore = target.eq((double) ignoreIndex);
        Tensor safe = target.maskedFill(ignore, 0.0);
        Tensor picked = logp.gather(cdim, safe.unsqueeze(cdim)).squeeze(cdim);
        Tensor w = weight != null ? weight.indexSelect(0, safe.reshape(-1)).reshape(target.shape())
                : Grad4j.ones(target.shape(), logp.dtype(), logp.device());
        w = w.maskedFill(ignore, 0.0).to(logp.dtype());
        // masked, not only weighted by 0: with every target ignored the mean divides by 0 and
        // 0 * inf would make their gradients NaN (PyTorch: loss nan, gradients 0)
        Tensor loss = picked.neg().mul(w).maskedFill(ignore, 0.0);
        return switch (reduction) {
            case "none" -> loss;
            case "sum" -> loss.sum();
            case "mean" -> loss.sum().div(w.sum());
            default -> reduce(loss, reduction);
        };
    }

    static int[] removeDim(int[] s, int d) {
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != d) r[j++] = s[i];
        return r;
    }

    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction, double smoothing) {
        if (smoothing < 0 || smoothing > 1) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + smoothing);
        }
        int cdim = input.dim() == 1 ? 0 : 1;
        int c = input.size(cdim);
        Tensor logp = input.logSoftmax(cdim);
        int[] ws = new int[input.dim()];
        Arrays.fill(ws, 1);
        ws[cdim] = c;
        if (Arrays.equals(input.shape(), target.shape()) && target.dtype().isFloatingPoint()) {
            // class probabilities
            Tensor tgt = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / c) : target;
            Tensor prod = logp.mul(tgt);
            if (weight != null) prod = prod.mul(weight.reshape(ws));
            Tensor loss = prod.sum(cdim, false).neg();
            return switch (reduction) {
                case "none" -> loss;
                case "sum" -> loss.sum();
                case "mean" -> loss.sum().div((double) input.numel() / c);
                default -> reduce(loss, reduction);
            };
        }
        Tensor nll = nll(logp, target, weight, ignoreIndex, reduction);
        if (smoothing == 0) return nll;
        Tensor smooth = (weight != null ? logp.mul(weight.reshape(ws)) : logp).sum(cdim, false).neg();
        Tensor ignore = target.eq((double) ignoreIndex);
        smooth = smooth.maskedFill(ignore, 0.0);
        Tensor ret = switch (reduction) {
            case "none" -> smooth;
            case "sum" -> smooth.sum();
            case "mean" -> {
                if (weight != null) {
                    Tensor w = weight.indexSelect(0, target.maskedFill(ignore, 0.0).reshape(-1))
                            .maskedFill(ignore.reshape(-1), 0.0);
                    yield smooth.sum().div(w.sum());
                }
                yield smooth.sum().div(ignore.logicalNot().to(input.dtype()).sum());
            }
            default -> reduce(smooth, reduction);
        };
        return nll.mul(1 - smoothing).add(ret.mul(smoothing / c));
    }

    static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, String reduction) {
        return BinaryCrossEntropy.loss(input, target, weight, reduction);
    }

    static Tensor bceWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, String reduction) {
        return BinaryCrossEntropy.withLogits(input, target, weight, posWeight, reduction);
    }

    static Tensor klDiv(Tensor input, Tensor target, String reduction, boolean logTarget) {
        Tensor loss;
        if (logTarget) loss = target.exp().mul(target.sub(input));
        else loss = xlogySelf(target).sub(target.mul(input));
        if (reduction.equals("batchmean")) return input.dim() == 0 ? loss.sum() : loss.sum().div((double) input.size(0));
        return reduce(loss, reduction);
    }

    /**
     * PyTorch's xlogy(t, t) as kl_div uses it: t log t, 0 where t == 0 (NaN for t < 0). Its gradient
     * is xlogy(t != 0, t) + t / t: NaN at t == 0 as in PyTorch (a composite with a masked log would
     * give a finite number there).
     */
    private static Tensor xlogySelf(Tensor t) {
        Tensor out;
        Tensor zero = t.detach().eq(0.0);
        try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
            Tensor td = t.detach();
            out = td.mul(td.log()).maskedFill(zero, 0.0);
        }
        if (org.grad4j.internal.Graph.needsGrad(t)) {
            org.grad4j.autograd.SavedTensor st = org.grad4j.internal.Graph.save(t);
            org.grad4j.internal.Graph.record(out, "XlogyBackward0", (g, n) -> {
                Tensor x = st.unpack();
                return new Tensor[]{g[0].mul(x.log().maskedFill(x.eq(0.0), 0.0).add(x.div(x)))};
            }, new org.grad4j.autograd.SavedTensor[]{st}, t);
        }
        return out;
    }

    static Tensor marginRanking(Tensor x1, Tensor x2, Tensor y, double margin, String reduction) {
        return reduce(y.neg().mul(x1.sub(x2)).add(margin).clampMin(0.0), reduction);
    }

    static Tensor hingeEmbedding(Tensor x, Tensor y, double margin, String reduction) {
        Tensor zero = Grad4j.zerosLike(x);
        Tensor marginPart = x.rsub(margin).clampMin(0.0).where(y.ne(1.0), zero);
        Tensor selfPart = x.where(y.ne(-1.0), zero);
        return reduce(marginPart.add(selfPart), reduction);
    }

    static Tensor cosineEmbedding(Tensor x1, Tensor x2, Tensor y, double margin, String reduction) {
        int d = x1.dim() - 1;
        double eps = 1e-12;
        Tensor prod = x1.mul(x2).sum(d, false);
        Tensor m1 = x1.mul(x1).sum(d, false).add(eps), m2 = x2.mul(x2).sum(d, false).add(eps);
        Tensor cos = prod.div(m1.mul(m2).sqrt());
        Tensor zero = Grad4j.zerosLike(cos);
        Tensor pos = cos.rsub(1.0).where(y.eq(1.0), zero);
        Tensor neg = cos.sub(margin).clampMin(0.0).where(y.eq(-1.0), zero);
        return reduce(pos.add(neg), reduction);
    }

    static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps, boolean keepdim) {
        int d = Math.max(x1.dim(), x2.dim()) - 1;
        return x1.sub(x2).add(eps).norm(p, new int[]{Math.max(d, 0)}, keepdim);
    }

    static Tensor tripletMargin(Tensor a, Tensor pos, Tensor neg, double margin, double p, double eps, boolean swap,
                                String reduction) {
        Tensor dap = pairwiseDistance(a, pos, p, eps, false), dan = pairwiseDistance(a, neg, p, eps, false);
        if (swap) dan = dan.minimum(pairwiseDistance(pos, neg, p, eps, false));
        return reduce(dap.sub(dan).add(margin).clampMin(0.0), reduction);
    }

    static Tensor softMargin(Tensor x, Tensor y, String reduction) {
        return reduce(x.neg().mul(y).exp().log1p(), reduction);
    }

    static Tensor multilabelSoftMargin(Tensor x, Tensor y, Tensor weight, String reduction) {
        Tensor loss = y.mul(x.logsigmoid()).add(y.rsub(1.0).mul(x.neg().logsigmoid())).neg();
        if (weight != null) loss = loss.mul(weight);
        int cd = x.dim() - 1;
        loss = loss.sum(cd, false).div((double) x.size(cd));
        return reduce(loss, reduction);
    }

    static Tensor poissonNll(Tensor input, Tensor target, boolean logInput, boolean full, double eps, String reduction) {
        Tensor loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
        if (full) {
            // PyTorch's Stirling term, differentiable in the target too (NaN gradient at target 0, as PyTorch)
            Tensor stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
            loss = loss.add(stirling.maskedFill(target.le(1.0), 0.0));
        }
        return reduce(loss, reduction);
    }

    static Tensor gaussianNll(Tensor input, Tensor target, Tensor var, boolean full, double eps, String reduction) {
        if (var.dim() == input.dim() - 1 && Arrays.equals(var.shape(), Arrays.copyOf(input.shape(), input.dim() - 1))) {
            var = var.unsqueeze(-1);
        }
        if (var.detach().lt(0.0).any().itemBool()) throw new IllegalArgumentException("gaussian_nll_loss: var has negative entry/entries");
        // clamp the value only: the gradient flows through var unchanged, as PyTorch's no_grad clamp_
        Tensor vd = var.detach();
        Tensor v = var.add(vd.clampMin(eps).sub(vd));
        Tensor d = input.sub(target);
        Tensor loss = v.log().add(d.mul(d).div(v)).mul(0.5);
        if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
        return reduce(loss, reduction);
    }
}
