package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * Shared instance normalisation (PyTorch's _InstanceNorm): per-sample, per-channel statistics;
 * affine and track_running_stats are off by default.
 */
public abstract class InstanceNorm extends Module {
    public final int numFeatures;
    public final double eps, momentum;
    public final boolean affine, trackRunningStats;

    InstanceNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", affine ? Grad4j.ones(numFeatures) : null);
        registerParameter("bias", affine ? Grad4j.zeros(numFeatures) : null);
        if (trackRunningStats) {
            registerBuffer("running_mean", Grad4j.zeros(numFeatures));
            registerBuffer("running_var", Grad4j.ones(numFeatures));
            registerBuffer("num_batches_tracked", Grad4j.tensor(0L));
        }
    }

    abstract int spatialDims();

    @Override
    public Tensor forward(Tensor input) {
        int want = spatialDims() + 2;
        boolean unbatched = input.dim() == want - 1;
        if (input.dim() != want && !unbatched) {
            throw new IllegalArgumentException(getName() + ": expected " + (want - 1) + "D or " + want + "D input (got " + input.dim() + "D input)");
        }
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor rm = trackRunningStats ? getBuffer("running_mean") : null, rv = trackRunningStats ? getBuffer("running_var") : null;
        Tensor y = F.instanceNorm(x, rm, rv, getParameter("weight"), getParameter("bias"), training || !trackRunningStats, momentum, eps);
        return unbatched ? y.squeeze(0) : y;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + pyFloat(momentum) + ", affine=" + pyBool(affine)
                + ", track_running_stats=" + pyBool(trackRunningStats);
    }
}
