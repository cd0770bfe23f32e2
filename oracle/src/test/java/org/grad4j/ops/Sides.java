package org.grad4j.ops;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.TensorVector;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one case on each side the same way: forward, then the gradient of {@code sum(out * c)} with respect
 * to every differentiable input (c a fixed non-uniform cotangent, so a wrong but symmetric gradient still
 * shows), then, where asked, the gradient of {@code sum(grads * d)} (second derivatives).
 */
final class Sides {
    private Sides() {}

    /** Cotangent values 0.5, 0.75, ..., 1.5, repeating: non-uniform, never zero. */
    static double[] pattern(int n, int salt) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 0.5 + ((i * 7 + salt) % 5) * 0.25;
        return v;
    }

    static Tensor g4Pattern(Tensor like, int salt) {
        return Grad4j.fromArray(pattern(like.numel(), salt), like.shape()).to(like.dtype());
    }

    static org.bytedeco.pytorch.Tensor torchPattern(org.bytedeco.pytorch.Tensor like, int salt) {
        return Torch.f64(pattern((int) like.numel(), salt), Torch.shape(like)).to(like.scalar_type());
    }

    static Outcome grad4j(org.grad4j.autograd.GradCheck.Fn fn, Tensor[] in, boolean[] diff, boolean twice) {
        Outcome o = new Outcome();
        Tensor out;
        try {
            for (int i = 0; i < in.length; i++) if (diff[i]) in[i].requiresGrad_();
            out = fn.apply(in);
            o.dtype = out.dtype().torchName();
            o.shape = Torch.longs(out.shape());
            o.values = out.toDoubleArray();
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            return Outcome.failed(e);
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < in.length; i++) if (diff[i]) idx.add(i);
        if (idx.isEmpty() || !out.isFloatingPoint()) return o;
        Tensor[] xs = idx.stream().map(i -> in[i]).toArray(Tensor[]::new);
        Tensor[] g;
        try {
            if (!out.requiresGrad()) {
                o.grads = new double[xs.length][];
                return o;
            }
            g = Autograd.grad(new Tensor[]{out}, xs, new Tensor[]{g4Pattern(out, 0)}, true, twice, true);
            o.grads = new double[xs.length][];
            for (int k = 0; k < xs.length; k++) o.grads[k] = g[k] == null ? null : g[k].toDoubleArray();
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            o.gradError = Outcome.message(e);
            return o;
        }
        if (!twice) return o;
        try {
            Tensor s = null;
            for (int k = 0; k < g.length; k++) {
                if (g[k] == null || !g[k].requiresGrad()) continue;
                Tensor term = g[k].mul(g4Pattern(g[k], k + 1)).sum();
                s = s == null ? term : s.add(term);
            }
            o.grads2 = new double[xs.length][];
            if (s == null) return o;
            Tensor[] g2 = Autograd.grad(new Tensor[]{s}, xs, null, true, false, true);
            for (int k = 0; k < xs.length; k++) o.grads2[k] = g2[k] == null ? null : g2[k].toDoubleArray();
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            o.grad2Error = Outcome.message(e);
        }
        return o;
    }

    static Outcome torch(TorchFn fn, org.bytedeco.pytorch.Tensor[] in, boolean[] diff, boolean twice) {
        Outcome o = new Outcome();
        org.bytedeco.pytorch.Tensor out;
        try {
            for (int i = 0; i < in.length; i++) if (diff[i]) in[i].set_requires_grad(true);
            out = fn.apply(in);
            o.dtype = Torch.dtypeName(out);
            o.shape = Torch.shape(out);
            o.values = Torch.values(out);
        } catch (RuntimeException e) {
            return Outcome.failed(e);
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < in.length; i++) if (diff[i]) idx.add(i);
        if (idx.isEmpty() || !out.is_floating_point()) return o;
        TensorVector xs = new TensorVector();
        for (int i : idx) xs.push_back(in[i]);
        org.bytedeco.pytorch.Tensor[] g = new org.bytedeco.pytorch.Tensor[idx.size()];
        try {
            if (!out.requires_grad()) {
                o.grads = new double[idx.size()][];
                return o;
            }
            TensorVector gv = org.bytedeco.pytorch.global.torch.grad(new TensorVector(out), xs, new TensorVector(torchPattern(out, 0)),
                    new BoolOptional(true), twice, true);
            o.grads = new double[idx.size()][];
            for (int k = 0; k < g.length; k++) {
                g[k] = gv.get(k);
                o.grads[k] = g[k].defined() ? Torch.values(g[k]) : null;
            }
        } catch (RuntimeException e) {
            o.gradError = Outcome.message(e);
            return o;
        }
        if (!twice) return o;
        try {
            org.bytedeco.pytorch.Tensor s = null;
            for (int k = 0; k < g.length; k++) {
                if (!g[k].defined() || !g[k].requires_grad()) continue;
                org.bytedeco.pytorch.Tensor term = g[k].mul(torchPattern(g[k], k + 1)).sum();
                s = s == null ? term : s.add(term);
            }
            o.grads2 = new double[idx.size()][];
            if (s == null) return o;
            TensorVector g2 = org.bytedeco.pytorch.global.torch.grad(new TensorVector(s), xs, new TensorVector(),
                    new BoolOptional(true), false, true);
            for (int k = 0; k < g.length; k++) o.grads2[k] = g2.get(k).defined() ? Torch.values(g2.get(k)) : null;
        } catch (RuntimeException e) {
            o.grad2Error = Outcome.message(e);
        }
        return o;
    }
}
