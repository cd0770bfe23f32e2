package org.grad4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Default options of an optimizer by PyTorch name; each optimizer's {@code Options} subclass adds
 * typed setters with PyTorch's defaults.
 */
public abstract class Options<SELF extends Options<SELF>> {
    final Map<String, Object> values = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    protected SELF put(String name, Object value) {
        values.put(name, value);
        return (SELF) this;
    }

    /** The options as a map (a copy). */
    public Map<String, Object> asMap() { return new LinkedHashMap<>(values); }

    public SELF lr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
        return put("lr", lr);
    }

    public SELF weightDecay(double wd) {
        if (!(wd >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + wd);
        return put("weight_decay", wd);
    }

    public SELF maximize(boolean m) { return put("maximize", m); }

    protected static void checkBetas(double b1, double b2) {
        if (!(b1 >= 0 && b1 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + b1);
        if (!(b2 >= 0 && b2 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + b2);
    }

    protected static void checkEps(double eps) {
        if (!(eps >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + eps);
    }
}
