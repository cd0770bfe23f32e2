package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Adadelta, exactly as {@code torch.optim.Adadelta}:
 * {@code delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g}, {@code p -= lr * delta}.
 *
 * <pre>{@code
 * var opt = new Adadelta(params, new Adadelta.Options().rho(0.9));
 * }</pre>
 */
public final class Adadelta extends Optimizer {
    /** {@code group["rho"]}: the running average coefficient of squared gradients and updates. */
    public static final Option<Double> RHO = Option.doubleOption("rho");
    /** {@code group["eps"]}: added to the denominator. */
    public static final Option<Double> EPS = Option.doubleOption("eps");

    /** Options; defaults lr=1.0, rho=0.9, eps=1e-6, weight_decay=0. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put(LR, 1.0).put(RHO, 0.9).put(EPS, 1e-6).put(WEIGHT_DECAY, 0.0).put(MAXIMIZE, false);
        }
        public Options rho(double r) {
            if (!(r >= 0 && r <= 1)) throw new IllegalArgumentException("Invalid rho value: " + r);
            return put(RHO, r);
        }
        public Options eps(double eps) { checkEps(eps); return put(EPS, eps); }
    }

    public Adadelta(Iterable<Tensor> params) { this(single(params), new Options()); }

    public Adadelta(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public Adadelta(List<ParamGroup> groups, Options options) { super(groups, options); }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), rho = g.get(RHO), eps = g.get(EPS), wd = g.get(WEIGHT_DECAY);
        for (Tensor p : g.params()) {
            if (p.gradNoWarn() == null) continue;
            Tensor grad = gradOf(p, g);
            Map<String, Object> st = state(p);
            incrementStep(st);
            Tensor squareAvg = buffer(st, "square_avg", p), accDelta = buffer(st, "acc_delta", p);
            if (wd != 0) grad = grad.add(p, wd);
            squareAvg.mul_(rho).add_(grad.mul(grad), 1 - rho);
            Tensor std = squareAvg.add(eps).sqrt();
            Tensor delta = accDelta.add(eps).sqrt().div(std).mul(grad);
            accDelta.mul_(rho).add_(delta.mul(delta), 1 - rho);
            p.add_(delta, -lr);
        }
    }
}
