package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True)}: weight ones, bias zeros. */
public class LayerNorm extends Module {
    public final int[] normalizedShape;
    public final double eps;
    public final boolean elementwiseAffine;

    public LayerNorm(int... normalizedShape) { this(normalizedShape, 1e-5, true, true); }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        registerParameter("weight", elementwiseAffine ? Grad4j.ones(normalizedShape) : null);
        registerParameter("bias", elementwiseAffine && bias ? Grad4j.zeros(normalizedShape) : null);
    }

    public Tensor weight() { return getParameter("weight"); }

    public Tensor bias() { return getParameter("bias"); }

    @Override
    public Tensor forward(Tensor input) { return F.layerNorm(input, normalizedShape, weight(), bias(), eps); }

    @Override
    protected String extraRepr() {
        return tuple(normalizedShape) + ", eps=" + pyFloat(eps) + ", elementwise_affine=" + pyBool(elementwiseAffine);
    }
}
