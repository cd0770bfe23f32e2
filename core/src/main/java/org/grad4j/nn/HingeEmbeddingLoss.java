package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.HingeEmbeddingLoss(margin=1.0, reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class HingeEmbeddingLoss extends Loss {
    public final double margin;

    public HingeEmbeddingLoss() { this(1.0, "mean"); }

    public HingeEmbeddingLoss(String reduction) { this(1.0, reduction); }

    public HingeEmbeddingLoss(double margin, String reduction) {
        super(reduction, "input", "target");
        this.margin = margin;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.hingeEmbeddingLoss(in[0], in[1], margin, reduction); }
}
