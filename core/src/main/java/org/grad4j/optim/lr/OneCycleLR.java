package org.grad4j.optim.lr;

import org.grad4j.optim.Option;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.ParamGroup;

import java.util.List;

/**
 * The 1cycle policy ({@code OneCycleLR}): the rate rises from {@code maxLr / divFactor} to
 * {@code maxLr} over {@code pctStart} of the steps, then anneals to
 * {@code initial_lr / finalDivFactor} (cosine or linear); momentum (or Adam's beta1) cycles the
 * other way. With {@code threePhase} the rate first returns to the initial rate, then anneals.
 * Step it after every batch.
 *
 * <pre>{@code
 * var sched = new OneCycleLR(opt, new OneCycleLR.Options(0.1).totalSteps(1000));
 * }</pre>
 */
public final class OneCycleLR extends LRScheduler {
    /** Options; defaults pct_start=0.3, anneal_strategy=cos, cycle_momentum=true, base_momentum=0.85, max_momentum=0.95, div_factor=25, final_div_factor=1e4, three_phase=false. */
    public static final class Options {
        final double maxLr;
        int totalSteps = -1, epochs = -1, stepsPerEpoch = -1;
        double pctStart = 0.3, baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4;
        String annealStrategy = "cos";
        boolean cycleMomentum = true, threePhase = false;

        public Options(double maxLr) { this.maxLr = maxLr; }
        public Options totalSteps(int n) { totalSteps = n; return this; }
        public Options epochs(int e, int stepsPerEpoch) { epochs = e; this.stepsPerEpoch = stepsPerEpoch; return this; }
        public Options pctStart(double p) {
            if (p < 0 || p > 1) throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + p);
            pctStart = p;
            return this;
        }
        public Options annealStrategy(String s) {
            if (!s.equals("cos") && !s.equals("linear")) {
                throw new IllegalArgumentException("anneal_strategy must be one of 'cos' or 'linear', instead got " + s);
            }
            annealStrategy = s;
            return this;
        }
        public Options cycleMomentum(boolean c) { cycleMomentum = c; return this; }
        public Options baseMomentum(double m) { baseMomentum = m; return this; }
        public Options maxMomentum(double m) { maxMomentum = m; return this; }
        public Options divFactor(double d) { divFactor = d; return this; }
        public Options finalDivFactor(double d) { finalDivFactor = d; return this; }
        public Options threePhase(boolean t) { threePhase = t; return this; }
    }

    /** The group options OneCycleLR sets and reads, under PyTorch's names. */
    public static final Option<Double> MAX_LR = Option.doubleOption("max_lr"), MIN_LR = Option.doubleOption("min_lr"),
            MAX_MOMENTUM = Option.doubleOption("max_momentum"), BASE_MOMENTUM = Option.doubleOption("base_momentum");
    /** The optimizer options it cycles: SGD's/RMSprop's momentum, or beta1 of Adam-like optimizers. */
    private static final Option<Double> MOMENTUM = Option.doubleOption("momentum");
    private static final Option<double[]> BETAS = Option.pairOption("betas");

    private record Phase(double endStep, Option<Double> startLr, Option<Double> endLr, Option<Double> startMomentum,
                         Option<Double> endMomentum) {}

    private final Options o;
    private final int totalSteps;
    private final List<Phase> phases;
    private final boolean useBeta1;

    public OneCycleLR(Optimizer optimizer, Options options) {
        super(prepare(optimizer, options), -1);
        this.o = options;
        this.totalSteps = totalSteps(options);
        double t = totalSteps, p = options.pctStart;
        phases = options.threePhase
                ? List.of(new Phase(p * t - 1, INITIAL_LR, MAX_LR, MAX_MOMENTUM, BASE_MOMENTUM),
                        new Phase(2 * p * t - 2, MAX_LR, INITIAL_LR, BASE_MOMENTUM, MAX_MOMENTUM),
                        new Phase(t - 1, INITIAL_LR, MIN_LR, MAX_MOMENTUM, MAX_MOMENTUM))
                : List.of(new Phase(p * t - 1, INITIAL_LR, MAX_LR, MAX_MOMENTUM, BASE_MOMENTUM),
                        new Phase(t - 1, MAX_LR, MIN_LR, BASE_MOMENTUM, MAX_MOMENTUM));
        useBeta1 = optimizer.paramGroups().get(0).has("betas");
        if (options.cycleMomentum) {
            for (ParamGroup g : optimizer.paramGroups()) {
                if (!g.has("momentum") && !useBeta1) {
                    throw new IllegalArgumentException("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
                }
                if (useBeta1) g.set(BETAS, new double[]{options.maxMomentum, g.get(BETAS)[1]});
                else g.set(MOMENTUM, options.maxMomentum);
                g.set(MAX_MOMENTUM, options.maxMomentum);
                g.set(BASE_MOMENTUM, options.baseMomentum);
            }
        }
        initialStep();
    }

    private static int totalSteps(Options o) {
        if (o.totalSteps > 0) return o.totalSteps;
        if (o.epochs > 0 && o.stepsPerEpoch > 0) return o.epochs * o.stepsPerEpoch;
        throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch), all positive");
    }

    private static Optimizer prepare(Optimizer optimizer, Options o) {
        totalSteps(o);
        for (ParamGroup g : optimizer.paramGroups()) {
            double initial = o.maxLr / o.divFactor;
            g.set(INITIAL_LR, initial);
            g.set(MAX_LR, o.maxLr);
            g.set(MIN_LR, initial / o.finalDivFactor);
        }
        return optimizer;
    }

    private double anneal(double start, double end, double pct) {
        if (o.annealStrategy.equals("cos")) return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
        return (end - start) * pct + start;
    }

    @Override
    protected double[] getLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("Tried to step " + stepNum + " times. The specified number of total steps is "
                    + totalSteps);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            double start = 0, lr = 0, momentum = 0;
            for (int i = 0; i < phases.size(); i++) {
                Phase ph = phases.get(i);
                if (stepNum <= ph.endStep() || i == phases.size() - 1) {
                    double pct = (stepNum - start) / (ph.endStep() - start);
                    lr = anneal(g.get(ph.startLr()), g.get(ph.endLr()), pct);
                    if (o.cycleMomentum) momentum = anneal(g.get(ph.startMomentum()), g.get(ph.endMomentum()), pct);
                    break;
                }
                start = ph.endStep();
            }
            out[gi] = lr;
            if (o.cycleMomentum) {
                if (useBeta1) g.set(BETAS, new double[]{momentum, g.get(BETAS)[1]});
                else g.set(MOMENTUM, momentum);
            }
        }
        return out;
    }
}
