package org.grad4j.optim;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Base of all optimizers, like {@code torch.optim.Optimizer}: parameter groups with their own
 * options, per-parameter state, {@link #zeroGrad()}, {@link #step()} and state dicts. Updates run
 * under no_grad and change the parameters' values in place.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), new SGD.Options().lr(0.01).momentum(0.9));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public abstract class Optimizer {
    /** {@code group["lr"]}, every optimizer's learning rate. */
    public static final Option<Double> LR = Option.doubleOption("lr");
    /** {@code group["weight_decay"]}. */
    public static final Option<Double> WEIGHT_DECAY = Option.doubleOption("weight_decay");
    /** {@code group["maximize"]}: ascend instead of descend. */
    public static final Option<Boolean> MAXIMIZE = Option.boolOption("maximize");

    protected final Map<String, Object> defaults;
    /** The typed keys of this optimizer's options, by PyTorch name. */
    private final Map<String, Option<?>> optionKeys;
    protected final List<ParamGroup> paramGroups = new ArrayList<>();
    /** Per-parameter state, keyed by identity (PyTorch keys by the tensor object). */
    protected final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();

    protected Optimizer(List<ParamGroup> groups, Options<?> defaults) {
        this.defaults = defaults.asMap();
        this.optionKeys = java.util.Collections.unmodifiableMap(defaults.keys());
        if (groups.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** Wraps a plain parameter list into one group. */
    protected static List<ParamGroup> single(Iterable<Tensor> params) {
        if (!params.iterator().hasNext()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list. Fix: pass model.parameters() after the model's "
                    + "layers exist (fields holding modules and Parameter.of tensors are registered; plain tensors are not)");
        }
        return List.of(new ParamGroup(params));
    }

    /** Adds a group; options it lacks take this optimizer's defaults (PyTorch's add_param_group). */
    public void addParamGroup(ParamGroup group) {
        for (var e : defaults.entrySet()) {
            if (!group.has(e.getKey())) group.set(e.getKey(), e.getValue() instanceof double[] d ? d.clone() : e.getValue());
        }
        var seen = java.util.Collections.newSetFromMap(new IdentityHashMap<Tensor, Boolean>());
        for (ParamGroup g : paramGroups) seen.addAll(g.params());
        for (Tensor p : group.params()) {
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor (shape "
                    + java.util.Arrays.toString(p.shape()) + "). Fix: pass leaf parameters (x.detach().requiresGrad_())");
            if (!seen.add(p)) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
        }
        group.attach(getClass().getSimpleName(), paramGroups.size(), optionKeys, defaults);
        paramGroups.add(group);
    }

    /** The groups (a live list, as {@code optimizer.param_groups}). */
    public List<ParamGroup> paramGroups() { return paramGroups; }

    /** The state of one parameter (empty before its first step). */
    public Map<String, Object> state(Tensor param) {
        return state.computeIfAbsent(param, k -> new LinkedHashMap<>());
    }

    /** {@code zero_grad()}: sets every gradient to null (PyTorch 2.x default set_to_none=True). */
    public void zeroGrad() { zeroGrad(true); }

    /** {@code zero_grad(set_to_none)}: null the gradients, or zero them in place. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : paramGroups) {
            for (Tensor p : g.params()) {
                Tensor gr = p.gradNoWarn();
                if (gr == null) continue;
                if (setToNone) {
                    p.setGrad(null);
                } else {
                    try (var s = Autograd.noGrad()) {
                        p.setGrad(gr.gradFn() != null ? gr.detach() : gr);
                        p.gradNoWarn().zero_();
                    }
                }
            }
        }
    }

    /** Performs one update of every parameter that has a gradient. */
    public void step() {
        try (var s = Autograd.noGrad()) {
            for (ParamGroup g : paramGroups) updateGroup(g);
        }
        org.grad4j.autograd.LeakGuard.step();   // a no-op unless the leak guard is enabled
    }

    /**
     * Re-evaluates the loss with {@code closure} (run with grad enabled), then steps; returns the
     * loss, like {@code optimizer.step(closure)}.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var s = Autograd.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** A zero buffer shaped like the parameter, created on first use. */
    protected static Tensor buffer(Map<String, Object> st, String name, Tensor p) {
        return (Tensor) st.computeIfAbsent(name, k -> org.grad4j.Grad4j.zerosLike(p));
    }

    /** {@code t.lerp_(end, w)} as PyTorch computes it for w < 0.5: t + w * (end - t). */
    protected static void lerp_(Tensor t, Tensor end, double w) {
        if (w < 0.5) t.add_(end.sub(t), w);
        else t.copy_(end.sub(end.sub(t).mul(1 - w)));
    }

    /** Updates the parameters of one group (called under no_grad). */
    protected abstract void updateGroup(ParamGroup group);

    /** The gradient, negated when {@code maximize} is set. */
    protected static Tensor gradOf(Tensor p, ParamGroup g) {
        Tensor grad = p.gradNoWarn();
        return g.has("maximize") && g.get(MAXIMIZE) ? grad.neg() : grad;
    }

    /** Increments the step counter (a float32 scalar tensor, as in PyTorch; created at 0) and returns it. */
    protected static double incrementStep(Map<String, Object> st) {
        Tensor step = (Tensor) st.computeIfAbsent("step", k -> org.grad4j.Grad4j.scalarTensor(0, org.grad4j.storage.DType.FLOAT32));
        step.add_(1.0);
        return step.item();
    }

    // ------------------------------------------------------------------ state dicts

    /** {@code state_dict()}: state by parameter index and the groups' options (tensors are not copied). */
    public OptimizerStateDict stateDict() {
        Map<Integer, Map<String, Object>> packed = new LinkedHashMap<>();
        List<Map<String, Object>> groups = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : paramGroups) {
            Map<String, Object> opts = new LinkedHashMap<>();
            for (var e : g.options().entrySet()) opts.put(e.getKey(), copyValue(e.getValue()));
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Map<String, Object> st = state.get(p);
                if (st != null && !st.isEmpty()) packed.put(index, new LinkedHashMap<>(st));
                ids.add(index++);
            }
            opts.put("params", ids);
            groups.add(opts);
        }
        return new OptimizerStateDict(packed, groups);
    }

    /**
     * {@code load_state_dict()}: group sizes must match; options are replaced; floating state
     * tensors (except {@code step}) are cast to their parameter's dtype, all are copied. Every
     * value is checked before anything changes: an option of the wrong type or out of range
     * ({@code "lr": "fast"}, null, betas of length 3, a negative eps) or a state entry that is
     * null, not a tensor, or of another shape than its parameter fails here, naming the entry.
     */
    public void loadStateDict(OptimizerStateDict sd) {
        String who = getClass().getSimpleName() + ".loadStateDict";
        if (sd == null || sd.state() == null || sd.paramGroups() == null) {
            throw new IllegalArgumentException(who + ": the state dict, its state or its param_groups is null. Fix: pass what "
                    + "stateDict() returned");
        }
        if (sd.paramGroups().size() != paramGroups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups ("
                    + sd.paramGroups().size() + " vs " + paramGroups.size() + ")");
        }
        List<Tensor> all = new ArrayList<>();
        for (int i = 0; i < paramGroups.size(); i++) {
            Map<String, Object> loaded = sd.paramGroups().get(i);
            Object ids = loaded == null ? null : loaded.get("params");
            int n = ids instanceof List<?> l ? l.size() : -1;
            if (n != paramGroups.get(i).params().size()) {
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the "
                        + "size of optimizer's group " + i + " (" + n + " vs " + paramGroups.get(i).params().size() + ")");
            }
            all.addAll(paramGroups.get(i).params());
        }
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int i = 0; i < paramGroups.size(); i++) {
            ParamGroup g = paramGroups.get(i);
            Map<String, Object> opts = new LinkedHashMap<>(g.options());
            for (var e : sd.paramGroups().get(i).entrySet()) {
                String name = e.getKey();
                if (name.equals("params")) continue;
                String where = who + ": option \"" + name + "\" of parameter group " + i;
                Object v = g.options().get(name) != null || !g.has(name)
                        ? StateValues.like(g.options().get(name), e.getValue(), where)
                        : StateValues.like(defaults.get(name), e.getValue(), where);
                checkOption(name, v, where);
                opts.put(name, v);
            }
            newOptions.add(opts);
        }
        Map<Tensor, Map<String, Object>> newState = new IdentityHashMap<>();
        for (var e : sd.state().entrySet()) {
            Integer idx = e.getKey();
            if (idx == null || idx < 0 || idx >= all.size()) throw new IllegalArgumentException("loaded state refers to parameter index "
                    + idx + " but the optimizer has " + all.size() + " parameters");
            if (e.getValue() == null) throw new IllegalArgumentException(who + ": the state of parameter " + idx + " is null. Fix: "
                    + "leave the parameter out of the state (no state yet) or give its state map");
            Tensor p = all.get(idx);
            Map<String, Object> st = new LinkedHashMap<>();
            for (var se : e.getValue().entrySet()) {
                String where = who + ": state \"" + se.getKey() + "\" of parameter " + idx;
                Object v = checkState(p, se.getKey(), se.getValue(), where);
                if (v instanceof Tensor t) {
                    Tensor c = t.detach().clone();
                    // as torch.optim: state follows its parameter's dtype (floating) and device; "step" stays on the CPU
                    if (!se.getKey().equals("step")) c = c.to(p.device(), t.isFloatingPoint() ? p.dtype() : c.dtype());
                    v = c;
                } else if (v instanceof List<?> list) {
                    List<Object> copy = new ArrayList<>();
                    for (Object o : list) copy.add(o instanceof Tensor t ? t.detach().clone() : o instanceof double[] d ? d.clone() : o);
                    v = copy;
                } else if (v instanceof double[] d) {
                    v = d.clone();
                }
                st.put(se.getKey(), v);
            }
            checkStateEntries(st, who + ": state of parameter " + idx);
            newState.put(p, st);
        }
        for (int i = 0; i < paramGroups.size(); i++) {
            paramGroups.get(i).options().clear();
            paramGroups.get(i).options().putAll(newOptions.get(i));
        }
        state.clear();
        state.putAll(newState);
    }

    /** Checks that one parameter's loaded state entries agree with each other (none to check by default). */
    protected void checkStateEntries(Map<String, Object> st, String where) { }

    /** Tensor state of the built-in optimizers, which must be tensors shaped like the parameter (step: a scalar). */
    private static final java.util.Set<String> TENSOR_STATE = java.util.Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq",
            "momentum_buffer", "sum", "square_avg", "acc_delta", "grad_avg", "exp_inf", "mu_product");

    /**
     * Checks a loaded option value (already of the right type), with the constructor's messages;
     * an optimizer with other options overrides this and calls super.
     */
    protected void checkOption(String name, Object v, String where) {
        if (v instanceof double[] betas && name.equals("betas")) {
            for (int k = 0; k < betas.length; k++) {
                if (!(betas[k] >= 0 && betas[k] < 1)) throw invalid(where, "Invalid beta parameter at index " + k + ": " + betas[k]);
            }
        }
        if (!(v instanceof Double d)) return;
        String bad = switch (name) {
            case "lr" -> d >= 0 ? null : "Invalid learning rate: ";
            case "weight_decay" -> d >= 0 ? null : "Invalid weight_decay value: ";
            case "eps" -> d >= 0 ? null : "Invalid epsilon value: ";
            case "momentum" -> d >= 0 ? null : "Invalid momentum value: ";
            case "alpha" -> d >= 0 ? null : "Invalid alpha value: ";
            case "lr_decay" -> d >= 0 ? null : "Invalid lr_decay value: ";
            case "initial_accumulator_value" -> d >= 0 ? null : "Invalid initial_accumulator_value value: ";
            case "momentum_decay" -> d >= 0 ? null : "Invalid momentum_decay value: ";
            case "rho" -> d >= 0 && d <= 1 ? null : "Invalid rho value: ";
            default -> null;
        };
        if (bad != null) throw invalid(where, bad + d);
    }

    protected static IllegalArgumentException invalid(String where, String what) {
        return new IllegalArgumentException(where + ": " + what + ". Fix: correct the value in the checkpoint");
    }

    /**
     * Checks one loaded state entry of parameter {@code p} and returns it (converted where PyTorch
     * converts: a numeric {@code step} becomes a float32 scalar tensor); an optimizer with other
     * state overrides this.
     */
    protected Object checkState(Tensor p, String key, Object v, String where) {
        if (v == null) throw StateValues.wrong(where, TENSOR_STATE.contains(key) ? "a tensor" : "a value", null);
        if (!TENSOR_STATE.contains(key)) return v;
        if (key.equals("step") && v instanceof Number n) return org.grad4j.Grad4j.scalarTensor(n.doubleValue(), org.grad4j.storage.DType.FLOAT32);
        if (!(v instanceof Tensor t)) throw StateValues.wrong(where, "a tensor", v);
        boolean scalar = key.equals("step") || key.equals("mu_product");
        if (scalar ? t.numel() != 1 : !java.util.Arrays.equals(t.shape(), p.shape())) {
            throw new IllegalArgumentException(where + " has shape " + java.util.Arrays.toString(t.shape()) + " but "
                    + (scalar ? "must be a scalar" : "its parameter has shape " + java.util.Arrays.toString(p.shape()))
                    + ". Fix: load the state dict into an optimizer over the same parameters, in the same order");
        }
        return v;
    }

    private static Object copyValue(Object v) { return v instanceof double[] d ? d.clone() : v; }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < paramGroups.size(); i++) {
            sb.append("\nParameter Group ").append(i);
            for (var e : paramGroups.get(i).options().entrySet()) {
                Object v = e.getValue();
                sb.append("\n    ").append(e.getKey()).append(": ")
                        .append(v instanceof double[] d ? "(" + d[0] + ", " + d[1] + ")" : v);
            }
        }
        return sb.append("\n)").toString();
    }
}
