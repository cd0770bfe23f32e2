package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.List;

/**
 * AdamW, exactly as {@code torch.optim.AdamW}: Adam with decoupled weight decay
 * ({@code p *= 1 - lr * weight_decay} before the Adam step); default weight_decay=1e-2.
 *
 * <pre>{@code
 * var opt = new AdamW(params, new AdamW.Options().lr(1e-3).weightDecay(0.01));
 * }</pre>
 */
public final class AdamW extends Adam {
    /** AdamW options: Adam's, with weight_decay defaulting to 1e-2. */
    public static final class Options extends Adam.Options {
        public Options() { super(1e-2); }
    }

    public AdamW(Iterable<Tensor> params, double lr) { this(single(params), (Adam.Options) new Options().lr(lr)); }

    public AdamW(Iterable<Tensor> params, Adam.Options options) { this(single(params), options); }

    public AdamW(List<ParamGroup> groups, Adam.Options options) { super(groups, options, true); }
}
