package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.AdaptiveAvgPool2d(output_size)}; a size of 0 or less keeps the input's size (None). */
public class AdaptiveAvgPool2d extends Module {
    public final int[] outputSize;

    public AdaptiveAvgPool2d(int size) { this.outputSize = new int[]{size}; }

    public AdaptiveAvgPool2d(int h, int w) { this.outputSize = new int[]{h, w}; }

    @Override
    public Tensor forward(Tensor input) {
        return F.adaptiveAvgPool2d(input, outputSize[0], outputSize[outputSize.length - 1]);
    }

    @Override
    protected String extraRepr() { return "output_size=" + MaxPool2d.v(outputSize); }
}
