package org.grad4j.kernels;

/** The CPU implementation of every kernel family. */
final class CpuBackend implements Backend {
    static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override
    public String deviceType() { return "cpu"; }
}
