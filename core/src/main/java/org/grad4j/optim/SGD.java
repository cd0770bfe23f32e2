package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and
 * maximize, exactly as {@code torch.optim.SGD}: the momentum buffer starts as a copy of the
 * first gradient.
 *
 * <pre>{@code
 * var opt = new SGD(params, new SGD.Options().lr(0.01).momentum(0.9));
 * }</pre>
 */
public final class SGD extends Optimizer {
    /** {@code group["momentum"]}. */
    public static final Option<Double> MOMENTUM = Option.doubleOption("momentum");
    /** {@code group["dampening"]}: damps the gradient added to the momentum buffer. */
    public static final Option<Double> DAMPENING = Option.doubleOption("dampening");
    /** {@code group["nesterov"]}: Nesterov momentum. */
    public static final Option<Boolean> NESTEROV = Option.boolOption("nesterov");

    /** SGD options; defaults lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=false, maximize=false. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put(LR, 1e-3).put(MOMENTUM, 0.0).put(DAMPENING, 0.0).put(WEIGHT_DECAY, 0.0)
                    .put(NESTEROV, false).put(MAXIMIZE, false);
        }
        public Options momentum(double m) {
            if (!(m >= 0)) throw new IllegalArgumentException("Invalid momentum value: " + m);
            return put(MOMENTUM, m);
        }
        public Options dampening(double d) { return put(DAMPENING, d); }
        public Options nesterov(boolean n) { return put(NESTEROV, n); }
    }

    public SGD(Iterable<Tensor> params, double lr) { this(single(params), new Options().lr(lr)); }

    public SGD(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public SGD(List<ParamGroup> groups, Options options) {
        super(groups, options);
        for (ParamGroup g : paramGroups) {
            if (g.get(NESTEROV) && (g.get(MOMENTUM) <= 0 || g.get(DAMPENING) != 0)) {
                throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
            }
        }
    }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), momentum = g.get(MOMENTUM), dampening = g.get(DAMPENING);
        double wd = g.get(WEIGHT_DECAY);
        boolean nesterov = g.get(NESTEROV);
        for (Tensor p : g.params()) {
            if (p.gradNoWarn() == null) continue;
            Tensor d = gradOf(p, g);
            if (wd != 0) d = d.add(p, wd);
            if (momentum != 0) {
                Map<String, Object> st = state(p);
                Tensor buf = (Tensor) st.get("momentum_buffer");
                if (buf == null) {
                    buf = d.detach().clone();
                    st.put("momentum_buffer", buf);
                } else {
                    buf.mul_(momentum).add_(d, 1 - dampening);
                }
                d = nesterov ? d.add(buf, momentum) : buf;
            }
            p.add_(d, -lr);
        }
    }
}
