package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)}. */
public class MaxPool2d extends Module {
    public final int[] kernelSize, stride, padding, dilation;
    public final boolean ceilMode;

    public MaxPool2d(int kernelSize) { this(kernelSize, kernelSize, 0); }

    public MaxPool2d(int kernelSize, int stride) { this(kernelSize, stride, 0); }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[]{kernelSize}, new int[]{stride}, new int[]{padding}, new int[]{1}, false);
    }

    /** stride null means kernel_size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) { return F.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode); }

    /** The forward with {@code return_indices=True}: {values, indices}. */
    public Tensor[] forwardWithIndices(Tensor input) {
        return F.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    static String v(int[] a) { return a.length == 1 ? Integer.toString(a[0]) : tuple(a); }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + v(kernelSize) + ", stride=" + v(stride) + ", padding=" + v(padding) + ", dilation=" + v(dilation)
                + ", ceil_mode=" + pyBool(ceilMode);
    }
}
