package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)}. */
public class AvgPool1d extends Module {
    public final int kernelSize, stride, padding;
    public final boolean ceilMode, countIncludePad;

    public AvgPool1d(int kernelSize) { this(kernelSize, kernelSize, 0, false, true); }

    public AvgPool1d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernelSize = kernelSize;
        this.stride = stride <= 0 ? kernelSize : stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) { return F.avgPool1d(input, kernelSize, stride, padding, ceilMode, countIncludePad); }

    @Override
    protected String extraRepr() { return "kernel_size=" + tuple(kernelSize) + ", stride=" + tuple(stride) + ", padding=" + tuple(padding); }
}
