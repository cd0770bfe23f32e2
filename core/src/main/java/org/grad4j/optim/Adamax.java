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
    /** Options; defaults lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put("lr", 2e-3).put("betas", new double[]{0.9, 0.999}).put("eps", 1e-8).put("weight_decay", 0.0)
                    .put("maximize", false);
        }
        public Options betas(double b1, double b2) { checkBetas(b1, b2); return put("betas", new double[]{b1, b2}); }
        public Options eps(double eps) { checkEps(eps); return put("eps", eps); }
    }

    public Adamax(Iterable<Tensor> params, double lr) { this(single(params), new Options().lr(lr)); }

    public Adamax(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public Adamax(List<ParamGroup> groups, Options options) { super(groups, options); }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), eps = g.getDouble("eps"), wd = g.getDouble("weight_decay");
        double[] betas = g.getPair("betas");
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
