package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * Shared batch normalisation (PyTorch's _BatchNorm): affine weight (ones) and bias (zeros),
 * buffers running_mean (zeros), running_var (ones) and num_batches_tracked (int64 0). In training
 * it normalises with the batch statistics and updates the running ones (unbiased variance,
 * {@code momentum}, or a cumulative average when momentum is null); in eval mode it uses them.
 */
public abstract class BatchNorm extends Module {
    public final int numFeatures;
    public final double eps;
    public final Double momentum;
    public final boolean affine, trackRunningStats;

    BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
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
        } else {
            registerBuffer("running_mean", null);
            registerBuffer("running_var", null);
            registerBuffer("num_batches_tracked", null);
        }
    }

    /** Checks the input rank (BatchNorm1d: 2 or 3 dims, BatchNorm2d: 4, BatchNorm3d: 5). */
    abstract void checkInputDim(Tensor input);

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
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        double factor = momentum == null ? 0.0 : momentum;
        if (training && trackRunningStats) {
            Tensor nbt = numBatchesTracked();
            nbt.fill_(nbt.itemLong() + 1);
            factor = momentum == null ? 1.0 / nbt.itemLong() : momentum;
        }
        boolean useBatchStats = training || !trackRunningStats;
        Tensor rm = !training || trackRunningStats ? runningMean() : null;
        Tensor rv = !training || trackRunningStats ? runningVar() : null;
        return F.batchNorm(input, rm, rv, weight(), bias(), useBatchStats, factor, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : pyFloat(momentum))
                + ", affine=" + pyBool(affine) + ", track_running_stats=" + pyBool(trackRunningStats);
    }

    static void check(Tensor input, String name, int... ranks) {
        for (int r : ranks) if (input.dim() == r) return;
        String want = ranks.length == 1 ? ranks[0] + "D" : ranks[0] + "D or " + ranks[1] + "D";
        throw new IllegalArgumentException(name + ": expected " + want + " input (got " + input.dim() + "D input)");
    }

}
