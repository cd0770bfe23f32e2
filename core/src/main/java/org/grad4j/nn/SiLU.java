package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.SiLU()} as a module. */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.silu(input); }
}
