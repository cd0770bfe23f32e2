package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * Shared instance normalisation (PyTorch's _InstanceNorm): per-sample, per-channel statistics;
 * affine and track_running_stats are off by default.
 */
public abstract class InstanceNorm extends NormBase {
    public final double momentum;

    InstanceNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, affine, trackRunningStats);
        this.momentum = momentum;
    }

    @Override
    Double momentumValue() { return momentum; }

    abstract int spatialDims();

    @Override
    public Tensor forward(Tensor input) {
        int want = spatialDims() + 2;
        boolean unbatched = input.dim() == want - 1;
        if (input.dim() != want && !unbatched) {
            throw new IllegalArgumentException(getName() + ": expected " + (want - 1) + "D or " + want + "D input (got " + input.dim() + "D input)");
        }
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor rm = runningMean(), rv = runningVar();
        Tensor y = F.instanceNorm(x, rm, rv, weight(), bias(), training || !trackRunningStats, momentum, eps);
        return unbatched ? y.squeeze(0) : y;
    }
}
