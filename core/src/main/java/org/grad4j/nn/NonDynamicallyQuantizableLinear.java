package org.grad4j.nn;

/** The output projection of {@link MultiheadAttention}: a Linear under PyTorch's class name, so printouts match. */
public class NonDynamicallyQuantizableLinear extends Linear {
    public NonDynamicallyQuantizableLinear(int in, int out, boolean bias) { super(in, out, bias); }
}
