package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

/**
 * Cosine annealing with warm restarts (SGDR, {@code CosineAnnealingWarmRestarts}): the first
 * cycle lasts {@code t0} epochs, each next one {@code tMult} times longer.
 * {@link #step(double)} accepts fractional epochs ({@code epoch + i / iters}) as PyTorch does.
 *
 * <pre>{@code var s = new CosineAnnealingWarmRestarts(opt, 10, 2, 1e-5);}</pre>
 */
public final class CosineAnnealingWarmRestarts extends LRScheduler {
    private final int t0, tMult;
    private final double etaMin;
    private double tI, tCur;

    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        super(optimizer, -1);
        if (t0 <= 0) throw new IllegalArgumentException("Expected positive integer T_0, but got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("Expected integer T_mult >= 1, but got " + tMult);
        this.t0 = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tI = t0;
        this.tCur = lastEpoch;
        initialStep();
    }

    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) { this(optimizer, t0, 1, 0.0); }

    @Override
    protected double[] getLr() {
        double[] out = new double[baseLrs.length];
        for (int i = 0; i < out.length; i++) out[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
        return out;
    }

    @Override
    public void step() {
        stepCount++;
        if (lastEpoch < 0) {
            lastEpoch = 0;
            tCur = 0;
        } else {
            lastEpoch++;
            tCur = tCur + 1;
            if (tCur >= tI) {
                tCur = tCur - tI;
                tI = tI * tMult;
            }
        }
        apply(getLr());
    }

    @Override
    public void step(int epoch) { step((double) epoch); }

    @Override
    public java.util.Map<String, Object> stateDict() {
        var m = super.stateDict();
        m.put("T_i", tI);
        m.put("T_cur", tCur);
        return m;
    }

    @Override
    protected void loadExtra(java.util.Map<String, Object> state) {
        double ti = org.grad4j.optim.StateValues.number(state.get("T_i"), where("T_i"));
        double cur = org.grad4j.optim.StateValues.number(state.get("T_cur"), where("T_cur"));
        if (!(ti > 0)) throw new IllegalArgumentException(where("T_i") + " must be positive, got " + ti + ". Fix: correct the value");
        tI = ti;
        tCur = cur;
    }

    /** Jumps to a (possibly fractional) epoch. */
    public void step(double epoch) {
        if (epoch < 0) throw new IllegalArgumentException("Expected non-negative epoch, but got " + epoch);
        stepCount++;
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                tCur = epoch - t0 * (Math.pow(tMult, n) - 1) / (tMult - 1);
                tI = t0 * Math.pow(tMult, n);
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        lastEpoch = (int) Math.floor(epoch);
        apply(getLr());
    }
}
