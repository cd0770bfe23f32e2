package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class CrossEntropyLoss extends WeightedLoss {
    public final long ignoreIndex;
    public final double labelSmoothing;

    public CrossEntropyLoss() { this(null, -100, 0.0, "mean"); }

    public CrossEntropyLoss(String reduction) { this(null, -100, 0.0, reduction); }

    public CrossEntropyLoss(Tensor weight, long ignoreIndex, double labelSmoothing, String reduction) {
        super(weight, reduction, "input", "target");
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.crossEntropy(in[0], in[1], weight(), ignoreIndex, reduction, labelSmoothing); }
}
