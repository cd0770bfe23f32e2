package org.grad4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Default options of an optimizer by PyTorch name; each optimizer's {@code Options} subclass adds
 * typed setters with PyTorch's defaults. Each option is declared with its typed key
 * ({@link Option}), which the optimizer's groups then use to refuse values of the wrong type.
 *
 * <pre>{@code
 * public static final Option<Double> GAMMA = Option.doubleOption("gamma");
 * public static final class Options extends org.grad4j.optim.Options<Options> {
 *     public Options() { put(LR, 0.1).put(GAMMA, 0.5); }
 *     public Options gamma(double g) { return put(GAMMA, g); }
 * }
 * }</pre>
 */
public abstract class Options<SELF extends Options<SELF>> {
    final Map<String, Object> values = new LinkedHashMap<>();
    final Map<String, Option<?>> keys = new LinkedHashMap<>();

    /** Sets a typed option (and declares its type for the optimizer's groups). */
    @SuppressWarnings("unchecked")
    protected <T> SELF put(Option<T> key, T value) {
        Object v = Option.normalize(value);
        if (!key.accepts(v)) {
            throw new IllegalArgumentException(getClass().getName() + ": option \"" + key.name() + "\" must be " + key.expected()
                    + ", got " + StateValues.describe(v) + ". Fix: pass " + key.example(values.get(key.name())));
        }
        keys.put(key.name(), key);
        values.put(key.name(), v);
        return (SELF) this;
    }

    /** Sets an option by name only (no declared type: its reads are still typed, by the key they use). */
    @SuppressWarnings("unchecked")
    protected SELF put(String name, Object value) {
        values.put(name, Option.normalize(value));
        return (SELF) this;
    }

    /** The options as a map (a copy). */
    public Map<String, Object> asMap() { return new LinkedHashMap<>(values); }

    /** The typed keys of the options, by name (a copy). */
    public Map<String, Option<?>> keys() { return new LinkedHashMap<>(keys); }

    public SELF lr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
        return put(Optimizer.LR, lr);
    }

    public SELF weightDecay(double wd) {
        if (!(wd >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + wd);
        return put(Optimizer.WEIGHT_DECAY, wd);
    }

    public SELF maximize(boolean m) { return put(Optimizer.MAXIMIZE, m); }

    protected static void checkBetas(double b1, double b2) {
        if (!(b1 >= 0 && b1 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + b1);
        if (!(b2 >= 0 && b2 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + b2);
    }

    protected static void checkEps(double eps) {
        if (!(eps >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + eps);
    }
}
