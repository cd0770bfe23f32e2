package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.init.Init;

/** Shared single-step recurrent cell: weight_ih [G*H, in], weight_hh [G*H, H], bias_ih, bias_hh, all U(-1/sqrt(H), 1/sqrt(H)). */
public abstract class RNNCellBase extends Module {
    public final int inputSize, hiddenSize;
    public final boolean bias;

    RNNCellBase(int gates, int inputSize, int hiddenSize, boolean bias) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        registerParameter("weight_ih", Grad4j.empty(gates * hiddenSize, inputSize));
        registerParameter("weight_hh", Grad4j.empty(gates * hiddenSize, hiddenSize));
        registerParameter("bias_ih", bias ? Grad4j.empty(gates * hiddenSize) : null);
        registerParameter("bias_hh", bias ? Grad4j.empty(gates * hiddenSize) : null);
        double k = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform_(p, -k, k);
    }

    /** Input [N, in] or [in]; a null state means zeros. */
    Tensor state(Tensor input, Tensor s) {
        if (s != null) return s;
        int[] sh = input.dim() == 1 ? new int[]{hiddenSize} : new int[]{input.size(0), hiddenSize};
        return Grad4j.zeros(sh, input.dtype(), input.device());
    }

    Tensor xw(Tensor input) { return org.grad4j.nn.functional.F.linear(input, getParameter("weight_ih"), getParameter("bias_ih")); }

    Tensor hw(Tensor h) { return org.grad4j.nn.functional.F.linear(h, getParameter("weight_hh"), getParameter("bias_hh")); }

    @Override
    protected String extraRepr() { return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False"); }
}
