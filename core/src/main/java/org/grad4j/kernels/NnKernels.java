package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * The CPU {@link NeuralKernels}: loops for convolution, pooling and batch norm on contiguous
 * float32/float64 arrays. Inputs are contiguous (callers make them so); outputs are fresh arrays.
 */
public final class NnKernels implements NeuralKernels {
    static final NnKernels INSTANCE = new NnKernels();

    // ---------------------------------------------------------------- storage entry points
    // What ops call through Backend.nn(): dtype dispatch and staging (an off-heap storage is copied in and, when written,
    // back); the array kernels below do the work.

    /** The storage's elements: a heap array itself, or an off-heap storage copied into this thread's scratch array {@code slot}. */
    private static Object arr(Storage s, int slot) { return s == null ? null : Staging.input(s, slot); }

    private static void commit(Storage s, Object a) { if (s != null) Staging.commit(s, a); }

    /** im2col of a float32/float64 [N, C, H, W] storage into [C*kh*kw, N*oh*ow]. */
    @Override
    public void im2col(Storage in, Storage out, Window g) {
        Object i = arr(in, 0), o = arr(out, 1);
        if (i instanceof float[] f) im2col(f, (float[]) o, g); else im2col((double[]) i, (double[]) o, g);
        commit(out, o);
    }

    /** col2im, overlaps summed into out. */
    @Override
    public void col2im(Storage cols, Storage out, Window g) {
        Object i = arr(cols, 0), o = arr(out, 1);
        if (i instanceof float[] f) col2im(f, (float[]) o, g); else col2im((double[]) i, (double[]) o, g);
        commit(out, o);
    }

    /** float32 convolution forward; bias may be null. */
    @Override
    public void conv2dForward(Storage in, Storage w, Storage bias, Storage out, int o, Window g) {
        float[] y = (float[]) arr(out, 0);
        conv2dForward((float[]) arr(in, 1), (float[]) arr(w, 2), (float[]) arr(bias, 3), y, o, g);
        commit(out, y);
    }

    /** float32 convolution backward; gx, gw, gb may be null (not wanted). */
    @Override
    public void conv2dBackward(Storage in, Storage w, Storage go, int o, Window g, Storage gx, Storage gw, Storage gb) {
        float[] ax = (float[]) arr(gx, 0), aw = (float[]) arr(gw, 1), ab = (float[]) arr(gb, 2);
        conv2dBackward((float[]) arr(in, 3), (float[]) arr(w, 4), (float[]) arr(go, 5), o, g, ax, aw, ab);
        commit(gx, ax);
        commit(gw, aw);
        commit(gb, ab);
    }

    /** Max pooling of float32/float64 planes; writes values and int64 flat indices. */
    @Override
    public void maxPool2d(Storage in, Storage out, Storage idx, int planes, Window g) {
        Object i = arr(in, 0), o = arr(out, 1);
        long[] ix = (long[]) arr(idx, 2);
        if (i instanceof float[] f) maxPool2d(f, (float[]) o, ix, planes, g); else maxPool2d((double[]) i, (double[]) o, ix, planes, g);
        commit(out, o);
        commit(idx, ix);
    }

    /** Max pooling's gradient: g added into out at the flat plane positions idx. */
    @Override
    public void maxPoolBackward(Storage g, int go, Storage idx, int io, Storage out, int planes, int l, int hw) {
        Object a = arr(g, 0), o = arr(out, 1);
        long[] ix = (long[]) arr(idx, 2);
        if (a instanceof float[] f) maxPoolBackward(f, go, ix, io, (float[]) o, planes, l, hw);
        else maxPoolBackward((double[]) a, go, ix, io, (double[]) o, planes, l, hw);
        commit(out, o);
    }

    /** ReLU's gradient given its output y (threshold_backward). */
    @Override
    public void reluBackward(Storage g, int go, Storage y, int yo, Storage out, int n) {
        if (SegmentLoops.offHeap(g, y, out) && SegmentLoops.reluBackward(g, go, y, yo, out, n)) return;
        Object a = arr(g, 0), b = arr(y, 1), o = arr(out, 2);
        if (a instanceof float[] f) reluBackward(f, go, (float[]) b, yo, (float[]) o, n);
        else reluBackward((double[]) a, go, (double[]) b, yo, (double[]) o, n);
        commit(out, o);
    }

