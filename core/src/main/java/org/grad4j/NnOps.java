package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.NeuralKernels.Window;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;


/**
 * Neural-network primitives that need the tensor internals: im2col/col2im, convolution, max
 * pooling, embedding and zero padding. Internal: users call {@code org.grad4j.nn.functional.F}. Each op records
 * one node with PyTorch's name; its gradient is written with differentiable ops, so double
 * backward works.
 */
final class NnOps {
    private NnOps() {}

    /** A contiguous tensor whose data starts at index 0 of its storage array (what the kernels read). */
    static Tensor dense(Tensor t) {
        return t.isContiguous() && t.offset == 0 ? t : OpSupport.copyOf(t);
    }

    static void checkFloat(Tensor t, String op) {
        if (!t.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating point input, got " + t.dtype
                    + " (shape " + Shapes.str(t.shape) + "). Fix: convert first with .toFloat()");
        }
    }

    // ------------------------------------------------------------------ im2col / col2im

    /** Sliding-window geometry for an [N, C, H, W] input; output sizes as PyTorch computes them. */
    public static Window window(int[] x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, String op) {
        int oh = (x[2] + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (x[3] + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        if (x[2] + 2 * ph - dh * (kh - 1) - 1 < 0 || x[3] + 2 * pw - dw * (kw - 1) - 1 < 0 || oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": Calculated output size: (" + oh + "x" + ow + "). Output size is too small "
                    + "(input " + Shapes.str(x) + ", kernel " + kh + "x" + kw + ", stride " + sh + "x" + sw + ", padding "
                    + ph + "x" + pw + ", dilation " + dh + "x" + dw + "). Fix: use a larger input, a smaller kernel or more padding");
        }
        return new Window(x[0], x[1], x[2], x[3], kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
    }

    /**
     * im2col of [N, C, H, W] into [C*kh*kw, N*oh*ow] (node Im2ColBackward0; its gradient is col2im).
     */
    public static Tensor im2col(Tensor x, Window g) {
        Tensor xd = dense(x);
        Tensor out = Tensor.emptyLike(x, new int[]{g.cols(), g.positions()}, x.dtype);
        x.backend().nn().im2col(xd.storage, out.storage, g);
        if (Graph.needsGrad(x)) Graph.record(out, "Im2ColBackward0", (gr, n) -> new Tensor[]{col2im(gr[0], g)}, null, x);
        return out;
    }

    /** col2im of [C*kh*kw, N*oh*ow] into [N, C, H, W], overlaps summed (node Col2ImBackward0; gradient im2col). */
    public static Tensor col2im(Tensor cols, Window g) {
        Tensor cd = dense(cols);
        Tensor out = Tensor.emptyLike(cols, new int[]{g.n(), g.c(), g.h(), g.w()}, cols.dtype);
        cols.backend().nn().col2im(cd.storage, out.storage, g);
        if (Graph.needsGrad(cols)) Graph.record(out, "Col2ImBackward0", (gr, n) -> new Tensor[]{im2col(gr[0], g)}, null, cols);
        return out;
    }

    // ------------------------------------------------------------------ convolution

    /**
     * 2-d convolution without groups of [N, C, H, W] with weight [O, C, kh, kw] (node
     * ConvolutionBackward0): im2col, then one GEMM for the whole batch.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int sh, int sw, int ph, int pw, int dh, int dw) {
        int o = w.shape[0];
        Window g = window(x.shape, w.shape[2], w.shape[3], sh, sw, ph, pw, dh, dw, "conv2d");
        if (x.dtype == DType.FLOAT32 && w.dtype == DType.FLOAT32 && (b == null || b.dtype == DType.FLOAT32)
                && w.shape[1] == g.c()) {
            return conv2dF32(x, w, b, g);
        }
        Tensor out, cols;
        try (var ng = Autograd.noGrad()) {
            cols = im2col(x, g);
            out = convFromCols(cols, w, b, g);
        }
        if (Graph.needsGrad(x, w) || (b != null && Graph.needsGrad(b))) {
            SavedTensor sx = Graph.save(x), swt = Graph.save(w);
            // keeping the im2col matrix saves recomputing it for the weight gradient; only when it is small
            SavedTensor sc = Graph.needsGrad(w) && (long) cols.numel() * cols.dtype.itemSize() <= SAVE_COLS_BYTES
                    ? Graph.save(cols) : null;
            boolean hasBias = b != null;
            Graph.record(out, "ConvolutionBackward0", (gr, n) -> convBackwardComposite(gr[0], sx.unpack(), swt.unpack(),
                    hasBias, g, n, sc == null ? null : sc.unpack()), new SavedTensor[]{sx, swt, sc}, x, w, b);
        }
        return out;
    }

    /**
     * float32 conv2d with its own kernels ({@link org.grad4j.kernels.NeuralKernels#conv2dForward}): no batch-wide column
     * matrix, no permute copy. Its backward uses the matching kernels, or, when the backward
     * itself is recorded (create_graph), the differentiable formula of {@link #convBackwardComposite}.
     */
    private static Tensor conv2dF32(Tensor x, Tensor w, Tensor b, Window g) {
        int o = w.shape[0];
        Tensor out = Tensor.emptyLike(DeviceOps.common("conv2d", x, w, b), new int[]{g.n(), o, g.oh(), g.ow()}, DType.FLOAT32);
        x.backend().nn().conv2dForward(dense(x).storage, dense(w).storage, b == null ? null : dense(b).storage, out.storage, o, g);
        if (Graph.needsGrad(x, w) || (b != null && Graph.needsGrad(b))) {
            SavedTensor sx = Graph.save(x), swt = Graph.save(w);
            boolean hasBias = b != null;
            Graph.record(out, "ConvolutionBackward0", (gr, n) -> {
                Tensor go = gr[0], xs = sx.unpack(), ws = swt.unpack();
                if (go.dtype != DType.FLOAT32 || Graph.needsGrad(go, xs) || Graph.needsGrad(ws)) {
                    return convBackwardComposite(go, xs, ws, hasBias, g, n, null);
                }
                Tensor gx = n.needsInputGrad(0) ? Tensor.zerosOf(xs.shape.clone(), DType.FLOAT32, xs.device()) : null;
                Tensor gw = n.needsInputGrad(1) ? Tensor.emptyLike(ws, ws.shape.clone(), DType.FLOAT32) : null;
                Tensor gb = hasBias && n.needsInputGrad(2) ? Tensor.emptyLike(xs, new int[]{o}, DType.FLOAT32) : null;
                xs.backend().nn().conv2dBackward(dense(xs).storage, dense(ws).storage, dense(go).storage, o, g,
                        gx == null ? null : gx.storage, gw == null ? null : gw.storage, gb == null ? null : gb.storage);
                return new Tensor[]{gx, gw, gb};
            }, new SavedTensor[]{sx, swt}, x, w, b);
        }
        return out;
    }

    /**
     * conv2d's gradients written with differentiable ops (col2im, mm, im2col), so that double
     * backward works; {@code cols} is the forward's im2col matrix when it was kept, else null.
     */
    private static Tensor[] convBackwardComposite(Tensor gout, Tensor xs, Tensor ws, boolean hasBias, Window g,
                                                  org.grad4j.autograd.Node n, Tensor cols) {
        int o = ws.shape[0], L = g.oh() * g.ow();
        Tensor go = gout.permute(1, 0, 2, 3).reshape(o, g.n() * L);
        Tensor wf = ws.reshape(o, g.cols());
        Tensor gx = n.needsInputGrad(0) ? col2im(wf.t().mm(go), g) : null;
        Tensor gw = null;
        if (n.needsInputGrad(1)) {
            Tensor c = cols != null && !Graph.needsGrad(xs) ? cols : im2col(xs, g);
            gw = go.mm(c.t()).reshape(ws.shape);
        }
        Tensor gb = hasBias && n.needsInputGrad(2) ? go.sum(1) : null;
        return new Tensor[]{gx, gw, gb};
    }

    // ------------------------------------------------------------------ batch norm (float32)

    /**
     * float32 batch norm of x [N, C, *] with the kernels of {@link org.grad4j.kernels.NeuralKernels} (statistics, one
     * scale-and-shift pass, fused gradients), recorded as one node named NativeBatchNormBackward0
     * like PyTorch's CPU op; null when it does not apply (other dtypes, empty input): the caller
     * then uses the composite formula. Running statistics are updated as the composite does.
     */
    public static Tensor batchNormF32(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                      boolean training, double momentum, double eps) {
        if (x.dtype != DType.FLOAT32 || (weight != null && weight.dtype != DType.FLOAT32)
                || (bias != null && bias.dtype != DType.FLOAT32)) return null;
        if (!training && (runningMean.dtype != DType.FLOAT32 || runningVar.dtype != DType.FLOAT32)) return null;
        int n = x.shape[0], c = x.shape[1];
        if ((long) n * c == 0 || x.numel() == 0) return null;
        int s = x.numel() / (n * c);
        org.grad4j.storage.Storage xd = dense(x).storage;
        double[] mean = new double[c], var = new double[c];
        if (training) {
            x.backend().nn().batchNormStats(xd, n, c, s, mean, var);
        } else {
            float[] rm = runningMean.toFloatArray(), rv = runningVar.toFloatArray();
            for (int ch = 0; ch < c; ch++) { mean[ch] = rm[ch]; var[ch] = rv[ch]; }
        }
        float[] w = weight == null ? null : weight.toFloatArray(), b = bias == null ? null : bias.toFloatArray();
        double[] invstd = new double[c];
        float[] scale = new float[c], shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            invstd[ch] = 1.0 / Math.sqrt(var[ch] + eps);
            double sc = invstd[ch] * (w == null ? 1.0 : w[ch]);
            scale[ch] = (float) sc;
            shift[ch] = (float) ((b == null ? 0.0 : b[ch]) - mean[ch] * sc);
        }
        Tensor y = Tensor.emptyLike(x, x.shape.clone(), DType.FLOAT32);
        x.backend().nn().batchNormApply(xd, y.storage, n, c, s, scale, shift);
        if (training && (runningMean != null || runningVar != null)) {
            long count = (long) n * s;
            float[] m32 = new float[c], v32 = new float[c];
            for (int ch = 0; ch < c; ch++) { m32[ch] = (float) mean[ch]; v32[ch] = (float) (var[ch] * count / (count - 1)); }
            try (var ng = Autograd.noGrad()) {
                if (runningMean != null) runningMean.mul_(1 - momentum).add_(Grad4j.fromArray(m32, c).to(runningMean.device(), runningMean.dtype), momentum);
                if (runningVar != null) runningVar.mul_(1 - momentum).add_(Grad4j.fromArray(v32, c).to(runningVar.device(), runningVar.dtype), momentum);
            }
        }
        if (Graph.needsGrad(x, weight, bias)) {      // the varargs form: weight and bias may be null
            SavedTensor sx = Graph.save(x), sw = weight == null ? null : Graph.save(weight);
            boolean hasBias = bias != null;
            Graph.record(y, "NativeBatchNormBackward0", (gr, node) -> {
                Tensor g = gr[0], xs = sx.unpack(), ws = sw == null ? null : sw.unpack();
                if (g.dtype != DType.FLOAT32 || Graph.needsGrad(g, xs) || (ws != null && Graph.needsGrad(ws))) {
                    return batchNormBackwardComposite(g, xs, ws, hasBias, training, mean, invstd, eps, node);
                }
                Tensor gx = node.needsInputGrad(0) ? Tensor.emptyLike(xs, xs.shape.clone(), DType.FLOAT32) : null;
                Tensor gw = ws != null && node.needsInputGrad(1) ? Tensor.emptyLike(xs, new int[]{c}, DType.FLOAT32) : null;
                Tensor gb = hasBias && node.needsInputGrad(2) ? Tensor.emptyLike(xs, new int[]{c}, DType.FLOAT32) : null;
                xs.backend().nn().batchNormBackward(dense(xs).storage, dense(g).storage, n, c, s, mean, invstd,
                        ws == null ? null : dense(ws).storage, training, gx == null ? null : gx.storage,
                        gw == null ? null : gw.storage, gb == null ? null : gb.storage);
                return new Tensor[]{gx, gw, gb};
            }, sw == null ? new SavedTensor[]{sx} : new SavedTensor[]{sx, sw}, x, weight, bias);
        }
        return y;
    }

    /** Batch norm's gradients written with differentiable ops (used when the backward is itself recorded). */
    private static Tensor[] batchNormBackwardComposite(Tensor g, Tensor xs, Tensor ws, boolean hasBias, boolean training,
                                                       double[] mean, double[] invstd, double eps, org.grad4j.autograd.Node node) {
        int c = xs.shape[1], r = xs.dim();
        int[] cs = new int[r], dims = new int[r - 1];
        java.util.Arrays.fill(cs, 1);
        cs[1] = c;
        for (int i = 0, j = 0; i < r; i++) if (i != 1) dims[j++] = i;
        Tensor is, xhat;
        if (training) {
            Tensor xc = xs.sub(xs.mean(dims, true));
            is = xc.mul(xc).mean(dims, true).add(eps).pow(-0.5);
            xhat = xc.mul(is);
        } else {
            is = Grad4j.fromArray(invstd, c).to(xs.device(), xs.dtype).reshape(cs);
            xhat = xs.sub(Grad4j.fromArray(mean, c).to(xs.dtype).reshape(cs)).mul(is);
        }
        Tensor gxhat = ws == null ? g : g.mul(ws.reshape(cs));
        Tensor gx = null;
        if (node.needsInputGrad(0)) {
            gx = training ? gxhat.sub(gxhat.mean(dims, true)).sub(xhat.mul(gxhat.mul(xhat).mean(dims, true))).mul(is)
                    : gxhat.mul(is);
        }
        Tensor gw = ws != null && node.needsInputGrad(1) ? g.mul(xhat).sum(dims) : null;
        Tensor gb = hasBias && node.needsInputGrad(2) ? g.sum(dims) : null;
        return new Tensor[]{gx, gw, gb};
    }

    /** Largest im2col matrix conv2d keeps for its backward instead of recomputing it. */
    static final long SAVE_COLS_BYTES = 64L << 20;

    private static Tensor convFromCols(Tensor cols, Tensor w, Tensor b, Window g) {
        int o = w.shape[0];
        Tensor y = w.reshape(o, g.cols()).mm(cols);                     // [O, N*L]
        Tensor perm = y.reshape(o, g.n(), g.oh(), g.ow()).permute(1, 0, 2, 3);
        // the bias add writes the [N, O, oh, ow] layout in the same pass
        return b != null ? perm.add(b.reshape(1, o, 1, 1)) : OpSupport.copyOf(perm);
    }

    // ------------------------------------------------------------------ zero padding

    /**
     * Zero padding of the last dims: {@code pads} lists (left, right) pairs starting from the last
     * dim, as {@code F.pad(x, pads)}; negative pads crop. Node ConstantPadNdBackward0.
     */
    public static Tensor padZeros(Tensor x, int... pads) {
        if (pads.length % 2 != 0 || pads.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: padding length must be divisible by 2 and at most twice the number of "
                    + "dimensions of the input (got " + pads.length + " for a " + x.dim() + "-d input)");
        }
        int r = x.dim();
        int[] outShape = x.shape.clone();
        int[] lo = new int[r];
        for (int i = 0; i < pads.length / 2; i++) {
            int d = r - 1 - i;
            lo[d] = pads[2 * i];
            outShape[d] = x.shape[d] + pads[2 * i] + pads[2 * i + 1];
            if (outShape[d] < 0) {
                throw new IllegalArgumentException("pad: the input size " + x.shape[d] + " at dim " + d + " plus padding "
                        + pads[2 * i] + " and " + pads[2 * i + 1] + " gives a negative size");
            }
        }
        // crop first (negative pads), then embed into zeros
        Tensor src = x;
        for (int d = 0; d < r; d++) {
            int from = Math.max(0, -lo[d]);
            int hiCut = Math.max(0, -(outShape[d] - x.shape[d] - lo[d]));
            if (from > 0 || hiCut > 0) src = src.slice(d, from, x.shape[d] - hiCut);
        }
        int[] cs = Shapes.contiguousStrides(outShape);
        int off = 0;
        for (int d = 0; d < r; d++) off += Math.max(0, lo[d]) * cs[d];
        int[] viewShape = src.shape.clone();
        Tensor out = Tensor.emptyLike(x, outShape, x.dtype);
        out.backend().elementwise().copy(src.strided(), OpSupport.at(out, viewShape, cs, off));
        if (Graph.needsGrad(src)) {
            int o = off;
            Graph.record(out, "ConstantPadNdBackward0", (gr, n) -> new Tensor[]{ShapeOps.window(gr[0], viewShape, cs, o)}, null, src);
        }
        return out;
    }

    // ------------------------------------------------------------------ pooling

    /** PyTorch's pooling_output_shape, including the ceil_mode rule that the last window must start inside. */
    public static int poolOut(int in, int k, int pad, int stride, int dil, boolean ceil) {
        int num = in + 2 * pad - dil * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        int out = Math.floorDiv(num, stride) + 1;
        if (ceil && (out - 1) * stride >= in + pad) out--;
        return out;
    }

    /**
     * Max pooling of [N, C, H, W]; returns {values, int64 indices into each H*W plane}
     * (node MaxPool2DWithIndicesBackward0).
     */
    public static Tensor[] maxPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, boolean ceil) {
        checkFloat(x, "max_pool2d");
        if (ph > kh / 2 || pw > kw / 2) {
            throw new IllegalArgumentException("max_pool2d: pad should be at most half of effective kernel size, but got pad="
                    + ph + "x" + pw + ", kernel_size=" + kh + "x" + kw);
        }
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int oh = poolOut(h, kh, ph, sh, dh, ceil), ow = poolOut(w, kw, pw, sw, dw, ceil);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("max_pool2d: Given input size: (" + c + "x" + h + "x" + w + "). Calculated output "
                    + "size: (" + c + "x" + oh + "x" + ow + "). Output size is too small");
        }
        Window g = new Window(n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
        Tensor xd = dense(x);
        Tensor out = Tensor.emptyLike(x, new int[]{n, c, oh, ow}, x.dtype);
        Tensor idx = Tensor.emptyLike(x, new int[]{n, c, oh, ow}, DType.INT64);
        x.backend().nn().maxPool2d(xd.storage, out.storage, idx.storage, n * c, g);
        if (Graph.needsGrad(x)) {
            int[] in = x.shape;
            SavedTensor si = Graph.save(idx);
            Graph.record(out, "MaxPool2DWithIndicesBackward0", (gr, nd) -> new Tensor[]{
                    scatterPlanes(gr[0], si.unpack(), in)}, new SavedTensor[]{si}, x);
        }
        return new Tensor[]{out, idx};
    }

    /**
     * Row-major index of the first class index of {@code target} (int64/int32) outside [0, classes) that is not
     * {@code ignoreIndex}, or -1: nll_loss's target check.
     */
    public static int firstBadTarget(Tensor target, int classes, long ignoreIndex) {
        return target.backend().elementwise().firstOutOfRange(target.strided(), 0, classes, ignoreIndex);
    }

    /**
     * Adaptive max pooling's argmax over x [planes, H, W]: int64 [planes, oh * ow] holding, for each of
     * PyTorch's adaptive windows, the flat plane index of its first maximum (a NaN wins).
     */
    public static Tensor adaptiveMaxIndices(Tensor x, int oh, int ow) {
        Tensor idx = Tensor.emptyLike(x, new int[]{x.shape[0], oh * ow}, DType.INT64);
        x.backend().nn().adaptiveMaxPool2dIndices(x.strided(), oh, ow, idx.storage);
        return idx;
    }

    /** Adds g [N, C, *] into zeros of shape {@code in} at the flat plane positions idx (max pooling's gradient). */
    static Tensor scatterPlanes(Tensor g, Tensor idx, int[] in) {
        int planes = in[0] * in[1], hw = Shapes.numel(in) / Math.max(1, planes);
        if (!Graph.needsGrad(g) && (g.dtype == DType.FLOAT32 || g.dtype == DType.FLOAT64)
                && g.isContiguous() && idx.isContiguous() && java.util.Arrays.equals(g.shape, idx.shape)) {
            // plain backward (no create_graph): one pass over the gradient, no generic scatter
            Tensor out = Tensor.zerosOf(in.clone(), g.dtype, g.device());
            int l = g.numel() / Math.max(1, planes);
            g.backend().nn().maxPoolBackward(g.storage, g.offset, idx.storage, idx.offset, out.storage, planes, l, hw);
            return out;
        }
        Tensor z = Tensor.zerosOf(new int[]{planes, hw}, g.dtype, g.device());
        return IndexOps.scatterAdd(z, 1, idx.reshape(planes, -1), g.reshape(planes, -1)).reshape(in);
    }

    /**
     * ReLU's gradient given its output y: {@code g} where y > 0, else 0 (PyTorch's threshold_backward;
     * NaN outputs pass the gradient). With create_graph it is written with differentiable ops.
     */
    static Tensor reluBackward(Tensor g, Tensor y) {
        boolean fast = !Graph.needsGrad(g) && g.dtype == y.dtype && (g.dtype == DType.FLOAT32 || g.dtype == DType.FLOAT64)
                && g.isContiguous() && y.isContiguous() && java.util.Arrays.equals(g.shape, y.shape);
        if (!fast) return g.mul(y.gt(0.0).to(g.dtype));
        Tensor out = Tensor.emptyLike(g, g.shape.clone(), g.dtype);
        g.backend().nn().reluBackward(g.storage, g.offset, y.storage, y.offset, out.storage, g.numel());
        return out;
    }

    // ------------------------------------------------------------------ embedding

    /**
     * Rows of {@code weight} [V, D] picked by integer {@code indices} of any shape (node
     * EmbeddingBackward0). Rows equal to paddingIdx get no gradient; pass a negative-free value
     * below -V (e.g. Integer.MIN_VALUE) for none.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, long paddingIdx) {
        if (indices.dtype != DType.INT64 && indices.dtype != DType.INT32) {
            throw new IllegalArgumentException("embedding: Expected tensor for argument #1 'indices' to have one of the following "
                    + "scalar types: Long, Int; but got " + indices.dtype + " instead. Fix: indices.toLong()");
        }
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: 'weight' must be 2-D [num_embeddings, embedding_dim], got shape "
                    + Shapes.str(weight.shape));
        }
        Tensor flat = indices.reshape(-1);
        int[] outShape = java.util.Arrays.copyOf(indices.shape, indices.dim() + 1);
        outShape[indices.dim()] = weight.shape[1];
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            out = IndexOps.indexSelect(weight, 0, flat, "embedding").reshape(outShape);
        }
        if (Graph.needsGrad(weight)) {
            int[] ws = weight.shape;
            SavedTensor si = Graph.save(indices);
            Graph.record(out, "EmbeddingBackward0", (g, n) -> {
                Tensor flatIdx = si.unpack().reshape(-1);
                Tensor gr = g[0].reshape(-1, ws[1]);
                if (paddingIdx >= -ws[0] && paddingIdx < ws[0]) {
                    long p = paddingIdx < 0 ? paddingIdx + ws[0] : paddingIdx;
                    gr = gr.maskedFill(flatIdx.eq((double) p).unsqueeze(1), 0.0);
                }
                return new Tensor[]{IndexOps.indexAdd(Tensor.zerosOf(ws, g[0].dtype, g[0].device()), 0, flatIdx, gr)};
            }, new SavedTensor[]{si}, weight);
        }
        return out;
    }
}
