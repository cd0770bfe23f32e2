package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * {@code lr = base_lr * lambda(epoch)} ({@code LambdaLR}), one function for all groups or one per group.
 *
 * <pre>{@code new LambdaLR(opt, epoch -> Math.pow(0.95, epoch));}</pre>
 */
public final class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lambdas;

    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lambda) {
        this(optimizer, java.util.Collections.nCopies(optimizer.paramGroups().size(), lambda));
    }

    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lambdas) {
        super(optimizer, -1);
        if (lambdas.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("Expected " + optimizer.paramGroups().size() + " lr_lambdas, but got " + lambdas.size());
        }
        this.lambdas = List.copyOf(lambdas);
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] out = new double[baseLrs.length];
        for (int i = 0; i < out.length; i++) out[i] = baseLrs[i] * lambdas.get(i).applyAsDouble(lastEpoch);
        return out;
    }
}
