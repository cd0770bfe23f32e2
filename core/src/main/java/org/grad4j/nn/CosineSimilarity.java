package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.CosineSimilarity(dim=1, eps=1e-08)}. */
public class CosineSimilarity extends Module {
    public final int dim;
    public final double eps;

    public CosineSimilarity() { this(1, 1e-8); }

    public CosineSimilarity(int dim, double eps) {
        this.dim = dim;
        this.eps = eps;
    }

    @Override
    public Tensor forward(Tensor... in) { return F.cosineSimilarity(in[0], in[1], dim, eps); }

    public Tensor forward(Tensor x1, Tensor x2) { return F.cosineSimilarity(x1, x2, dim, eps); }
}
