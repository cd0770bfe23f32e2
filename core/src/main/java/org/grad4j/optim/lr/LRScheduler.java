package org.grad4j.optim.lr;

import org.grad4j.optim.Option;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.ParamGroup;
import org.grad4j.optim.StateValues;

import java.util.List;

/**
 * Base of learning-rate schedulers, like {@code torch.optim.lr_scheduler.LRScheduler}: each
 * {@link #step()} advances {@code last_epoch} and writes the new rate into every parameter
 * group's {@code "lr"}. Rates follow PyTorch's recursive {@code get_lr} (each step from the group's
 * current lr), so schedulers chain as in PyTorch. Construction performs the initial step
 * (epoch 0) and records {@code "initial_lr"} in each group.
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 * }</pre>
 */
public abstract class LRScheduler {
    /** {@code group["initial_lr"]}: the lr a scheduler starts from, set in each group by the first scheduler. */
    public static final Option<Double> INITIAL_LR = Option.doubleOption("initial_lr");

    protected final Optimizer optimizer;
    protected int lastEpoch;
    protected int stepCount;
    protected final double[] baseLrs;
    protected double[] lastLr;

    protected LRScheduler(Optimizer optimizer, int lastEpoch) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            if (lastEpoch == -1) {
                if (!g.has("initial_lr")) g.set(INITIAL_LR, g.lr());
            } else if (!g.has("initial_lr")) {
                throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[" + i
                        + "] when resuming an optimizer (lastEpoch=" + lastEpoch + ")");
            }
            baseLrs[i] = g.get(INITIAL_LR);
        }
        this.lastEpoch = lastEpoch;
    }

    /** Subclasses call this at the end of their constructor: PyTorch's {@code _initial_step}. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** The rates for {@code lastEpoch} computed from the groups' current rates (PyTorch's get_lr). */
    protected abstract double[] getLr();

    /** The closed-form rates at {@code lastEpoch}, or null when the scheduler has none. */
    protected double[] closedFormLr() { return null; }

    /** Advances one epoch (or one batch, for per-iteration schedules) and updates the groups' lr. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(getLr());
    }

    /**
     * Jumps to {@code epoch} (PyTorch's deprecated {@code step(epoch)}): uses the closed form when
     * there is one. {@link SequentialLR} uses it to restart a scheduler at 0.
     */
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        double[] closed = closedFormLr();
        apply(closed != null ? closed : getLr());
    }

    protected final void apply(double[] values) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(values[i]);
        lastLr = values.clone();
    }

    /** The rates the last step set, one per group ({@code get_last_lr()}). */
    public double[] getLastLr() { return lastLr.clone(); }

    public int lastEpoch() { return lastEpoch; }

    public Optimizer optimizer() { return optimizer; }

    double[] groupLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) out[i] = groups.get(i).lr();
        return out;
    }

    void setLastEpoch(int e) { lastEpoch = e; }

    /**
     * The scheduler's progress ({@code state_dict()}): {@code last_epoch}, {@code _step_count},
     * {@code base_lrs}, {@code _last_lr}, plus what a subclass keeps. Values are numbers and
     * double arrays, so {@link org.grad4j.io.Checkpoints} can store them.
     */
    public java.util.Map<String, Object> stateDict() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("last_epoch", lastEpoch);
        m.put("_step_count", stepCount);
        m.put("base_lrs", baseLrs.clone());
        m.put("_last_lr", lastLr == null ? null : lastLr.clone());
        // the driven schedulers' states, as PyTorch's _schedulers: without them a resume restarts them
        if (!drivenSchedulers().isEmpty()) m.put("_schedulers", innerStates(drivenSchedulers()));
        return m;
    }

    /**
     * Restores {@link #stateDict()}; the optimizer's rates are restored by its own state dict.
     * Every value is checked first: a missing, null or mistyped entry fails here naming it, and
     * nothing changes.
     */
    public void loadStateDict(java.util.Map<String, Object> state) {
        String who = getClass().getSimpleName() + ".loadStateDict";
        if (state == null) throw new IllegalArgumentException(who + ": the state dict is null. Fix: pass what stateDict() returned");
        int epoch = StateValues.integer(state.get("last_epoch"), where("last_epoch"));
        int steps = StateValues.integer(state.get("_step_count"), where("_step_count"));
        double[] base = StateValues.numbers(state.get("base_lrs"), baseLrs.length, where("base_lrs"));
        Object last = state.get("_last_lr");
        double[] lastLrs = last == null ? null : StateValues.numbers(last, baseLrs.length, where("_last_lr"));
        if (!drivenSchedulers().isEmpty()) loadInnerStates(drivenSchedulers(), state.get("_schedulers"));
        loadExtra(state);
        lastEpoch = epoch;
        stepCount = steps;
        System.arraycopy(base, 0, baseLrs, 0, base.length);
        lastLr = lastLrs;
    }

    /**
     * A subclass's own entries: read and check them all, then assign (called by
     * {@link #loadStateDict} before the common entries are assigned).
     */
    protected void loadExtra(java.util.Map<String, Object> state) { }

    /** The schedulers this one drives (SequentialLR, ChainedScheduler); their states travel as {@code _schedulers}. */
    List<LRScheduler> drivenSchedulers() { return List.of(); }

    /** The state dicts of the driven schedulers (PyTorch's {@code _schedulers}). */
    private static List<java.util.Map<String, Object>> innerStates(List<LRScheduler> schedulers) {
        List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
        for (LRScheduler s : schedulers) out.add(s.stateDict());
        return out;
    }

    /** Loads {@code _schedulers} into the driven schedulers, after checking that each entry is a state dict. */
    @SuppressWarnings("unchecked")
    private void loadInnerStates(List<LRScheduler> schedulers, Object v) {
        String expected = "a list of " + schedulers.size() + " scheduler state dicts";
        if (!(v instanceof List<?> l) || l.size() != schedulers.size()) {
            throw new IllegalArgumentException(where("_schedulers") + " must be " + expected + ", got " + StateValues.describe(v)
                    + ". Fix: load a state dict saved by the same scheduler");
        }
        for (Object o : l) {
            if (!(o instanceof java.util.Map<?, ?>)) {
                throw new IllegalArgumentException(where("_schedulers") + " must be " + expected + ", got an entry that is "
                        + StateValues.describe(o) + ". Fix: load a state dict saved by the same scheduler");
            }
        }
        for (int i = 0; i < l.size(); i++) schedulers.get(i).loadStateDict((java.util.Map<String, Object>) l.get(i));
    }

    /** How loadStateDict names an entry in messages. */
    protected final String where(String key) {
        return getClass().getSimpleName() + ".loadStateDict: \"" + key + "\"";
    }
}
