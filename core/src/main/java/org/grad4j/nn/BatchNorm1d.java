package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)} over
 * inputs [N, C] or [N, C, L].
 *
 * <pre>{@code
 * BatchNorm1d bn = new BatchNorm1d(16);
 * bn.eval();                          // use running_mean / running_var
 * }</pre>
 */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    /** momentum null: cumulative moving average. */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    void checkInputDim(Tensor input) { check(input, "BatchNorm1d", 2, 3); }
}
