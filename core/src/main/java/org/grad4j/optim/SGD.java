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
    /** SGD options; defaults lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=false, maximize=false. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put("lr", 1e-3).put("momentum", 0.0).put("dampening", 0.0).put("weight_decay", 0.0)
                    .put("nesterov", false).put("maximize", false);
        }
        public Options momentum(double m) {
            if (!(m >= 0)) throw new IllegalArgumentException("Invalid momentum value: " + m);
            return put("momentum", m);
        }
        public Options dampening(double d) { return put("dampening", d); }
        public Options nesterov(boolean n) { return put("nesterov", n); }
    }

    public SGD(Iterable<Tensor> params, double lr) { this(single(params), new Options().lr(lr)); }

    public SGD(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public SGD(List<ParamGroup> groups, Options options) {
        super(groups, options);
        for (ParamGroup g : paramGroups) {
            if (g.getBool("nesterov") && (g.getDouble("momentum") <= 0 || g.getDouble("dampening") != 0)) {
                throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
            }
        }
    }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), momentum = g.getDouble("momentum"), dampening = g.getDouble("dampening");
        double wd = g.getDouble("weight_decay");
        boolean nesterov = g.getBool("nesterov");
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
