package org.grad4j.nn.functional;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;

/**
 * smooth_l1_loss and huber_loss as one node each, with PyTorch's slope: d / beta clamped to
 * [-1, 1] (huber: d clamped to [-delta, delta]). A composite where(|d| < beta, d^2 / 2beta, ...)
 * would send 0 * inf = NaN through the unused quadratic branch at an infinite difference, where
 * PyTorch's gradient is +-1. NaN differences keep a NaN gradient. The slope is written with ops,
 * so the second derivative (1 / beta inside the band, 0 outside) comes from autograd.
 */
final class PiecewiseLoss {
    private PiecewiseLoss() {}

    static Tensor smoothL1(Tensor input, Tensor target, String reduction, double beta) {
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            Tensor d = input.detach().sub(target.detach()), a = d.abs();
            out = Losses.reduce(d.mul(d).mul(0.5 / beta).where(a.lt(beta), a.sub(0.5 * beta)), reduction);
        }
        return record(out, input, target, reduction, "SmoothL1LossBackward0",
                // outside the open band |d| < beta the slope is sign(d), flat: its derivative is 0 at |d| == beta
                // too, as PyTorch's double backward; a NaN difference stays NaN (d / beta)
                d -> d.sign().where(d.abs().ge(beta), d.div(beta)));
    }

    static Tensor huber(Tensor input, Tensor target, String reduction, double delta) {
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            Tensor d = input.detach().sub(target.detach()), a = d.abs();
            out = Losses.reduce(d.mul(d).mul(0.5).where(a.lt(delta), a.sub(0.5 * delta).mul(delta)), reduction);
        }
        return record(out, input, target, reduction, "HuberLossBackward0",
                d -> d.sign().mul(delta).where(d.abs().ge(delta), d));
    }

    private static Tensor record(Tensor out, Tensor input, Tensor target, String reduction, String name,
                                 java.util.function.UnaryOperator<Tensor> slope) {
        if (!Graph.needsGrad(input, target)) return out;
        SavedTensor si = Graph.save(input), st = Graph.save(target);
        int[] is = input.shape(), ts = target.shape();
        Graph.record(out, name, (g, n) -> {
            Tensor x = si.unpack(), t = st.unpack();
            Tensor s = slope.apply(x.sub(t)).mul(g[0]);
            if (reduction.equals("mean")) s = s.div((double) s.numel());
            return new Tensor[]{n.needsInputGrad(0) ? s.sumTo(is) : null, n.needsInputGrad(1) ? s.neg().sumTo(ts) : null};
        }, new SavedTensor[]{si, st}, input, target);
        return out;
    }
}
