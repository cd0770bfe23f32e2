package org.grad4j.nn;

import org.grad4j.Tensor;

import java.util.Arrays;

/**
 * Base of the loss modules, like PyTorch's {@code nn.modules.loss._Loss}: it holds the validated
 * {@code reduction}, knows how many tensors {@code forward} takes, and hands them to
 * {@link #loss(Tensor[])}, where a subclass calls its {@code F} function. A loss prints as
 * {@code HuberLoss()}, as in PyTorch.
 *
 * <pre>{@code
 * public class MyL1Loss extends Loss {
 *     public MyL1Loss(String reduction) { super(reduction, "input", "target"); }
 *     @Override protected Tensor loss(Tensor[] in) { return F.l1Loss(in[0], in[1], reduction); }
 * }
 * Tensor l = new MyL1Loss("sum").forward(input, target);   // or .call(input, target), which runs hooks
 * }</pre>
 */
public abstract class Loss extends Module {
    /** {@code 'mean'}, {@code 'sum'} or {@code 'none'} (KLDivLoss also takes {@code 'batchmean'}). */
    public final String reduction;
    private final String[] argNames;

    /**
     * @param reduction {@code 'mean'}, {@code 'sum'} or {@code 'none'}
     * @param argNames  the names of forward's tensors, PyTorch's, e.g. {@code "input", "target"}
     */
    protected Loss(String reduction, String... argNames) { this(reduction, false, argNames); }

    /** As {@link #Loss(String, String...)}; with {@code batchmean}, that reduction is valid too (KLDivLoss). */
    Loss(String reduction, boolean batchmean, String... argNames) {
        boolean ok = "mean".equals(reduction) || "sum".equals(reduction) || "none".equals(reduction)
                || batchmean && "batchmean".equals(reduction);
        if (!ok) throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        this.reduction = reduction;
        this.argNames = argNames.clone();
    }

    /** The loss of the checked arguments, in the order of {@code argNames}. */
    protected abstract Tensor loss(Tensor[] in);

    /** A loss needs its target too: this fails with a clear message. */
    @Override
    public Tensor forward(Tensor input) { return forward(new Tensor[]{input}); }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length != argNames.length) {
            throw new IllegalArgumentException(getName() + " expects " + argNames.length + " inputs " + Arrays.toString(argNames)
                    + ", got " + in.length + ". Fix: call forward(" + String.join(", ", argNames) + ")");
        }
        return loss(in);
    }

    /** {@code loss(input, target)}. */
    public Tensor forward(Tensor input, Tensor target) { return forward(new Tensor[]{input, target}); }

    /** {@code loss(input1, input2, target)} or {@code loss(anchor, positive, negative)}, for losses of three tensors. */
    public Tensor forward(Tensor a, Tensor b, Tensor c) { return forward(new Tensor[]{a, b, c}); }
}
