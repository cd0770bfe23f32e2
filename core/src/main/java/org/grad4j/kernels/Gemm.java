package org.grad4j.kernels;

/**
 * Packed, cache-blocked GEMM (the GotoBLAS/BLIS scheme): B is packed in [KC, NC] blocks of
 * NR-wide column panels, A in [MC, KC] blocks of MR-row panels, and a register-blocked
 * micro-kernel computes each MR x NR tile of C with vector FMAs
 * ({@link VectorKernels#gemmMicroF32}), or plain loops without the Vector API. Large products are
 * split over the intra-op pool along the larger of M and N; each thread packs its own blocks.
 *
 * <pre>{@code
 * // C[m,n] = A[m,k] @ B[k,n], all row-major; a transposed operand just swaps its two strides
 * Gemm.gemmF32(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n);
 * }</pre>
 */
public final class Gemm {
    private Gemm() {}

    /** Rows per micro-tile (6 rows x 2 vectors = 12 accumulators, 15 vector registers in use). */
    static final int MR = 6;
    /** Depth of a packed block: an A micro-panel (MR x KC) stays in L1 while B panels stream. */
    static final int KC = 256;
    /** Rows of a packed A block (fits in L2 with KC). */
    static final int MC = 96;
    /** Columns of a packed B block (fits in L3 with KC). */
    static final int NC = 2048;
    /** Multiply-adds per chunk below which a product is not split across threads. */
    static final long MIN_CHUNK_WORK = 1L << 21;

    /** Column panels of a block up to which A is read in place rather than packed (measured: MLP layer at 2 threads). */
    static final int DIRECT_A_MAX_PANELS = 4;

    static int roundUp(int x, int m) { return (x + m - 1) / m * m; }

    /** Grain (in rows or columns) so that every chunk has at least MIN_CHUNK_WORK multiply-adds. */
    static int grain(int len, long workPerUnit, int align) {
        long g = Math.max(1, MIN_CHUNK_WORK / Math.max(1, workPerUnit));
        return (int) Math.min(Integer.MAX_VALUE, Math.max(align, roundUp((int) Math.min(g, len), align)));
    }

    // ------------------------------------------------------------------ float

