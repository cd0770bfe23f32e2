package org.grad4j.bench;

import org.grad4j.nn.Module;

/**
 * The bench's models for callers outside this package (the GPU bench): the peer's MLP and LeNet-5.
 *
 * <pre>{@code
 * Module net = BenchModels.lenet().to(Device.cuda(0));
 * }</pre>
 */
public final class BenchModels {
    private BenchModels() {}

    /** 784-256-128-10 with ReLU. */
    public static Module mlp() { return Grad4jSide.mlpNet(); }

    /** conv(1-6, 5, pad 2)-relu-pool-conv(6-16, 5)-relu-pool-400-120-84-10. */
    public static Module lenet() { return Grad4jSide.lenetNet(); }
}
