package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.AdaptiveAvgPool1d(output_size)}. */
public class AdaptiveAvgPool1d extends Module {
    public final int outputSize;

    public AdaptiveAvgPool1d(int size) { this.outputSize = size; }

    @Override
    public Tensor forward(Tensor input) { return F.adaptiveAvgPool1d(input, outputSize); }

    @Override
    protected String extraRepr() { return "output_size=" + outputSize; }
}
