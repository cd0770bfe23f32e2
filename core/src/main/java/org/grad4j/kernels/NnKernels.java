package org.grad4j.kernels;

/**
 * Loops for convolution, pooling and index ops on contiguous float32/float64 arrays. Inputs are
 * contiguous (callers make them so); outputs are fresh arrays.
 */
public final class NnKernels {
    private NnKernels() {}

    /** Units of work per chunk so that each parallel chunk touches at least ~32k elements. */
    static int grainFor(long workPerUnit) { return (int) Math.max(1, 32768 / Math.max(1, workPerUnit)); }

    /** Geometry of a 2-d sliding window over [N, C, H, W]. */
    public record Window(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                         int oh, int ow) {
        public int cols() { return c * kh * kw; }

        public int positions() { return n * oh * ow; }
    }

    /**
     * im2col for a whole batch: out[(c*kh + i)*kw + j][(b*oh + y)*ow + x] = in[b][c][y*sh - ph + i*dh][x*sw - pw + j*dw]
     * (0 outside the image). Layout [C*kh*kw, N*oh*ow], so one GEMM computes the convolution of the batch.
     */
    public static void im2col(float[] in, float[] out, Window g) {
        int L = g.oh * g.ow, P = g.n * L, rows = g.c * g.kh * g.kw;
        Parallel.forRange(rows, grainFor(P), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int c = r / (g.kh * g.kw), i = r / g.kw % g.kh, j = r % g.kw;
                int row = r * P;
                for (int b = 0; b < g.n; b++) {
                    int plane = (b * g.c + c) * g.h * g.w;
                    for (int y = 0; y < g.oh; y++) {
                        int iy = y * g.sh - g.ph + i * g.dh;
                        int o = row + b * L + y * g.ow;
                        if (iy < 0 || iy >= g.h) {
                            java.util.Arrays.fill(out, o, o + g.ow, 0f);
                            continue;
                        }
                        int rowIn = plane + iy * g.w;
                        int ix = -g.pw + j * g.dw;
                        if (g.sw == 1) {
                            // valid x: 0 <= x + ix < w; zeros left and right, one copy between
                            int x0 = Math.min(g.ow, Math.max(0, -ix)), x1 = Math.max(x0, Math.min(g.ow, g.w - ix));
                            if (x0 > 0) java.util.Arrays.fill(out, o, o + x0, 0f);
                            System.arraycopy(in, rowIn + ix + x0, out, o + x0, x1 - x0);
                            if (x1 < g.ow) java.util.Arrays.fill(out, o + x1, o + g.ow, 0f);
                            continue;
                        }
                        for (int x = 0; x < g.ow; x++, ix += g.sw) out[o + x] = ix >= 0 && ix < g.w ? in[rowIn + ix] : 0f;
                    }
                }
            }
        });
    }

    public static void im2col(double[] in, double[] out, Window g) {
        int L = g.oh * g.ow, P = g.n * L, rows = g.c * g.kh * g.kw;
        Parallel.forRange(rows, grainFor(P), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int c = r / (g.kh * g.kw), i = r / g.kw % g.kh, j = r % g.kw;
                int row = r * P;
                for (int b = 0; b < g.n; b++) {
                    int plane = (b * g.c + c) * g.h * g.w;
                    for (int y = 0; y < g.oh; y++) {
                        int iy = y * g.sh - g.ph + i * g.dh;
                        int o = row + b * L + y * g.ow;
                        if (iy < 0 || iy >= g.h) {
                            java.util.Arrays.fill(out, o, o + g.ow, 0.0);
                            continue;
                        }
                        int rowIn = plane + iy * g.w;
                        int ix = -g.pw + j * g.dw;
                        for (int x = 0; x < g.ow; x++, ix += g.sw) out[o + x] = ix >= 0 && ix < g.w ? in[rowIn + ix] : 0.0;
                    }
                }
            }
        });
    }

    /** col2im: the adjoint of im2col (overlapping windows add up). {@code out} must be zeroed. */
    public static void col2im(float[] cols, float[] out, Window g) {
        int L = g.oh * g.ow, P = g.n * L;
        Parallel.forRange(g.n, grainFor(g.c * g.kh * g.kw * L), (lo, hi) -> {
            for (int c = 0; c < g.c; c++)
                for (int i = 0; i < g.kh; i++)
                    for (int j = 0; j < g.kw; j++) {
                        int row = ((c * g.kh + i) * g.kw + j) * P;
                        for (int b = lo; b < hi; b++) {
                            int plane = (b * g.c + c) * g.h * g.w;
                            for (int y = 0; y < g.oh; y++) {
                                int iy = y * g.sh - g.ph + i * g.dh;
                                if (iy < 0 || iy >= g.h) continue;
                                int o = row + b * L + y * g.ow;
                                int rowIn = plane + iy * g.w;
                                int ix = -g.pw + j * g.dw;
                                for (int x = 0; x < g.ow; x++, ix += g.sw) if (ix >= 0 && ix < g.w) out[rowIn + ix] += cols[o + x];
                            }
                        }
                    }
        });
    }

    public static void col2im(double[] cols, double[] out, Window g) {
        int L = g.oh * g.ow, P = g.n * L;
        Parallel.forRange(g.n, grainFor(g.c * g.kh * g.kw * L), (lo, hi) -> {
            for (int c = 0; c < g.c; c++)
                for (int i = 0; i < g.kh; i++)
                    for (int j = 0; j < g.kw; j++) {
                        int row = ((c * g.kh + i) * g.kw + j) * P;
                        for (int b = lo; b < hi; b++) {
                            int plane = (b * g.c + c) * g.h * g.w;
                            for (int y = 0; y < g.oh; y++) {
                                int iy = y * g.sh - g.ph + i * g.dh;
                                if (iy < 0 || iy >= g.h) continue;
                                int o = row + b * L + y * g.ow;
                                int rowIn = plane + iy * g.w;
                                int ix = -g.pw + j * g.dw;
                                for (int x = 0; x < g.ow; x++, ix += g.sw) if (ix >= 0 && ix < g.w) out[rowIn + ix] += cols[o + x];
                            }
                        }
                    }
        });
    }

    /**
     * Max pooling over each [H, W] plane of [N*C, H, W]; writes values and the flat index (y*W + x)
     * of each maximum within its plane, like PyTorch's indices. NaN wins, as in PyTorch.
     */
    public static void maxPool2d(double[] in, double[] out, long[] idx, int planes, Window g) {
        int hw = g.h * g.w, L = g.oh * g.ow;
        Parallel.forRange(planes, grainFor(L * g.kh * g.kw), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int base = p * hw;
                for (int y = 0; y < g.oh; y++)
                    for (int x = 0; x < g.ow; x++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int bi = -1;
                        for (int i = 0; i < g.kh; i++) {
                            int iy = y * g.sh - g.ph + i * g.dh;
                            if (iy < 0 || iy >= g.h) continue;
                            for (int j = 0; j < g.kw; j++) {
                                int ix = x * g.sw - g.pw + j * g.dw;
                                if (ix < 0 || ix >= g.w) continue;
                                double v = in[base + iy * g.w + ix];
                                if (bi < 0 || v > best || v != v) {
                                    best = v;
                                    bi = iy * g.w + ix;
                                    if (v != v) break;
                                }
                            }
                        }
                        out[p * L + y * g.ow + x] = best;
                        idx[p * L + y * g.ow + x] = bi;
                    }
            }
        });
    }

    public static void maxPool2d(float[] in, float[] out, long[] idx, int planes, Window g) {
        int hw = g.h * g.w, L = g.oh * g.ow;
        if (g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 && g.ph == 0 && g.pw == 0 && g.dh == 1 && g.dw == 1
                && 2 * g.oh <= g.h && 2 * g.ow <= g.w) {
            Parallel.forRange(planes, grainFor(4L * L), (lo, hi) -> {
                for (int p = lo; p < hi; p++) maxPool2x2Plane(in, p * hw, out, idx, p * L, g);
            });
            return;
        }
        Parallel.forRange(planes, grainFor(L * g.kh * g.kw), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int base = p * hw;
                for (int y = 0; y < g.oh; y++)
                    for (int x = 0; x < g.ow; x++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int bi = -1;
                        for (int i = 0; i < g.kh; i++) {
                            int iy = y * g.sh - g.ph + i * g.dh;
                            if (iy < 0 || iy >= g.h) continue;
                            for (int j = 0; j < g.kw; j++) {
                                int ix = x * g.sw - g.pw + j * g.dw;
                                if (ix < 0 || ix >= g.w) continue;
                                float v = in[base + iy * g.w + ix];
                                if (bi < 0 || v > best || v != v) {
                                    best = v;
                                    bi = iy * g.w + ix;
                                    if (v != v) break;
                                }
                            }
                        }
                        out[p * L + y * g.ow + x] = best;
                        idx[p * L + y * g.ow + x] = bi;
                    }
            }
        });
    }
    /** One plane of the common 2x2, stride 2 max pool: same choice as the general loop (first max wins, NaN wins). */
    private static void maxPool2x2Plane(float[] in, int base, float[] out, long[] idx, int ob, Window g) {
        int w = g.w;
        if (Simd.ENABLED && g.ow >= VectorKernels.poolLanes()) {
            int[] k = new int[g.ow];
            for (int y = 0; y < g.oh; y++) {
                int r0 = base + 2 * y * w, o = ob + y * g.ow;
                VectorKernels.maxPool2x2RowF32(in, r0, r0 + w, out, o, k, g.ow);
                for (int x = 0; x < g.ow; x++) idx[o + x] = (long) (2 * y + (k[x] >> 1)) * w + 2 * x + (k[x] & 1);
            }
            return;
        }
        for (int y = 0; y < g.oh; y++) {
            int r0 = base + 2 * y * w, r1 = r0 + w, o = ob + y * g.ow;
            for (int x = 0; x < g.ow; x++) {
                // branch-free (conditional moves): on real activations the comparisons are coin flips
                float best = in[r0 + 2 * x], v = in[r0 + 2 * x + 1];
                int k = 0;
                boolean t = (best == best) & ((v > best) | (v != v));
                best = t ? v : best;
                k = t ? 1 : k;
                v = in[r1 + 2 * x];
                t = (best == best) & ((v > best) | (v != v));
                best = t ? v : best;
                k = t ? 2 : k;
                v = in[r1 + 2 * x + 1];
                t = (best == best) & ((v > best) | (v != v));
                best = t ? v : best;
                k = t ? 3 : k;
                out[o + x] = best;
                idx[o + x] = (long) (2 * y + (k >> 1)) * w + 2 * x + (k & 1);
            }
        }
    }

    /**
     * Max pooling's gradient: out (zeroed, [planes, hw]) gets g[p*l + i] added at out[p*hw + idx[p*l + i]].
     */
    public static void maxPoolBackward(float[] g, int go, long[] idx, int io, float[] out, int planes, int l, int hw) {
        Parallel.forRange(planes, grainFor(l), (lo, hi) -> {
            for (int p = lo; p < hi; p++)
                for (int i = 0; i < l; i++) out[p * hw + (int) idx[io + p * l + i]] += g[go + p * l + i];
        });
    }

    public static void maxPoolBackward(double[] g, int go, long[] idx, int io, double[] out, int planes, int l, int hw) {
        Parallel.forRange(planes, grainFor(l), (lo, hi) -> {
            for (int p = lo; p < hi; p++)
                for (int i = 0; i < l; i++) out[p * hw + (int) idx[io + p * l + i]] += g[go + p * l + i];
        });
    }

    /** ReLU's gradient (PyTorch's threshold_backward at 0): out[i] = y[i] <= 0 ? 0 : g[i]. */
    public static void reluBackward(float[] g, int go, float[] y, int yo, float[] out, int n) {
        Parallel.forRange(n, 32768, Simd.floatLanes(), (lo, hi) -> {
            int i = lo;
            if (Simd.ENABLED) i = VectorKernels.reluBackwardF32(g, go, y, yo, out, lo, hi);
            for (; i < hi; i++) out[i] = y[yo + i] <= 0f ? 0f : g[go + i];
        });
    }

    public static void reluBackward(double[] g, int go, double[] y, int yo, double[] out, int n) {
        Parallel.forRange(n, 32768, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = y[yo + i] <= 0.0 ? 0.0 : g[go + i];
        });
    }

}
