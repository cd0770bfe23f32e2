package org.grad4j.optim;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.List;
import java.util.Map;

/**
 * NAdam, exactly as {@code torch.optim.NAdam}: momentum schedule
 * {@code mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))}, running product {@code mu_product},
 * optional decoupled weight decay.
 *
 * <pre>{@code
 * var opt = new NAdam(params, new NAdam.Options().lr(2e-3).momentumDecay(4e-3));
 * }</pre>
 */
public final class NAdam extends Optimizer {
    /** {@code group["betas"]}: coefficients of the running averages of the gradient and its square. */
    public static final Option<double[]> BETAS = Option.pairOption("betas");
    /** {@code group["eps"]}: added to the denominator. */
    public static final Option<Double> EPS = Option.doubleOption("eps");
    /** {@code group["momentum_decay"]}: psi, the momentum decay. */
    public static final Option<Double> MOMENTUM_DECAY = Option.doubleOption("momentum_decay");
    /** {@code group["decoupled_weight_decay"]}: AdamW-style weight decay. */
    public static final Option<Boolean> DECOUPLED_WEIGHT_DECAY = Option.boolOption("decoupled_weight_decay");

    /** Options; defaults lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put(LR, 2e-3).put(BETAS, new double[]{0.9, 0.999}).put(EPS, 1e-8).put(WEIGHT_DECAY, 0.0)
                    .put(MOMENTUM_DECAY, 4e-3).put(DECOUPLED_WEIGHT_DECAY, false).put(MAXIMIZE, false);
        }
        public Options betas(double b1, double b2) { checkBetas(b1, b2); return put(BETAS, new double[]{b1, b2}); }
        public Options eps(double eps) { checkEps(eps); return put(EPS, eps); }
        public Options momentumDecay(double d) {
            if (!(d >= 0)) throw new IllegalArgumentException("Invalid momentum_decay value: " + d);
            return put(MOMENTUM_DECAY, d);
        }
        public Options decoupledWeightDecay(boolean d) { return put(DECOUPLED_WEIGHT_DECAY, d); }
    }

    public NAdam(Iterable<Tensor> params, double lr) { this(single(params), new Options().lr(lr)); }

    public NAdam(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public NAdam(List<ParamGroup> groups, Options options) { super(groups, options); }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), eps = g.get(EPS), wd = g.get(WEIGHT_DECAY), psi = g.get(MOMENTUM_DECAY);
        double[] betas = g.get(BETAS);
        for (Tensor p : g.params()) {
            if (p.gradNoWarn() == null) continue;
            Tensor grad = gradOf(p, g);
            Map<String, Object> st = state(p);
            double step = incrementStep(st);
            Tensor muProductT = (Tensor) st.computeIfAbsent("mu_product", k -> Grad4j.scalarTensor(1.0, DType.FLOAT32));
            Tensor expAvg = buffer(st, "exp_avg", p), expAvgSq = buffer(st, "exp_avg_sq", p);
            double bc2 = 1 - Math.pow(betas[1], step);
            if (wd != 0) {
                if (g.get(DECOUPLED_WEIGHT_DECAY)) p.mul_(1 - lr * wd);
                else grad = grad.add(p, wd);
            }
            double mu = betas[0] * (1 - 0.5 * Math.pow(0.96, step * psi));
            double muNext = betas[0] * (1 - 0.5 * Math.pow(0.96, (step + 1) * psi));
            muProductT.mul_(mu);
            double muProduct = muProductT.item();
            lerp_(expAvg, grad, 1 - betas[0]);
            expAvgSq.mul_(betas[1]).add_(grad.mul(grad), 1 - betas[1]);
            Tensor denom = expAvgSq.div(bc2).sqrt().add_(eps);
            p.add_(grad.div(denom), -lr * (1 - mu) / (1 - muProduct));
            p.add_(expAvg.div(denom), -lr * muNext / (1 - muProduct * muNext));
        }
    }
}
