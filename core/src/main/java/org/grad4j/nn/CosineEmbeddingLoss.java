package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.CosineEmbeddingLoss(margin=0.0, reduction='mean')}; call it as {@code loss.call(input1, input2, target)} or {@code loss.forward(input1, input2, target)}.
 */
public class CosineEmbeddingLoss extends Loss {
    public final double margin;

    public CosineEmbeddingLoss() { this(0.0, "mean"); }

    public CosineEmbeddingLoss(String reduction) { this(0.0, reduction); }

    public CosineEmbeddingLoss(double margin, String reduction) {
        super(reduction, "input1", "input2", "target");
        this.margin = margin;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.cosineEmbeddingLoss(in[0], in[1], in[2], margin, reduction); }
}
