package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Softsign()} as a module. */
public class Softsign extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.softsign(input); }
}
