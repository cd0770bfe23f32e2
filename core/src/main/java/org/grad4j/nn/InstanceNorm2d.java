package org.grad4j.nn;

/** {@code nn.InstanceNorm2d(num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)}. */
public class InstanceNorm2d extends InstanceNorm {
    public InstanceNorm2d(int numFeatures) { this(numFeatures, 1e-5, 0.1, false, false); }

    public InstanceNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    int spatialDims() { return 2; }
}
