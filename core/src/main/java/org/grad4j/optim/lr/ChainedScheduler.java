package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

import java.util.List;

/**
 * Steps several schedulers of one optimizer together ({@code ChainedScheduler}); their
 * recursive updates compose.
 *
 * <pre>{@code
 * var s = new ChainedScheduler(List.of(new ConstantLR(opt, 0.1, 2), new ExponentialLR(opt, 0.9)));
 * }</pre>
 */
public final class ChainedScheduler extends LRScheduler {
    private final List<LRScheduler> schedulers;

    public ChainedScheduler(List<LRScheduler> schedulers) {
        super(first(schedulers).optimizer(), 0);
        Optimizer opt = optimizer;
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i) instanceof ReduceLROnPlateau) {
                throw new IllegalArgumentException("ChainedScheduler does not support `ReduceLROnPlateau` scheduler as it requires "
                        + "additional kwargs to be specified when calling `step`, but got one at index " + i);
            }
            if (schedulers.get(i).optimizer() != opt) {
                throw new IllegalArgumentException("ChainedScheduler expects all schedulers to belong to the same optimizer, but "
                        + "scheduler at index " + i + " has a different one");
            }
        }
        this.schedulers = List.copyOf(schedulers);
        lastLr = groupLrs();
    }

    private static LRScheduler first(List<LRScheduler> s) {
        if (s.isEmpty()) throw new IllegalArgumentException("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.");
        return s.get(0);
    }

    @Override
    protected double[] getLr() { return groupLrs(); }

    @Override
    public void step() {
        for (LRScheduler s : schedulers) s.step();
        lastLr = groupLrs();
    }

    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("ChainedScheduler.step(epoch) is not supported; call step()");
    }

    @Override
    List<LRScheduler> drivenSchedulers() { return schedulers; }
}
