package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of parameters with its own options, like one dict of PyTorch's {@code param_groups}.
 * Options not set here take the optimizer's defaults when the group is added. Options are kept
 * under PyTorch's names and read typed through an {@link Option} key ({@code g.get(Adam.BETAS)});
 * once the group belongs to an optimizer, a value of the wrong type for one of its options is
 * refused when set, naming the optimizer, the option and the type.
 *
 * <pre>{@code
 * var opt = new SGD(List.of(
 *         new ParamGroup(base.parameters()),
 *         new ParamGroup(head.parameters()).set("lr", 1e-3)),
 *     new SGD.Options().lr(1e-2).momentum(0.9));
 * double momentum = opt.paramGroups().get(1).get(SGD.MOMENTUM);   // 0.9
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();
    /** Set when an optimizer adds the group: its name, the group's index, its typed options and defaults. */
    private String owner;
    private int index;
    private Map<String, Option<?>> keys = Map.of();
    private Map<String, Object> defaults = Map.of();

    public ParamGroup(Iterable<Tensor> params) {
        this.params = new ArrayList<>();
        for (Tensor p : params) this.params.add(p);
    }

    /** The parameters (a live list). */
    public List<Tensor> params() { return params; }

    /**
     * This group's options by PyTorch name ({@code "lr"}, {@code "momentum"}, {@code "betas"}...), a live map
     * as {@code group} is in PyTorch. Values put here directly are checked when read ({@link #get(Option)}).
     */
    public Map<String, Object> options() { return options; }

    /**
     * Sets an option by PyTorch name; returns this. Integers become doubles and lists of numbers double[]
     * (e.g. betas). A value of the wrong type for an option of the group's optimizer is refused.
     */
    public ParamGroup set(String name, Object value) {
        value = Option.normalize(value);
        Option<?> key = keys.get(name);
        if (key != null && !key.accepts(value)) throw wrongType(key, value);
        options.put(name, value);
        return this;
    }

    /** Sets a typed option: {@code g.set(Adam.BETAS, new double[]{0.8, 0.99})}. */
    public <T> ParamGroup set(Option<T> option, T value) {
        Object v = Option.normalize(value);
        if (!option.accepts(v)) throw wrongType(option, v);
        options.put(option.name(), v);
        return this;
    }

    public boolean has(String name) { return options.containsKey(name); }

    /** The option's value as stored ({@code group["name"]}). */
    public Object get(String name) {
        Object v = options.get(name);
        if (v == null && !options.containsKey(name)) throw missing(name);
        return v;
    }

    /** The option's value, typed: {@code double eps = g.get(Adam.EPS)}. */
    public <T> T get(Option<T> option) {
        Object v = options.get(option.name());
        if (!option.accepts(v)) {
            if (v == null && !options.containsKey(option.name())) throw missing(option.name());
            throw wrongType(option, v);
        }
        return option.cast(v);
    }

    /** The learning rate ({@code group["lr"]}). */
    public double lr() { return get(Optimizer.LR); }

    public void setLr(double lr) { options.put("lr", lr); }

    /** Called by the optimizer that adds this group: checks the options already set against its typed options. */
    void attach(String owner, int index, Map<String, Option<?>> keys, Map<String, Object> defaults) {
        for (var e : options.entrySet()) {
            Option<?> key = keys.get(e.getKey());
            if (key != null && !key.accepts(e.getValue())) {
                this.owner = owner;
                this.index = index;
                this.defaults = defaults;
                throw wrongType(key, e.getValue());
            }
        }
        this.owner = owner;
        this.index = index;
        this.keys = keys;
        this.defaults = defaults;
    }

    private IllegalArgumentException missing(String name) {
        return new IllegalArgumentException((owner == null ? "" : owner + ": ") + "parameter group " + (owner == null ? "" : index + " ")
                + "has no option '" + name + "' (options: " + options.keySet() + ")");
    }

    private IllegalArgumentException wrongType(Option<?> key, Object v) {
        String who = owner == null ? "ParamGroup" : owner;
        String group = owner == null ? "a parameter group" : "parameter group " + index;
        return new IllegalArgumentException(who + ": option \"" + key.name() + "\" of " + group + " must be " + key.expected()
                + ", got " + StateValues.describe(v) + ". Fix: g.set(\"" + key.name() + "\", " + key.example(defaults.get(key.name())) + ")");
    }
}
