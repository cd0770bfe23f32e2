package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.LogSigmoid()} as a module. */
public class LogSigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.logsigmoid(input); }
}
