package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.grad4j.internal.Graph;

/**
 * A user-defined differentiable operation, like {@code torch.autograd.Function}: override
 * {@link #forward} (runs without recording a graph) and {@link #backward} (returns one gradient
 * per input, null where none), then call {@link #apply}.
 *
 * <pre>{@code
 * class MyReLU extends Function {
 *     protected Tensor forward(FunctionCtx ctx, Tensor... in) {
 *         ctx.saveForBackward(in[0]);
 *         return in[0].clampMin(0);
 *     }
 *     protected Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
 *         Tensor x = ctx.savedTensors()[0];
 *         return new Tensor[]{grad[0].maskedFill(x.lt(0), 0)};
 *     }
 * }
 * Tensor y = new MyReLU().apply(x);     // y.gradFn().name() is "MyReLUBackward"
 * }</pre>
 *
 * Non-tensor arguments go into the instance (constructor fields) or {@link FunctionCtx#put}.
 * An instance may be applied many times; each call gets its own context.
 */
public abstract class Function {

    /** Single-output forward; override this or {@link #forwardAll}. Runs under no-grad. */
    protected Tensor forward(FunctionCtx ctx, Tensor... inputs) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " must override forward or forwardAll");
    }

    /** Multi-output forward; the default wraps {@link #forward}. */
    protected Tensor[] forwardAll(FunctionCtx ctx, Tensor... inputs) {
        return new Tensor[]{forward(ctx, inputs)};
    }

    /** Gradients of the inputs given gradients of the outputs; one entry per input (null allowed). */
    protected abstract Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs);

    /** The node name shown in {@code gradFn().name()}; PyTorch uses the class name + "Backward". */
    protected String nodeName() { return getClass().getSimpleName() + "Backward"; }

    /** Runs the function and records it in the graph; returns the first output. */
    public final Tensor apply(Tensor... inputs) { return applyAll(inputs)[0]; }

    /** Runs the function and records it in the graph; returns every output. */
    public final Tensor[] applyAll(Tensor... inputs) {
        FunctionCtx ctx = new FunctionCtx(inputs);
        Tensor[] outs;
        try (var g = Autograd.noGrad()) {
            outs = forwardAll(ctx, inputs);
        }
        if (outs == null || outs.length == 0) {
            throw new IllegalStateException(getClass().getSimpleName() + ".forward returned no outputs");
        }
        boolean record = false;
        if (GradMode.isEnabled()) for (Tensor t : inputs) if (t != null && t.requiresGrad()) { record = true; break; }
        for (int i = 0; i < outs.length; i++) {
            Tensor o = outs[i];
            boolean isInput = false;
            for (Tensor t : inputs) if (t == o) isInput = true;
            // returned as-is: a view of the input (PyTorch), which may not be modified in place later
            if (isInput && !ctx.dirty.contains(o)) outs[i] = Graph.viewAlias(o);
            if (ctx.dirty.contains(o)) {
                if (o.isLeaf() && o.requiresGrad() && GradMode.isEnabled()) {
                    throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place "
                            + "operation (" + getClass().getSimpleName() + " marked it dirty). Fix: apply the function to "
                            + "a clone() of the leaf, or run it under Autograd.noGrad() if it is a parameter update");
                }
                // No extra bump: the in-place op inside forward already bumped the version, as in PyTorch.
            }
        }
        if (!record) return outs;
        CustomNode node = new CustomNode(this, ctx, inputs);
        node.setOutputs(outs);
        for (int i = 0; i < outs.length; i++) {
            Tensor o = outs[i];
            if (o == null || !o.dtype().isFloatingPoint() || ctx.nonDifferentiable.contains(o)) continue;
            if (ctx.dirty.contains(o) && o.isView()) {
                // a view changed in place: its base's history goes through this node (CopySlices), as PyTorch
                if (outs.length != 1 || inputs.length == 0 || inputs[0] != o) {
                    throw new IllegalStateException("Functions which modify views in-place must return a single Variable ("
                            + getClass().getSimpleName() + " marked a view dirty). Fix: return only the modified view, "
                            + "passed as the first input, or clone() the view before the function");
                }
                Graph.rebaseInPlace(o, node);
                continue;
            }
            Graph.setHistory(o, node, i);
            Graph.markCustomFunctionView(o);
        }
        return outs;
    }

    private static final class CustomNode extends Node {
        private final Function fn;
        private final FunctionCtx ctx;
        private final int numInputs;

        CustomNode(Function fn, FunctionCtx ctx, Tensor[] inputs) {
            super(inputs);
            this.fn = fn;
            this.ctx = ctx;
            this.numInputs = inputs.length;
            this.materializeGrads = ctx.materializeGrads;
        }

        @Override
        public String name() { return fn.nodeName(); }

        @Override
        protected Tensor[] apply(Tensor[] gradOutputs) {
            Tensor[] g = fn.backward(ctx, gradOutputs);
            if (g == null || g.length != numInputs) {
                throw new IllegalStateException("function " + name() + " returned an incorrect number of gradients (expected "
                        + numInputs + ", got " + (g == null ? 0 : g.length) + "). Fix: return one gradient per forward input, "
                        + "null for inputs without one");
            }
            Tensor[] out = new Tensor[numInputs];
            for (int i = 0; i < numInputs; i++) if (needsInputGrad(i)) out[i] = g[i];
            return out;
        }

        @Override
        protected void release() { ctx.release(); }

        @Override
        Tensor[] savedForDisplay() { return ctx.savedForDisplay(); }
    }
}
