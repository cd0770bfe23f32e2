package org.grad4j;

import org.grad4j.autograd.CopySlices;
import org.grad4j.autograd.FunctionNode;
import org.grad4j.autograd.GradMode;
import org.grad4j.autograd.Node;
import org.grad4j.storage.Shapes;

/**
 * Views and in-place ops together, as PyTorch's differentiable views (variable.cpp): a view
 * remembers its root base and the version its grad_fn was made at. When the base or another
 * view of it is changed in place, the view's grad_fn is regenerated from the base's history
 * (one AsStridedBackward0 node), and an in-place op on a view rewrites the base's history with
 * a CopySlices node that routes the view's part of the base gradient through the op's formula.
 */
final class ViewTracking {
    private ViewTracking() {}

    // How a view was created (PyTorch's CreationMeta): only DEFAULT views may be modified in place
    // while gradients are recorded.
    static final byte DEFAULT = 0, NO_GRAD_MODE = 1, INFERENCE_MODE = 2, MULTI_OUTPUT_NODE = 3, IN_CUSTOM_FUNCTION = 4;

    /** The creation meta of a new view of {@code parent} made now. */
    static byte creationMeta(Tensor parent) {
        GradMode.State s = GradMode.state();
        byte now = GradMode.isInference(s) ? INFERENCE_MODE : GradMode.isEnabled(s) ? DEFAULT : NO_GRAD_MODE;
        // a view of a special view stays special (PyTorch's propagate_creation_meta)
        return parent.base != null && now == DEFAULT ? parent.creationMeta : now;
    }

    /** Brings a view's grad_fn up to date with in-place changes since it was set (VariableHooks::grad_fn). */
    static void refresh(Tensor v) {
        if (v.viewVersion == v.version.version) return;
        if (v.gradFn == null && !v.base.requiresGrad()) return;
        if (v.creationMeta != DEFAULT) throw onRebase(v, true);
        regenerate(v);
    }

    /** The view's history becomes its base's, through one AsStridedBackward0 node. */
    private static void regenerate(Tensor v) {
        Tensor b = v.base;
        Node old = v.gradFn;
        int oldNr = v.outputNr;
        int[] bs = b.shape, bst = b.strides, vs = v.shape, vst = v.strides;
        int bo = b.offset, vo = v.offset;
        // (with no edge when the base does not require grad, as PyTorch: the view keeps a grad_fn)
        Node fn = new FunctionNode("AsStridedBackward0", (g, n) -> new Tensor[]{viewToBase(g[0], bs, bst, bo, vs, vst, vo)}, null,
                new Tensor[]{b});
        v.gradFn = fn;
        v.outputNr = 0;
        v.viewVersion = v.version.version;
        if (v.retainsGrad && old != null) {
            old.retainGrad(oldNr, null);
            fn.retainGrad(0, v);
        }
    }

