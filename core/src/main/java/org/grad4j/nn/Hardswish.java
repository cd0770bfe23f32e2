package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Hardswish()} as a module. */
public class Hardswish extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.hardswish(input); }
}
