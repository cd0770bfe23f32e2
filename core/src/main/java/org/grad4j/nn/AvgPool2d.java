package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)}. */
public class AvgPool2d extends Module {
    public final int[] kernelSize, stride, padding;
    public final boolean ceilMode, countIncludePad;
    public final Integer divisorOverride;

    public AvgPool2d(int kernelSize) { this(kernelSize, kernelSize, 0); }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[]{kernelSize}, new int[]{stride}, new int[]{padding}, false, true, null);
    }

    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, Integer divisorOverride) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + MaxPool2d.v(kernelSize) + ", stride=" + MaxPool2d.v(stride) + ", padding=" + MaxPool2d.v(padding);
    }
}