    /**
     * Makes {@code fn}, the node of an in-place op on {@code t}, t's history (PyTorch's
     * rebase_history): for a view, the base gets a CopySlices node and the view is regenerated.
     */
    static void rebaseHistory(Tensor t, Node fn) {
        if (t.base == null) {
            Node old = t.gradFn;
            int oldNr = t.outputNr;
            t.setHistory(fn, 0);
            if (t.retainsGrad && old != null && old != fn) {
                old.retainGrad(oldNr, null);
                fn.retainGrad(0, t);
            }
            return;
        }
        Tensor b = t.base;
        int[] bs = b.shape, bst = b.strides, vs = t.shape, vst = t.strides;
        int bo = b.offset, vo = t.offset;
        CopySlices cs = new CopySlices(b, fn, new CopySlices.Slicer() {
            @Override
            public Tensor slice(Tensor baseGrad) { return baseToView(baseGrad, bs, bst, bo, vs, vst, vo); }

            @Override
            public Tensor merge(Tensor baseGrad, Tensor viewGrad) {
                Tensor inside;
                try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
                    inside = viewToBase(Grad4j.ones(vs.clone()), bs, bst, bo, vs, vst, vo).ne(0.0);
                }
                if (viewGrad == null) return baseGrad.maskedFill(inside, 0.0);
                return BinaryOps.where(inside, viewToBase(viewGrad, bs, bst, bo, vs, vst, vo), baseGrad);
            }
        });
        Node old = b.gradFn;
        b.setHistory(cs, 0);
        if (b.retainsGrad && old != null) {
            old.retainGrad(0, null);
            cs.retainGrad(0, b);
        }
        regenerate(t);
    }

    /**
     * PyTorch's check_inplace for a tensor about to be changed in place while gradients are
     * recorded: special views and views of leaves that require grad are refused.
     */
    static void checkInplace(Tensor t, String op) {
        if (t.base != null) {
            if (t.creationMeta != DEFAULT) throw onRebase(t, false);
            if (t.requiresGrad() && t.base.gradFn == null) {
                throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an in-place "
                        + "operation. (" + op + " on a view of shape " + Shapes.str(t.shape) + " of a leaf of shape "
                        + Shapes.str(t.base.shape) + ") Fix: modify the leaf under `try (var g = Autograd.noGrad()) { ... }`, "
                        + "or clone() it first and modify the clone");
            }
        }
        if (t.gradFn == null && t.leafRequiresGrad) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation ("
                    + op + " on a tensor of shape " + Shapes.str(t.shape) + "). Fix: do the update under "
                    + "`try (var g = Autograd.noGrad()) { ... }` (as optimizers do), or use the out-of-place op");
        }
    }

    /** PyTorch's handle_view_on_rebase message for a view that may not be modified in place. */
    static IllegalStateException onRebase(Tensor v, boolean indirect) {
        String modified = indirect ? "its base or another view of its base has been" : "is being";
        Node fn = v.gradFn;
        byte meta = v.creationMeta;
        String msg;
        if (meta == INFERENCE_MODE || meta == NO_GRAD_MODE || fn == null) {
            String prefix = fn != null ? "Output " + v.outputNr + " of " + fn.name() + " is a view of a view which was created in"
                    : "A view was created in";
            msg = meta == INFERENCE_MODE ? prefix + " inference mode and " + modified + " modified inplace in normal mode."
                    : prefix + " no_grad mode and " + modified + " modified inplace with grad mode enabled.";
        } else {
            msg = "Output " + v.outputNr + " of " + fn.name() + " is a view and " + modified + " modified inplace.";
        }
        msg += switch (meta) {
            case MULTI_OUTPUT_NODE -> " This view is the output of a function that returns multiple views. Such functions do not"
                    + " allow the output views to be modified inplace. You should replace the inplace operation by an"
                    + " out-of-place one.";
            case NO_GRAD_MODE -> " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your"
                    + " code by moving both the view and the inplace either both inside the no_grad block (if you don't want"
                    + " the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
            case INFERENCE_MODE -> " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify"
                    + " your code by moving both the view and the inplace either both inside the inference_mode block (if you"
                    + " don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
            default -> " This view was created inside a custom Function (or because an input was returned as-is) and the"
                    + " autograd logic to handle view+inplace would override the custom backward associated with the custom"
                    + " Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning"
                    + " the output of the custom Function.";
        };
        return new IllegalStateException(msg + " Fix: clone() the view and modify the clone (view of shape "
                + Shapes.str(v.shape) + ")");
    }

    /** Marks the outputs of an op that returns several views (unbind, split, chunk). */
    static void markMultiOutput(Tensor[] outs) {
        byte meta = GradMode.isEnabled() ? MULTI_OUTPUT_NODE : NO_GRAD_MODE;
        for (Tensor o : outs) if (o != null && o.base != null) o.creationMeta = meta;
    }

    // ------------------------------------------------------------------ geometry

    /**
     * The gradient of a view (view geometry in storage coordinates) as a gradient of its base:
     * zeros with g added at the view's elements (added, so overlapping views such as expand sum).
     */
    static Tensor viewToBase(Tensor g, int[] bs, int[] bst, int bo, int[] vs, int[] vst, int vo) {
        if (Shapes.numel(bs) == 0 || inside(bs, bst, bo, vs, vst, vo)) return ShapeOps.embed(g, bs, vs, vst, vo - bo);
        int lo = Math.min(bo, vo), n = Math.max(last(bs, bst, bo), last(vs, vst, vo)) - lo + 1;
        Tensor buf = ShapeOps.embed(g, new int[]{n}, vs, vst, vo - lo);
        return ShapeOps.window(buf, bs, bst, bo - lo).contiguous();
    }

    /** The view's part of a base-shaped gradient (inverse of {@link #viewToBase} for non-overlapping views). */
    static Tensor baseToView(Tensor gb, int[] bs, int[] bst, int bo, int[] vs, int[] vst, int vo) {
        if (Shapes.numel(bs) == 0 || inside(bs, bst, bo, vs, vst, vo)) return ShapeOps.window(gb, vs, vst, vo - bo);
        int lo = Math.min(bo, vo), n = Math.max(last(bs, bst, bo), last(vs, vst, vo)) - lo + 1;
        Tensor buf = ShapeOps.embed(gb, new int[]{n}, bs, bst, bo - lo);
        return ShapeOps.window(buf, vs, vst, vo - lo);
    }

    /** Whether the base is contiguous and holds every position of the view: then storage and base coordinates agree. */
    private static boolean inside(int[] bs, int[] bst, int bo, int[] vs, int[] vst, int vo) {
        return Shapes.isContiguous(bs, bst) && (Shapes.numel(vs) == 0 || (vo >= bo && last(vs, vst, vo) < bo + Shapes.numel(bs)));
    }

    /** The largest storage position of a geometry (strides are non-negative for views). */
    private static int last(int[] shape, int[] strides, int offset) {
        int p = offset;
        for (int i = 0; i < shape.length; i++) p += (shape[i] - 1) * strides[i];
        return p;
    }
}
