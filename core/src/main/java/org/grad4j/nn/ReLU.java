package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.ReLU()} as a module. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.relu(input); }
}
