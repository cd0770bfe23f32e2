package org.grad4j.distributed;

import org.grad4j.Tensor;
import org.grad4j.autograd.Function;
import org.grad4j.autograd.FunctionCtx;

/**
 * A differentiable all-reduce (sum): forward sums the ranks' tensors; since every rank's loss uses
 * the sum, the gradient of each rank's input is the sum of the ranks' output gradients, an
 * all-reduce again (what SyncBatchNorm's backward exchanges). Every rank must call it, and run its
 * backward, in the same order.
 *
 * <pre>{@code Tensor total = new AllReduceSum(group).apply(localSums);}</pre>
 */
public final class AllReduceSum extends Function {
    private final ProcessGroup group;

    public AllReduceSum(ProcessGroup group) { this.group = group; }

    @Override
    protected Tensor forward(FunctionCtx ctx, Tensor... in) {
        Tensor out = in[0].contiguous().clone();
        group.allReduce(out, ReduceOp.SUM);
        return out;
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
        return new Tensor[]{apply(grad[0])};
    }
}
