package org.grad4j.optim;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Adagrad, exactly as {@code torch.optim.Adagrad}: {@code clr = lr / (1 + (step - 1) * lr_decay)},
 * {@code sum += g^2}, {@code p -= clr * g / (sqrt(sum) + eps)}.
 *
 * <pre>{@code
 * var opt = new Adagrad(params, new Adagrad.Options().lr(0.01).lrDecay(1e-4));
 * }</pre>
 */
public final class Adagrad extends Optimizer {
    /** {@code group["lr_decay"]}: learning rate decay per step. */
    public static final Option<Double> LR_DECAY = Option.doubleOption("lr_decay");
    /** {@code group["initial_accumulator_value"]}: start value of the sum of squared gradients. */
    public static final Option<Double> INITIAL_ACCUMULATOR_VALUE = Option.doubleOption("initial_accumulator_value");
    /** {@code group["eps"]}: added to the denominator. */
    public static final Option<Double> EPS = Option.doubleOption("eps");

    /** Options; defaults lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put(LR, 1e-2).put(LR_DECAY, 0.0).put(WEIGHT_DECAY, 0.0).put(INITIAL_ACCUMULATOR_VALUE, 0.0)
                    .put(EPS, 1e-10).put(MAXIMIZE, false);
        }
        public Options lrDecay(double d) {
            if (!(d >= 0)) throw new IllegalArgumentException("Invalid lr_decay value: " + d);
            return put(LR_DECAY, d);
        }
        public Options initialAccumulatorValue(double v) {
            if (!(v >= 0)) throw new IllegalArgumentException("Invalid initial_accumulator_value value: " + v);
            return put(INITIAL_ACCUMULATOR_VALUE, v);
        }
        public Options eps(double eps) { checkEps(eps); return put(EPS, eps); }
    }

    public Adagrad(Iterable<Tensor> params, double lr) { this(single(params), new Options().lr(lr)); }

    public Adagrad(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public Adagrad(List<ParamGroup> groups, Options options) {
        super(groups, options);
        // PyTorch creates the state eagerly in the constructor
        for (ParamGroup g : paramGroups) {
            for (Tensor p : g.params()) {
                Map<String, Object> st = state(p);
                st.put("step", Grad4j.scalarTensor(0, org.grad4j.storage.DType.FLOAT32));
                st.put("sum", Grad4j.fullLike(p, g.get(INITIAL_ACCUMULATOR_VALUE)));
            }
        }
    }

    @Override
    protected void updateGroup(ParamGroup g) {
        double lr = g.lr(), lrDecay = g.get(LR_DECAY), wd = g.get(WEIGHT_DECAY), eps = g.get(EPS);
        for (Tensor p : g.params()) {
            if (p.gradNoWarn() == null) continue;
            Tensor grad = gradOf(p, g);
            Map<String, Object> st = state(p);
            double step = incrementStep(st);
            if (wd != 0) grad = grad.add(p, wd);
            double clr = lr / (1 + (step - 1) * lrDecay);
            Tensor sum = (Tensor) st.get("sum");
            sum.add_(grad.mul(grad));
            Tensor std = sum.sqrt().add_(eps);
            p.add_(grad.div(std), -clr);
        }
    }
}
