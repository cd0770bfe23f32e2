package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.init.Init;

import java.util.Arrays;

/** Shared parts of the convolution layers (PyTorch's _ConvNd): geometry, parameters, init and printout. */
public abstract class ConvNd extends Module {
    public final int inChannels, outChannels, groups;
    public final int[] kernelSize, stride, padding, dilation, outputPadding;
    /** "same" or "valid" when padding was given as a string, else null. */
    public final String paddingString;
    final boolean transposed;

    ConvNd(int nd, int in, int out, int[] kernel, int[] stride, int[] padding, String paddingString, int[] dilation,
           int groups, boolean bias, boolean transposed, int[] outputPadding) {
        String name = getName();
        if (groups <= 0) throw new IllegalArgumentException(name + ": groups must be a positive integer");
        if (in % groups != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (out % groups != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        if (paddingString != null && !paddingString.equals("same") && !paddingString.equals("valid")) {
            throw new IllegalArgumentException("Invalid padding string '" + paddingString + "', should be one of {'valid', 'same'}");
        }
        this.inChannels = in;
        this.outChannels = out;
        this.groups = groups;
        this.kernelSize = nTuple(kernel, nd);
        this.stride = nTuple(stride, nd);
        this.dilation = nTuple(dilation, nd);
        this.paddingString = paddingString;
        this.padding = paddingString == null ? nTuple(padding, nd) : new int[nd];
        this.outputPadding = nTuple(outputPadding, nd);
        this.transposed = transposed;
        if ("same".equals(paddingString)) {
            for (int s : this.stride) if (s != 1) throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
        }
        int[] ws = new int[nd + 2];
        ws[0] = transposed ? in : out;
        ws[1] = transposed ? out / groups : in / groups;
        System.arraycopy(this.kernelSize, 0, ws, 2, nd);
        registerParameter("weight", Grad4j.empty(ws));
        registerParameter("bias", bias ? Grad4j.empty(out) : null);
        resetParameters();
    }

    static int[] nTuple(int[] v, int n) {
        if (v.length == n) return v.clone();
        if (v.length == 1) {
            int[] r = new int[n];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException("expected 1 or " + n + " values, got " + Arrays.toString(v));
    }

    /** kaiming_uniform(a=sqrt(5)) weight and U(-1/sqrt(fan_in), 1/sqrt(fan_in)) bias, as PyTorch. */
    public void resetParameters() {
        Init.kaimingUniform_(weight(), Math.sqrt(5));
        if (bias() != null) {
            int fanIn = Init.calculateFanInAndFanOut(weight())[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias(), -bound, bound);
        }
    }

    public Tensor weight() { return getParameter("weight"); }

    public Tensor bias() { return getParameter("bias"); }

    private static boolean all(int[] v, int x) {
        for (int e : v) if (e != x) return false;
        return true;
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder(inChannels + ", " + outChannels + ", kernel_size=" + tuple(kernelSize)
                + ", stride=" + tuple(stride));
        if (paddingString != null) s.append(", padding=").append(paddingString);
        else if (!all(padding, 0)) s.append(", padding=").append(tuple(padding));
        if (!all(dilation, 1)) s.append(", dilation=").append(tuple(dilation));
        if (!all(outputPadding, 0)) s.append(", output_padding=").append(tuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias() == null) s.append(", bias=False");
        return s.toString();
    }
}
