package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.GELU(approximate='none')} as a module. */
public class GELU extends Module {
    public final String approximate;

    public GELU() { this("none"); }

    public GELU(String approximate) {
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) { return F.gelu(input, approximate); }

    @Override
    protected String extraRepr() { return "approximate='" + approximate + "'"; }
}
