package org.grad4j.nn.functional;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;

import java.util.Arrays;

/**
 * binary_cross_entropy as PyTorch computes it: one node with a fused gradient, so that a
 * saturated probability (p exactly 0 or 1, e.g. a float32 sigmoid of 20) gives a finite loss
 * and a finite gradient instead of 0 * inf = NaN through a composite log. Each log is clamped
 * at -100; the slope (p - t) / max(p (1 - p), eps) uses the kernel's float eps; the second
 * derivatives are PyTorch's formulas (FunctionsManual: binary_cross_entropy_double_backward).
 */
final class BinaryCrossEntropy {
    private BinaryCrossEntropy() {}

    /** PyTorch's kernel constant is a float 1e-12 (widened: 9.9999999600419720e-13). */
    private static final double EPS = 1e-12f;
    /** The double-backward formulas use a double 1e-12. */
    private static final double EPS2 = 1e-12;

    static Tensor loss(Tensor input, Tensor target, Tensor weight, String reduction) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("Using a target size (" + Arrays.toString(target.shape()) + ") that is different "
                    + "to the input size (" + Arrays.toString(input.shape()) + ") is deprecated. Please ensure they have the same size.");
        }
        Losses.checkReduction(reduction);
        if (input.numel() > 0) {
            double mn = input.detach().min().item(), mx = input.detach().max().item();
            if (mn < 0 || mx > 1 || mn != mn || mx != mx) {
                throw new IllegalArgumentException("binary_cross_entropy: all elements of input should be between 0 and 1 "
                        + "(found values in [" + mn + ", " + mx + "]). Fix: apply sigmoid first, or use binary_cross_entropy_with_logits");
            }
        }
        // the weight is repeated to the target's shape, as F.binary_cross_entropy expands it
        Tensor w = weight == null ? null : weight.expand(target.shape());
        Tensor wd = w == null ? null : w.detach();
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            Tensor l = unweighted(input.detach(), target.detach());
            if (wd != null) l = l.mul(wd);
            out = Losses.reduce(l, reduction);
        }
        if (Graph.needsGrad(input, target, w)) {
            SavedTensor sp = Graph.save(input), st = Graph.save(target), sw = w == null ? null : Graph.save(w);
            Tensor[] inputs = w == null ? new Tensor[]{input, target} : new Tensor[]{input, target, w};
            int count = inputs.length;
            Graph.record(out, "BinaryCrossEntropyBackward0", (g, n) -> {
                Tensor p = sp.unpack(), t = st.unpack(), ws = sw == null ? null : sw.unpack();
                Tensor[] r = new Tensor[count];
                if (n.needsInputGrad(0)) r[0] = backward(g[0], p, t, ws, reduction);
                if (n.needsInputGrad(1)) r[1] = targetBackward(g[0], p, t, ws, reduction);
                // PyTorch refuses a weight that requires grad; grad4j gives it d loss / d w = the unweighted loss
                if (count > 2 && n.needsInputGrad(2)) r[2] = scaled(unweighted(p, t).mul(g[0]), null, reduction, p.numel());
                return r;
            }, new SavedTensor[]{sp, st, sw}, inputs);
        }
        return out;
    }

    /** -(t max(log p, -100) + (1 - t) max(log(1 - p), -100)), in PyTorch's order (0 at p = t = 0, not -0). */
    private static Tensor unweighted(Tensor p, Tensor t) {
        Tensor l1 = p.log().clampMin(-100.0), l0 = p.rsub(1.0).log().clampMin(-100.0);
        return t.sub(1.0).mul(l0).sub(t.mul(l1));
    }

    /** d loss / d p = g w (p - t) / max(p (1 - p), eps), over numel for 'mean'; its own node (double backward). */
    static Tensor backward(Tensor g, Tensor p, Tensor t, Tensor w, String reduction) {
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            Tensor pd = p.detach();
            out = g.detach().mul(pd.sub(t.detach())).div(pd.rsub(1.0).mul(pd).clampMin(EPS));
            out = scaled(out, w, reduction, p.numel());
        }
        if (Graph.needsGrad(g, p, t, w)) {
            SavedTensor sg = Graph.save(g), sp = Graph.save(p), st = Graph.save(t);
            int[] gShape = g.shape();
            Graph.record(out, "BinaryCrossEntropyBackwardBackward0", (gg, n) -> {
                Tensor go = sg.unpack(), pp = sp.unpack(), tt = st.unpack(), h = gg[0];
                Tensor[] r = new Tensor[4];
                if (n.needsInputGrad(0)) r[0] = backward(h, pp, tt, w, reduction).sumTo(gShape);
                if (n.needsInputGrad(1)) {
                    // (p^2 - 2 p t + t) / ((p + eps)^2 (1 - p + eps)^2)
                    Tensor num = pp.mul(pp).sub(pp.mul(tt).mul(2.0)).add(tt);
                    Tensor a = pp.add(EPS2), b = pp.rsub(1.0).add(EPS2);
                    r[1] = scaled(num.div(a.mul(a).mul(b).mul(b)).mul(h.mul(go)), w, reduction, pp.numel());
                }
                if (n.needsInputGrad(2)) {
                    r[2] = scaled(h.mul(go).div(pp.rsub(1.0).mul(pp).clampMin(EPS2)).neg(), w, reduction, pp.numel());
                }
                if (n.needsInputGrad(3)) r[3] = backward(h.mul(go), pp, tt, null, reduction);
                return r;
            }, new SavedTensor[]{sg, sp, st}, g, p, t, w);
        }
        return out;
    }

    /** d loss / d t = -logit(p) g w (unclamped: infinite at p = 0 or 1, as PyTorch), written with ops. */
    static Tensor targetBackward(Tensor g, Tensor p, Tensor t, Tensor w, String reduction) {
        Tensor logit = p.log().sub(p.rsub(1.0).log());
        return scaled(logit.neg().mul(g), w, reduction, p.numel());
    }

    /**
     * binary_cross_entropy_with_logits: (1 - t) x - lw logsigmoid(x), lw = 1 + (pos_weight - 1) t,
     * as one node whose gradients are PyTorch's closed forms, (lw sigmoid(x) - pw t) for the input
     * (exactly 0 at x = 0, t = 0.5, where the composite max(-x, 0) has a kink) and
     * logsigmoid(-x) - pw logsigmoid(x) for the target. Both are written with ops (double backward).
     */
    static Tensor withLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, String reduction) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("Target size (" + Arrays.toString(target.shape()) + ") must be the same as input size ("
                    + Arrays.toString(input.shape()) + ")");
        }
        Losses.checkReduction(reduction);
        Tensor wd = weight == null ? null : weight.detach(), pwd = posWeight == null ? null : posWeight.detach();
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            Tensor l = logitsUnweighted(input.detach(), target.detach(), pwd);
            if (wd != null) l = l.mul(wd);
            out = Losses.reduce(l, reduction);
        }
        if (Graph.needsGrad(input, target, weight, posWeight)) {
            SavedTensor sx = Graph.save(input), st = Graph.save(target);
            SavedTensor sw = weight == null ? null : Graph.save(weight), spw = posWeight == null ? null : Graph.save(posWeight);
            int[] xs = input.shape(), ts = target.shape();
            int[] ws = weight == null ? null : weight.shape(), ps = posWeight == null ? null : posWeight.shape();
            Graph.record(out, "BinaryCrossEntropyWithLogitsBackward0", (g, n) -> {
                Tensor x = sx.unpack(), t = st.unpack(), w = sw == null ? null : sw.unpack(), pw = spw == null ? null : spw.unpack();
                Tensor[] r = new Tensor[4];
                if (n.needsInputGrad(0)) {
                    Tensor d;
                    if (pw != null) {
                        Tensor pt = pw.mul(t);
                        d = pt.add(1.0).sub(t).mul(x.sigmoid()).sub(pt);
                    } else {
                        d = x.sigmoid().sub(t);
                    }
                    r[0] = scaled(d.mul(g[0]), w, reduction, x.numel()).sumTo(xs);
                }
                if (n.needsInputGrad(1)) {
                    Tensor d = pw != null ? x.neg().logsigmoid().sub(x.logsigmoid().mul(pw)) : x.neg();
                    r[1] = scaled(d.mul(g[0]), w, reduction, x.numel()).sumTo(ts);
                }
                // PyTorch refuses weight / pos_weight that require grad; grad4j differentiates them too
                if (ws != null && n.needsInputGrad(2)) {
                    r[2] = scaled(logitsUnweighted(x, t, pw).mul(g[0]), null, reduction, x.numel()).sumTo(ws);
                }
                if (ps != null && n.needsInputGrad(3)) {
                    r[3] = scaled(t.mul(x.logsigmoid()).neg().mul(g[0]), w, reduction, x.numel()).sumTo(ps);
                }
                return r;
            }, new SavedTensor[]{sx, st, sw, spw}, input, target, weight, posWeight);
        }
        return out;
    }

    /** (1 - t) x - lw logsigmoid(x), lw = 1 + (pos_weight - 1) t: PyTorch's form. */
    private static Tensor logitsUnweighted(Tensor x, Tensor t, Tensor pw) {
        Tensor ls = x.logsigmoid();
        if (pw != null) ls = ls.mul(pw.sub(1.0).mul(t).add(1.0));
        return t.rsub(1.0).mul(x).sub(ls);
    }

    private static Tensor scaled(Tensor x, Tensor w, String reduction, long numel) {
        if (w != null) x = x.mul(w);
        return reduction.equals("mean") ? x.div((double) numel) : x;
    }
}
