package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.RMSNorm(normalized_shape, eps=None, elementwise_affine=True)}: x / sqrt(mean(x^2) + eps) * weight. */
public class RMSNorm extends Module {
    public final int[] normalizedShape;
    public final Double eps;
    public final boolean elementwiseAffine;

    public RMSNorm(int... normalizedShape) { this(normalizedShape, null, true); }

    public RMSNorm(int[] normalizedShape, Double eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        registerParameter("weight", elementwiseAffine ? Grad4j.ones(normalizedShape) : null);
    }

    public Tensor weight() { return getParameter("weight"); }

    @Override
    public Tensor forward(Tensor input) { return F.rmsNorm(input, normalizedShape, weight(), eps); }

    @Override
    protected String extraRepr() {
        return tuple(normalizedShape) + ", eps=" + (eps == null ? "None" : pyFloat(eps)) + ", elementwise_affine=" + pyBool(elementwiseAffine);
    }
}
