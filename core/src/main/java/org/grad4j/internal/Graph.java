package org.grad4j.internal;

import org.grad4j.Tensor;
import org.grad4j.autograd.FunctionNode;
import org.grad4j.autograd.GradMode;
import org.grad4j.autograd.Node;
import org.grad4j.autograd.NonFiniteCheck;
import org.grad4j.autograd.SavedTensor;

/**
 * Records graph nodes for ops. Internal glue between ops and the autograd package; custom
 * {@code Function}s use it too. Nothing is allocated when no input requires grad. Not exported:
 * a tensor's autograd fields are reached through {@link TensorAccess}.
 */
public final class Graph {
    private Graph() {}

    private static final TensorAccess T = TensorAccess.get();

    /** Whether an op on {@code a} must record a node (grad mode on and a requires grad). */
    public static boolean needsGrad(Tensor a) { return T.needsGrad(a); }

    public static boolean needsGrad(Tensor a, Tensor b) { return T.needsGrad(a, b); }

    public static boolean needsGrad(Tensor... ts) {
        boolean any = false;
        for (Tensor t : ts) if (t != null && t.requiresGrad()) { any = true; break; }
        return any && GradMode.isEnabled();
    }

    /** Saves a tensor for backward (with its version). */
    public static SavedTensor save(Tensor t) { return t != null && T.isWrappedNumber(t) ? SavedTensor.saveScalar(t) : SavedTensor.save(t); }

    /** Creates the node and makes it {@code out}'s grad_fn. Returns {@code out}. */
    public static Tensor record(Tensor out, String name, FunctionNode.Formula formula, SavedTensor[] saved, Tensor... inputs) {
        FunctionNode n = new FunctionNode(name, formula, saved, inputs);
        T.setHistory(out, n, 0);
        if (NonFiniteCheck.isEnabled()) NonFiniteCheck.forward(out, name);
        return out;
    }

    /** Creates one node for several outputs (output i gets output_nr i). */
    public static void recordMulti(Tensor[] outs, String name, FunctionNode.Formula formula, SavedTensor[] saved, Tensor... inputs) {
        FunctionNode n = new FunctionNode(name, formula, saved, inputs);
        n.setOutputs(outs);
        for (int i = 0; i < outs.length; i++) if (outs[i] != null && outs[i].dtype().isFloatingPoint()) T.setHistory(outs[i], n, i);
        if (NonFiniteCheck.isEnabled()) for (Tensor o : outs) if (o != null) NonFiniteCheck.forward(o, name);
    }

    /** Records the node of an in-place op on {@code t} as t's history (a view's base gets a CopySlices node). */
    public static Tensor recordInPlace(Tensor t, String name, FunctionNode.Formula formula, SavedTensor[] saved, Tensor... inputs) {
        FunctionNode n = new FunctionNode(name, formula, saved, inputs);
        T.rebaseHistory(t, n);
        if (NonFiniteCheck.isEnabled()) NonFiniteCheck.forward(t, name);
        return t;
    }

    /** Marks the outputs of an op with several view outputs: they may not be modified in place (PyTorch). */
    public static void markMultiOutputViews(Tensor[] outs) { T.markMultiOutputViews(outs); }

    /** A view of t with t's geometry (a custom Function's input returned as-is). */
    public static Tensor viewAlias(Tensor t) { return T.viewAlias(t); }

    /** Makes {@code node} the history of t, changed in place (a custom Function's dirty input); checks as in-place ops do. */
    public static void rebaseInPlace(Tensor t, Node node) {
        T.checkInplace(t, node.name());
        T.rebaseHistory(t, node);
    }

    /** A view returned by a custom Function may not be modified in place later (PyTorch's IN_CUSTOM_FUNCTION). */
    public static void markCustomFunctionView(Tensor o) {
        T.markCustomFunctionView(o);
    }

    /** Sets a node as a tensor's history (custom functions, in-place rebase). */
    public static void setHistory(Tensor t, Node node, int outputNr) { T.setHistory(t, node, outputNr); }

    /** Bumps the version counter after an in-place change. */
    public static void bumpVersion(Tensor t) { T.bumpVersion(t); }

    /** Whether t is a view of another tensor (has a base), like {@code t._is_view()}. */
    public static boolean isView(Tensor t) { return T.isView(t); }

    /** A tensor sharing t's storage and version counter but with no autograd history. */
    public static Tensor alias(Tensor t) { return t.detach(); }

    /** Sets {@code t.grad} without the checks of {@code setGrad} (the engine, optimizers' zeroGrad, DDP). */
    public static void setGrad(Tensor t, Tensor g) { T.setGrad(t, g); }

    /** Adds {@code g} into t's values without autograd (accumulation into an existing .grad). */
    public static void addInPlaceUntracked(Tensor t, Tensor g) { T.addInPlaceUntracked(t, g); }

    /**
     * For a gradient formula that keeps a reference to a gradient beyond its return (a module's
     * backward hook gets grad_output later): the engine then neither hands it over, nor writes
     * into it, nor releases it (see autograd's Handover and Release). Returns {@code g}.
     */
    public static Tensor keep(Tensor g) {
        if (g != null) g.storage().setGeneration(0);
        return g;
    }
}