    /** Per-channel batch mean and biased variance of a float32 [N, C, S] storage. */
    @Override
    public void batchNormStats(Storage x, int n, int c, int s, double[] mean, double[] var) {
        batchNormStatsF32((float[]) arr(x, 0), n, c, s, mean, var);
    }

    /** y = x * scale[ch] + shift[ch] (float32). */
    @Override
    public void batchNormApply(Storage x, Storage y, int n, int c, int s, float[] scale, float[] shift) {
        float[] o = (float[]) arr(y, 0);
        batchNormApplyF32((float[]) arr(x, 1), o, n, c, s, scale, shift);
        commit(y, o);
    }

    /** Batch norm's float32 gradients (see batchNormBackwardF32); w, gx, gw, gb may be null. */
    @Override
    public void batchNormBackward(Storage x, Storage g, int n, int c, int s, double[] mean, double[] invstd,
                                         Storage w, boolean training, Storage gx, Storage gw, Storage gb) {
        float[] ax = (float[]) arr(gx, 0), aw = (float[]) arr(gw, 1), ab = (float[]) arr(gb, 2);
        batchNormBackwardF32((float[]) arr(x, 3), (float[]) arr(g, 4), n, c, s, mean, invstd, (float[]) arr(w, 5), training, ax, aw, ab);
        commit(gx, ax);
        commit(gw, aw);
        commit(gb, ab);
    }

