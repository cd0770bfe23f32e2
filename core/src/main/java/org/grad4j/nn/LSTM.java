package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
 * bidirectional=False)}. Gates in PyTorch's order i, f, g, o:
 * c' = f * c + i * g, h' = o * tanh(c').
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(8, 16, 2, true, true, 0.0, false);       // 2 layers, batch_first
 * RNNBase.Output out = lstm.run(x, null, null);                 // zero initial states
 * Tensor last = out.h().select(0, -1);                          // top layer's final hidden state
 * }</pre>
 */
public class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, 1, true, false, 0.0, false); }

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super(4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    @Override
    boolean hasCell() { return true; }

    @Override
    Tensor[] cell(Tensor xw, Tensor h, Tensor c, Tensor whh, Tensor bhh) {
        int hs = hiddenSize;
        Tensor g = xw.add(affine(h, whh, bhh));
        Tensor i = g.narrow(-1, 0, hs).sigmoid(), f = g.narrow(-1, hs, hs).sigmoid();
        Tensor gg = g.narrow(-1, 2 * hs, hs).tanh(), o = g.narrow(-1, 3 * hs, hs).sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(gg));
        return new Tensor[]{o.mul(c2.tanh()), c2};
    }
}
