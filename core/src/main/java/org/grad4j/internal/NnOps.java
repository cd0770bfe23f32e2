package org.grad4j.internal;

import org.grad4j.Tensor;
import org.grad4j.kernels.NeuralKernels.Window;

/**
 * The nn primitives that need a tensor's internals (im2col/col2im, convolution, max pooling,
 * embedding, zero padding, float32 batch norm), for {@code org.grad4j.nn.functional}. Not exported:
 * users call {@code F}. The ops themselves live in {@code org.grad4j.NnOps}; this class forwards
 * to them through {@link TensorAccess}.
 */
public final class NnOps {
    private NnOps() {}

    private static final TensorAccess T = TensorAccess.get();

    /** Sliding-window geometry for an [N, C, H, W] input; output sizes as PyTorch computes them. */
    public static Window window(int[] x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, String op) {
        return T.window(x, kh, kw, sh, sw, ph, pw, dh, dw, op);
    }

    /** Index of the first target outside [0, classes) that is not ignoreIndex, or -1 (nll_loss's check). */
    public static int firstBadTarget(Tensor target, int classes, long ignoreIndex) { return T.firstBadTarget(target, classes, ignoreIndex); }

    /** Flat indices of each adaptive max-pooling window's maximum, for [P, H, W] planes. */
    public static Tensor adaptiveMaxIndices(Tensor x, int oh, int ow) { return T.adaptiveMaxIndices(x, oh, ow); }

    /** im2col of [N, C, H, W] into [C*kh*kw, N*oh*ow] (node Im2ColBackward0). */
    public static Tensor im2col(Tensor x, Window g) { return T.im2col(x, g); }

    /** col2im of [C*kh*kw, N*oh*ow] into [N, C, H, W], overlaps summed (node Col2ImBackward0). */
    public static Tensor col2im(Tensor cols, Window g) { return T.col2im(cols, g); }

    /** 2-D convolution of [N, C, H, W] by [O, C, kh, kw] with an optional bias [O]. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int sh, int sw, int ph, int pw, int dh, int dw) {
        return T.conv2d(x, w, b, sh, sw, ph, pw, dh, dw);
    }

    /** Fused float32 batch norm (null when the inputs do not qualify: the caller composes it from ops). */
    public static Tensor batchNormF32(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                      boolean training, double momentum, double eps) {
        return T.batchNormF32(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** Zero padding, pads given last dimension first as in {@code F.pad}. */
    public static Tensor padZeros(Tensor x, int... pads) { return T.padZeros(x, pads); }

    /** Output length of a pooling window, as PyTorch's pooling_output_shape. */
    public static int poolOut(int in, int k, int pad, int stride, int dil, boolean ceil) { return T.poolOut(in, k, pad, stride, dil, ceil); }

    /** 2-D max pooling: {values, int64 indices}. */
    public static Tensor[] maxPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, boolean ceil) {
        return T.maxPool2d(x, kh, kw, sh, sw, ph, pw, dh, dw, ceil);
    }

    /** Rows of {@code weight} picked by {@code indices}; rows at paddingIdx get no gradient. */
    public static Tensor embedding(Tensor indices, Tensor weight, long paddingIdx) { return T.embedding(indices, weight, paddingIdx); }
}
