package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.AdaptiveMaxPool2d(output_size, return_indices=False)}. */
public class AdaptiveMaxPool2d extends Module {
    public final int[] outputSize;

    public AdaptiveMaxPool2d(int size) { this.outputSize = new int[]{size}; }

    public AdaptiveMaxPool2d(int h, int w) { this.outputSize = new int[]{h, w}; }

    @Override
    public Tensor forward(Tensor input) { return F.adaptiveMaxPool2d(input, outputSize[0], outputSize[outputSize.length - 1]); }

    @Override
    protected String extraRepr() { return "output_size=" + MaxPool2d.v(outputSize); }
}
