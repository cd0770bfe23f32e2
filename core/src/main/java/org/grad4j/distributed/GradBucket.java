package org.grad4j.distributed;

import org.grad4j.Tensor;

import java.util.List;

/**
 * What a communication hook receives ({@code torch.distributed.GradBucket}): one flat buffer with
 * the gradients of a bucket's parameters, and per-parameter views of it. A hook reduces the buffer
 * (in place or into a new tensor of the same size) and completes its future with the result.
 *
 * <pre>{@code
 * ddp.registerCommHook((group, bucket) -> {
 *     Tensor b = bucket.buffer().div_(group.worldSize());
 *     return group.allReduceAsync(b, ReduceOp.SUM).future().thenApply(v -> b);
 * });
 * }</pre>
 */
public final class GradBucket {
    private final int index;
    private final Tensor buffer;
    private final List<Tensor> gradients, parameters;
    private final boolean last;

    GradBucket(int index, Tensor buffer, List<Tensor> gradients, List<Tensor> parameters, boolean last) {
        this.index = index;
        this.buffer = buffer;
        this.gradients = gradients;
        this.parameters = parameters;
        this.last = last;
    }

    /** The bucket's position in reduction order (0 is reduced first: the last parameters). */
    public int index() { return index; }

    /** The flat gradient buffer (1-D, contiguous). */
    public Tensor buffer() { return buffer; }

    /** Views of {@link #buffer()} shaped like each parameter, in bucket order. */
    public List<Tensor> gradients() { return gradients; }

    /** The parameters whose gradients this bucket holds, in the same order as {@link #gradients()}. */
    public List<Tensor> parameters() { return parameters; }

    /** Whether this is the last bucket of the backward pass (PowerSGD counts iterations on it). */
    public boolean isLast() { return last; }
}
