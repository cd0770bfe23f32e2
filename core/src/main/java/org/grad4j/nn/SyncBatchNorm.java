package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.distributed.AllReduceSum;
import org.grad4j.distributed.ProcessGroup;

import java.util.ArrayList;
import java.util.Map;

/**
 * {@code nn.SyncBatchNorm}: batch normalisation whose training statistics are those of the
 * combined batch of every rank of a process group, so small per-rank batches normalise as one large
 * batch would. The mean, then the variance, are summed over the ranks with a differentiable
 * all-reduce (two passes: stable like the two-pass variance); backward sums the statistics'
 * gradients the same way. Evaluation, a group of one, or no group: plain batch norm. As PyTorch's,
 * weight and bias gradients stay per rank (DistributedDataParallel averages them), and
 * {@link #convert} replaces every BatchNorm of a model, keeping its parameters and running stats.
 *
 * <pre>{@code
 * Module model = SyncBatchNorm.convert(net, group);
 * var ddp = new DistributedDataParallel(model, group, new DistributedDataParallel.Options());
 * }</pre>
 */
public class SyncBatchNorm extends BatchNorm {
    private ProcessGroup group;
    boolean forceSync;            // tests: the synchronised path even in a group of one

    public SyncBatchNorm(int numFeatures, ProcessGroup group) { this(numFeatures, 1e-5, 0.1, true, true, group); }

    public SyncBatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, ProcessGroup group) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
        this.group = group;
    }

    /** The group whose ranks share statistics (null: none yet; DistributedDataParallel fills in its own). */
    public ProcessGroup processGroup() { return group; }

    public void setProcessGroup(ProcessGroup group) { this.group = group; }

    @Override
    void checkInputDim(Tensor input) {
        if (input.dim() < 2) throw new IllegalArgumentException("expected at least 2D input (got " + input.dim() + "D input)");
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        boolean sync = training && group != null && (group.worldSize() > 1 || forceSync);
        if (!sync) return super.forward(input);
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException("SyncBatchNorm: expected input with " + numFeatures + " channels (dim 1), got shape "
                    + java.util.Arrays.toString(input.shape()) + ". Fix: numFeatures must equal input.size(1)");
        }
        double factor = momentum == null ? 0.0 : momentum;
        if (trackRunningStats) {
            Tensor nbt = numBatchesTracked();
            nbt.fill_(nbt.itemLong() + 1);
            factor = momentum == null ? 1.0 / nbt.itemLong() : momentum;
        }
        int[] dims = new int[input.dim() - 1];
        int[] bshape = new int[input.dim()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = numFeatures;
        for (int d = 0, k = 0; d < input.dim(); d++) if (d != 1) dims[k++] = d;
        AllReduceSum allReduce = new AllReduceSum(group);
        // pass 1: global count and mean
        Tensor local = Grad4j.cat(java.util.List.of(input.sum(dims), Grad4j.full(new int[]{1}, input.numel() / numFeatures, input.dtype(), input.device())), 0);
        Tensor sums = allReduce.apply(local);
        double count = sums.getDouble(numFeatures);
        if (count <= 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                    + java.util.Arrays.toString(input.shape()) + " on this rank and " + (long) count + " values per channel in all. Fix: larger batches");
        }
        Tensor mean = sums.narrow(0, 0, numFeatures).div(count);
        Tensor xc = input.sub(mean.view(bshape));
        // pass 2: global biased variance
        Tensor var = allReduce.apply(xc.mul(xc).sum(dims)).div(count);
        Tensor y = xc.mul(var.add(eps).rsqrt().view(bshape));
        if (affine) y = y.mul(weight().view(bshape)).add(bias().view(bshape));
        if (trackRunningStats) {
            try (var ng = Autograd.noGrad()) {
                double f = factor;
                runningMean().mul_(1 - f).add_(mean.detach().mul(f));
                runningVar().mul_(1 - f).add_(var.detach().mul(f * count / (count - 1)));
            }
        }
        return y;
    }

    /** {@link #convert(Module, ProcessGroup)} with the group left for DistributedDataParallel to fill in. */
    public static Module convert(Module module) { return convert(module, null); }

    /**
     * {@code SyncBatchNorm.convert_sync_batchnorm}: returns the module with every BatchNorm1d/2d/3d
     * replaced by a SyncBatchNorm over {@code group} that keeps its parameters, running statistics and
     * training mode (the module itself when it is a BatchNorm, a new one; else the same module, changed in place).
     */
    public static Module convert(Module module, ProcessGroup group) {
        if (module instanceof BatchNorm bn && !(module instanceof SyncBatchNorm)) {
            SyncBatchNorm s = new SyncBatchNorm(bn.numFeatures, bn.eps, bn.momentum, bn.affine, bn.trackRunningStats, group);
            if (bn.affine) {
                s.setParameter("weight", bn.weight());
                s.setParameter("bias", bn.bias());
            }
            if (bn.trackRunningStats) {
                s.setBuffer("running_mean", bn.runningMean());
                s.setBuffer("running_var", bn.runningVar());
                s.setBuffer("num_batches_tracked", bn.numBatchesTracked());
            }
            s.train(bn.isTraining());
            return s;
        }
        for (Map.Entry<String, Module> e : new ArrayList<>(module.namedChildren().entrySet())) {
            Module c = convert(e.getValue(), group);
            if (c != e.getValue()) module.registerModule(e.getKey(), c);
        }
        return module;
    }
}
