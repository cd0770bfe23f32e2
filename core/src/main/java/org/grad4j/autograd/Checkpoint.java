package org.grad4j.autograd;

import org.grad4j.Tensor;

import java.util.function.UnaryOperator;

/**
 * Gradient checkpointing ({@code torch.utils.checkpoint}): runs a segment without keeping its
 * intermediate activations, and runs it again during backward to get the gradients. Trades
 * compute for memory. The segment may use parameters captured from outside (their gradients
 * are accumulated as usual). It must be deterministic: random ops inside (dropout) would draw
 * different numbers when recomputed.
 *
 * <pre>{@code
 * Tensor y = Checkpoint.checkpoint(in -> new Tensor[]{block.forward(in[0])}, x)[0];
 * Tensor y2 = Checkpoint.checkpoint(t -> t.mul(2), x);    // one input, one output
 * }</pre>
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** Checkpoints a one-input, one-output segment. */
    public static Tensor checkpoint(UnaryOperator<Tensor> segment, Tensor input) {
        java.util.function.Function<Tensor[], Tensor[]> multi = in -> new Tensor[]{segment.apply(in[0])};
        return new Recompute(multi).applyAll(input)[0];
    }

    /** Checkpoints a segment with several inputs and outputs. */
    public static Tensor[] checkpoint(java.util.function.Function<Tensor[], Tensor[]> segment, Tensor... inputs) {
        return new Recompute(segment).applyAll(inputs);
    }

    private static final class Recompute extends Function {
        private final java.util.function.Function<Tensor[], Tensor[]> segment;

        Recompute(java.util.function.Function<Tensor[], Tensor[]> segment) { this.segment = segment; }

        @Override
        protected String nodeName() { return "CheckpointFunctionBackward"; }

        @Override
        protected Tensor[] forwardAll(FunctionCtx ctx, Tensor... inputs) {
            ctx.saveForBackward(inputs);
            return segment.apply(inputs);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor[] saved = ctx.savedTensors();
            Tensor[] detached = new Tensor[saved.length];
            for (int i = 0; i < saved.length; i++) {
                detached[i] = saved[i].detach();
                if (saved[i].requiresGrad()) detached[i].requiresGrad_(true);
            }
            Tensor[] outs;
            try (var g = Autograd.enableGrad()) {
                outs = segment.apply(detached);
            }
            int n = 0;
            for (Tensor o : outs) if (o != null && o.requiresGrad()) n++;
            Tensor[] roots = new Tensor[n], rootGrads = new Tensor[n];
            for (int i = 0, k = 0; i < outs.length; i++) {
                if (outs[i] != null && outs[i].requiresGrad()) {
                    roots[k] = outs[i];
                    rootGrads[k++] = grads[i];
                }
            }
            if (n > 0) Autograd.backward(roots, rootGrads, GradOptions.defaults().createGraph(GradMode.isEnabled()));
            Tensor[] result = new Tensor[detached.length];
            for (int i = 0; i < detached.length; i++) result[i] = detached[i].requiresGrad() ? detached[i].gradNoWarn() : null;
            return result;
        }
    }
}
