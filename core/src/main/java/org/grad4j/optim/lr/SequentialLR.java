package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;
import org.grad4j.optim.ParamGroup;

import java.util.List;

/**
 * Runs schedulers one after another, switching at the milestones ({@code SequentialLR}); at a
 * milestone the next scheduler restarts from epoch 0 ({@code scheduler.step(0)}), as in PyTorch.
 *
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * var decay = new ExponentialLR(opt, 0.9);
 * var sched = new SequentialLR(opt, List.of(warmup, decay), new int[]{5});
 * }</pre>
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super(optimizer, -1);
        if (schedulers.isEmpty()) throw new IllegalArgumentException("SequentialLR expects at least one scheduler");
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR expects all schedulers to belong to the same optimizer, but "
                        + "scheduler at index " + i + " has a different one");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("Sequential Schedulers expects number of schedulers provided to be one more "
                    + "than the number of milestone points, but got number of schedulers " + schedulers.size()
                    + " and the number of milestones to be equal to " + milestones.length);
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        this.lastEpoch = 0;
        // reset the rates and undo the initial steps the schedulers took when they were built
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.get(INITIAL_LR));
        for (LRScheduler s : schedulers) s.setLastEpoch(s.lastEpoch() - 1);
        schedulers.get(0).initialStep();
        lastLr = schedulers.get(0).getLastLr();
    }

    @Override
    protected double[] getLr() { throw new UnsupportedOperationException(); }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.step(0);
        else s.step();
        lastLr = s.getLastLr();
    }

    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("SequentialLR.step(epoch) is not supported; call step()");
    }

    @Override
    List<LRScheduler> drivenSchedulers() { return schedulers; }
}
