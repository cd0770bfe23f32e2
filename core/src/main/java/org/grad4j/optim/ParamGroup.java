package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of parameters with its own options, like one dict of PyTorch's {@code param_groups}.
 * Options not set here take the optimizer's defaults when the group is added.
 *
 * <pre>{@code
 * var opt = new SGD(List.of(
 *         new ParamGroup(base.parameters()),
 *         new ParamGroup(head.parameters()).set("lr", 1e-3)),
 *     new SGD.Options().lr(1e-2).momentum(0.9));
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    public ParamGroup(Iterable<Tensor> params) {
        this.params = new ArrayList<>();
        for (Tensor p : params) this.params.add(p);
    }

    /** The parameters (a live list). */
    public List<Tensor> params() { return params; }

    /** This group's options by PyTorch name ({@code "lr"}, {@code "momentum"}, {@code "betas"}...), a live map. */
    public Map<String, Object> options() { return options; }

    /** Sets an option; returns this. Integers become doubles and lists of numbers double[] (e.g. betas). */
    public ParamGroup set(String name, Object value) {
        if (value instanceof Integer i) value = i.doubleValue();
        if (value instanceof List<?> l && l.stream().allMatch(o -> o instanceof Number)) {
            value = l.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
        }
        options.put(name, value);
        return this;
    }

    public boolean has(String name) { return options.containsKey(name); }

    public Object get(String name) {
        Object v = options.get(name);
        if (v == null && !options.containsKey(name)) {
            throw new IllegalArgumentException("parameter group has no option '" + name + "' (options: " + options.keySet() + ")");
        }
        return v;
    }

    public double getDouble(String name) { return ((Number) get(name)).doubleValue(); }

    public boolean getBool(String name) { return (Boolean) get(name); }

    /** A two-element option such as {@code betas}. */
    public double[] getPair(String name) { return (double[]) get(name); }

    /** The learning rate ({@code group["lr"]}). */
    public double lr() { return getDouble("lr"); }

    public void setLr(double lr) { options.put("lr", lr); }
}
