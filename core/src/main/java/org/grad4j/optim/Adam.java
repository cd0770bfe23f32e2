package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Adam, exactly as {@code torch.optim.Adam} (L2 weight decay added to the gradient, bias
 * corrections, optional AMSGrad, maximize). {@link AdamW} is the decoupled-decay variant.
 *
 * <pre>{@code
 * var opt = new Adam(params, new Adam.Options().lr(1e-3).betas(0.9, 0.999));
 * }</pre>
 */
public class Adam extends Optimizer {
    /** {@code group["betas"]}: coefficients of the running averages of the gradient and its square. */
    public static final Option<double[]> BETAS = Option.pairOption("betas");
    /** {@code group["eps"]}: added to the denominator. */
    public static final Option<Double> EPS = Option.doubleOption("eps");
    /** {@code group["amsgrad"]}: keep the maximum of the second moments. */
    public static final Option<Boolean> AMSGRAD = Option.boolOption("amsgrad");

    /** Adam options; defaults lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=false. */
    public static class Options extends org.grad4j.optim.Options<Options> {
        public Options() { this(0.0); }
        Options(double weightDecay) {
            put(LR, 1e-3).put(BETAS, new double[]{0.9, 0.999}).put(EPS, 1e-8).put(WEIGHT_DECAY, weightDecay)
                    .put(AMSGRAD, false).put(MAXIMIZE, false);
        }
        public Options betas(double beta1, double beta2) {
            checkBetas(beta1, beta2);
            return put(BETAS, new double[]{beta1, beta2});
        }
        public Options eps(double eps) { checkEps(eps); return put(EPS, eps); }
        public Options amsgrad(boolean a) { return put(AMSGRAD, a); }
    }

    private final boolean decoupled;

    public Adam(Iterable<Tensor> params, double lr) { this(single(params), new Options().lr(lr)); }

    public Adam(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public Adam(List<ParamGroup> groups, Options options) { this(groups, options, false); }

    Adam(List<ParamGroup> groups, Options options, boolean decoupled) {
        super(groups, options);
        this.decoupled = decoupled;
    }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), eps = g.get(EPS), wd = g.get(WEIGHT_DECAY);
        double[] betas = g.get(BETAS);
        boolean amsgrad = g.get(AMSGRAD);
        for (Tensor p : g.params()) {
            if (p.gradNoWarn() == null) continue;
            Tensor grad = gradOf(p, g);
            Map<String, Object> st = state(p);
            double step = incrementStep(st);
            Tensor expAvg = buffer(st, "exp_avg", p), expAvgSq = buffer(st, "exp_avg_sq", p);
            if (wd != 0) {
                if (decoupled) p.mul_(1 - lr * wd);
                else grad = grad.add(p, wd);
            }
            lerp_(expAvg, grad, 1 - betas[0]);
            expAvgSq.mul_(betas[1]).add_(grad.mul(grad), 1 - betas[1]);
            double bc1 = 1 - Math.pow(betas[0], step);
            double bc2Sqrt = Math.sqrt(1 - Math.pow(betas[1], step));
            Tensor second = expAvgSq;
            if (amsgrad) {
                Tensor max = buffer(st, "max_exp_avg_sq", p);
                max.copy_(max.maximum(expAvgSq));
                second = max;
            }
            Tensor denom = second.sqrt().div(bc2Sqrt).add_(eps);
            p.add_(expAvg.div(denom), -lr / bc1);
        }
    }
}
