package org.grad4j;

import org.grad4j.autograd.Node;
import org.grad4j.internal.TensorAccess;
import org.grad4j.kernels.NeuralKernels.Window;

/**
 * The one {@link TensorAccess}: what grad4j's other packages may do with a tensor's package-private
 * state (through {@code org.grad4j.internal.Graph} and {@code org.grad4j.internal.NnOps}). Each method
 * forwards to the field or package-private method it names.
 */
final class TensorInternals extends TensorAccess {
    @Override
    public boolean needsGrad(Tensor a) {
        return (a.leafRequiresGrad || a.gradFn != null || (a.base != null && a.requiresGrad())) && org.grad4j.autograd.GradMode.isEnabled();
    }

    @Override
    public boolean needsGrad(Tensor a, Tensor b) {
        return (a.leafRequiresGrad || a.gradFn != null || b.leafRequiresGrad || b.gradFn != null
                || (a.base != null && a.requiresGrad()) || (b.base != null && b.requiresGrad())) && org.grad4j.autograd.GradMode.isEnabled();
    }

    @Override public boolean isWrappedNumber(Tensor t) { return t.wrappedNumber; }

    @Override public boolean isView(Tensor t) { return t.base != null; }

    @Override public org.grad4j.kernels.Backend backend(Tensor t) { return t.backend(); }

    @Override public void setHistory(Tensor t, Node node, int outputNr) { t.setHistory(node, outputNr); }

    @Override public Tensor viewAlias(Tensor t) { return t.makeView(t.shape, t.strides, t.offset); }

    @Override public void checkInplace(Tensor t, String op) { ViewTracking.checkInplace(t, op); }

    @Override public void rebaseHistory(Tensor t, Node node) { ViewTracking.rebaseHistory(t, node); }

    @Override public void markMultiOutputViews(Tensor[] outs) { ViewTracking.markMultiOutput(outs); }

    @Override public void markCustomFunctionView(Tensor t) { if (t.base != null) t.creationMeta = ViewTracking.IN_CUSTOM_FUNCTION; }

    @Override public void bumpVersion(Tensor t) { t.version.version++; }

    @Override public void setGrad(Tensor t, Tensor g) { t.grad = g; }

    @Override public void addInPlaceUntracked(Tensor t, Tensor g) { t.addInPlaceUntracked(g); }

    @Override
    public Window window(int[] x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, String op) {
        return NnOps.window(x, kh, kw, sh, sw, ph, pw, dh, dw, op);
    }

    @Override public Tensor im2col(Tensor x, Window g) { return NnOps.im2col(x, g); }

    @Override
    public int firstBadTarget(Tensor target, int classes, long ignoreIndex) { return NnOps.firstBadTarget(target, classes, ignoreIndex); }

    @Override public Tensor adaptiveMaxIndices(Tensor x, int oh, int ow) { return NnOps.adaptiveMaxIndices(x, oh, ow); }

    @Override public Tensor col2im(Tensor cols, Window g) { return NnOps.col2im(cols, g); }

    @Override
    public Tensor conv2d(Tensor x, Tensor w, Tensor b, int sh, int sw, int ph, int pw, int dh, int dw) {
        return NnOps.conv2d(x, w, b, sh, sw, ph, pw, dh, dw);
    }

    @Override
    public Tensor batchNormF32(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                               boolean training, double momentum, double eps) {
        return NnOps.batchNormF32(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    @Override public Tensor padZeros(Tensor x, int... pads) { return NnOps.padZeros(x, pads); }

    @Override public int poolOut(int in, int k, int pad, int stride, int dil, boolean ceil) { return NnOps.poolOut(in, k, pad, stride, dil, ceil); }

    @Override
    public Tensor[] maxPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, boolean ceil) {
        return NnOps.maxPool2d(x, kh, kw, sh, sw, ph, pw, dh, dw, ceil);
    }

    @Override public Tensor embedding(Tensor indices, Tensor weight, long paddingIdx) { return NnOps.embedding(indices, weight, paddingIdx); }
}
