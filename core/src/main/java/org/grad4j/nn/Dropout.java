package org.grad4j.nn;

import org.grad4j.Generator;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.Dropout(p=0.5)}: in training zeroes elements with probability p and scales the rest
 * by 1/(1-p); identity in eval mode. Masks come from the default generator, or from one passed to
 * the constructor for reproducible runs.
 */
public class Dropout extends Module {
    public final double p;
    protected final Generator generator;

    public Dropout() { this(0.5); }

    public Dropout(double p) { this(p, null); }

    public Dropout(double p, Generator generator) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        this.p = p;
        this.generator = generator;
    }

    @Override
    public Tensor forward(Tensor input) { return F.dropout(input, p, training, generator); }

    @Override
    protected String extraRepr() { return "p=" + pyFloat(p) + ", inplace=False"; }
}
