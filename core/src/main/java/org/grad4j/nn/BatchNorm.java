package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * Shared batch normalisation (PyTorch's _BatchNorm): affine weight (ones) and bias (zeros),
 * buffers running_mean (zeros), running_var (ones) and num_batches_tracked (int64 0). In training
 * it normalises with the batch statistics and updates the running ones (unbiased variance,
 * {@code momentum}, or a cumulative average when momentum is null); in eval mode it uses them.
 */
public abstract class BatchNorm extends NormBase {
    /** Null: a cumulative moving average. */
    public final Double momentum;

    BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, affine, trackRunningStats);
        this.momentum = momentum;
    }

    /** Checks the input rank (BatchNorm1d: 2 or 3 dims, BatchNorm2d: 4, BatchNorm3d: 5). */
    abstract void checkInputDim(Tensor input);

    @Override
    Double momentumValue() { return momentum; }

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

    static void check(Tensor input, String name, int... ranks) {
        for (int r : ranks) if (input.dim() == r) return;
        String want = ranks.length == 1 ? ranks[0] + "D" : ranks[0] + "D or " + ranks[1] + "D";
        throw new IllegalArgumentException(name + ": expected " + want + " input (got " + input.dim() + "D input)");
    }
}
