package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.storage.DType;

/**
 * A {@link Loss} with an optional per-class rescaling weight, like PyTorch's {@code _WeightedLoss}: the
 * weight is the buffer {@code weight} (absent from the state dict when null), so the state dict keys
 * are PyTorch's and {@link Module#to} converts it.
 *
 * <pre>{@code
 * CrossEntropyLoss ce = new CrossEntropyLoss(Grad4j.tensor(new double[]{1, 2, 0.5}, DType.FLOAT32), -100, 0.0, "mean");
 * ce.stateDict().keySet();   // [weight]
 * ce.weight();               // the buffer, in the module's current dtype
 * }</pre>
 */
public abstract class WeightedLoss extends Loss {
    /** The weight given to the constructor (null for none); {@link #weight()} reads the buffer. */
    public final Tensor weight;

    protected WeightedLoss(Tensor weight, String reduction, String... argNames) {
        super(reduction, argNames);
        this.weight = weight;
        registerBuffer("weight", weight);
    }

    /** The {@code weight} buffer, or null. */
    public Tensor weight() { return getBuffer("weight"); }
}