    @Override
    public void adaptiveMaxPool2dIndices(Strided x, int oh, int ow, Storage idx) {
        int planes = x.shape()[0], h = x.shape()[1], w = x.shape()[2];
        double[] v = Staging.f64(CpuElementwiseKernels.cast(x, DType.FLOAT64).storage());
        long[] ix = Staging.i64(idx);
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    double bv = 0;
                    for (int y = start(i, h, oh); y < end(i, h, oh); y++)
                        for (int xx = start(j, w, ow); xx < end(j, w, ow); xx++) {
                            double e = v[pl * h * w + y * w + xx];
                            if (best < 0 || e > bv || e != e) { bv = e; best = y * w + xx; }
                        }
                    ix[(pl * oh + i) * ow + j] = best;
                }
        Staging.commit(idx, ix);
    }

    /** PyTorch's adaptive window [start, end) of output i of out over in. */
    private static int start(int i, int in, int out) { return (int) Math.floor((double) i * in / out); }

    private static int end(int i, int in, int out) { return (int) Math.ceil((double) (i + 1) * in / out); }

    private NnKernels() {}

    /** Units of work per chunk so that each parallel chunk touches at least ~32k elements. */
    static int grainFor(long workPerUnit) { return (int) Math.max(1, 32768 / Math.max(1, workPerUnit)); }


    /**
     * im2col for a whole batch: out[(c*kh + i)*kw + j][(b*oh + y)*ow + x] = in[b][c][y*sh - ph + i*dh][x*sw - pw + j*dw]
     * (0 outside the image). Layout [C*kh*kw, N*oh*ow], so one GEMM computes the convolution of the batch.
     */
    public static void im2col(float[] in, float[] out, Window g) {
        int P = g.n() * g.oh() * g.ow(), rows = g.c() * g.kh() * g.kw();
        Parallel.forRange(rows, grainFor(P), (lo, hi) -> im2colF32(in, out, g, lo, hi, 0, g.n(), P));
    }

    /** im2col rows [lo, hi) of images [b0, b1) into out[r*ldr + (b-b0)*L + y*ow + x]. */
    static void im2colF32(float[] in, float[] out, Window g, int lo, int hi, int b0, int b1, int ldr) {
        if (Simd.ENABLED && g.sw() == 1) {
            VectorKernels.im2colRowsF32(in, out, g, lo, hi, b0, b1, ldr);
            return;
        }
        int L = g.oh() * g.ow();
        for (int r = lo; r < hi; r++) {
            int c = r / (g.kh() * g.kw()), i = r / g.kw() % g.kh(), j = r % g.kw();
            for (int b = b0; b < b1; b++) {
                int plane = (b * g.c() + c) * g.h() * g.w();
                for (int y = 0; y < g.oh(); y++) {
                    int iy = y * g.sh() - g.ph() + i * g.dh();
                    int o = r * ldr + (b - b0) * L + y * g.ow();
                    if (iy < 0 || iy >= g.h()) {
                        for (int x = 0; x < g.ow(); x++) out[o + x] = 0f;
                        continue;
                    }
                    int rowIn = plane + iy * g.w();
                    int ix = -g.pw() + j * g.dw();
                    for (int x = 0; x < g.ow(); x++, ix += g.sw()) out[o + x] = ix >= 0 && ix < g.w() ? in[rowIn + ix] : 0f;
                }
            }
        }
    }

    public static void im2col(double[] in, double[] out, Window g) {
        int L = g.oh() * g.ow(), P = g.n() * L, rows = g.c() * g.kh() * g.kw();
        Parallel.forRange(rows, grainFor(P), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int c = r / (g.kh() * g.kw()), i = r / g.kw() % g.kh(), j = r % g.kw();
                int row = r * P;
                for (int b = 0; b < g.n(); b++) {
                    int plane = (b * g.c() + c) * g.h() * g.w();
                    for (int y = 0; y < g.oh(); y++) {
                        int iy = y * g.sh() - g.ph() + i * g.dh();
                        int o = row + b * L + y * g.ow();
                        if (iy < 0 || iy >= g.h()) {
                            java.util.Arrays.fill(out, o, o + g.ow(), 0.0);
                            continue;
                        }
                        int rowIn = plane + iy * g.w();
                        int ix = -g.pw() + j * g.dw();
                        for (int x = 0; x < g.ow(); x++, ix += g.sw()) out[o + x] = ix >= 0 && ix < g.w() ? in[rowIn + ix] : 0.0;
                    }
                }
            }
        });
    }

    /** col2im: the adjoint of im2col (overlapping windows add up). {@code out} must be zeroed. */
    public static void col2im(float[] cols, float[] out, Window g) {
        int L = g.oh() * g.ow(), P = g.n() * L;
        Parallel.forRange(g.n(), grainFor(g.c() * g.kh() * g.kw() * L), (lo, hi) -> col2imF32(cols, out, g, lo, hi, 0, P));
    }

    /** col2im into images [lo, hi) of out, reading cols[r*ldr + (b-colB0)*L + y*ow + x]; overlaps add up. */
    static void col2imF32(float[] cols, float[] out, Window g, int lo, int hi, int colB0, int ldr) {
        if (Simd.ENABLED && g.sw() == 1) {
            VectorKernels.col2imImagesF32(cols, out, g, lo, hi, colB0, ldr);
            return;
        }
        int L = g.oh() * g.ow();
        for (int b = lo; b < hi; b++)
            for (int c = 0; c < g.c(); c++)
                for (int i = 0; i < g.kh(); i++)
                    for (int j = 0; j < g.kw(); j++) {
                        int row = ((c * g.kh() + i) * g.kw() + j) * ldr + (b - colB0) * L;
                        int plane = (b * g.c() + c) * g.h() * g.w();
                        for (int y = 0; y < g.oh(); y++) {
                            int iy = y * g.sh() - g.ph() + i * g.dh();
                            if (iy < 0 || iy >= g.h()) continue;
                            int o = row + y * g.ow();
                            int rowIn = plane + iy * g.w();
                            int ix = -g.pw() + j * g.dw();
                            for (int x = 0; x < g.ow(); x++, ix += g.sw()) if (ix >= 0 && ix < g.w()) out[rowIn + ix] += cols[o + x];
                        }
                    }
    }

    // ------------------------------------------------------------------ float32 convolution by chunks of images

    /*
     * conv2d without a batch-wide column matrix. Stride 1 (with SIMD): GEMMs straight over the
     * zero-padded image (see the "stride-1" section below). Other strides: im2col of a few images at
     * a time into a thread-local buffer that stays in L2 (never allocated nor zeroed per call), one
     * GEMM per chunk, then the [O, L] block of each image goes straight into the [N, O, oh, ow]
     * output (no permute copy). The backward recomputes the columns instead of keeping them.
     */

    private static final ThreadLocal<float[][]> CONV_SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);
    /** Larger buffers are not kept per thread (a one-off huge convolution should not pin memory). */
    private static final int MAX_KEPT_SCRATCH = 16 << 20;

    private static float[] scratch(int slot, int n) {
        float[][] s = CONV_SCRATCH.get();
        if (s[slot].length >= n) return s[slot];
        float[] buf = new float[n];
        if (n <= MAX_KEPT_SCRATCH) s[slot] = buf;
        return buf;
    }

    /** Images per parallel chunk so that each chunk has enough multiply-adds to be worth a thread. */
    private static int imageGrain(long macsPerImage) {
        return (int) Math.max(1, Gemm.MIN_CHUNK_WORK / Math.max(1, macsPerImage));
    }

    /** Images per chunk: the chunk's column matrix [C*kh*kw, nb*L] stays within ~512 KB (L2). */
    private static int imagesPerChunk(int ckk, int L) {
        return (int) Math.max(1, (128L << 10) / Math.max(1, (long) ckk * L));
    }

    /**
     * out[b] = w [O, C*kh*kw] x im2col(in[b]) (+ bias[o] on each row) for every image b;
     * in [N, C, H, W] and w contiguous from index 0, out [N, O, oh, ow].
     *
     * <pre>{@code
     * Window g = NnOps.window(x.shape(), 5, 5, 1, 1, 2, 2, 1, 1, "conv2d");
     * NnKernels.conv2dForward(x, w, bias, out, outChannels, g);   // float32 arrays, contiguous
     * }</pre>
     */
    public static void conv2dForward(float[] in, float[] w, float[] bias, float[] out, int o, Window g) {
        if (rowGemmApplies(g)) {
            conv2dForwardS1(in, w, bias, out, o, g);
            return;
        }
        int ckk = g.cols(), L = g.oh() * g.ow(), nb = imagesPerChunk(ckk, L), chunks = (g.n() + nb - 1) / nb;
        Parallel.forRange(chunks, imageGrain((long) o * ckk * nb * L), (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                int b0 = ch * nb, b1 = Math.min(g.n(), b0 + nb), cw = (b1 - b0) * L;
                float[] col = scratch(0, ckk * cw), y = scratch(1, o * cw);
                im2colF32(in, col, g, 0, ckk, b0, b1, cw);
                Gemm.gemmF32(o, cw, ckk, w, 0, ckk, 1, col, 0, cw, 1, y, 0, cw);
                // [O, nb*L] -> the images' [O, L] blocks, bias added on the way
                for (int b = b0; b < b1; b++)
                    for (int oc = 0; oc < o; oc++) {
                        float bv = bias == null ? 0f : bias[oc];
                        int dst = (b * o + oc) * L, src = oc * cw + (b - b0) * L;
                        for (int q = 0; q < L; q++) out[dst + q] = y[src + q] + bv;
                    }
            }
        });
    }

    /**
     * The gradients of {@link #conv2dForward} for the output gradient go [N, O, oh, ow]: gx
     * [N, C, H, W] (zeroed; null to skip), gw [O, C*kh*kw] and gb [O] (overwritten; null to skip).
     * Weight gradients are summed per chunk of images, then over chunks in chunk order.
     */
    public static void conv2dBackward(float[] in, float[] w, float[] go, int o, Window g, float[] gx, float[] gw, float[] gb) {
        if (gb != null) biasGradF32(go, o, g, gb);
        if (rowGemmApplies(g)) {
            conv2dBackwardS1(in, w, go, o, g, gx, gw);
            return;
        }
        int ckk = g.cols(), L = g.oh() * g.ow(), nb = imagesPerChunk(ckk, L), chunks = (g.n() + nb - 1) / nb;
        float[][] partials = new float[chunks][];
        Parallel.forRange(chunks, imageGrain(2L * o * ckk * nb * L), (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                int b0 = ch * nb, b1 = Math.min(g.n(), b0 + nb), cw = (b1 - b0) * L;
                float[] col = scratch(0, ckk * cw), goc = scratch(1, o * cw);
                // the chunk's output gradient as one [O, nb*L] matrix
                for (int b = b0; b < b1; b++)
                    for (int oc = 0; oc < o; oc++)
                        System.arraycopy(go, (b * o + oc) * L, goc, oc * cw + (b - b0) * L, L);
                if (gw != null) {
                    im2colF32(in, col, g, 0, ckk, b0, b1, cw);
                    float[] part = new float[o * ckk];
                    Gemm.gemmDotF32(o, ckk, cw, goc, 0, cw, col, 0, cw, part, 0, ckk);   // goc x col^T
                    partials[ch] = part;
                }
                if (gx != null) {
                    Gemm.gemmF32(ckk, cw, o, w, 0, 1, ckk, goc, 0, cw, 1, col, 0, cw);      // w^T x goc
                    col2imF32(col, gx, g, b0, b1, b0, cw);
                }
            }
        });
        if (gw != null) addPartials(partials, gw, o * ckk);
    }

    /** gw[0..len) = the sum of the chunks' partial weight gradients in chunk order (null entries: no chunk there). */
    private static void addPartials(float[][] partials, float[] gw, int len) {
        java.util.Arrays.fill(gw, 0, len, 0f);
        for (float[] part : partials) if (part != null) for (int q = 0; q < len; q++) gw[q] += part[q];
    }

    /** gb[oc] = sum of go[b][oc][*] over images: the images' [O, L] blocks are added first (a vector loop), then each row summed. */
    private static void biasGradF32(float[] go, int o, Window g, float[] gb) {
        int L = g.oh() * g.ow();
        float[] rows = new float[o * L];
        for (int b = 0; b < g.n(); b++) {
            int ob = b * o * L;
            for (int q = 0; q < o * L; q++) rows[q] += go[ob + q];
        }
        for (int oc = 0; oc < o; oc++) gb[oc] = (float) Elementwise.sumF32Run(rows, oc * L, L);
    }

    // ------------------------------------------------------------------ stride-1 convolution without im2col

    /** Stride 1 with the Vector API, and a padded copy of the batch that still fits one Java array. */
    private static boolean rowGemmApplies(Window g) {
        long padded = (long) g.n() * g.c() * (g.h() + 2L * g.ph()) * (g.w() + 2L * g.pw()) + 2L * Simd.floatLanes();
        return Simd.ENABLED && g.sh() == 1 && g.sw() == 1 && padded <= Integer.MAX_VALUE - 8;
    }

    /** The input zero-padded to [N, C, H+2ph, W+2pw], with {@code slack} more zeros at the end. */
    private static float[] padded(float[] in, Window g, int slack) {
        int hp = g.h() + 2 * g.ph(), wp = g.w() + 2 * g.pw();
        float[] xp = new float[g.n() * g.c() * hp * wp + slack];
        for (int p = 0; p < g.n() * g.c(); p++)
            for (int y = 0; y < g.h(); y++) System.arraycopy(in, (p * g.h() + y) * g.w(), xp, (p * hp + y + g.ph()) * wp + g.pw(), g.w());
        return xp;
    }

    /** Start of window element r = (c, i, j) in a padded image: c*hp*wp + i*dh*wp + j*dw. */
    private static int[] rowOffsets(Window g) {
        int hp = g.h() + 2 * g.ph(), wp = g.w() + 2 * g.pw();
        int[] off = new int[g.cols()];
        for (int r = 0; r < off.length; r++) {
            int c = r / (g.kh() * g.kw()), i = r / g.kw() % g.kh(), j = r % g.kw();
            off[r] = c * hp * wp + i * g.dh() * wp + j * g.dw();
        }
        return off;
    }

    /** See {@link VectorKernels#convRowsGemmF32}: out[b] from full-width GEMMs over the padded image. */
    private static void conv2dForwardS1(float[] in, float[] w, float[] bias, float[] out, int o, Window g) {
        int hp = g.h() + 2 * g.ph(), wp = g.w() + 2 * g.pw(), ckk = g.cols(), L = g.oh() * g.ow(), img = g.c() * hp * wp;
        int nr = 2 * Simd.floatLanes(), nFull = (g.oh() - 1) * wp + g.ow(), nPad = (nFull + nr - 1) / nr * nr;
        int panels = (o + 5) / 6;
        float[] xp = padded(in, g, nr);
        int[] off = rowOffsets(g);
        float[] ap = new float[panels * 6 * ckk];            // w in 6-row panels: ap[(panel*ckk + p)*6 + r]
        for (int oc = 0; oc < o; oc++)
            for (int p = 0; p < ckk; p++) ap[((oc / 6) * ckk + p) * 6 + oc % 6] = w[oc * ckk + p];
        Parallel.forRange(g.n(), imageGrain((long) o * ckk * nPad), (lo, hi) -> {
            float[] y = scratch(0, panels * 6 * nPad);
            for (int b = lo; b < hi; b++) {
                VectorKernels.convRowsGemmF32(ap, panels, ckk, xp, b * img, off, nPad, y, nPad);
                for (int oc = 0; oc < o; oc++) {
                    float bv = bias == null ? 0f : bias[oc];
                    for (int yy = 0; yy < g.oh(); yy++) {
                        int dst = (b * o + oc) * L + yy * g.ow(), src = oc * nPad + yy * wp;
                        for (int x = 0; x < g.ow(); x++) out[dst + x] = y[src + x] + bv;
                    }
                }
            }
        });
    }

    /** Input and weight gradients of {@link #conv2dForwardS1} (gx zeroed, gw overwritten; either may be null). */
    private static void conv2dBackwardS1(float[] in, float[] w, float[] go, int o, Window g, float[] gx, float[] gw) {
        int hp = g.h() + 2 * g.ph(), wp = g.w() + 2 * g.pw(), ckk = g.cols(), L = g.oh() * g.ow(), img = g.c() * hp * wp;
        int nr = 2 * Simd.floatLanes(), nFull = (g.oh() - 1) * wp + g.ow(), nPad = (nFull + nr - 1) / nr * nr;
        boolean unpadded = g.ph() == 0 && g.pw() == 0;
        float[] xp = gw != null ? padded(in, g, nr) : null;
        float[] gxp = gx == null ? null : unpadded ? gx : new float[g.n() * img];
        int[] off = rowOffsets(g);
        // w^T in 6-row panels for the input-gradient GEMM, and the goF rows as "window offsets"
        int panelsT = (ckk + 5) / 6;
        float[] apT = null;
        int[] goRows = null;
        if (gx != null) {
            apT = new float[panelsT * 6 * o];
            for (int r = 0; r < ckk; r++)
                for (int p = 0; p < o; p++) apT[((r / 6) * o + p) * 6 + r % 6] = w[p * ckk + r];
            goRows = new int[o];
            for (int p = 0; p < o; p++) goRows[p] = p * nPad;
        }
        final float[] apTf = apT;
        final int[] goRowsF = goRows;
        float[][] partials = new float[g.n()][];
        int lanes = Simd.floatLanes();
        Parallel.forRange(g.n(), imageGrain(2L * o * ckk * nPad), (lo, hi) -> {
            float[] goF = scratch(0, o * nPad);
            float[] gcol = gx != null ? scratch(1, panelsT * 6 * nPad) : null;
            // weight-gradient sums kept as whole vectors over the chunk's images, reduced once at the end
            float[] vacc = gw != null ? new float[o * ckk * lanes] : null;
            for (int b = lo; b < hi; b++) {
                // go[b] in the full-width layout, zeros in the dropped columns and up to nPad
                java.util.Arrays.fill(goF, 0, o * nPad, 0f);
                for (int oc = 0; oc < o; oc++)
                    for (int yy = 0; yy < g.oh(); yy++) System.arraycopy(go, (b * o + oc) * L + yy * g.ow(), goF, oc * nPad + yy * wp, g.ow());
                if (gw != null) VectorKernels.convRowsDotAccF32(goF, nPad, xp, b * img, off, o, ckk, nPad, vacc);
                if (gx != null) {
                    VectorKernels.convRowsGemmF32(apTf, panelsT, o, goF, 0, goRowsF, nPad, gcol, nPad);   // w^T x goF
                    for (int r = 0; r < ckk; r++) VectorKernels.addIntoF32(gxp, b * img + off[r], gcol, r * nPad, nFull);
                }
            }
            if (vacc != null) {
                float[] part = new float[o * ckk];
                for (int q = 0; q < o * ckk; q++) part[q] = VectorKernels.sumLanesF32(vacc, q * lanes);
                partials[lo] = part;
            }
        });
        if (gw != null) addPartials(partials, gw, o * ckk);
        if (gx != null && !unpadded) {
            for (int p = 0; p < g.n() * g.c(); p++)
                for (int y = 0; y < g.h(); y++) System.arraycopy(gxp, (p * hp + y + g.ph()) * wp + g.pw(), gx, (p * g.h() + y) * g.w(), g.w());
        }
    }


    public static void col2im(double[] cols, double[] out, Window g) {
        int L = g.oh() * g.ow(), P = g.n() * L;
        Parallel.forRange(g.n(), grainFor(g.c() * g.kh() * g.kw() * L), (lo, hi) -> {
            for (int c = 0; c < g.c(); c++)
                for (int i = 0; i < g.kh(); i++)
                    for (int j = 0; j < g.kw(); j++) {
                        int row = ((c * g.kh() + i) * g.kw() + j) * P;
                        for (int b = lo; b < hi; b++) {
                            int plane = (b * g.c() + c) * g.h() * g.w();
                            for (int y = 0; y < g.oh(); y++) {
                                int iy = y * g.sh() - g.ph() + i * g.dh();
                                if (iy < 0 || iy >= g.h()) continue;
                                int o = row + b * L + y * g.ow();
                                int rowIn = plane + iy * g.w();
                                int ix = -g.pw() + j * g.dw();
                                for (int x = 0; x < g.ow(); x++, ix += g.sw()) if (ix >= 0 && ix < g.w()) out[rowIn + ix] += cols[o + x];
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
        int hw = g.h() * g.w(), L = g.oh() * g.ow();
        Parallel.forRange(planes, grainFor(L * g.kh() * g.kw()), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int base = p * hw;
                for (int y = 0; y < g.oh(); y++)
                    for (int x = 0; x < g.ow(); x++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int bi = -1;
                        for (int i = 0; i < g.kh(); i++) {
                            int iy = y * g.sh() - g.ph() + i * g.dh();
                            if (iy < 0 || iy >= g.h()) continue;
                            for (int j = 0; j < g.kw(); j++) {
                                int ix = x * g.sw() - g.pw() + j * g.dw();
                                if (ix < 0 || ix >= g.w()) continue;
                                double v = in[base + iy * g.w() + ix];
                                if (bi < 0 || v > best || v != v) {
                                    best = v;
                                    bi = iy * g.w() + ix;
                                    if (v != v) break;
                                }
                            }
                        }
                        out[p * L + y * g.ow() + x] = best;
                        idx[p * L + y * g.ow() + x] = bi;
                    }
            }
        });
    }

    public static void maxPool2d(float[] in, float[] out, long[] idx, int planes, Window g) {
        int hw = g.h() * g.w(), L = g.oh() * g.ow();
        if (g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.ph() == 0 && g.pw() == 0 && g.dh() == 1 && g.dw() == 1
                && 2 * g.oh() <= g.h() && 2 * g.ow() <= g.w()) {
            Parallel.forRange(planes, grainFor(4L * L), (lo, hi) -> {
                for (int p = lo; p < hi; p++) maxPool2x2Plane(in, p * hw, out, idx, p * L, g);
            });
            return;
        }
        Parallel.forRange(planes, grainFor(L * g.kh() * g.kw()), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int base = p * hw;
                for (int y = 0; y < g.oh(); y++)
                    for (int x = 0; x < g.ow(); x++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int bi = -1;
                        for (int i = 0; i < g.kh(); i++) {
                            int iy = y * g.sh() - g.ph() + i * g.dh();
                            if (iy < 0 || iy >= g.h()) continue;
                            for (int j = 0; j < g.kw(); j++) {
                                int ix = x * g.sw() - g.pw() + j * g.dw();
                                if (ix < 0 || ix >= g.w()) continue;
                                float v = in[base + iy * g.w() + ix];
                                if (bi < 0 || v > best || v != v) {
                                    best = v;
                                    bi = iy * g.w() + ix;
                                    if (v != v) break;
                                }
                            }
                        }
                        out[p * L + y * g.ow() + x] = best;
                        idx[p * L + y * g.ow() + x] = bi;
                    }
            }
        });
    }
    /** One plane of the common 2x2, stride 2 max pool: same choice as the general loop (first max wins, NaN wins). */
    private static void maxPool2x2Plane(float[] in, int base, float[] out, long[] idx, int ob, Window g) {
        int w = g.w();
        if (Simd.ENABLED && g.ow() >= 4) {
            VectorKernels.maxPool2x2PlaneF32(in, base, w, out, idx, ob, g.oh(), g.ow());
            return;
        }
        for (int y = 0; y < g.oh(); y++) {
            int r0 = base + 2 * y * w, r1 = r0 + w, o = ob + y * g.ow();
            for (int x = 0; x < g.ow(); x++) {
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

    // ------------------------------------------------------------------ float32 batch norm over [N, C, S]


    private static double dotRun(float[] a, int ao, float[] b, int bo, int n) {
        if (Simd.ENABLED) return VectorKernels.dotF32(a, ao, b, bo, n);
        double acc = 0;
        for (int i = 0; i < n; i++) acc += (double) a[ao + i] * b[bo + i];
        return acc;
    }

    /** Per-channel mean and biased variance of x [N, C, S] (two passes; sums in double). */
    public static void batchNormStatsF32(float[] x, int n, int c, int s, double[] mean, double[] var) {
        long count = (long) n * s;
        Parallel.forRange(c, grainFor(count), (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double sum = 0;
                for (int b = 0; b < n; b++) sum += Elementwise.sumF32Run(x, (b * c + ch) * s, s);
                double m = sum / count, sq = 0;
                for (int b = 0; b < n; b++) {
                    int off = (b * c + ch) * s;
                    if (Simd.ENABLED) sq += VectorKernels.sumSqDevF32(x, off, s, (float) m);
                    else for (int i = 0; i < s; i++) { double d = x[off + i] - (float) m; sq += d * d; }
                }
                mean[ch] = m;
                var[ch] = sq / count;
            }
        });
    }

    /** y = x * scale[ch] + shift[ch] over [N, C, S]. */
    public static void batchNormApplyF32(float[] x, float[] y, int n, int c, int s, float[] scale, float[] shift) {
        Parallel.forRange(n * c, grainFor(s), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                float sc = scale[p % c], sh = shift[p % c];
                int off = p * s;
                for (int i = 0; i < s; i++) y[off + i] = x[off + i] * sc + sh;
            }
        });
    }

    /**
     * Batch norm's gradients for the output gradient g [N, C, S]: gw[ch] = sum g*xhat, gb[ch] = sum g,
     * and gx (null to skip) = w*invstd*(g - sum g/M - xhat*sum(g*xhat)/M) in training (batch
     * statistics), w*invstd*g in evaluation; xhat = (x - mean)*invstd, M = N*S. w may be null (1).
     */
    public static void batchNormBackwardF32(float[] x, float[] g, int n, int c, int s, double[] mean, double[] invstd,
                                            float[] w, boolean training, float[] gx, float[] gw, float[] gb) {
        long count = (long) n * s;
        Parallel.forRange(c, grainFor(count), (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double sumG = 0, sumGX = 0;
                for (int b = 0; b < n; b++) {
                    int off = (b * c + ch) * s;
                    sumG += Elementwise.sumF32Run(g, off, s);
                    sumGX += dotRun(g, off, x, off, s);
                }
                double is = invstd[ch], sumGXhat = (sumGX - mean[ch] * sumG) * is;
                if (gw != null) gw[ch] = (float) sumGXhat;
                if (gb != null) gb[ch] = (float) sumG;
                if (gx == null) continue;
                double k = (w == null ? 1.0 : w[ch]) * is;
                // gx = a*g + bx*x + c0 (the training terms folded per channel)
                float a = (float) k, bx = 0f, c0 = 0f;
                if (training) {
                    double q = k * is * sumGXhat / count;
                    bx = (float) -q;
                    c0 = (float) (-k * sumG / count + q * mean[ch]);
                }
                for (int b = 0; b < n; b++) {
                    int off = (b * c + ch) * s;
                    // in eval mode gx = a*g alone: 0 * x would turn an infinite input into a NaN gradient
                    if (!training) for (int i = 0; i < s; i++) gx[off + i] = a * g[off + i];
                    else for (int i = 0; i < s; i++) gx[off + i] = a * g[off + i] + bx * x[off + i] + c0;
                }
            }
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
