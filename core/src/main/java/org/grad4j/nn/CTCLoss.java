package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False)}; call {@code forward(logProbs, targets, inputLengths, targetLengths)}. */
public class CTCLoss extends Loss {
    public final int blank;
    public final boolean zeroInfinity;

    public CTCLoss() { this(0, "mean", false); }

    public CTCLoss(int blank, String reduction, boolean zeroInfinity) {
        super(reduction, "log_probs", "targets", "input_lengths", "target_lengths");
        this.blank = blank;
        this.zeroInfinity = zeroInfinity;
    }

    @Override
    protected Tensor loss(Tensor[] in) {
        return F.ctcLoss(in[0], in[1], in[2].toLongArray(), in[3].toLongArray(), blank, reduction, zeroInfinity);
    }

    public Tensor forward(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths) {
        return forward(new Tensor[]{logProbs, targets, inputLengths, targetLengths});
    }
}
