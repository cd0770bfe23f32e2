package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.Init;

import java.util.ArrayList;
import java.util.List;

/**
 * Shared multi-layer, optionally bidirectional recurrent network (PyTorch's RNNBase). Weights are
 * named as in PyTorch ({@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0},
 * {@code bias_hh_l0}, {@code ..._reverse} for the backward direction), gates stacked in PyTorch's
 * order (LSTM: i, f, g, o; GRU: r, z, n), all initialised from U(-1/sqrt(hidden), 1/sqrt(hidden)).
 * Input [L, N, in] ([N, L, in] with batchFirst, or unbatched [L, in]); states [layers*dirs, N, hidden].
 */
public abstract class RNNBase extends Module {
    public final int inputSize, hiddenSize, numLayers;
    public final boolean bias, batchFirst, bidirectional;
    public final double dropout;
    final int gates;

    /** The outputs: the last layer's features for every step, and the final hidden (and LSTM cell) states. */
    public record Output(Tensor output, Tensor h, Tensor c) {}

    RNNBase(int gates, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
            boolean bidirectional) {
        if (dropout < 0 || dropout > 1) {
            throw new IllegalArgumentException("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
        }
        if (hiddenSize <= 0) throw new IllegalArgumentException("hidden_size must be greater than zero");
        if (numLayers <= 0) throw new IllegalArgumentException("num_layers must be greater than zero");
        this.gates = gates;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int dirs = bidirectional ? 2 : 1;
        for (int l = 0; l < numLayers; l++) {
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                int in = l == 0 ? inputSize : hiddenSize * dirs;
                registerParameter("weight_ih" + sfx, Grad4j.empty(gates * hiddenSize, in));
                registerParameter("weight_hh" + sfx, Grad4j.empty(gates * hiddenSize, hiddenSize));
                if (bias) {
                    registerParameter("bias_ih" + sfx, Grad4j.empty(gates * hiddenSize));
                    registerParameter("bias_hh" + sfx, Grad4j.empty(gates * hiddenSize));
                }
            }
        }
        resetParameters();
    }

    public void resetParameters() {
        double k = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform_(p, -k, k);
    }

    /** One time step: new (h, c) from the input projection xw [N, G*H] (bias_ih included) and the state. */
    abstract Tensor[] cell(Tensor xw, Tensor h, Tensor c, Tensor whh, Tensor bhh);

    boolean hasCell() { return false; }

    /** Runs the network; h0 (and c0 for LSTM) may be null for zeros. */
    public Output run(Tensor input, Tensor h0, Tensor c0) {
        boolean unbatched = input.dim() == 2;
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException(getName() + ": Expected input to be 2D or 3D, got " + input.dim() + "D instead");
        }
        Tensor x = unbatched ? input.unsqueeze(1) : (batchFirst ? input.transpose(0, 1) : input);
        if (x.size(2) != inputSize) {
            throw new IllegalArgumentException("input.size(-1) must be equal to input_size. Expected " + inputSize + ", got " + x.size(2));
        }
        int len = x.size(0), n = x.size(1), dirs = bidirectional ? 2 : 1;
        if (unbatched) {
            if (h0 != null) h0 = h0.unsqueeze(1);
            if (c0 != null) c0 = c0.unsqueeze(1);
        }
        int[] stateShape = {numLayers * dirs, n, hiddenSize};
        checkState(h0, stateShape, "hidden");
        checkState(c0, stateShape, "cell");
        List<Tensor> hn = new ArrayList<>(), cn = new ArrayList<>();
        Tensor layerIn = x;
        for (int l = 0; l < numLayers; l++) {
            List<Tensor> dirOuts = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                Tensor wih = getParameter("weight_ih" + sfx), whh = getParameter("weight_hh" + sfx);
                Tensor bih = bias ? getParameter("bias_ih" + sfx) : null, bhh = bias ? getParameter("bias_hh" + sfx) : null;
                int idx = l * dirs + d;
                Tensor h = h0 != null ? h0.select(0, idx) : Grad4j.zeros(new int[]{n, hiddenSize}, x.dtype(), x.device());
                Tensor c = hasCell() ? (c0 != null ? c0.select(0, idx) : Grad4j.zeros(new int[]{n, hiddenSize}, x.dtype(), x.device())) : null;
                // [L, N, G*H] for all steps at once; unbind is one node, so backward stays linear in L
                java.util.List<Tensor> xw = F.linear(layerIn, wih, bih).unbind(0);
                Tensor[] outs = new Tensor[len];
                for (int s = 0; s < len; s++) {
                    int t = d == 0 ? s : len - 1 - s;
                    Tensor[] hc = cell(xw.get(t), h, c, whh, bhh);
                    h = hc[0];
                    c = hc[1];
                    outs[t] = h;
                }
                dirOuts.add(Grad4j.stack(outs, 0));
                hn.add(h);
                if (c != null) cn.add(c);
            }
            layerIn = dirs == 1 ? dirOuts.get(0) : Grad4j.cat(dirOuts, 2);
            if (dropout > 0 && training && l < numLayers - 1) layerIn = F.dropout(layerIn, dropout, true);
        }
        Tensor out = layerIn;
        Tensor h = Grad4j.stack(hn, 0), c = hasCell() ? Grad4j.stack(cn, 0) : null;
        if (unbatched) {
            out = out.squeeze(1);
            h = h.squeeze(1);
            if (c != null) c = c.squeeze(1);
        } else if (batchFirst) out = out.transpose(0, 1);
        return new Output(out, h, c);
    }

    private void checkState(Tensor s, int[] shape, String what) {
        if (s != null && !java.util.Arrays.equals(s.shape(), shape)) {
            throw new IllegalArgumentException("Expected " + what + " size " + java.util.Arrays.toString(shape) + ", got "
                    + java.util.Arrays.toString(s.shape()));
        }
    }

    public Output run(Tensor input) { return run(input, null, null); }

    /** The output sequence only; use {@link #run} for the final states too. */
    @Override
    public Tensor forward(Tensor input) { return run(input).output(); }

    static Tensor affine(Tensor h, Tensor w, Tensor b) { return F.linear(h, w, b); }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder(inputSize + ", " + hiddenSize);
        if (numLayers != 1) s.append(", num_layers=").append(numLayers);
        if (!bias) s.append(", bias=False");
        if (batchFirst) s.append(", batch_first=True");
        if (dropout != 0) s.append(", dropout=").append(pyFloat(dropout));
        if (bidirectional) s.append(", bidirectional=True");
        return s.toString();
    }
}
