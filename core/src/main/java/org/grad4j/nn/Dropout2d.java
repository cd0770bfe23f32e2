package org.grad4j.nn;

import org.grad4j.Generator;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Dropout2d(p=0.5)}: zeroes whole channels. */
public class Dropout2d extends Dropout {
    public Dropout2d() { this(0.5); }

    public Dropout2d(double p) { super(p, null); }

    public Dropout2d(double p, Generator generator) { super(p, generator); }

    @Override
    public Tensor forward(Tensor input) { return F.dropout2d(input, p, training, generator); }
}
