package org.grad4j.nn.functional;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.internal.NnOps;
import org.grad4j.kernels.NeuralKernels.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Convolutions (1-3 d), transposed convolutions and unfold/fold, all on top of im2col + GEMM. */
final class Convolutions {
    private Convolutions() {}

    static int[] expand(int[] v, int n, String name, String op) {
        if (v.length == n) return v;
        if (v.length == 1) {
            int[] r = new int[n];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException(op + ": expected " + name + " to be a single integer or a list of " + n
                + " integers, got " + Arrays.toString(v));
    }

    /**
     * N-d convolution (nd = 1, 2, 3). {@code padding} is a list of ints, or null with
     * {@code padMode} "same"/"valid".
     */
    static Tensor conv(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, String padMode, int[] dilation,
                       int groups, int nd) {
        String op = "conv" + nd + "d";
        stride = expand(stride, nd, "stride", op);
        dilation = expand(dilation, nd, "dilation", op);
        boolean unbatched = x.dim() == nd + 1;
        if (x.dim() != nd + 2 && !unbatched) {
            throw new IllegalArgumentException(op + ": Expected " + (nd + 1) + "D (unbatched) or " + (nd + 2)
                    + "D (batched) input to " + op + ", but got input of size: " + Arrays.toString(x.shape()));
        }
        if (unbatched) x = x.unsqueeze(0);
        checkWeight(x, w, b, groups, nd, op);
        int[] lo = new int[nd], hi = new int[nd];
        if (padding != null) {
            lo = expand(padding, nd, "padding", op);
            hi = lo.clone();
        } else if ("same".equals(padMode)) {
            for (int s : stride) {
                if (s != 1) throw new IllegalArgumentException(op + ": padding='same' is not supported for strided convolutions");
            }
            for (int i = 0; i < nd; i++) {
                int total = dilation[i] * (w.size(2 + i) - 1);
                lo[i] = total / 2;
                hi[i] = total - lo[i];
            }
        } else if (!"valid".equals(padMode)) {
            throw new IllegalArgumentException(op + ": Invalid padding string '" + padMode + "', should be one of {'valid', 'same'}");
        }
        for (int p : lo) if (p < 0) throw new IllegalArgumentException(op + ": negative padding is not supported");
        // asymmetric 'same' padding: pad the extra right side explicitly, as PyTorch does
        if (!Arrays.equals(lo, hi)) {
            int[] pads = new int[2 * nd];
            for (int i = 0; i < nd; i++) pads[2 * i + 1] = hi[nd - 1 - i] - lo[nd - 1 - i];
            x = NnOps.padZeros(x, pads);
        }
        Tensor out;
        if (groups == 1) out = convNoGroups(x, w, b, stride, lo, dilation, nd);
        else {
            int cg = x.size(1) / groups, og = w.size(0) / groups;
            List<Tensor> parts = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                Tensor xb = x.narrow(1, g * cg, cg), wb = w.narrow(0, g * og, og);
                parts.add(convNoGroups(xb, wb, b == null ? null : b.narrow(0, g * og, og), stride, lo, dilation, nd));
            }
            out = Grad4j.cat(parts, 1);
        }
        return unbatched ? out.squeeze(0) : out;
    }

