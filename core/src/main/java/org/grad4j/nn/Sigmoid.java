package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Sigmoid()} as a module. */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) { return input.sigmoid(); }
}
