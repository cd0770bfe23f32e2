package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.LeakyReLU(negative_slope=0.01)} as a module. */
public class LeakyReLU extends Module {
    public final double negativeSlope;

    public LeakyReLU() { this(0.01); }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) { return F.leakyRelu(input, negativeSlope); }

    @Override
    protected String extraRepr() { return "negative_slope=" + pyFloat(negativeSlope); }
}