    private static void checkWeight(Tensor x, Tensor w, Tensor b, int groups, int nd, String op) {
        if (w.dim() != nd + 2) {
            throw new IllegalArgumentException(op + ": Expected " + (nd + 2) + "-dimensional weight for " + (nd + 2)
                    + "-dimensional input " + Arrays.toString(x.shape()) + ", but got " + w.dim() + "-dimensional weight of size "
                    + Arrays.toString(w.shape()));
        }
        if (groups <= 0) throw new IllegalArgumentException(op + ": non-positive groups is not supported");
        if (x.size(1) != w.size(1) * groups) {
            throw new IllegalArgumentException(op + ": Given groups=" + groups + ", weight of size " + Arrays.toString(w.shape())
                    + ", expected input" + Arrays.toString(x.shape()) + " to have " + w.size(1) * groups
                    + " channels, but got " + x.size(1) + " channels instead");
        }
        if (w.size(0) % groups != 0) {
            throw new IllegalArgumentException(op + ": Given groups=" + groups + ", expected weight to be divisible by "
                    + groups + " at dimension 0, but got weight of size " + Arrays.toString(w.shape()) + " instead");
        }
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(0))) {
            throw new IllegalArgumentException(op + ": Given weight of size " + Arrays.toString(w.shape())
                    + ", expected bias to be 1-dimensional with " + w.size(0) + " elements, but got bias of size "
                    + Arrays.toString(b.shape()) + " instead");
        }
        if (x.dtype() != w.dtype() || (b != null && b.dtype() != w.dtype())) {
            throw new IllegalArgumentException(op + ": Input type (" + x.dtype() + ") and weight type (" + w.dtype()
                    + ") should be the same" + (b != null ? " as the bias type (" + b.dtype() + ")" : "")
                    + ". Fix: convert the input, e.g. x.to(w.dtype())");
        }
    }

    private static Tensor convNoGroups(Tensor x, Tensor w, Tensor b, int[] s, int[] p, int[] d, int nd) {
        if (nd == 2) return NnOps.conv2d(x, w, b, s[0], s[1], p[0], p[1], d[0], d[1]);
        if (nd == 1) {
            Tensor y = NnOps.conv2d(x.unsqueeze(2), w.unsqueeze(2), b, 1, s[0], 0, p[0], 1, d[0]);
            return y.squeeze(2);
        }
        // 3-d: one 2-d convolution per kernel depth over the matching (strided) depth slices, summed
        int n = x.size(0), c = x.size(1), dIn = x.size(2), kd = w.size(2), o = w.size(0);
        int od = (dIn + 2 * p[0] - d[0] * (kd - 1) - 1) / s[0] + 1;
        if (od <= 0) throw new IllegalArgumentException("conv3d: Output size is too small for input " + Arrays.toString(x.shape()));
        Tensor xp = p[0] > 0 ? NnOps.padZeros(x, 0, 0, 0, 0, p[0], p[0]) : x;
        Tensor sum = null;
        for (int k = 0; k < kd; k++) {
            int start = k * d[0];
            Tensor xs = xp.slice(2, start, start + (od - 1) * s[0] + 1, s[0]);              // [N, C, OD, H, W]
            Tensor xb = xs.permute(0, 2, 1, 3, 4).reshape(n * od, c, x.size(3), x.size(4));
            Tensor y = NnOps.conv2d(xb, w.select(2, k), k == 0 ? b : null, s[1], s[2], p[1], p[2], d[1], d[2]);
            sum = sum == null ? y : sum.add(y);
        }
        int oh = sum.size(2), ow = sum.size(3);
        return sum.reshape(n, od, o, oh, ow).permute(0, 2, 1, 3, 4).contiguous();
    }

    /** Transposed convolution (1-d or 2-d): the gradient of conv with respect to its input. */
    static Tensor convTranspose(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] outputPadding,
                                int groups, int[] dilation, int nd) {
        String op = "conv_transpose" + nd + "d";
        if (nd == 1) {
            boolean unb = x.dim() == 2;
            Tensor x2 = (unb ? x.unsqueeze(0) : x).unsqueeze(2);
            Tensor y = convTranspose(x2, w.unsqueeze(2), b, new int[]{1, expand(stride, 1, "stride", op)[0]},
                    new int[]{0, expand(padding, 1, "padding", op)[0]}, new int[]{0, expand(outputPadding, 1, "output_padding", op)[0]},
                    groups, new int[]{1, expand(dilation, 1, "dilation", op)[0]}, 2).squeeze(2);
            return unb ? y.squeeze(0) : y;
        }
        int[] s = expand(stride, 2, "stride", op), p = expand(padding, 2, "padding", op);
        int[] opad = expand(outputPadding, 2, "output_padding", op), d = expand(dilation, 2, "dilation", op);
        boolean unbatched = x.dim() == 3;
        if (unbatched) x = x.unsqueeze(0);
        if (x.dim() != 4 || w.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-d input and weight, got " + Arrays.toString(x.shape())
                    + " and " + Arrays.toString(w.shape()));
        }
        if (x.size(1) != w.size(0) || x.size(1) % groups != 0) {
            throw new IllegalArgumentException(op + ": Given transposed=1, weight of size " + Arrays.toString(w.shape())
                    + ", expected input" + Arrays.toString(x.shape()) + " to have " + w.size(0) + " channels, but got "
                    + x.size(1) + " channels instead");
        }
        for (int i = 0; i < 2; i++) {
            if (opad[i] >= s[i] && opad[i] >= d[i]) {
                throw new IllegalArgumentException(op + ": output padding must be smaller than either stride or dilation, "
                        + "but got output_padding=" + Arrays.toString(opad) + ", stride=" + Arrays.toString(s)
                        + ", dilation=" + Arrays.toString(d));
            }
        }
        int cin = x.size(1), cg = cin / groups, og = w.size(1);
        List<Tensor> parts = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            Tensor xg = groups == 1 ? x : x.narrow(1, g * cg, cg);
            Tensor wg = groups == 1 ? w : w.narrow(0, g * cg, cg);
            parts.add(transposeNoGroups(xg, wg, s, p, opad, d));
        }
        Tensor out = groups == 1 ? parts.get(0) : Grad4j.cat(parts, 1);
        if (b != null) out = out.add(b.reshape(1, og * groups, 1, 1));
        return unbatched ? out.squeeze(0) : out;
    }

    private static Tensor transposeNoGroups(Tensor x, Tensor w, int[] s, int[] p, int[] opad, int[] d) {
        int n = x.size(0), cin = x.size(1), h = x.size(2), wd = x.size(3);
        int cout = w.size(1), kh = w.size(2), kw = w.size(3);
        int oh = (h - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + opad[0] + 1;
        int ow = (wd - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + opad[1] + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("conv_transpose2d: output size " + oh + "x" + ow + " is too small");
        }
        Window g = new Window(n, cout, oh, ow, kh, kw, s[0], s[1], p[0], p[1], d[0], d[1], h, wd);
        Tensor xf = x.permute(1, 0, 2, 3).reshape(cin, n * h * wd);
        Tensor cols = w.reshape(cin, cout * kh * kw).t().mm(xf);
        return NnOps.col2im(cols, g);
    }

    /** F.unfold: [N, C, H, W] to [N, C*kh*kw, L]. */
    static Tensor unfold(Tensor x, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("unfold: Input Error: Only 4D input Tensors are supported (got "
                    + x.dim() + "D, shape " + Arrays.toString(x.shape()) + ")");
        }
        int[] k = expand(kernel, 2, "kernel_size", "unfold"), d = expand(dilation, 2, "dilation", "unfold");
        int[] p = expand(padding, 2, "padding", "unfold"), s = expand(stride, 2, "stride", "unfold");
        Window g = NnOps.window(x.shape(), k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], "unfold");
        Tensor cols = NnOps.im2col(x, g);
        return cols.reshape(g.cols(), g.n(), g.oh() * g.ow()).permute(1, 0, 2);
    }

    /** F.fold: [N, C*kh*kw, L] to [N, C, H, W], overlapping values summed. */
    static Tensor fold(Tensor cols, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (cols.dim() != 3) {
            throw new IllegalArgumentException("fold: Expected 3D input tensor [N, C*kh*kw, L], got shape "
                    + Arrays.toString(cols.shape()));
        }
        int[] o = expand(outputSize, 2, "output_size", "fold"), k = expand(kernel, 2, "kernel_size", "fold");
        int[] d = expand(dilation, 2, "dilation", "fold"), p = expand(padding, 2, "padding", "fold");
        int[] s = expand(stride, 2, "stride", "fold");
        int n = cols.size(0), ckk = cols.size(1);
        if (ckk % (k[0] * k[1]) != 0) {
            throw new IllegalArgumentException("fold: Expected size of input's dimension 1 to be divisible by the product of "
                    + "kernel_size, but got input.size(1)=" + ckk + " and kernel_size=" + Arrays.toString(k));
        }
        Window g = NnOps.window(new int[]{n, ckk / (k[0] * k[1]), o[0], o[1]}, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], "fold");
        if (g.oh() * g.ow() != cols.size(2)) {
            throw new IllegalArgumentException("fold: Given output_size=" + Arrays.toString(o) + ", kernel_size="
                    + Arrays.toString(k) + ", expected size of input's dimension 2 to match the calculated number of sliding "
                    + "blocks " + g.oh() + " * " + g.ow() + " = " + g.oh() * g.ow() + ", but got input.size(2)=" + cols.size(2));
        }
        return NnOps.col2im(cols.permute(1, 0, 2).reshape(ckk, n * cols.size(2)), g);
    }
}
