package org.grad4j.nn;

import org.grad4j.Tensor;

/** {@code nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh')}: one step h' = tanh(W_ih x + b_ih + W_hh h + b_hh). */
public class RNNCell extends RNNCellBase {
    public final String nonlinearity;

    public RNNCell(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, true, "tanh"); }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        super(1, inputSize, hiddenSize, bias);
        if (!nonlinearity.equals("tanh") && !nonlinearity.equals("relu")) {
            throw new IllegalArgumentException("Unknown nonlinearity: " + nonlinearity);
        }
        this.nonlinearity = nonlinearity;
    }

    @Override
    public Tensor forward(Tensor input) { return forward(input, null); }

    public Tensor forward(Tensor input, Tensor h) {
        Tensor pre = xw(input).add(hw(state(input, h)));
        return nonlinearity.equals("tanh") ? pre.tanh() : pre.relu();
    }

    @Override
    protected String extraRepr() { return super.extraRepr() + (nonlinearity.equals("tanh") ? "" : ", nonlinearity=relu"); }
}
