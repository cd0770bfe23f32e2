package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;
import org.grad4j.optim.ParamGroup;
import org.grad4j.optim.StateValues;

import java.util.List;

/**
 * Reduces the rate by {@code factor} when a metric has stopped improving for {@code patience}
 * epochs ({@code ReduceLROnPlateau}), with PyTorch's mode, threshold, threshold_mode, cooldown,
 * min_lr and eps. Call {@link #step(double)} with the metric.
 *
 * <pre>{@code
 * var sched = new ReduceLROnPlateau(opt, new ReduceLROnPlateau.Options().patience(5));
 * sched.step(validationLoss);
 * }</pre>
 */
public final class ReduceLROnPlateau extends LRScheduler {
    /** Options; defaults mode=min, factor=0.1, patience=10, threshold=1e-4, threshold_mode=rel, cooldown=0, min_lr=0, eps=1e-8. */
    public static final class Options {
        String mode = "min", thresholdMode = "rel";
        double factor = 0.1, threshold = 1e-4, eps = 1e-8;
        int patience = 10, cooldown = 0;
        double[] minLrs;
        double minLr = 0;

        public Options mode(String m) {
            if (!m.equals("min") && !m.equals("max")) throw new IllegalArgumentException("mode " + m + " is unknown!");
            mode = m;
            return this;
        }
        public Options factor(double f) {
            if (f >= 1.0) throw new IllegalArgumentException("Factor should be < 1.0.");
            factor = f;
            return this;
        }
        public Options patience(int p) { patience = p; return this; }
        public Options threshold(double t) { threshold = t; return this; }
        public Options thresholdMode(String m) {
            if (!m.equals("rel") && !m.equals("abs")) throw new IllegalArgumentException("threshold mode " + m + " is unknown!");
            thresholdMode = m;
            return this;
        }
        public Options cooldown(int c) { cooldown = c; return this; }
        public Options minLr(double m) { minLr = m; minLrs = null; return this; }
        /** One minimum per parameter group. */
        public Options minLr(double... perGroup) { minLrs = perGroup.clone(); return this; }
        public Options eps(double e) { eps = e; return this; }
    }

    private final Options o;
    private final double[] minLrs;
    private double best;
    private int numBadEpochs, cooldownCounter;

    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        super(optimizer, -1);
        this.o = options;
        int n = optimizer.paramGroups().size();
        if (options.minLrs != null && options.minLrs.length != n) {
            throw new IllegalArgumentException("expected " + n + " min_lrs, got " + options.minLrs.length);
        }
        minLrs = options.minLrs != null ? options.minLrs.clone() : java.util.Collections.nCopies(n, options.minLr)
                .stream().mapToDouble(Double::doubleValue).toArray();
        lastEpoch = 0;
        lastLr = groupLrs();
        reset();
    }

    public ReduceLROnPlateau(Optimizer optimizer) { this(optimizer, new Options()); }

    private void reset() {
        best = o.mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    @Override
    protected double[] getLr() { return groupLrs(); }

    @Override
    public void step() {
        throw new UnsupportedOperationException("ReduceLROnPlateau needs the metric: call step(metric)");
    }

    /** Same as {@link #step(double)}: an int argument is a metric here, never an epoch. */
    @Override
    public void step(int metric) { step((double) metric); }

    /** Records one epoch's metric (e.g. validation loss) and reduces the rate if it plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > o.patience) {
            reduceLr();
            cooldownCounter = o.cooldown;
            numBadEpochs = 0;
        }
        lastLr = groupLrs();
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double old = groups.get(i).lr();
            double nu = Math.max(old * o.factor, minLrs[i]);
            if (old - nu > o.eps) groups.get(i).setLr(nu);
        }
    }

    private boolean isBetter(double a, double best) {
        boolean min = o.mode.equals("min"), rel = o.thresholdMode.equals("rel");
        if (min && rel) return a < best * (1 - o.threshold);
        if (min) return a < best - o.threshold;
        if (rel) return a > best * (o.threshold + 1);
        return a > best + o.threshold;
    }

    @Override
    public java.util.Map<String, Object> stateDict() {
        var m = super.stateDict();
        m.put("best", best);
        m.put("num_bad_epochs", numBadEpochs);
        m.put("cooldown_counter", cooldownCounter);
        return m;
    }

    @Override
    protected void loadExtra(java.util.Map<String, Object> state) {
        // JSON has no infinities: checkpoints store them as strings ("Infinity"; older files "inf")
        double b = StateValues.number(state.get("best"), where("best"));
        int bad = StateValues.integer(state.get("num_bad_epochs"), where("num_bad_epochs"));
        int cooldown = StateValues.integer(state.get("cooldown_counter"), where("cooldown_counter"));
        best = b;
        numBadEpochs = bad;
        cooldownCounter = cooldown;
    }

    /** The best metric seen so far. */
    public double best() { return best; }

    public int numBadEpochs() { return numBadEpochs; }
}
