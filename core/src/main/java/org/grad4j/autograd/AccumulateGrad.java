package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.grad4j.internal.Graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sink at a leaf: adds the arriving gradient into {@code leaf.grad()}. In place when no
 * graph is being built; out of place under create_graph so that {@code .grad} stays
 * differentiable. Runs as soon as it is ready (highest priority), like PyTorch's.
 */
public final class AccumulateGrad extends Node {
    private final Tensor variable;
    private List<Consumer<Tensor>> postAccumulateHooks;

    public AccumulateGrad(Tensor variable) {
        super(new Tensor[0], Long.MAX_VALUE);
        this.variable = variable;
        setOutputs(variable);
    }

    @Override
    public String name() { return "AccumulateGrad"; }

    public Tensor variable() { return variable; }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) { return accumulate(gradOutputs, false); }

    /**
     * Adds the gradient into .grad. {@code owned}: the engine's input buffer owns the gradient,
     * nothing else references it (a sum the buffer made, or a tensor a library formula allocated,
     * see {@link InputBuffer} and {@link Handover}), so a first gradient becomes .grad as it is:
     * PyTorch's "steal" of a gradient whose use count is 1, without a copy. Any other first
     * gradient (the user's, one a hook saw, a saved value) is copied.
     */
    Tensor[] accumulate(Tensor[] gradOutputs, boolean owned) {
        Tensor g = gradOutputs[0];
        if (g == null) return new Tensor[0];
        // Backward passes on several threads may reach the same leaf: accumulate under its lock
        // (PyTorch's AccumulateGrad holds a mutex too), so the result is the sum of all of them.
        synchronized (this) {
            Tensor old = variable.gradNoWarn();
            boolean building = GradMode.isEnabled();
            if (old == null) {
                // PyTorch's layout rule too: kept only in the row-major layout a clone would have
                boolean steal = owned && !g.requiresGrad() && g.isContiguous() && g.dtype() == variable.dtype()
                        && java.util.Arrays.equals(g.shape(), variable.shape());
                // under create_graph a recorded gradient is kept as is (its graph is the point); a
                // plain one the engine does not own (the user's gradient=) is copied, as PyTorch does
                Tensor grad = (building && g.requiresGrad()) || steal ? g : g.detach().clone();
                Graph.setGrad(variable, grad);
                if (owned && grad != g) Release.dead(g, grad);   // copied into the new .grad: the engine's buffer is dead
            } else if (building) {
                Graph.setGrad(variable, old.add(g));
            } else {
                Graph.addInPlaceUntracked(old, g);
                if (owned) Release.dead(g, old);   // summed into .grad: the engine's buffer is dead
            }
            if (postAccumulateHooks != null) for (Consumer<Tensor> h : List.copyOf(postAccumulateHooks)) h.accept(variable);
        }
        return new Tensor[0];
    }

    /** Like {@code register_post_accumulate_grad_hook}: called with the leaf after its grad was updated. */
    public RemovableHandle addPostAccumulateHook(Consumer<Tensor> hook) {
        if (postAccumulateHooks == null) postAccumulateHooks = new ArrayList<>(1);
        postAccumulateHooks.add(hook);
        List<Consumer<Tensor>> l = postAccumulateHooks;
        return () -> l.remove(hook);
    }
}
