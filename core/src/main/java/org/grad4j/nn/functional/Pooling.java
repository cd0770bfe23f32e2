package org.grad4j.nn.functional;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.internal.NnOps;
import org.grad4j.kernels.NeuralKernels.Window;

import java.util.Arrays;

/** Max, average and adaptive pooling over 1-d and 2-d inputs. */
final class Pooling {
    private Pooling() {}

    private static Tensor batched(Tensor x, int nd, String op) {
        if (x.dim() == nd + 1) return x.unsqueeze(0);
        if (x.dim() == nd + 2) return x;
        throw new IllegalArgumentException(op + ": Expected " + (nd + 1) + "D or " + (nd + 2) + "D (batch mode) tensor "
                + "for input, got " + x.dim() + "D input of shape " + Arrays.toString(x.shape()));
    }

    /** Returns {values, indices}; indices are flat positions within each H*W plane, as in PyTorch. */
    static Tensor[] maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceil) {
        int[] k = Convolutions.expand(kernel, 2, "kernel_size", "max_pool2d");
        int[] s = stride == null || stride.length == 0 ? k : Convolutions.expand(stride, 2, "stride", "max_pool2d");
        int[] p = Convolutions.expand(padding, 2, "padding", "max_pool2d");
        int[] d = Convolutions.expand(dilation, 2, "dilation", "max_pool2d");
        boolean unb = x.dim() == 3;
        Tensor xb = batched(x, 2, "max_pool2d");
        Tensor[] r = NnOps.maxPool2d(xb, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], ceil);
        return unb ? new Tensor[]{r[0].squeeze(0), r[1].squeeze(0)} : r;
    }

    static Tensor[] maxPool1d(Tensor x, int kernel, int stride, int padding, int dilation, boolean ceil) {
        boolean unb = x.dim() == 2;
        Tensor xb = batched(x, 1, "max_pool1d").unsqueeze(2);
        Tensor[] r = NnOps.maxPool2d(xb, 1, kernel, 1, stride <= 0 ? kernel : stride, 0, padding, 1, dilation, ceil);
        Tensor v = r[0].squeeze(2), i = r[1].squeeze(2);
        return unb ? new Tensor[]{v.squeeze(0), i.squeeze(0)} : new Tensor[]{v, i};
    }

    /** Average pooling: window sums from im2col divided by PyTorch's divisor for each output position. */
    static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceil, boolean countIncludePad,
                            Integer divisorOverride) {
        int[] k = Convolutions.expand(kernel, 2, "kernel_size", "avg_pool2d");
        int[] s = stride == null || stride.length == 0 ? k : Convolutions.expand(stride, 2, "stride", "avg_pool2d");
        int[] p = Convolutions.expand(padding, 2, "padding", "avg_pool2d");
        if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
            throw new IllegalArgumentException("avg_pool2d: pad should be at most half of effective kernel size, but got pad="
                    + Arrays.toString(p) + ", kernel_size=" + Arrays.toString(k));
        }
        if (divisorOverride != null && divisorOverride == 0) throw new IllegalArgumentException("avg_pool2d: divisor must be not zero");
        boolean unb = x.dim() == 3;
        Tensor xb = batched(x, 2, "avg_pool2d");
        int n = xb.size(0), c = xb.size(1), h = xb.size(2), w = xb.size(3);
        int oh = NnOps.poolOut(h, k[0], p[0], s[0], 1, ceil), ow = NnOps.poolOut(w, k[1], p[1], s[1], 1, ceil);
        if (oh <= 0 || ow <= 0) throw new IllegalArgumentException("avg_pool2d: Output size is too small for input " + Arrays.toString(x.shape()));
        Window g = new Window(n * c, 1, h, w, k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, oh, ow);
        Tensor sums = NnOps.im2col(xb.reshape(n * c, 1, h, w), g).sum(0).reshape(n, c, oh, ow);
        double[] div = new double[oh * ow];
        for (int y = 0; y < oh; y++)
            for (int xx = 0; xx < ow; xx++) {
                int hs = y * s[0] - p[0], ws = xx * s[1] - p[1];
                int he = Math.min(hs + k[0], h + p[0]), we = Math.min(ws + k[1], w + p[1]);
                int pool = (he - hs) * (we - ws);
                hs = Math.max(hs, 0); ws = Math.max(ws, 0); he = Math.min(he, h); we = Math.min(we, w);
                div[y * ow + xx] = divisorOverride != null ? divisorOverride : countIncludePad ? pool : (he - hs) * (we - ws);
            }
        Tensor out = sums.div(Grad4j.fromArray(div, oh, ow).to(x.device(), x.dtype()));
        return unb ? out.squeeze(0) : out;
    }

    static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding, boolean ceil, boolean countIncludePad) {
        boolean unb = x.dim() == 2;
        Tensor xb = batched(x, 1, "avg_pool1d").unsqueeze(2);
        Tensor y = avgPool2d(xb, new int[]{1, kernel}, new int[]{1, stride <= 0 ? kernel : stride}, new int[]{0, padding},
                ceil, countIncludePad, null).squeeze(2);
        return unb ? y.squeeze(0) : y;
    }

    static int start(int i, int in, int out) { return (int) Math.floor((double) i * in / out); }

    static int end(int i, int in, int out) { return (int) Math.ceil((double) (i + 1) * in / out); }

    /**
     * Averages PyTorch's adaptive windows along {@code dim}. Each output reads only its own window (gathers, not
     * a dense averaging matrix, whose zero weights would spread a NaN or inf to every output of the row).
     */
    static Tensor adaptiveAvg(Tensor x, int dim, int out) {
        int in = x.size(dim);
        if (out > 0 && in % out == 0) {
            // equal windows (global pooling included): a reshape and a mean
            int[] sh = x.shape(), r = new int[sh.length + 1];
            for (int i = 0, j = 0; i < sh.length; i++) {
                if (i == dim) { r[j++] = out; r[j++] = in / out; } else r[j++] = sh[i];
            }
            return x.reshape(r).mean(new int[]{dim + 1}, false);
        }
        int k = 0;
        for (int i = 0; i < out; i++) k = Math.max(k, end(i, in, out) - start(i, in, out));
        Tensor sum = null;
        long[] count = new long[out];
        for (int t = 0; t < k; t++) {
            long[] idx = new long[out];
            boolean[] valid = new boolean[out];
            for (int i = 0; i < out; i++) {
                int a = start(i, in, out), b = end(i, in, out);
                valid[i] = a + t < b;
                idx[i] = Math.min(a + t, b - 1);
                if (valid[i]) count[i]++;
            }
            Tensor g = x.indexSelect(dim, Grad4j.tensor(idx, null, x.device()));
            Tensor term = Grad4j.where(alongDim(Grad4j.tensor(valid, null, x.device()), dim, x.dim()), g, Grad4j.zerosLike(g));
            sum = sum == null ? term : sum.add(term);
        }
        double[] c = new double[out];
        for (int i = 0; i < out; i++) c[i] = count[i];
        return sum.div(alongDim(Grad4j.fromArray(c, out).to(x.device(), x.dtype()), dim, x.dim()));
    }

    /** A 1-d tensor shaped to broadcast along {@code dim} of a rank-{@code rank} tensor. */
    private static Tensor alongDim(Tensor v, int dim, int rank) {
        int[] sh = new int[rank];
        Arrays.fill(sh, 1);
        sh[dim] = v.size(0);
        return v.reshape(sh);
    }

    static Tensor adaptiveAvgPool2d(Tensor x, int oh, int ow) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got " + Arrays.toString(x.shape()));
        }
        int h = x.size(-2), w = x.size(-1);
        oh = oh <= 0 ? h : oh;
        ow = ow <= 0 ? w : ow;
        return adaptiveAvg(adaptiveAvg(x, x.dim() - 1, ow), x.dim() - 2, oh);
    }

    static Tensor adaptiveAvgPool1d(Tensor x, int out) {
        if (x.dim() != 2 && x.dim() != 3) {
            throw new IllegalArgumentException("adaptive_avg_pool1d(): Expected 2D or 3D tensor, but got " + Arrays.toString(x.shape()));
        }
        return adaptiveAvg(x, x.dim() - 1, out);
    }

    /** Returns {values, indices}: each output picks the first maximum of its adaptive window. */
    static Tensor[] adaptiveMaxPool2d(Tensor x, int oh, int ow) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("adaptive_max_pool2d(): Expected 3D or 4D tensor, but got " + Arrays.toString(x.shape()));
        }
        boolean unb = x.dim() == 3;
        Tensor xb = unb ? x.unsqueeze(0) : x;
        int n = xb.size(0), c = xb.size(1), h = xb.size(2), w = xb.size(3);
        oh = oh <= 0 ? h : oh;
        ow = ow <= 0 ? w : ow;
        Tensor ind = NnOps.adaptiveMaxIndices(xb.reshape(n * c, h, w), oh, ow).reshape(n, c, oh * ow);
        Tensor out = xb.reshape(n, c, h * w).gather(2, ind).reshape(n, c, oh, ow);
        Tensor ir = ind.reshape(n, c, oh, ow);
        return unb ? new Tensor[]{out.squeeze(0), ir.squeeze(0)} : new Tensor[]{out, ir};
    }

    /** Rearranges [*, C*r*r, H, W] to [*, C, H*r, W*r]. */
    static Tensor pixelShuffle(Tensor x, int r) {
        if (x.dim() < 3 || x.size(-3) % (r * r) != 0) {
            throw new IllegalArgumentException("pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
                    + "square of upscale_factor, but input.size(-3)=" + (x.dim() < 3 ? "n/a" : x.size(-3))
                    + " is not divisible by " + r * r);
        }
        int[] sh = x.shape();
        int lead = sh.length - 3, c = sh[lead] / (r * r), h = sh[lead + 1], w = sh[lead + 2];
        int b = 1;
        for (int i = 0; i < lead; i++) b *= sh[i];
        Tensor y = x.reshape(b, c, r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(b, c, h * r, w * r);
        int[] os = Arrays.copyOf(sh, sh.length);
        os[lead] = c; os[lead + 1] = h * r; os[lead + 2] = w * r;
        return y.reshape(os);
    }

    static Tensor pixelUnshuffle(Tensor x, int r) {
        int[] sh = x.shape();
        int lead = sh.length - 3, c = sh[lead], h = sh[lead + 1] / r, w = sh[lead + 2] / r;
        if (sh[lead + 1] % r != 0 || sh[lead + 2] % r != 0) {
            throw new IllegalArgumentException("pixel_unshuffle expects height and width to be divisible by downscale_factor " + r);
        }
        int b = 1;
        for (int i = 0; i < lead; i++) b *= sh[i];
        Tensor y = x.reshape(b, c, h, r, w, r).permute(0, 1, 3, 5, 2, 4).reshape(b, c * r * r, h, w);
        int[] os = Arrays.copyOf(sh, sh.length);
        os[lead] = c * r * r; os[lead + 1] = h; os[lead + 2] = w;
        return y.reshape(os);
    }

    /**
     * Resamples {@code dim} to {@code out} points (nearest or linear, PyTorch's source-index rules) as
     * {@code w0 * x[i0] + w1 * x[i1]}: each output reads only its own source points, as libtorch's kernels do
     * (a dense interpolation matrix would spread a NaN or inf to every output).
     */
    static Tensor resample(Tensor x, int dim, int out, String mode, boolean alignCorners, Double scaleFactor) {
        int in = x.size(dim);
        long[] i0 = new long[out], i1 = new long[out];
        double[] w1 = new double[out];
        for (int i = 0; i < out; i++) {
            if (mode.startsWith("nearest")) {
                double scale = scaleFactor != null ? 1.0 / scaleFactor : (double) in / out;
                double pos = mode.equals("nearest") ? i * scale : (i + 0.5) * scale;
                i0[i] = Math.min((int) Math.floor(pos), in - 1);
                continue;
            }
            double src;
            if (alignCorners) src = out > 1 ? i * (double) (in - 1) / (out - 1) : 0;
            else {
                double scale = scaleFactor != null ? 1.0 / scaleFactor : (double) in / out;
                src = Math.max((i + 0.5) * scale - 0.5, 0);
            }
            int a = Math.min((int) src, in - 1);
            i0[i] = a;
            i1[i] = a + (a < in - 1 ? 1 : 0);
            w1[i] = src - a;
        }
        Tensor x0 = x.indexSelect(dim, Grad4j.tensor(i0, null, x.device()));
        if (mode.startsWith("nearest")) return x0;
        double[] w0 = new double[out];
        for (int i = 0; i < out; i++) w0[i] = 1 - w1[i];
        Tensor a0 = alongDim(Grad4j.fromArray(w0, out).to(x.device(), x.dtype()), dim, x.dim());
        Tensor a1 = alongDim(Grad4j.fromArray(w1, out).to(x.device(), x.dtype()), dim, x.dim());
        return x0.mul(a0).add(x.indexSelect(dim, Grad4j.tensor(i1, null, x.device())).mul(a1));
    }

    static Tensor interpolate(Tensor x, int[] size, double[] scale, String mode, Boolean alignCorners) {
        int nd = x.dim() - 2;
        if (nd < 1 || nd > 2) {
            throw new IllegalArgumentException("interpolate: expected a 3-D or 4-D input [N, C, (H,) W], got "
                    + Arrays.toString(x.shape()) + " (3-d interpolation is not supported)");
        }
        boolean linear = mode.equals("linear") || mode.equals("bilinear");
        if (!linear && !mode.startsWith("nearest")) {
            throw new IllegalArgumentException("interpolate: unsupported mode '" + mode + "'; use nearest, nearest-exact, linear or bilinear");
        }
        if (linear && (mode.equals("linear") ? nd != 1 : nd != 2)) {
            throw new IllegalArgumentException("interpolate: mode '" + mode + "' expects a " + (mode.equals("linear") ? 3 : 4)
                    + "-D input, got " + Arrays.toString(x.shape()));
        }
        if (!linear && alignCorners != null) {
            throw new IllegalArgumentException("align_corners option can only be set with the interpolating modes: linear | "
                    + "bilinear | bicubic | trilinear");
        }
        if ((size == null) == (scale == null)) {
            throw new IllegalArgumentException("interpolate: either size or scale_factor should be defined (exactly one)");
        }
        boolean ac = alignCorners != null && alignCorners;
        Tensor out = x;
        // the last axis first, as libtorch's bilinear kernel nests them: h0 * (w0 * x00 + w1 * x01) + h1 * (...)
        for (int i = nd - 1; i >= 0; i--) {
            int in = x.size(2 + i);
            Double sf = scale == null ? null : (scale.length == 1 ? scale[0] : scale[i]);
            int o = size != null ? (size.length == 1 ? size[0] : size[i]) : (int) Math.floor(in * sf);
            out = resample(out, 2 + i, o, linear ? "linear" : mode, ac, sf);
        }
        return out;
    }
}
