package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;

/**
 * The history of a base after an in-place op on one of its views (PyTorch's CopySlices): the
 * base's gradient outside the view passes through; inside, it goes through the in-place op's
 * own formula, whose gradients for its other inputs flow on as usual.
 *
 * <pre>{@code
 * Tensor x = w.mul(1.0);
 * x.slice(0, 0, 1).mul_(2.0);
 * x.gradFn().name();     // "CopySlices"
 * }</pre>
 */
public final class CopySlices extends Node {
    /** Maps gradients between the base and the view (geometry lives with the view ops). */
    public interface Slicer {
        /** The view's part of a base-shaped gradient. */
        Tensor slice(Tensor baseGrad);

        /** The base gradient with the view's part replaced by {@code viewGrad} (null: zeros). */
        Tensor merge(Tensor baseGrad, Tensor viewGrad);
    }

    private final Node fn;
    private final Slicer slicer;

    /** Wraps {@code fn}, the node of an in-place op whose input 0 is the view, for {@code base}. */
    public CopySlices(Tensor base, Node fn, Slicer slicer) {
        super(edges(base, fn), inputNrs(base, fn), shapes(base, fn), dtypes(base, fn));
        this.fn = fn;
        this.slicer = slicer;
    }

    private static Node[] edges(Tensor base, Node fn) {
        Node[] e = fn.nextNodes.clone();
        e[0] = !base.requiresGrad() ? null : base.gradFn() != null ? base.gradFn() : base.gradAccumulator();
        return e;
    }

    private static int[] inputNrs(Tensor base, Node fn) {
        int[] n = fn.nextInputNrs.clone();
        n[0] = base.gradFn() != null ? base.outputNr() : 0;
        return n;
    }

    private static int[][] shapes(Tensor base, Node fn) {
        int[][] s = fn.inputShapes.clone();
        s[0] = base.shape();
        return s;
    }

    private static DType[] dtypes(Tensor base, Node fn) {
        DType[] d = fn.inputDtypes.clone();
        d[0] = base.dtype();
        return d;
    }

    @Override
    public String name() { return "CopySlices"; }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        Tensor g = gradOutputs[0];
        Tensor slice = slicer.slice(g);
        Tensor[] res = fn.apply(new Tensor[]{slice});
        Tensor[] out = new Tensor[numInputs()];
        Tensor r0 = res.length > 0 ? res[0] : null;
        if (r0 != null && !java.util.Arrays.equals(r0.shape(), slice.shape())) r0 = r0.sumTo(slice.shape());
        out[0] = slicer.merge(g, r0);
        for (int i = 1; i < out.length && i < res.length; i++) out[i] = res[i];
        return out;
    }

    @Override
    protected void release() {
        fn.release();   // its formula and saved values; the node itself stays, as in PyTorch
    }
}
