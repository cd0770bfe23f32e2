package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.SELU()} as a module. */
public class SELU extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.selu(input); }
}
