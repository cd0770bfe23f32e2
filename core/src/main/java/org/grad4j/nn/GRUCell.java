package org.grad4j.nn;

import org.grad4j.Tensor;

/** {@code nn.GRUCell(input_size, hidden_size, bias=True)}: one step with gates r, z, n. */
public class GRUCell extends RNNCellBase {
    public GRUCell(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, true); }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) { super(3, inputSize, hiddenSize, bias); }

    @Override
    public Tensor forward(Tensor input) { return forward(input, null); }

    public Tensor forward(Tensor input, Tensor h) {
        int hs = hiddenSize;
        Tensor h0 = state(input, h);
        Tensor x = xw(input), hw = hw(h0);
        Tensor r = x.narrow(-1, 0, hs).add(hw.narrow(-1, 0, hs)).sigmoid();
        Tensor z = x.narrow(-1, hs, hs).add(hw.narrow(-1, hs, hs)).sigmoid();
        Tensor n = x.narrow(-1, 2 * hs, hs).add(r.mul(hw.narrow(-1, 2 * hs, hs))).tanh();
        return z.rsub(1.0).mul(n).add(z.mul(h0));
    }
}