    /**
     * C[m,n] = A[m,k] * B[k,n] in float. A and B are read through arbitrary strides (a transposed
     * view costs nothing: packing reads it), C is row-major with leading dimension ldc at co.
     */
    public static void gemmF32(int m, int n, int k, float[] a, int ao, int ars, int acs,
                               float[] b, int bo, int brs, int bcs, float[] c, int co, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, (float) 0);
            return;
        }
        int mr = MR, nr = nrF32();
        if (acs == 1 && brs == 1 && k >= DOT_MIN_K && (long) m * n <= DOT_MAX_MN) {
            // A rows and B columns both contiguous, k long, C small (conv weight gradients): dot products
            Parallel.forRange(n, grain(n, (long) m * k, 4), 4, (lo, hi) ->
                    gemmDotF32(m, hi - lo, k, a, ao, ars, b, bo + lo * bcs, bcs, c, co + lo, ldc));
            return;
        }
        if (Simd.ENABLED && bcs == 1 && m <= WIDE_MAX_M && k <= KC && n >= 4 * nr) {
            // few rows, short depth, very wide row-major B (conv forward: [O, C*kh*kw] x [C*kh*kw, N*L]):
            // B is read in place, as packing it would copy the whole im2col matrix once more
            float[] ap = new float[roundUp(m, MR) * k];
            packAF32(a, ao, ars, acs, m, k, ap);
            Parallel.forRange(n, grain(n, (long) m * k, nr), nr, (lo, hi) ->
                    wideF32(m, lo, hi, k, ap, b, bo, brs, c, co, ldc));
            return;
        }
        if (m >= n) {
            int grain = grain(m, (long) n * k, mr);
            Parallel.forRange(m, grain, mr, (lo, hi) ->
                    serialF32(hi - lo, n, k, a, ao + lo * ars, ars, acs, b, bo, brs, bcs, c, co + lo * ldc, ldc));
        } else {
            int grain = grain(n, (long) m * k, nr);
            Parallel.forRange(n, grain, nr, (lo, hi) ->
                    serialF32(m, hi - lo, k, a, ao, ars, acs, b, bo + lo * bcs, brs, bcs, c, co + lo, ldc));
        }
    }

    /** Depth from which a small product of a row-contiguous A and a column-contiguous B uses dot products. */
    static final int DOT_MIN_K = 1024;
    /** Largest C (m*n) of the dot-product path: beyond it packing pays off. */
    static final long DOT_MAX_MN = 4096;
    /** Depth chunk of the dot-product path (A and B chunks stay in L2). */
    static final int DOT_KC = 512;

    /**
     * C[m,n] = A[m,k] B[k,n] where A's rows and B's columns are contiguous (A B^T of two row-major
     * matrices) and C is small: each element is a dot product, no packing. Single-threaded.
     */
    public static void gemmDotF32(int m, int n, int k, float[] a, int ao, int ars, float[] b, int bo, int bcs,
                                  float[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0f);
        float[] res = new float[8];
        for (int pc = 0; pc < k; pc += DOT_KC) {
            int len = Math.min(DOT_KC, k - pc);
            for (int i = 0; i < m; i += 2) {
                for (int j = 0; j < n; j += 4) {
                    if (i + 2 <= m && j + 4 <= n && Simd.ENABLED) {
                        java.util.Arrays.fill(res, 0f);
                        VectorKernels.dot2x4F32(a, ao + i * ars + pc, ars, b, bo + j * bcs + pc, bcs, len, res);
                        for (int r = 0; r < 2; r++)
                            for (int q = 0; q < 4; q++) c[co + (i + r) * ldc + j + q] += res[r * 4 + q];
                    } else {
                        for (int r = i; r < Math.min(i + 2, m); r++)
                            for (int q = j; q < Math.min(j + 4, n); q++) {
                                int ar = ao + r * ars + pc, br = bo + q * bcs + pc;
                                float acc = 0f;
                                for (int p = 0; p < len; p++) acc += a[ar + p] * b[br + p];
                                c[co + r * ldc + q] += acc;
                            }
                    }
                }
            }
        }
    }

    private static final ThreadLocal<float[][]> BUFF32 = new ThreadLocal<>();

    private static float[][] buffersF32(int aLen, int bLen) {
        float[][] buf = BUFF32.get();
        if (buf == null || buf[0].length < aLen || buf[1].length < bLen) {
            buf = new float[][]{new float[aLen], new float[bLen], new float[MR * nrF32()]};
            BUFF32.set(buf);
        }
        return buf;
    }

    private static int nrF32() { return 2 * Simd.floatLanes(); }

    private static void serialF32(int m, int n, int k, float[] a, int ao, int ars, int acs,
                                 float[] b, int bo, int brs, int bcs, float[] c, int co, int ldc) {
        int nr = nrF32();
        int kcMax = Math.min(KC, k), mcMax = Math.min(MC, roundUp(m, MR)), ncMax = Math.min(NC, roundUp(n, nr));
        float[][] buf = buffersF32(mcMax * kcMax, ncMax * kcMax);
        float[] ap = buf[0], bp = buf[1], tile = buf[2];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean acc = pc > 0;
                packBF32(b, bo + pc * brs + jc * bcs, brs, bcs, kc, nc, nr, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    // with few column panels to amortize it over, packing A costs more than reading
                    // its rows in place (6 streams of broadcasts, when A's rows are contiguous); a last
                    // partial row panel is still packed (zero-padded)
                    boolean direct = Simd.ENABLED && acs == 1 && nc <= DIRECT_A_MAX_PANELS * nr;
                    int packFrom = direct ? mc / MR * MR : 0;
                    if (packFrom < mc) packAF32(a, ao + (ic + packFrom) * ars + pc * acs, ars, acs, mc - packFrom, kc, ap);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int nn = Math.min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mm = Math.min(MR, mc - ir);
                            int cOff = co + (ic + ir) * ldc + jc + jr;
                            if (direct && ir < packFrom) {
                                int aRow = ao + (ic + ir) * ars + pc;
                                if (nn == nr) {
                                    VectorKernels.gemmMicroRowsAF32(a, aRow, ars, bp, jr * kc, kc, c, cOff, ldc, acc);
                                } else {
                                    VectorKernels.gemmMicroRowsAF32(a, aRow, ars, bp, jr * kc, kc, tile, 0, nr, false);
                                    for (int r = 0; r < mm; r++)
                                        for (int j = 0; j < nn; j++)
                                            c[cOff + r * ldc + j] = acc ? c[cOff + r * ldc + j] + tile[r * nr + j] : tile[r * nr + j];
                                }
                                continue;
                            }
                            int aOff = (ir - packFrom) * kc;
                            if (mm == MR && nn == nr) {
                                microF32(ap, aOff, bp, jr * kc, kc, c, cOff, ldc, acc);
                            } else {
                                microF32(ap, aOff, bp, jr * kc, kc, tile, 0, nr, false);
                                for (int r = 0; r < mm; r++)
                                    for (int j = 0; j < nn; j++)
                                        c[cOff + r * ldc + j] = acc ? c[cOff + r * ldc + j] + tile[r * nr + j] : tile[r * nr + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Most rows of the unpacked-B path. */
    static final int WIDE_MAX_M = 24;

    /** Columns [lo, hi) of C = A B with A packed (ap, all m rows, depth k) and B row-major at stride brs. */
    private static void wideF32(int m, int lo, int hi, int k, float[] ap, float[] b, int bo, int brs,
                                float[] c, int co, int ldc) {
        int nr = nrF32();
        float[] tile = new float[MR * nr];
        for (int j = lo; j < hi; j += nr) {
            int nn = Math.min(nr, hi - j);
            for (int i = 0; i < m; i += MR) {
                int mm = Math.min(MR, m - i), cOff = co + i * ldc + j;
                if (nn == nr && mm == MR) {
                    VectorKernels.gemmMicroStridedF32(ap, i * k, b, bo + j, brs, k, c, cOff, ldc);
                } else if (nn == nr) {
                    VectorKernels.gemmMicroStridedF32(ap, i * k, b, bo + j, brs, k, tile, 0, nr);
                    for (int r = 0; r < mm; r++) System.arraycopy(tile, r * nr, c, cOff + r * ldc, nr);
                } else {
                    for (int r = 0; r < mm; r++)
                        for (int q = 0; q < nn; q++) {
                            float acc = 0f;
                            for (int p = 0; p < k; p++) acc += ap[i * k + p * MR + r] * b[bo + p * brs + j + q];
                            c[cOff + r * ldc + q] = acc;
                        }
                }
            }
        }
    }

    /** A block [mc, kc] into panels of MR rows: ap[panel*MR*kc + p*MR + r]; missing rows are 0. */
    private static void packAF32(float[] a, int ao, int ars, int acs, int mc, int kc, float[] ap) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int rows = Math.min(MR, mc - i0), base = i0 * kc;
            if (acs == 1 && rows == MR) {
                for (int r = 0; r < MR; r++) {
                    int src = ao + (i0 + r) * ars;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * MR, src = ao + i0 * ars + p * acs;
                    for (int r = 0; r < rows; r++) ap[dst + r] = a[src + r * ars];
                    for (int r = rows; r < MR; r++) ap[dst + r] = 0;
                }
            }
        }
    }

    /** B block [kc, nc] into panels of nr columns: bp[panel*nr*kc + p*nr + j]; missing columns are 0. */
    private static void packBF32(float[] b, int bo, int brs, int bcs, int kc, int nc, int nr, float[] bp) {
        for (int j0 = 0; j0 < nc; j0 += nr) {
            int cols = Math.min(nr, nc - j0), base = j0 * kc;
            if (bcs == 1) {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * nr;
                    System.arraycopy(b, bo + p * brs + j0, bp, dst, cols);
                    for (int j = cols; j < nr; j++) bp[dst + j] = 0;
                }
            } else {
                int p0 = 0;
                if (Simd.ENABLED && brs == 1 && cols == nr && VectorKernels.TRANSPOSE_BLOCKS) {
                    // a transposed B (columns contiguous): whole lanes x lanes blocks transposed in registers
                    int l = Simd.floatLanes();
                    for (; p0 + l <= kc; p0 += l)
                        for (int jj = 0; jj < nr; jj += l)
                            VectorKernels.transposeBlockF32(b, bo + p0 + (j0 + jj) * bcs, bcs, bp, base + p0 * nr + jj, nr);
                }
                // sequential writes; the reads walk `cols` columns in step, so their cache lines stay in L1
                for (int p = p0; p < kc; p++) {
                    int dst = base + p * nr, src = bo + p * brs + j0 * bcs;
                    for (int j = 0; j < cols; j++) bp[dst + j] = b[src + j * bcs];
                    for (int j = cols; j < nr; j++) bp[dst + j] = 0;
                }
            }
        }
    }

    /** One MR x nr tile: C (=|+=) ap-panel * bp-panel over kc. */
    private static void microF32(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc, boolean acc) {
        if (Simd.ENABLED) {
            VectorKernels.gemmMicroF32(ap, aOff, bp, bOff, kc, c, cOff, ldc, acc);
            return;
        }
        // plain loops straight into C: the contiguous j loop is one C2 auto-vectorizes
        int nr = nrF32();
        if (!acc) for (int r = 0; r < MR; r++) java.util.Arrays.fill(c, cOff + r * ldc, cOff + r * ldc + nr, 0f);
        for (int p = 0; p < kc; p++) {
            int ar = aOff + p * MR, br = bOff + p * nr;
            for (int r = 0; r < MR; r++) {
                float av = ap[ar + r];
                int cr = cOff + r * ldc;
                for (int j = 0; j < nr; j++) c[cr + j] += av * bp[br + j];
            }
        }
    }

    // ------------------------------------------------------------------ double

    /**
     * C[m,n] = A[m,k] * B[k,n] in double. A and B are read through arbitrary strides (a transposed
     * view costs nothing: packing reads it), C is row-major with leading dimension ldc at co.
     */
    public static void gemmF64(int m, int n, int k, double[] a, int ao, int ars, int acs,
                               double[] b, int bo, int brs, int bcs, double[] c, int co, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, (double) 0);
            return;
        }
        int mr = MR, nr = nrF64();
        if (m >= n) {
            int grain = grain(m, (long) n * k, mr);
            Parallel.forRange(m, grain, mr, (lo, hi) ->
                    serialF64(hi - lo, n, k, a, ao + lo * ars, ars, acs, b, bo, brs, bcs, c, co + lo * ldc, ldc));
        } else {
            int grain = grain(n, (long) m * k, nr);
            Parallel.forRange(n, grain, nr, (lo, hi) ->
                    serialF64(m, hi - lo, k, a, ao, ars, acs, b, bo + lo * bcs, brs, bcs, c, co + lo, ldc));
        }
    }

    private static final ThreadLocal<double[][]> BUFF64 = new ThreadLocal<>();

    private static double[][] buffersF64(int aLen, int bLen) {
        double[][] buf = BUFF64.get();
        if (buf == null || buf[0].length < aLen || buf[1].length < bLen) {
            buf = new double[][]{new double[aLen], new double[bLen], new double[MR * nrF64()]};
            BUFF64.set(buf);
        }
        return buf;
    }

    private static int nrF64() { return 2 * Simd.doubleLanes(); }

    private static void serialF64(int m, int n, int k, double[] a, int ao, int ars, int acs,
                                 double[] b, int bo, int brs, int bcs, double[] c, int co, int ldc) {
        int nr = nrF64();
        int kcMax = Math.min(KC, k), mcMax = Math.min(MC, roundUp(m, MR)), ncMax = Math.min(NC, roundUp(n, nr));
        double[][] buf = buffersF64(mcMax * kcMax, ncMax * kcMax);
        double[] ap = buf[0], bp = buf[1], tile = buf[2];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean acc = pc > 0;
                packBF64(b, bo + pc * brs + jc * bcs, brs, bcs, kc, nc, nr, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packAF64(a, ao + ic * ars + pc * acs, ars, acs, mc, kc, ap);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int nn = Math.min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mm = Math.min(MR, mc - ir);
                            int cOff = co + (ic + ir) * ldc + jc + jr;
                            if (mm == MR && nn == nr) {
                                microF64(ap, ir * kc, bp, jr * kc, kc, c, cOff, ldc, acc);
                            } else {
                                microF64(ap, ir * kc, bp, jr * kc, kc, tile, 0, nr, false);
                                for (int r = 0; r < mm; r++)
                                    for (int j = 0; j < nn; j++)
                                        c[cOff + r * ldc + j] = acc ? c[cOff + r * ldc + j] + tile[r * nr + j] : tile[r * nr + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** A block [mc, kc] into panels of MR rows: ap[panel*MR*kc + p*MR + r]; missing rows are 0. */
    private static void packAF64(double[] a, int ao, int ars, int acs, int mc, int kc, double[] ap) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int rows = Math.min(MR, mc - i0), base = i0 * kc;
            if (acs == 1 && rows == MR) {
                for (int r = 0; r < MR; r++) {
                    int src = ao + (i0 + r) * ars;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * MR, src = ao + i0 * ars + p * acs;
                    for (int r = 0; r < rows; r++) ap[dst + r] = a[src + r * ars];
                    for (int r = rows; r < MR; r++) ap[dst + r] = 0;
                }
            }
        }
    }

    /** B block [kc, nc] into panels of nr columns: bp[panel*nr*kc + p*nr + j]; missing columns are 0. */
    private static void packBF64(double[] b, int bo, int brs, int bcs, int kc, int nc, int nr, double[] bp) {
        for (int j0 = 0; j0 < nc; j0 += nr) {
            int cols = Math.min(nr, nc - j0), base = j0 * kc;
            if (bcs == 1) {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * nr;
                    System.arraycopy(b, bo + p * brs + j0, bp, dst, cols);
                    for (int j = cols; j < nr; j++) bp[dst + j] = 0;
                }
            } else {
                // sequential writes; the reads walk `cols` columns in step, so their cache lines stay in L1
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * nr, src = bo + p * brs + j0 * bcs;
                    for (int j = 0; j < cols; j++) bp[dst + j] = b[src + j * bcs];
                    for (int j = cols; j < nr; j++) bp[dst + j] = 0;
                }
            }
        }
    }

    /** One MR x nr tile: C (=|+=) ap-panel * bp-panel over kc. */
    private static void microF64(double[] ap, int aOff, double[] bp, int bOff, int kc, double[] c, int cOff, int ldc, boolean acc) {
        if (Simd.ENABLED) {
            VectorKernels.gemmMicroF64(ap, aOff, bp, bOff, kc, c, cOff, ldc, acc);
            return;
        }
        // plain loops straight into C: the contiguous j loop is one C2 auto-vectorizes
        int nr = nrF64();
        if (!acc) for (int r = 0; r < MR; r++) java.util.Arrays.fill(c, cOff + r * ldc, cOff + r * ldc + nr, 0.0);
        for (int p = 0; p < kc; p++) {
            int ar = aOff + p * MR, br = bOff + p * nr;
            for (int r = 0; r < MR; r++) {
                double av = ap[ar + r];
                int cr = cOff + r * ldc;
                for (int j = 0; j < nr; j++) c[cr + j] += av * bp[br + j];
            }
        }
    }
}
