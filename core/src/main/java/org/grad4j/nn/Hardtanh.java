package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Hardtanh(min_val=-1.0, max_val=1.0)} as a module. */
public class Hardtanh extends Module {
    public final double minVal;
    public final double maxVal;

    public Hardtanh() { this(-1.0, 1.0); }

    public Hardtanh(double minVal, double maxVal) {
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    @Override
    public Tensor forward(Tensor input) { return F.hardtanh(input, minVal, maxVal); }

    @Override
    protected String extraRepr() { return "min_val=" + pyFloat(minVal) + ", " + "max_val=" + pyFloat(maxVal); }
}
