package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Hardsigmoid()} as a module. */
public class Hardsigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.hardsigmoid(input); }
}
