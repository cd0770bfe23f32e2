package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Adamax, exactly as {@code torch.optim.Adamax}: {@code exp_inf = max(beta2 * exp_inf, |g| + eps)},
 * {@code p -= lr / (1 - beta1^t) * exp_avg / exp_inf}.
 *
 * <pre>{@code
 * var opt = new Adamax(params, new Adamax.Options().lr(2e-3));
 * }</pre>
 */
public final class Adamax extends Optimizer {
    /** {@code group["betas"]}: coefficients of the running average and the infinity norm. */
    public static final Option<double[]> BETAS = Option.pairOption("betas");
    /** {@code group["eps"]}: added to the denominator. */
    public static final Option<Double> EPS = Option.doubleOption("eps");

    /** Options; defaults lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put(LR, 2e-3).put(BETAS, new double[]{0.9, 0.999}).put(EPS, 1e-8).put(WEIGHT_DECAY, 0.0)
                    .put(MAXIMIZE, false);
        }
        public Options betas(double b1, double b2) { checkBetas(b1, b2); return put(BETAS, new double[]{b1, b2}); }
        public Options eps(double eps) { checkEps(eps); return put(EPS, eps); }
    }

    public Adamax(Iterable<Tensor> params, double lr) { this(single(params), new Options().lr(lr)); }

    public Adamax(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public Adamax(List<ParamGroup> groups, Options options) { super(groups, options); }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), eps = g.get(EPS), wd = g.get(WEIGHT_DECAY);
        double[] betas = g.get(BETAS);
        for (Tensor p : g.params()) {
            if (p.gradNoWarn() == null) continue;
            Tensor grad = gradOf(p, g);
            Map<String, Object> st = state(p);
            double step = incrementStep(st);
            Tensor expAvg = buffer(st, "exp_avg", p), expInf = buffer(st, "exp_inf", p);
            if (wd != 0) grad = grad.add(p, wd);
            lerp_(expAvg, grad, 1 - betas[0]);
            expInf.copy_(expInf.mul(betas[1]).maximum(grad.abs().add(eps)));
            double clr = lr / (1 - Math.pow(betas[0], step));
            p.add_(expAvg.div(expInf), -clr);
        }
    }
}
