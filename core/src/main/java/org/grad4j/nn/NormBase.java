package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;

/**
 * What batch and instance normalisation share (PyTorch's {@code _NormBase}): the affine parameters
 * weight (ones) and bias (zeros), the buffers running_mean (zeros), running_var (ones) and
 * num_batches_tracked (int64 0), registered as None when off so the state dict keys are PyTorch's,
 * and the printout {@code 16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True}.
 */
abstract class NormBase extends Module {
    public final int numFeatures;
    public final double eps;
    public final boolean affine, trackRunningStats;

    NormBase(int numFeatures, double eps, boolean affine, boolean trackRunningStats) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", affine ? Grad4j.ones(numFeatures) : null);
        registerParameter("bias", affine ? Grad4j.zeros(numFeatures) : null);
        registerBuffer("running_mean", trackRunningStats ? Grad4j.zeros(numFeatures) : null);
        registerBuffer("running_var", trackRunningStats ? Grad4j.ones(numFeatures) : null);
        registerBuffer("num_batches_tracked", trackRunningStats ? Grad4j.tensor(0L) : null);
    }

    /** The momentum shown by the printout; null prints as None (cumulative moving average). */
    abstract Double momentumValue();

    public Tensor weight() { return getParameter("weight"); }

    public Tensor bias() { return getParameter("bias"); }

    public Tensor runningMean() { return getBuffer("running_mean"); }

    public Tensor runningVar() { return getBuffer("running_var"); }

    public Tensor numBatchesTracked() { return getBuffer("num_batches_tracked"); }

    /** Resets running_mean to 0, running_var to 1 and num_batches_tracked to 0. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        runningMean().zero_();
        runningVar().fill_(1.0);
        numBatchesTracked().zero_();
    }

    @Override
    protected String extraRepr() {
        Double m = momentumValue();
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + (m == null ? "None" : pyFloat(m))
                + ", affine=" + pyBool(affine) + ", track_running_stats=" + pyBool(trackRunningStats);
    }
}
