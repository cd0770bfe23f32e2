package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.Init;

/** {@code nn.Bilinear(in1, in2, out, bias=True)}: y = x1^T W x2 + b, all parameters U(-1/sqrt(in1), 1/sqrt(in1)). */
public class Bilinear extends Module {
    public final int in1Features, in2Features, outFeatures;

    public Bilinear(int in1, int in2, int out) { this(in1, in2, out, true); }

    public Bilinear(int in1, int in2, int out, boolean bias) {
        in1Features = in1;
        in2Features = in2;
        outFeatures = out;
        registerParameter("weight", Grad4j.empty(out, in1, in2));
        registerParameter("bias", bias ? Grad4j.empty(out) : null);
        double bound = 1 / Math.sqrt(in1);
        Init.uniform_(weight(), -bound, bound);
        if (bias) Init.uniform_(bias(), -bound, bound);
    }

    public Tensor weight() { return getParameter("weight"); }

    public Tensor bias() { return getParameter("bias"); }

    @Override
    public Tensor forward(Tensor... in) { return F.bilinear(in[0], in[1], weight(), bias()); }

    public Tensor forward(Tensor input1, Tensor input2) { return F.bilinear(input1, input2, weight(), bias()); }

    @Override
    protected String extraRepr() {
        return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features=" + outFeatures
                + ", bias=" + pyBool(bias() != null);
    }
}
