package org.grad4j.nn;

import org.grad4j.Tensor;

/** {@code nn.LSTMCell(input_size, hidden_size, bias=True)}: one step; returns {h', c'}. Gates i, f, g, o. */
public class LSTMCell extends RNNCellBase {
    public LSTMCell(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, true); }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) { super(4, inputSize, hiddenSize, bias); }

    /** The new hidden state only. */
    @Override
    public Tensor forward(Tensor input) { return step(input, null, null)[0]; }

    /** {h', c'} from the input and the state (nulls mean zeros). */
    public Tensor[] step(Tensor input, Tensor h, Tensor c) {
        int hs = hiddenSize;
        Tensor g = xw(input).add(hw(state(input, h)));
        Tensor i = g.narrow(-1, 0, hs).sigmoid(), f = g.narrow(-1, hs, hs).sigmoid();
        Tensor gg = g.narrow(-1, 2 * hs, hs).tanh(), o = g.narrow(-1, 3 * hs, hs).sigmoid();
        Tensor c2 = f.mul(state(input, c)).add(i.mul(gg));
        return new Tensor[]{o.mul(c2.tanh()), c2};
    }
}
