package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Tanh()} as a module. */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) { return input.tanh(); }
}
