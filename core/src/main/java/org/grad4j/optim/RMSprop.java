package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.List;
import java.util.Map;

/**
 * RMSprop, exactly as {@code torch.optim.RMSprop}: eps is added outside the square root;
 * {@code centered} subtracts the squared running mean of the gradient; {@code momentum} keeps a
 * buffer of {@code g / avg}.
 *
 * <pre>{@code
 * var opt = new RMSprop(params, new RMSprop.Options().lr(0.01).alpha(0.99).centered(true));
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    /** {@code group["alpha"]}: smoothing constant. */
    public static final Option<Double> ALPHA = Option.doubleOption("alpha");
    /** {@code group["eps"]}: added to the denominator. */
    public static final Option<Double> EPS = Option.doubleOption("eps");
    /** {@code group["momentum"]}: momentum factor. */
    public static final Option<Double> MOMENTUM = Option.doubleOption("momentum");
    /** {@code group["centered"]}: normalize by the estimated variance of the gradient. */
    public static final Option<Boolean> CENTERED = Option.boolOption("centered");

    /** Options; defaults lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=false. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put(LR, 1e-2).put(ALPHA, 0.99).put(EPS, 1e-8).put(WEIGHT_DECAY, 0.0).put(MOMENTUM, 0.0)
                    .put(CENTERED, false).put(MAXIMIZE, false);
        }
        public Options alpha(double a) {
            if (!(a >= 0)) throw new IllegalArgumentException("Invalid alpha value: " + a);
            return put(ALPHA, a);
        }
        public Options eps(double eps) { checkEps(eps); return put(EPS, eps); }
        public Options momentum(double m) {
            if (!(m >= 0)) throw new IllegalArgumentException("Invalid momentum value: " + m);
            return put(MOMENTUM, m);
        }
        public Options centered(boolean c) { return put(CENTERED, c); }
    }

    public RMSprop(Iterable<Tensor> params, double lr) { this(single(params), new Options().lr(lr)); }

    public RMSprop(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public RMSprop(List<ParamGroup> groups, Options options) { super(groups, options); }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), alpha = g.get(ALPHA), eps = g.get(EPS), wd = g.get(WEIGHT_DECAY);
        double momentum = g.get(MOMENTUM);
        boolean centered = g.get(CENTERED);
        for (Tensor p : g.params()) {
            if (p.gradNoWarn() == null) continue;
            Tensor grad = gradOf(p, g);
            Map<String, Object> st = state(p);
            incrementStep(st);
            Tensor squareAvg = buffer(st, "square_avg", p);
            if (momentum > 0) buffer(st, "momentum_buffer", p);
            if (centered) buffer(st, "grad_avg", p);
            if (wd != 0) grad = grad.add(p, wd);
            squareAvg.mul_(alpha).add_(grad.mul(grad), 1 - alpha);
            Tensor avg;
            if (centered) {
                Tensor gradAvg = (Tensor) st.get("grad_avg");
                lerp_(gradAvg, grad, 1 - alpha);
                avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt();
            } else {
                avg = squareAvg.sqrt();
            }
            avg = avg.add_(eps);
            if (momentum > 0) {
                Tensor buf = (Tensor) st.get("momentum_buffer");
                buf.mul_(momentum).add_(grad.div(avg));
                p.add_(buf, -lr);
            } else {
                p.add_(grad.div(avg), -lr);
            }
        }
    }
}
