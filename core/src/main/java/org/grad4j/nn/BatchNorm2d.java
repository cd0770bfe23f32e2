package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)} over
 * inputs [N, C, H, W].
 *
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(16);
 * bn.eval();                          // use running_mean / running_var
 * }</pre>
 */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    /** momentum null: cumulative moving average. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    void checkInputDim(Tensor input) { check(input, "BatchNorm2d", 4); }
}
