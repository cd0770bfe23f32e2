package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
 * bidirectional=False)}. Gates r, z, n: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
 * h' = (1 - z) * n + z * h.
 */
public class GRU extends RNNBase {
    public GRU(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, 1, true, false, 0.0, false); }

    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super(3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    @Override
    Tensor[] cell(Tensor xw, Tensor h, Tensor c, Tensor whh, Tensor bhh) {
        int hs = hiddenSize;
        Tensor hw = affine(h, whh, bhh);
        Tensor r = xw.narrow(-1, 0, hs).add(hw.narrow(-1, 0, hs)).sigmoid();
        Tensor z = xw.narrow(-1, hs, hs).add(hw.narrow(-1, hs, hs)).sigmoid();
        Tensor nn = xw.narrow(-1, 2 * hs, hs).add(r.mul(hw.narrow(-1, 2 * hs, hs))).tanh();
        return new Tensor[]{z.rsub(1.0).mul(nn).add(z.mul(h)), null};
    }
}
