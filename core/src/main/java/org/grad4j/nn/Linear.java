package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.Init;

/**
 * {@code nn.Linear(in_features, out_features, bias=True)}: y = x W^T + b. Weight [out, in] from
 * kaiming_uniform(a=sqrt(5)), bias from U(-1/sqrt(in), 1/sqrt(in)), as PyTorch.
 *
 * <pre>{@code
 * Linear fc = new Linear(784, 256);
 * Tensor y = fc.call(x);        // [N, 784] -> [N, 256]
 * }</pre>
 */
public class Linear extends Module {
    public final int inFeatures, outFeatures;

    public Linear(int inFeatures, int outFeatures) { this(inFeatures, outFeatures, true); }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Grad4j.empty(outFeatures, inFeatures));
        registerParameter("bias", bias ? Grad4j.empty(outFeatures) : null);
        resetParameters();
    }

    public void resetParameters() {
        Init.kaimingUniform_(weight(), Math.sqrt(5));
        if (bias() != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform_(bias(), -bound, bound);
        }
    }

    public Tensor weight() { return getParameter("weight"); }

    public Tensor bias() { return getParameter("bias"); }

    @Override
    public Tensor forward(Tensor input) { return F.linear(input, weight(), bias()); }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + pyBool(bias() != null);
    }
}
