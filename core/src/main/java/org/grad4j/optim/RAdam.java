package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.List;
import java.util.Map;

/**
 * RAdam, exactly as {@code torch.optim.RAdam}: the adaptive step is used (with its rectification
 * term) only once {@code rho_t > 5}; before that it is plain bias-corrected momentum.
 *
 * <pre>{@code
 * var opt = new RAdam(params, new RAdam.Options().lr(1e-3));
 * }</pre>
 */
public final class RAdam extends Optimizer {
    /** {@code group["betas"]}: coefficients of the running averages of the gradient and its square. */
    public static final Option<double[]> BETAS = Option.pairOption("betas");
    /** {@code group["eps"]}: added to the denominator. */
    public static final Option<Double> EPS = Option.doubleOption("eps");
    /** {@code group["decoupled_weight_decay"]}: AdamW-style weight decay. */
    public static final Option<Boolean> DECOUPLED_WEIGHT_DECAY = Option.boolOption("decoupled_weight_decay");

    /** Options; defaults lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=false. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put(LR, 1e-3).put(BETAS, new double[]{0.9, 0.999}).put(EPS, 1e-8).put(WEIGHT_DECAY, 0.0)
                    .put(DECOUPLED_WEIGHT_DECAY, false).put(MAXIMIZE, false);
        }
        public Options betas(double b1, double b2) { checkBetas(b1, b2); return put(BETAS, new double[]{b1, b2}); }
        public Options eps(double eps) { checkEps(eps); return put(EPS, eps); }
        public Options decoupledWeightDecay(boolean d) { return put(DECOUPLED_WEIGHT_DECAY, d); }
    }

    public RAdam(Iterable<Tensor> params, double lr) { this(single(params), new Options().lr(lr)); }

    public RAdam(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public RAdam(List<ParamGroup> groups, Options options) { super(groups, options); }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), eps = g.get(EPS), wd = g.get(WEIGHT_DECAY);
        double[] betas = g.get(BETAS);
        for (Tensor p : g.params()) {
            if (p.gradNoWarn() == null) continue;
            Tensor grad = gradOf(p, g);
            Map<String, Object> st = state(p);
            double step = incrementStep(st);
            Tensor expAvg = buffer(st, "exp_avg", p), expAvgSq = buffer(st, "exp_avg_sq", p);
            if (wd != 0) {
                if (g.get(DECOUPLED_WEIGHT_DECAY)) p.mul_(1 - lr * wd);
                else grad = grad.add(p, wd);
            }
            lerp_(expAvg, grad, 1 - betas[0]);
            expAvgSq.mul_(betas[1]).add_(grad.mul(grad), 1 - betas[1]);
            double bc1 = 1 - Math.pow(betas[0], step);
            double bc2 = 1 - Math.pow(betas[1], step);
            Tensor corrected = expAvg.div(bc1);
            double rhoInf = 2 / (1 - betas[1]) - 1;
            double rhoT = rhoInf - 2 * step * Math.pow(betas[1], step) / bc2;
            if (rhoT > 5) {
                double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                Tensor adaptive = expAvgSq.sqrt().add_(eps).rdiv(Math.sqrt(bc2));
                p.add_(corrected.mul(lr).mul(adaptive).mul(rect), -1.0);
            } else {
                p.add_(corrected.mul(lr), -1.0);
            }
        }
    }
}
