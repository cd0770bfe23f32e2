package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.BatchNorm3d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)} over
 * inputs [N, C, D, H, W].
 *
 * <pre>{@code
 * BatchNorm3d bn = new BatchNorm3d(16);
 * bn.eval();                          // use running_mean / running_var
 * }</pre>
 */
public class BatchNorm3d extends BatchNorm {
    public BatchNorm3d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    /** momentum null: cumulative moving average. */
    public BatchNorm3d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    void checkInputDim(Tensor input) { check(input, "BatchNorm3d", 5); }
}
