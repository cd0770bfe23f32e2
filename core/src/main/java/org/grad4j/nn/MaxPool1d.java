package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)}. */
public class MaxPool1d extends Module {
    public final int kernelSize, stride, padding, dilation;
    public final boolean ceilMode;

    public MaxPool1d(int kernelSize) { this(kernelSize, kernelSize, 0, 1, false); }

    public MaxPool1d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernelSize = kernelSize;
        this.stride = stride <= 0 ? kernelSize : stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) { return F.maxPool1d(input, kernelSize, stride, padding, dilation, ceilMode); }

    public Tensor[] forwardWithIndices(Tensor input) {
        return F.maxPool1dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceil_mode=" + pyBool(ceilMode);
    }
}
