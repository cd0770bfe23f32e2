package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False,
 * dropout=0.0, bidirectional=False)}: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh).
 *
 * <pre>{@code
 * RNN rnn = new RNN(10, 20, 2, "tanh", true, false, 0.0, false);
 * RNNBase.Output out = rnn.run(x, h0, null);      // out.output() [L, N, 20], out.h() [2, N, 20]
 * }</pre>
 */
public class RNN extends RNNBase {
    public final String nonlinearity;

    public RNN(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, 1, "tanh", true, false, 0.0, false); }

    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional) {
        super(1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
        if (!nonlinearity.equals("tanh") && !nonlinearity.equals("relu")) {
            throw new IllegalArgumentException("Unknown nonlinearity '" + nonlinearity + "'. Select from 'tanh' or 'relu'.");
        }
        this.nonlinearity = nonlinearity;
    }

    @Override
    Tensor[] cell(Tensor xw, Tensor h, Tensor c, Tensor whh, Tensor bhh) {
        Tensor pre = xw.add(affine(h, whh, bhh));
        return new Tensor[]{nonlinearity.equals("tanh") ? pre.tanh() : pre.relu(), null};
    }

    @Override
    protected String extraRepr() { return super.extraRepr() + (nonlinearity.equals("tanh") ? "" : ", nonlinearity='relu'"); }
}
