package org.grad4j.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels that use the Vector API (jdk.incubator.vector). Only loaded when {@link Simd#ENABLED};
 * every caller has a plain-loop fallback.
 */
final class VectorKernels {
    private VectorKernels() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final int F32_LANES = F.length();
    static final int F64_LANES = D.length();

    // ------------------------------------------------------------------ GEMM micro-kernels

    /** MR(=6) x 2 vectors tile: c[cOff + r*ldc + j] (=|+=) sum_p ap[aOff + p*6 + r] * bp[bOff + p*2L + j]. */
    static void gemmMicroF32(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc, boolean acc) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
        // the B index is the loop variable (the shape C2 hoists vector bounds checks for)
        final int l2 = 2 * l, bEnd = bOff + kc * l2;
        int a = aOff;
        for (int b = bOff; b < bEnd; b += l2, a += 6) {
            FloatVector b0 = FloatVector.fromArray(s, bp, b), b1 = FloatVector.fromArray(s, bp, b + l);
            FloatVector x = FloatVector.broadcast(s, ap[a]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, ap[a + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, ap[a + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, ap[a + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(s, ap[a + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(s, ap[a + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        storeF32(s, c, cOff, l, c00, c01, acc);
        storeF32(s, c, cOff + ldc, l, c10, c11, acc);
        storeF32(s, c, cOff + 2 * ldc, l, c20, c21, acc);
        storeF32(s, c, cOff + 3 * ldc, l, c30, c31, acc);
        storeF32(s, c, cOff + 4 * ldc, l, c40, c41, acc);
        storeF32(s, c, cOff + 5 * ldc, l, c50, c51, acc);
    }

    /**
     * Dot products of 2 A rows with 4 B rows over len floats (both contiguous):
     * res[r*4 + q] += sum_p a[ar + r*ars + p] * b[br + q*brs + p] (the NT GEMM for small m, n and long k).
     */
    static void dot2x4F32(float[] a, int ar, int ars, float[] b, int br, int brs, int len, float[] res) {
        final VectorSpecies<Float> s = F;
        final int l = s.length(), end = s.loopBound(len);
        FloatVector s00 = FloatVector.zero(s), s01 = FloatVector.zero(s), s02 = FloatVector.zero(s), s03 = FloatVector.zero(s);
        FloatVector s10 = FloatVector.zero(s), s11 = FloatVector.zero(s), s12 = FloatVector.zero(s), s13 = FloatVector.zero(s);
        int a1 = ar + ars, b1 = br + brs, b2 = br + 2 * brs, b3 = br + 3 * brs;
        int p = 0;
        for (; p < end; p += l) {
            FloatVector x0 = FloatVector.fromArray(s, a, ar + p), x1 = FloatVector.fromArray(s, a, a1 + p);
            FloatVector y = FloatVector.fromArray(s, b, br + p);
            s00 = x0.fma(y, s00); s10 = x1.fma(y, s10);
            y = FloatVector.fromArray(s, b, b1 + p);
            s01 = x0.fma(y, s01); s11 = x1.fma(y, s11);
            y = FloatVector.fromArray(s, b, b2 + p);
            s02 = x0.fma(y, s02); s12 = x1.fma(y, s12);
            y = FloatVector.fromArray(s, b, b3 + p);
            s03 = x0.fma(y, s03); s13 = x1.fma(y, s13);
        }
        float[] t = new float[8];
        for (; p < len; p++) {
            float x0 = a[ar + p], x1 = a[a1 + p];
            t[0] += x0 * b[br + p]; t[1] += x0 * b[b1 + p]; t[2] += x0 * b[b2 + p]; t[3] += x0 * b[b3 + p];
            t[4] += x1 * b[br + p]; t[5] += x1 * b[b1 + p]; t[6] += x1 * b[b2 + p]; t[7] += x1 * b[b3 + p];
        }
        res[0] += laneSum(s00) + t[0];
        res[1] += laneSum(s01) + t[1];
        res[2] += laneSum(s02) + t[2];
        res[3] += laneSum(s03) + t[3];
        res[4] += laneSum(s10) + t[4];
        res[5] += laneSum(s11) + t[5];
        res[6] += laneSum(s12) + t[6];
        res[7] += laneSum(s13) + t[7];
    }

    /** out[i] = y[yo+i] <= 0 ? 0 : g[go+i] for i in [lo, hi) by whole vectors (a blend, no branch); returns where it stopped. */
    static int reluBackwardF32(float[] g, int go, float[] y, int yo, float[] out, int lo, int hi) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        FloatVector zero = FloatVector.zero(s);
        int i = lo;
        for (; i + l <= hi; i += l) {
            FloatVector yv = FloatVector.fromArray(s, y, yo + i);
            FloatVector.fromArray(s, g, go + i).blend(zero, yv.compare(VectorOperators.LE, 0f)).intoArray(out, i);
        }
        return i;
    }

    /*
     * The pooling kernel uses the preferred species F like every other kernel: a second vector shape
     * in the same JVM (an 8-lane species for short rows was tried) pollutes the type profiles that
     * the Vector API's shared code relies on, and C2 then boxes vectors in unrelated kernels (the
     * GEMM ran 2.5x slower). Short rows use masks instead.
     */

    /** Lane i takes lane 2i (mod lanes) or 2i + 1: packs the even or odd columns of a vector into each half. */
    private static final jdk.incubator.vector.VectorShuffle<Float> EVEN_SH = halves(0), ODD_SH = halves(1);
    private static final VectorSpecies<Integer> FI = VectorSpecies.of(int.class, F.vectorShape());
    /** 2i per lane: the input column offset of output lane i. */
    private static final IntVector TWICE_IOTA = IntVector.fromArray(FI, twiceIota(), 0);

    private static jdk.incubator.vector.VectorShuffle<Float> halves(int first) {
        int l = F.length();
        int[] t = new int[l];
        for (int i = 0; i < l; i++) t[i] = (2 * i + first) % l;
        return jdk.incubator.vector.VectorShuffle.fromArray(F, t, 0);
    }

    private static int[] twiceIota() {
        int[] m = new int[F.length()];
        for (int i = 0; i < m.length; i++) m[i] = 2 * i;
        return m;
    }

    /** The even (or odd) columns of the 2 * lanes values lo ++ hi, one single-vector permute per half. */
    private static FloatVector columns(FloatVector lo, FloatVector hi, jdk.incubator.vector.VectorShuffle<Float> sh,
                                       VectorMask<Float> upper) {
        return lo.rearrange(sh).blend(hi.rearrange(sh), upper);
    }

    /**
     * One [H, W] plane of a 2x2, stride 2 max pool (oh x ow outputs at out[ob], plane at in[base]):
     * each output is the first maximum of (r0[2x], r0[2x+1], r1[2x], r1[2x+1]) (NaN wins), idx its
     * flat index in the plane, like PyTorch. Contiguous (masked) loads split into even and odd
     * columns by permutes; blends, no branches.
     */
    static void maxPool2x2PlaneF32(float[] in, int base, int w, float[] out, long[] idx, int ob, int oh, int ow) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        final FloatVector iota = FloatVector.fromArray(s, IOTA_F, 0);
        final VectorMask<Float> upper = lanesIn(iota, l / 2, l);
        final int[] kbuf = new int[l];
        for (int x0 = 0; x0 < ow; x0 += l) {
            int n = Math.min(l, ow - x0);
            VectorMask<Float> m0 = lanesBelow(iota, 2 * n), m1 = lanesBelow(iota, 2 * n - l), store = lanesBelow(iota, n);
            for (int y = 0; y < oh; y++) {
                int r0 = base + 2 * y * w + 2 * x0, r1 = r0 + w, o = ob + y * ow + x0;
                FloatVector a0 = FloatVector.fromArray(s, in, r0, m0), a1 = FloatVector.fromArray(s, in, r0 + l, m1);
                FloatVector c0 = FloatVector.fromArray(s, in, r1, m0), c1 = FloatVector.fromArray(s, in, r1 + l, m1);
                FloatVector best = columns(a0, a1, EVEN_SH, upper), b = columns(a0, a1, ODD_SH, upper);
                FloatVector c = columns(c0, c1, EVEN_SH, upper), d = columns(c0, c1, ODD_SH, upper);
                IntVector at = TWICE_IOTA.add(r0 - base);
                VectorMask<Float> m = best.compare(VectorOperators.EQ, best)
                        .and(b.compare(VectorOperators.GT, best).or(b.compare(VectorOperators.NE, b)));
                best = best.blend(b, m);
                IntVector k = at.blend(at.add(1), m.cast(FI));
                m = best.compare(VectorOperators.EQ, best).and(c.compare(VectorOperators.GT, best).or(c.compare(VectorOperators.NE, c)));
                best = best.blend(c, m);
                k = k.blend(at.add(w), m.cast(FI));
                m = best.compare(VectorOperators.EQ, best).and(d.compare(VectorOperators.GT, best).or(d.compare(VectorOperators.NE, d)));
                best = best.blend(d, m);
                k = k.blend(at.add(w + 1), m.cast(FI));
                best.intoArray(out, o, store);
                k.intoArray(kbuf, 0);
                for (int q = 0; q < n; q++) idx[o + q] = kbuf[q];
            }
        }
    }

    /** y[yo+i] = fma(alpha, x[xo+i], y[yo+i]) for i in [lo, hi) by whole vectors; returns where it stopped. */
    static int axpyF32(float[] y, int yo, float alpha, float[] x, int xo, int lo, int hi) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        FloatVector a = FloatVector.broadcast(s, alpha);
        int i = lo;
        for (; i + l <= hi; i += l) {
            FloatVector.fromArray(s, x, xo + i).fma(a, FloatVector.fromArray(s, y, yo + i)).intoArray(y, yo + i);
        }
        return i;
    }

    /** Checks whole vectors of a[off..off+n): -1 if one holds a NaN or infinity, else how many elements were checked. */
    static int finitePrefixF32(float[] a, int off, int n) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        FloatVector zero = FloatVector.zero(s), acc0 = zero, acc1 = zero;
        int i = 0;
        for (; i + 2 * l <= n; i += 2 * l) {
            acc0 = FloatVector.fromArray(s, a, off + i).fma(zero, acc0);
            acc1 = FloatVector.fromArray(s, a, off + i + l).fma(zero, acc1);
        }
        return acc0.add(acc1).compare(VectorOperators.EQ, 0f).allTrue() ? i : -1;
    }

    /** Like gemmMicroF32 (C = ...), with B read in place: row p at bOff + p*brs, 2 vectors wide. */
    static void gemmMicroStridedF32(float[] ap, int aOff, float[] b, int bOff, int brs, int kc, float[] c, int cOff, int ldc) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
        int a = aOff, bi = bOff;
        for (int p = 0; p < kc; p++, a += 6, bi += brs) {
            FloatVector b0 = FloatVector.fromArray(s, b, bi), b1 = FloatVector.fromArray(s, b, bi + l);
            FloatVector x = FloatVector.broadcast(s, ap[a]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, ap[a + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, ap[a + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, ap[a + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(s, ap[a + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(s, ap[a + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        storeF32(s, c, cOff, l, c00, c01, false);
        storeF32(s, c, cOff + ldc, l, c10, c11, false);
        storeF32(s, c, cOff + 2 * ldc, l, c20, c21, false);
        storeF32(s, c, cOff + 3 * ldc, l, c30, c31, false);
        storeF32(s, c, cOff + 4 * ldc, l, c40, c41, false);
        storeF32(s, c, cOff + 5 * ldc, l, c50, c51, false);
    }

    /** {@link #gemmMicroF32} reading the 6 rows of A in place: row r at a[aRow + r*ars + p]. */
    static void gemmMicroRowsAF32(float[] a, int aRow, int ars, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc, boolean acc) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
        final int a0 = aRow, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars, l2 = 2 * l;
        for (int p = 0, b = bOff; p < kc; p++, b += l2) {
            FloatVector b0 = FloatVector.fromArray(s, bp, b), b1 = FloatVector.fromArray(s, bp, b + l);
            FloatVector x = FloatVector.broadcast(s, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(s, a[a4 + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(s, a[a5 + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        storeF32(s, c, cOff, l, c00, c01, acc);
        storeF32(s, c, cOff + ldc, l, c10, c11, acc);
        storeF32(s, c, cOff + 2 * ldc, l, c20, c21, acc);
        storeF32(s, c, cOff + 3 * ldc, l, c30, c31, acc);
        storeF32(s, c, cOff + 4 * ldc, l, c40, c41, acc);
        storeF32(s, c, cOff + 5 * ldc, l, c50, c51, acc);
    }

    private static void storeF32(VectorSpecies<Float> s, float[] c, int o, int l, FloatVector v0, FloatVector v1, boolean acc) {
        if (acc) {
            v0 = v0.add(FloatVector.fromArray(s, c, o));
            v1 = v1.add(FloatVector.fromArray(s, c, o + l));
        }
        v0.intoArray(c, o);
        v1.intoArray(c, o + l);
    }

    /** MR(=6) x 2 vectors tile: c[cOff + r*ldc + j] (=|+=) sum_p ap[aOff + p*6 + r] * bp[bOff + p*2L + j]. */
    static void gemmMicroF64(double[] ap, int aOff, double[] bp, int bOff, int kc, double[] c, int cOff, int ldc, boolean acc) {
        final VectorSpecies<Double> s = D;
        final int l = s.length();
        DoubleVector c00 = DoubleVector.zero(s), c01 = DoubleVector.zero(s), c10 = DoubleVector.zero(s), c11 = DoubleVector.zero(s);
        DoubleVector c20 = DoubleVector.zero(s), c21 = DoubleVector.zero(s), c30 = DoubleVector.zero(s), c31 = DoubleVector.zero(s);
        DoubleVector c40 = DoubleVector.zero(s), c41 = DoubleVector.zero(s), c50 = DoubleVector.zero(s), c51 = DoubleVector.zero(s);
        // the B index is the loop variable (the shape C2 hoists vector bounds checks for)
        final int l2 = 2 * l, bEnd = bOff + kc * l2;
        int a = aOff;
        for (int b = bOff; b < bEnd; b += l2, a += 6) {
            DoubleVector b0 = DoubleVector.fromArray(s, bp, b), b1 = DoubleVector.fromArray(s, bp, b + l);
            DoubleVector x = DoubleVector.broadcast(s, ap[a]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(s, ap[a + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(s, ap[a + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(s, ap[a + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(s, ap[a + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(s, ap[a + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        storeF64(s, c, cOff, l, c00, c01, acc);
        storeF64(s, c, cOff + ldc, l, c10, c11, acc);
        storeF64(s, c, cOff + 2 * ldc, l, c20, c21, acc);
        storeF64(s, c, cOff + 3 * ldc, l, c30, c31, acc);
        storeF64(s, c, cOff + 4 * ldc, l, c40, c41, acc);
        storeF64(s, c, cOff + 5 * ldc, l, c50, c51, acc);
    }

    private static void storeF64(VectorSpecies<Double> s, double[] c, int o, int l, DoubleVector v0, DoubleVector v1, boolean acc) {
        if (acc) {
            v0 = v0.add(DoubleVector.fromArray(s, c, o));
            v1 = v1.add(DoubleVector.fromArray(s, c, o + l));
        }
        v0.intoArray(c, o);
        v1.intoArray(c, o + l);
    }

    // ------------------------------------------------------------------ elementwise float

    /** o[oo+i] = x[xo+i] op y[yo+i] for i in [0, n); op is ADD, SUB, MUL or DIV. */
    static void binaryF32(BinaryOp op, float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        final VectorSpecies<Float> s = F;
        int i = 0, ub = s.loopBound(n);
        switch (op) {
            case ADD -> { for (; i < ub; i += s.length()) FloatVector.fromArray(s, x, xo + i).add(FloatVector.fromArray(s, y, yo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; }
            case SUB -> { for (; i < ub; i += s.length()) FloatVector.fromArray(s, x, xo + i).sub(FloatVector.fromArray(s, y, yo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; }
            case MUL -> { for (; i < ub; i += s.length()) FloatVector.fromArray(s, x, xo + i).mul(FloatVector.fromArray(s, y, yo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; }
            case DIV -> { for (; i < ub; i += s.length()) FloatVector.fromArray(s, x, xo + i).div(FloatVector.fromArray(s, y, yo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] / y[yo + i]; }
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    /** o[oo+i] = x[xo+i] op c (or c op x[xo+i] when {@code scalarFirst}); op is ADD, SUB, MUL or DIV. */
    static void binaryScalarF32(BinaryOp op, float[] x, int xo, float c, boolean scalarFirst, float[] o, int oo, int n) {
        final VectorSpecies<Float> s = F;
        int i = 0, ub = s.loopBound(n);
        FloatVector cv = FloatVector.broadcast(s, c);
        switch (op) {
            case ADD -> { for (; i < ub; i += s.length()) FloatVector.fromArray(s, x, xo + i).add(cv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] + c; }
            case MUL -> { for (; i < ub; i += s.length()) FloatVector.fromArray(s, x, xo + i).mul(cv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] * c; }
            case SUB -> {
                if (scalarFirst) { for (; i < ub; i += s.length()) cv.sub(FloatVector.fromArray(s, x, xo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = c - x[xo + i]; }
                else { for (; i < ub; i += s.length()) FloatVector.fromArray(s, x, xo + i).sub(cv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] - c; }
            }
            case DIV -> {
                if (scalarFirst) { for (; i < ub; i += s.length()) cv.div(FloatVector.fromArray(s, x, xo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = c / x[xo + i]; }
                else { for (; i < ub; i += s.length()) FloatVector.fromArray(s, x, xo + i).div(cv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] / c; }
            }
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    /** o[oo+i] = op(x[xo+i]); returns false (and writes nothing) for ops without a vector form. */
    static boolean unaryF32(UnaryOp op, float[] x, int xo, float[] o, int oo, int n) {
        // Only ops that compile to a few instructions: the Vector API's transcendental lanewise ops
        // (EXP, LOG, TANH...) fall back to a slow per-lane path on common JDK builds (measured ~6 ns
        // per element), slower than the scalar Math loop. float32 exp has its own kernel (expF32).
        VectorOperators.Unary vop = switch (op) {
            case NEG -> VectorOperators.NEG;
            case ABS -> VectorOperators.ABS;
            case SQRT -> VectorOperators.SQRT;
            default -> null;
        };
        final VectorSpecies<Float> s = F;
        int i = 0, ub = s.loopBound(n);
        if (vop != null) {
            for (; i < ub; i += s.length()) FloatVector.fromArray(s, x, xo + i).lanewise(vop).intoArray(o, oo + i);
        } else if (op == UnaryOp.RELU) {
            // PyTorch's relu keeps x unless x < 0 (NaN and -0 pass through): blend 0 into the x < 0 lanes only
            FloatVector zero = FloatVector.zero(s);
            for (; i < ub; i += s.length()) {
                FloatVector v = FloatVector.fromArray(s, x, xo + i);
                v.blend(zero, v.compare(VectorOperators.LT, zero)).intoArray(o, oo + i);
            }
        } else if (op == UnaryOp.EXP) {
            for (; i < ub; i += s.length()) {
                FloatVector v = FloatVector.fromArray(s, x, xo + i);
                if (expInRange(v)) expF32(v).intoArray(o, oo + i);
                else for (int j = i; j < i + s.length(); j++) o[oo + j] = op.apply(x[xo + j]);
            }
        } else if (op == UnaryOp.SIGMOID) {
            FloatVector one = FloatVector.broadcast(s, 1);
            for (; i < ub; i += s.length()) {
                FloatVector v = FloatVector.fromArray(s, x, xo + i).neg();
                if (expInRange(v)) one.div(one.add(expF32(v))).intoArray(o, oo + i);
                else for (int j = i; j < i + s.length(); j++) o[oo + j] = op.apply(x[xo + j]);
            }
        } else if (op == UnaryOp.SQUARE) {
            for (; i < ub; i += s.length()) {
                FloatVector v = FloatVector.fromArray(s, x, xo + i);
                v.mul(v).intoArray(o, oo + i);
            }
        } else {
            return false;
        }
        for (; i < n; i++) o[oo + i] = op.apply(x[xo + i]);
        return true;
    }

    // ------------------------------------------------------------------ elementwise double

    /** o[oo+i] = x[xo+i] op y[yo+i] for i in [0, n); op is ADD, SUB, MUL or DIV. */
    static void binaryF64(BinaryOp op, double[] x, int xo, double[] y, int yo, double[] o, int oo, int n) {
        final VectorSpecies<Double> s = D;
        int i = 0, ub = s.loopBound(n);
        switch (op) {
            case ADD -> { for (; i < ub; i += s.length()) DoubleVector.fromArray(s, x, xo + i).add(DoubleVector.fromArray(s, y, yo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; }
            case SUB -> { for (; i < ub; i += s.length()) DoubleVector.fromArray(s, x, xo + i).sub(DoubleVector.fromArray(s, y, yo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; }
            case MUL -> { for (; i < ub; i += s.length()) DoubleVector.fromArray(s, x, xo + i).mul(DoubleVector.fromArray(s, y, yo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; }
            case DIV -> { for (; i < ub; i += s.length()) DoubleVector.fromArray(s, x, xo + i).div(DoubleVector.fromArray(s, y, yo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] / y[yo + i]; }
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    /** o[oo+i] = x[xo+i] op c (or c op x[xo+i] when {@code scalarFirst}); op is ADD, SUB, MUL or DIV. */
    static void binaryScalarF64(BinaryOp op, double[] x, int xo, double c, boolean scalarFirst, double[] o, int oo, int n) {
        final VectorSpecies<Double> s = D;
        int i = 0, ub = s.loopBound(n);
        DoubleVector cv = DoubleVector.broadcast(s, c);
        switch (op) {
            case ADD -> { for (; i < ub; i += s.length()) DoubleVector.fromArray(s, x, xo + i).add(cv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] + c; }
            case MUL -> { for (; i < ub; i += s.length()) DoubleVector.fromArray(s, x, xo + i).mul(cv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] * c; }
            case SUB -> {
                if (scalarFirst) { for (; i < ub; i += s.length()) cv.sub(DoubleVector.fromArray(s, x, xo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = c - x[xo + i]; }
                else { for (; i < ub; i += s.length()) DoubleVector.fromArray(s, x, xo + i).sub(cv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] - c; }
            }
            case DIV -> {
                if (scalarFirst) { for (; i < ub; i += s.length()) cv.div(DoubleVector.fromArray(s, x, xo + i)).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = c / x[xo + i]; }
                else { for (; i < ub; i += s.length()) DoubleVector.fromArray(s, x, xo + i).div(cv).intoArray(o, oo + i); for (; i < n; i++) o[oo + i] = x[xo + i] / c; }
            }
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    /** o[oo+i] = op(x[xo+i]); returns false (and writes nothing) for ops without a vector form. */
    static boolean unaryF64(UnaryOp op, double[] x, int xo, double[] o, int oo, int n) {
        // Only ops that compile to a few instructions: the Vector API's transcendental lanewise ops
        // (EXP, LOG, TANH...) fall back to a slow per-lane path on common JDK builds (measured ~6 ns
        // per element), slower than the scalar Math loop. float32 exp has its own kernel (expF32).
        VectorOperators.Unary vop = switch (op) {
            case NEG -> VectorOperators.NEG;
            case ABS -> VectorOperators.ABS;
            case SQRT -> VectorOperators.SQRT;
            default -> null;
        };
        final VectorSpecies<Double> s = D;
        int i = 0, ub = s.loopBound(n);
        if (vop != null) {
            for (; i < ub; i += s.length()) DoubleVector.fromArray(s, x, xo + i).lanewise(vop).intoArray(o, oo + i);
        } else if (op == UnaryOp.RELU) {
            // PyTorch's relu keeps x unless x < 0 (NaN and -0 pass through): blend 0 into the x < 0 lanes only
            DoubleVector zero = DoubleVector.zero(s);
            for (; i < ub; i += s.length()) {
                DoubleVector v = DoubleVector.fromArray(s, x, xo + i);
                v.blend(zero, v.compare(VectorOperators.LT, zero)).intoArray(o, oo + i);
            }
        } else if (op == UnaryOp.SQUARE) {
            for (; i < ub; i += s.length()) {
                DoubleVector v = DoubleVector.fromArray(s, x, xo + i);
                v.mul(v).intoArray(o, oo + i);
            }
        } else {
            return false;
        }
        for (; i < n; i++) o[oo + i] = op.apply(x[xo + i]);
        return true;
    }

    // ------------------------------------------------------------------ sums

    /**
     * Sum of x[o..o+n) in float32 lanes per block of 1024 elements, blocks added in double: each
     * lane adds at most 64 values, so the rounding error stays tiny and 10^7 ones sum exactly.
     */
    static double sumF32(float[] x, int o, int n) {
        final VectorSpecies<Float> s = F;
        final int block = 1024;
        double total = 0;
        int i = 0;
        for (; i + block <= n; i += block) {
            FloatVector a0 = FloatVector.zero(s), a1 = FloatVector.zero(s), a2 = FloatVector.zero(s), a3 = FloatVector.zero(s);
            int l = s.length();
            for (int j = o + i, e = o + i + block; j < e; j += 4 * l) {
                a0 = a0.add(FloatVector.fromArray(s, x, j));
                a1 = a1.add(FloatVector.fromArray(s, x, j + l));
                a2 = a2.add(FloatVector.fromArray(s, x, j + 2 * l));
                a3 = a3.add(FloatVector.fromArray(s, x, j + 3 * l));
            }
            total += laneSumInDouble(a0.add(a1).add(a2.add(a3)));
        }
        for (; i < n; i++) total += x[o + i];
        return total;
    }

    /*
     * Floating-point lane sums in one fixed order. reduceLanes(ADD) is not used: the Vector API
     * leaves the order of a floating-point add reduction to the implementation (and to whether the
     * JIT intrinsic or the Java fallback runs), and results must not depend on when a kernel got
     * compiled.
     */

    /** Lanes of v added from lane 0 up, in float. */
    static float laneSum(FloatVector v) {
        float[] t = new float[F.length()];
        v.intoArray(t, 0);
        float acc = 0f;
        for (float x : t) acc += x;
        return acc;
    }

    /** Lanes of v added from lane 0 up. */
    static double laneSum(DoubleVector v) {
        double[] t = new double[D.length()];
        v.intoArray(t, 0);
        double acc = 0;
        for (double x : t) acc += x;
        return acc;
    }

    /** Lanes of v added from lane 0 up, in double (the float32 sum's per-block total). */
    static double laneSumInDouble(FloatVector v) {
        float[] t = new float[F.length()];
        v.intoArray(t, 0);
        double acc = 0;
        for (float x : t) acc += x;
        return acc;
    }

    /** Sum of x[o..o+n) with 4 vector accumulators (pairwise over blocks of 1024). */
    static double sumF64(double[] x, int o, int n) {
        final VectorSpecies<Double> s = D;
        final int block = 1024;
        double total = 0;
        int i = 0;
        for (; i + block <= n; i += block) {
            DoubleVector a0 = DoubleVector.zero(s), a1 = DoubleVector.zero(s), a2 = DoubleVector.zero(s), a3 = DoubleVector.zero(s);
            int l = s.length();
            for (int j = o + i, e = o + i + block; j < e; j += 4 * l) {
                a0 = a0.add(DoubleVector.fromArray(s, x, j));
                a1 = a1.add(DoubleVector.fromArray(s, x, j + l));
                a2 = a2.add(DoubleVector.fromArray(s, x, j + 2 * l));
                a3 = a3.add(DoubleVector.fromArray(s, x, j + 3 * l));
            }
            total += laneSum(a0.add(a1).add(a2.add(a3)));
        }
        for (; i < n; i++) total += x[o + i];
        return total;
    }

    // ------------------------------------------------------------------ im2col / col2im rows (stride 1 along x)

    /*
     * With a stride of 1 along x, each output row of im2col is a shifted copy of an input row, with
     * zeros where the window hangs over the padding. Rows are short (ow = 10 or 28 in LeNet), so one
     * masked vector copy per row replaces System.arraycopy and Arrays.fill, whose call overhead
     * dominated. Masked-off lanes are never accessed (the Vector API's contract), so offsets may
     * point before or past the row.
     */

    private static final float[] IOTA_F = iotaF();

    private static float[] iotaF() {
        float[] a = new float[F.length()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    /** Lanes N with N < hi (iota = 0, 1, 2...). */
    private static VectorMask<Float> lanesBelow(FloatVector iota, int hi) {
        return iota.compare(VectorOperators.LT, (float) hi);
    }

    /** Lanes N with lo <= N < hi. */
    private static VectorMask<Float> lanesIn(FloatVector iota, int lo, int hi) {
        return iota.compare(VectorOperators.GE, (float) lo).and(iota.compare(VectorOperators.LT, (float) hi));
    }

    /**
     * im2col rows [lo, hi) for sw == 1, images [b0, b1): out[r*ldr + (b-b0)*L + y*ow + x]
     * (ldr = N*L for the whole batch, L for one image).
     */
    static void im2colRowsF32(float[] in, float[] out, NnKernels.Window g, int lo, int hi, int b0, int b1, int ldr) {
        final VectorSpecies<Float> s = F;
        final int l = s.length(), ow = g.ow(), L = g.oh() * ow, hw = g.h() * g.w();
        final FloatVector iota = FloatVector.fromArray(s, IOTA_F, 0);
        for (int r = lo; r < hi; r++) {
            int c = r / (g.kh() * g.kw()), i = r / g.kw() % g.kh(), j = r % g.kw();
            int ix = -g.pw() + j * g.dw();
            int x0 = Math.min(ow, Math.max(0, -ix)), x1 = Math.max(x0, Math.min(ow, g.w() - ix));
            for (int b = b0; b < b1; b++) {
                int plane = (b * g.c() + c) * hw;
                int o = r * ldr + (b - b0) * L;
                for (int y = 0; y < g.oh(); y++, o += ow) {
                    int iy = y * g.sh() - g.ph() + i * g.dh();
                    boolean inside = iy >= 0 && iy < g.h();
                    int src = plane + iy * g.w() + ix;
                    for (int xb = 0; xb < ow; xb += l) {
                        VectorMask<Float> store = lanesBelow(iota, ow - xb);
                        FloatVector v = inside
                                ? FloatVector.fromArray(s, in, src + xb, lanesIn(iota, x0 - xb, x1 - xb))
                                : FloatVector.zero(s);
                        v.intoArray(out, o + xb, store);
                    }
                }
            }
        }
    }

    /**
     * col2im of images [lo, hi) for sw == 1: out[b] += the columns cols[r*ldr + (b-colB0)*L + y*ow + x]
     * of each window position (out pre-zeroed or accumulating).
     */
    static void col2imImagesF32(float[] cols, float[] out, NnKernels.Window g, int lo, int hi, int colB0, int ldr) {
        final VectorSpecies<Float> s = F;
        final int l = s.length(), ow = g.ow(), L = g.oh() * ow, hw = g.h() * g.w();
        final FloatVector iota = FloatVector.fromArray(s, IOTA_F, 0);
        final int rows = g.c() * g.kh() * g.kw();
        for (int b = lo; b < hi; b++) {
            for (int r = 0; r < rows; r++) {
                int c = r / (g.kh() * g.kw()), i = r / g.kw() % g.kh(), j = r % g.kw();
                int ix = -g.pw() + j * g.dw();
                int x0 = Math.min(ow, Math.max(0, -ix)), x1 = Math.max(x0, Math.min(ow, g.w() - ix));
                if (x0 >= x1) continue;
                int plane = (b * g.c() + c) * hw;
                int o = r * ldr + (b - colB0) * L;
                for (int y = 0; y < g.oh(); y++, o += ow) {
                    int iy = y * g.sh() - g.ph() + i * g.dh();
                    if (iy < 0 || iy >= g.h()) continue;
                    int dst = plane + iy * g.w() + ix;
                    for (int xb = 0; xb < ow; xb += l) {
                        VectorMask<Float> m = lanesIn(iota, x0 - xb, x1 - xb);
                        FloatVector v = FloatVector.fromArray(s, cols, o + xb, m);
                        FloatVector.fromArray(s, out, dst + xb, m).add(v).intoArray(out, dst + xb, m);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ stride-1 convolution without im2col

    /*
     * For a stride-1 convolution over a zero-padded image of width wp, the im2col row of window
     * element r = (c, i, j), taken over the "full-width" output positions q = y*wp + x, is the
     * contiguous run xp[base + off[r] + q]: no column matrix is needed. Positions with x >= ow are
     * computed and dropped (wp/ow extra work, e.g. 14/10 for LeNet's second convolution).
     */

    /**
     * C[i][j] = sum_p A[i][p] * B[p][j] for all MR-row panels of A (packed: ap[(panel*k + p)*6 + r])
     * and all column tiles j < nPad (a multiple of 2 vectors), where B row p starts at b[bo + off[p]].
     * C has mPanels*6 rows of length ldc.
     */
    static void convRowsGemmF32(float[] ap, int mPanels, int k, float[] b, int bo, int[] off, int nPad, float[] c, int ldc) {
        final int nr = 2 * F.length();
        for (int j = 0; j < nPad; j += nr)
            for (int panel = 0; panel < mPanels; panel++)
                convRowsMicroF32(ap, panel * 6 * k, b, bo + j, off, k, c, panel * 6 * ldc + j, ldc);
    }

    /** The 6 x 2-vector tile of {@link #convRowsGemmF32}: B row p at b[bo + off[p]]. */
    private static void convRowsMicroF32(float[] ap, int aOff, float[] b, int bo, int[] off, int kc, float[] c, int cOff, int ldc) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
        int a = aOff;
        for (int p = 0; p < kc; p++, a += 6) {
            int bi = bo + off[p];
            FloatVector b0 = FloatVector.fromArray(s, b, bi), b1 = FloatVector.fromArray(s, b, bi + l);
            FloatVector x = FloatVector.broadcast(s, ap[a]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, ap[a + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, ap[a + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, ap[a + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(s, ap[a + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(s, ap[a + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        storeF32(s, c, cOff, l, c00, c01, false);
        storeF32(s, c, cOff + ldc, l, c10, c11, false);
        storeF32(s, c, cOff + 2 * ldc, l, c20, c21, false);
        storeF32(s, c, cOff + 3 * ldc, l, c30, c31, false);
        storeF32(s, c, cOff + 4 * ldc, l, c40, c41, false);
        storeF32(s, c, cOff + 5 * ldc, l, c50, c51, false);
    }

    /**
     * vacc[(i*n + t)*lanes + lane] += lane-wise products a[i*ars + q] * b[bo + off[t] + q] over
     * q < len (a multiple of the lanes), for i < m, t < n: the weight gradient of a stride-1
     * convolution (output-gradient rows against input runs), without a horizontal reduction per
     * image. 4 x 4 blocks: 8 loads per 16 FMAs.
     */
    static void convRowsDotAccF32(float[] a, int ars, float[] b, int bo, int[] off, int m, int n, int len, float[] vacc) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int t = 0;
            for (; t + 4 <= n; t += 4) dot4x4Acc(a, i * ars, ars, b, bo, off, t, len, vacc, (i * n + t) * l, n * l);
            for (; t < n; t++) for (int ii = i; ii < i + 4; ii++) dot1Acc(a, ii * ars, b, bo + off[t], len, vacc, (ii * n + t) * l);
        }
        for (; i < m; i++) for (int t = 0; t < n; t++) dot1Acc(a, i * ars, b, bo + off[t], len, vacc, (i * n + t) * l);
    }

    private static void dot4x4Acc(float[] a, int ao, int ars, float[] b, int bo, int[] off, int t0, int len,
                                  float[] v, int vo, int vrow) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        FloatVector s00 = FloatVector.fromArray(s, v, vo), s01 = FloatVector.fromArray(s, v, vo + l);
        FloatVector s02 = FloatVector.fromArray(s, v, vo + 2 * l), s03 = FloatVector.fromArray(s, v, vo + 3 * l);
        FloatVector s10 = FloatVector.fromArray(s, v, vo + vrow), s11 = FloatVector.fromArray(s, v, vo + vrow + l);
        FloatVector s12 = FloatVector.fromArray(s, v, vo + vrow + 2 * l), s13 = FloatVector.fromArray(s, v, vo + vrow + 3 * l);
        FloatVector s20 = FloatVector.fromArray(s, v, vo + 2 * vrow), s21 = FloatVector.fromArray(s, v, vo + 2 * vrow + l);
        FloatVector s22 = FloatVector.fromArray(s, v, vo + 2 * vrow + 2 * l), s23 = FloatVector.fromArray(s, v, vo + 2 * vrow + 3 * l);
        FloatVector s30 = FloatVector.fromArray(s, v, vo + 3 * vrow), s31 = FloatVector.fromArray(s, v, vo + 3 * vrow + l);
        FloatVector s32 = FloatVector.fromArray(s, v, vo + 3 * vrow + 2 * l), s33 = FloatVector.fromArray(s, v, vo + 3 * vrow + 3 * l);
        int a0 = ao, a1 = ao + ars, a2 = ao + 2 * ars, a3 = ao + 3 * ars;
        int b0 = bo + off[t0], b1 = bo + off[t0 + 1], b2 = bo + off[t0 + 2], b3 = bo + off[t0 + 3];
        for (int p = 0; p < len; p += l) {
            FloatVector x0 = FloatVector.fromArray(s, a, a0 + p), x1 = FloatVector.fromArray(s, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(s, a, a2 + p), x3 = FloatVector.fromArray(s, a, a3 + p);
            FloatVector y = FloatVector.fromArray(s, b, b0 + p);
            s00 = x0.fma(y, s00); s10 = x1.fma(y, s10); s20 = x2.fma(y, s20); s30 = x3.fma(y, s30);
            y = FloatVector.fromArray(s, b, b1 + p);
            s01 = x0.fma(y, s01); s11 = x1.fma(y, s11); s21 = x2.fma(y, s21); s31 = x3.fma(y, s31);
            y = FloatVector.fromArray(s, b, b2 + p);
            s02 = x0.fma(y, s02); s12 = x1.fma(y, s12); s22 = x2.fma(y, s22); s32 = x3.fma(y, s32);
            y = FloatVector.fromArray(s, b, b3 + p);
            s03 = x0.fma(y, s03); s13 = x1.fma(y, s13); s23 = x2.fma(y, s23); s33 = x3.fma(y, s33);
        }
        s00.intoArray(v, vo); s01.intoArray(v, vo + l); s02.intoArray(v, vo + 2 * l); s03.intoArray(v, vo + 3 * l);
        s10.intoArray(v, vo + vrow); s11.intoArray(v, vo + vrow + l);
        s12.intoArray(v, vo + vrow + 2 * l); s13.intoArray(v, vo + vrow + 3 * l);
        s20.intoArray(v, vo + 2 * vrow); s21.intoArray(v, vo + 2 * vrow + l);
        s22.intoArray(v, vo + 2 * vrow + 2 * l); s23.intoArray(v, vo + 2 * vrow + 3 * l);
        s30.intoArray(v, vo + 3 * vrow); s31.intoArray(v, vo + 3 * vrow + l);
        s32.intoArray(v, vo + 3 * vrow + 2 * l); s33.intoArray(v, vo + 3 * vrow + 3 * l);
    }

    private static void dot1Acc(float[] a, int ao, float[] b, int bo, int len, float[] v, int vo) {
        final VectorSpecies<Float> s = F;
        FloatVector acc = FloatVector.fromArray(s, v, vo);
        for (int p = 0; p < len; p += s.length()) acc = FloatVector.fromArray(s, a, ao + p).fma(FloatVector.fromArray(s, b, bo + p), acc);
        acc.intoArray(v, vo);
    }

    /** The sum of the lanes of the vector stored at v[vo]. */
    static float sumLanesF32(float[] v, int vo) {
        return laneSum(FloatVector.fromArray(F, v, vo));
    }

    /** y[yo + q] += x[xo + q] for q < len. */
    static void addIntoF32(float[] y, int yo, float[] x, int xo, int len) {
        final VectorSpecies<Float> s = F;
        final int end = s.loopBound(len);
        int q = 0;
        for (; q < end; q += s.length()) {
            FloatVector.fromArray(s, y, yo + q).add(FloatVector.fromArray(s, x, xo + q)).intoArray(y, yo + q);
        }
        for (; q < len; q++) y[yo + q] += x[xo + q];
    }

    /** sum of a[ao+i] * b[bo+i] for i < n: float lanes per block of 1024, blocks added in double. */
    static double dotF32(float[] a, int ao, float[] b, int bo, int n) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        double total = 0;
        int i = 0;
        while (i + l <= n) {
            int end = Math.min(n - l, i + 1024 - l);
            FloatVector acc = FloatVector.zero(s);
            for (; i <= end; i += l) acc = FloatVector.fromArray(s, a, ao + i).fma(FloatVector.fromArray(s, b, bo + i), acc);
            total += laneSum(acc);
        }
        for (; i < n; i++) total += (double) a[ao + i] * b[bo + i];
        return total;
    }

    /** sum of (x[xo+i] - m)^2 for i < n, accumulated like {@link #dotF32}. */
    static double sumSqDevF32(float[] x, int xo, int n, float m) {
        final VectorSpecies<Float> s = F;
        final int l = s.length();
        FloatVector mv = FloatVector.broadcast(s, m);
        double total = 0;
        int i = 0;
        while (i + l <= n) {
            int end = Math.min(n - l, i + 1024 - l);
            FloatVector acc = FloatVector.zero(s);
            for (; i <= end; i += l) {
                FloatVector d = FloatVector.fromArray(s, x, xo + i).sub(mv);
                acc = d.fma(d, acc);
            }
            total += laneSum(acc);
        }
        for (; i < n; i++) {
            double d = x[xo + i] - m;
            total += d * d;
        }
        return total;
    }

    // ------------------------------------------------------------------ transposing GEMM packing

    /*
     * Packing a transposed B (B[p][j] = b[p + j*bcs], e.g. the weight of x @ W^T) element by element
     * cost as much as the multiply itself for the MLP's first layer. A lanes x lanes block is
     * instead loaded as rows and transposed in registers: log2(lanes) stages, each swapping
     * sub-blocks of two rows with two-vector lane selects (written out for 16 and 8 lanes).
     */
    static final boolean TRANSPOSE_BLOCKS = F.length() == 16 || F.length() == 8;
    /*
     * Stage h exchanges the off-diagonal h-lane blocks of rows i and i+h: single-vector permutes
     * (lane q takes q - h, or q + h) and blends on the lanes with bit h set. (The two-vector
     * selectFrom would do it in one op, but it is not intrinsified on common JDK 25 builds; its
     * Java fallback boxes vectors and, worse, can leave C2 compiling the GEMM kernels with boxed
     * vectors too.)
     */
    static final jdk.incubator.vector.VectorShuffle<Float> TP_DOWN0 = shift(1, -1), TP_UP0 = shift(1, 1);
    static final jdk.incubator.vector.VectorShuffle<Float> TP_DOWN1 = shift(2, -1), TP_UP1 = shift(2, 1);
    static final jdk.incubator.vector.VectorShuffle<Float> TP_DOWN2 = shift(4, -1), TP_UP2 = shift(4, 1);
    static final jdk.incubator.vector.VectorShuffle<Float> TP_DOWN3 = shift(8, -1), TP_UP3 = shift(8, 1);
    static final FloatVector TP_MASK0 = bitSet(1), TP_MASK1 = bitSet(2), TP_MASK2 = bitSet(4), TP_MASK3 = bitSet(8);

    /** Lane q takes lane q - h where bit h of q is set (dir -1), or q + h where it is clear (dir +1); else itself. */
    private static jdk.incubator.vector.VectorShuffle<Float> shift(int h, int dir) {
        int l = F.length();
        int[] t = new int[l];
        for (int q = 0; q < l; q++) {
            boolean set = (q & h) != 0;
            t[q] = dir < 0 ? (set ? q - h : q) : (set ? q : Math.min(l - 1, q + h));
        }
        return jdk.incubator.vector.VectorShuffle.fromArray(F, t, 0);
    }

    /** 1 on the lanes whose index has bit h set, else 0. */
    private static FloatVector bitSet(int h) {
        float[] t = new float[F.length()];
        for (int q = 0; q < t.length; q++) t[q] = (q & h) != 0 ? 1f : 0f;
        return FloatVector.fromArray(F, t, 0);
    }

    /** Transposes lanes x lanes blocks: bp[dst + p*nr + j] = b[src + j*bcs + p]. */
    static void transposeBlockF32(float[] b, int src, int bcs, float[] bp, int dst, int nr) {
        if (F.length() == 16) transpose16F32(b, src, bcs, bp, dst, nr);
        else transpose8F32(b, src, bcs, bp, dst, nr);
    }

    private static void transpose16F32(float[] b, int src, int bcs, float[] bp, int dst, int nr) {
        final VectorSpecies<Float> s = F;
        FloatVector r0 = FloatVector.fromArray(s, b, src);
        FloatVector r1 = FloatVector.fromArray(s, b, src + 1 * bcs);
        FloatVector r2 = FloatVector.fromArray(s, b, src + 2 * bcs);
        FloatVector r3 = FloatVector.fromArray(s, b, src + 3 * bcs);
        FloatVector r4 = FloatVector.fromArray(s, b, src + 4 * bcs);
        FloatVector r5 = FloatVector.fromArray(s, b, src + 5 * bcs);
        FloatVector r6 = FloatVector.fromArray(s, b, src + 6 * bcs);
        FloatVector r7 = FloatVector.fromArray(s, b, src + 7 * bcs);
        FloatVector r8 = FloatVector.fromArray(s, b, src + 8 * bcs);
        FloatVector r9 = FloatVector.fromArray(s, b, src + 9 * bcs);
        FloatVector r10 = FloatVector.fromArray(s, b, src + 10 * bcs);
        FloatVector r11 = FloatVector.fromArray(s, b, src + 11 * bcs);
        FloatVector r12 = FloatVector.fromArray(s, b, src + 12 * bcs);
        FloatVector r13 = FloatVector.fromArray(s, b, src + 13 * bcs);
        FloatVector r14 = FloatVector.fromArray(s, b, src + 14 * bcs);
        FloatVector r15 = FloatVector.fromArray(s, b, src + 15 * bcs);
        VectorMask<Float> m3 = TP_MASK3.compare(VectorOperators.GT, 0f);
        FloatVector s1_0 = r0.blend(r8.rearrange(TP_DOWN3), m3), s1_8 = r0.rearrange(TP_UP3).blend(r8, m3);
        FloatVector s1_1 = r1.blend(r9.rearrange(TP_DOWN3), m3), s1_9 = r1.rearrange(TP_UP3).blend(r9, m3);
        FloatVector s1_2 = r2.blend(r10.rearrange(TP_DOWN3), m3), s1_10 = r2.rearrange(TP_UP3).blend(r10, m3);
        FloatVector s1_3 = r3.blend(r11.rearrange(TP_DOWN3), m3), s1_11 = r3.rearrange(TP_UP3).blend(r11, m3);
        FloatVector s1_4 = r4.blend(r12.rearrange(TP_DOWN3), m3), s1_12 = r4.rearrange(TP_UP3).blend(r12, m3);
        FloatVector s1_5 = r5.blend(r13.rearrange(TP_DOWN3), m3), s1_13 = r5.rearrange(TP_UP3).blend(r13, m3);
        FloatVector s1_6 = r6.blend(r14.rearrange(TP_DOWN3), m3), s1_14 = r6.rearrange(TP_UP3).blend(r14, m3);
        FloatVector s1_7 = r7.blend(r15.rearrange(TP_DOWN3), m3), s1_15 = r7.rearrange(TP_UP3).blend(r15, m3);
        VectorMask<Float> m2 = TP_MASK2.compare(VectorOperators.GT, 0f);
        FloatVector s2_0 = s1_0.blend(s1_4.rearrange(TP_DOWN2), m2), s2_4 = s1_0.rearrange(TP_UP2).blend(s1_4, m2);
        FloatVector s2_1 = s1_1.blend(s1_5.rearrange(TP_DOWN2), m2), s2_5 = s1_1.rearrange(TP_UP2).blend(s1_5, m2);
        FloatVector s2_2 = s1_2.blend(s1_6.rearrange(TP_DOWN2), m2), s2_6 = s1_2.rearrange(TP_UP2).blend(s1_6, m2);
        FloatVector s2_3 = s1_3.blend(s1_7.rearrange(TP_DOWN2), m2), s2_7 = s1_3.rearrange(TP_UP2).blend(s1_7, m2);
        FloatVector s2_8 = s1_8.blend(s1_12.rearrange(TP_DOWN2), m2), s2_12 = s1_8.rearrange(TP_UP2).blend(s1_12, m2);
        FloatVector s2_9 = s1_9.blend(s1_13.rearrange(TP_DOWN2), m2), s2_13 = s1_9.rearrange(TP_UP2).blend(s1_13, m2);
        FloatVector s2_10 = s1_10.blend(s1_14.rearrange(TP_DOWN2), m2), s2_14 = s1_10.rearrange(TP_UP2).blend(s1_14, m2);
        FloatVector s2_11 = s1_11.blend(s1_15.rearrange(TP_DOWN2), m2), s2_15 = s1_11.rearrange(TP_UP2).blend(s1_15, m2);
        VectorMask<Float> m1 = TP_MASK1.compare(VectorOperators.GT, 0f);
        FloatVector s3_0 = s2_0.blend(s2_2.rearrange(TP_DOWN1), m1), s3_2 = s2_0.rearrange(TP_UP1).blend(s2_2, m1);
        FloatVector s3_1 = s2_1.blend(s2_3.rearrange(TP_DOWN1), m1), s3_3 = s2_1.rearrange(TP_UP1).blend(s2_3, m1);
        FloatVector s3_4 = s2_4.blend(s2_6.rearrange(TP_DOWN1), m1), s3_6 = s2_4.rearrange(TP_UP1).blend(s2_6, m1);
        FloatVector s3_5 = s2_5.blend(s2_7.rearrange(TP_DOWN1), m1), s3_7 = s2_5.rearrange(TP_UP1).blend(s2_7, m1);
        FloatVector s3_8 = s2_8.blend(s2_10.rearrange(TP_DOWN1), m1), s3_10 = s2_8.rearrange(TP_UP1).blend(s2_10, m1);
        FloatVector s3_9 = s2_9.blend(s2_11.rearrange(TP_DOWN1), m1), s3_11 = s2_9.rearrange(TP_UP1).blend(s2_11, m1);
        FloatVector s3_12 = s2_12.blend(s2_14.rearrange(TP_DOWN1), m1), s3_14 = s2_12.rearrange(TP_UP1).blend(s2_14, m1);
        FloatVector s3_13 = s2_13.blend(s2_15.rearrange(TP_DOWN1), m1), s3_15 = s2_13.rearrange(TP_UP1).blend(s2_15, m1);
        VectorMask<Float> m0 = TP_MASK0.compare(VectorOperators.GT, 0f);
        FloatVector s4_0 = s3_0.blend(s3_1.rearrange(TP_DOWN0), m0), s4_1 = s3_0.rearrange(TP_UP0).blend(s3_1, m0);
        FloatVector s4_2 = s3_2.blend(s3_3.rearrange(TP_DOWN0), m0), s4_3 = s3_2.rearrange(TP_UP0).blend(s3_3, m0);
        FloatVector s4_4 = s3_4.blend(s3_5.rearrange(TP_DOWN0), m0), s4_5 = s3_4.rearrange(TP_UP0).blend(s3_5, m0);
        FloatVector s4_6 = s3_6.blend(s3_7.rearrange(TP_DOWN0), m0), s4_7 = s3_6.rearrange(TP_UP0).blend(s3_7, m0);
        FloatVector s4_8 = s3_8.blend(s3_9.rearrange(TP_DOWN0), m0), s4_9 = s3_8.rearrange(TP_UP0).blend(s3_9, m0);
        FloatVector s4_10 = s3_10.blend(s3_11.rearrange(TP_DOWN0), m0), s4_11 = s3_10.rearrange(TP_UP0).blend(s3_11, m0);
        FloatVector s4_12 = s3_12.blend(s3_13.rearrange(TP_DOWN0), m0), s4_13 = s3_12.rearrange(TP_UP0).blend(s3_13, m0);
        FloatVector s4_14 = s3_14.blend(s3_15.rearrange(TP_DOWN0), m0), s4_15 = s3_14.rearrange(TP_UP0).blend(s3_15, m0);
        s4_0.intoArray(bp, dst);
        s4_1.intoArray(bp, dst + 1 * nr);
        s4_2.intoArray(bp, dst + 2 * nr);
        s4_3.intoArray(bp, dst + 3 * nr);
        s4_4.intoArray(bp, dst + 4 * nr);
        s4_5.intoArray(bp, dst + 5 * nr);
        s4_6.intoArray(bp, dst + 6 * nr);
        s4_7.intoArray(bp, dst + 7 * nr);
        s4_8.intoArray(bp, dst + 8 * nr);
        s4_9.intoArray(bp, dst + 9 * nr);
        s4_10.intoArray(bp, dst + 10 * nr);
        s4_11.intoArray(bp, dst + 11 * nr);
        s4_12.intoArray(bp, dst + 12 * nr);
        s4_13.intoArray(bp, dst + 13 * nr);
        s4_14.intoArray(bp, dst + 14 * nr);
        s4_15.intoArray(bp, dst + 15 * nr);
    }

    private static void transpose8F32(float[] b, int src, int bcs, float[] bp, int dst, int nr) {
        final VectorSpecies<Float> s = F;
        FloatVector r0 = FloatVector.fromArray(s, b, src);
        FloatVector r1 = FloatVector.fromArray(s, b, src + 1 * bcs);
        FloatVector r2 = FloatVector.fromArray(s, b, src + 2 * bcs);
        FloatVector r3 = FloatVector.fromArray(s, b, src + 3 * bcs);
        FloatVector r4 = FloatVector.fromArray(s, b, src + 4 * bcs);
        FloatVector r5 = FloatVector.fromArray(s, b, src + 5 * bcs);
        FloatVector r6 = FloatVector.fromArray(s, b, src + 6 * bcs);
        FloatVector r7 = FloatVector.fromArray(s, b, src + 7 * bcs);
        VectorMask<Float> m2 = TP_MASK2.compare(VectorOperators.GT, 0f);
        FloatVector s1_0 = r0.blend(r4.rearrange(TP_DOWN2), m2), s1_4 = r0.rearrange(TP_UP2).blend(r4, m2);
        FloatVector s1_1 = r1.blend(r5.rearrange(TP_DOWN2), m2), s1_5 = r1.rearrange(TP_UP2).blend(r5, m2);
        FloatVector s1_2 = r2.blend(r6.rearrange(TP_DOWN2), m2), s1_6 = r2.rearrange(TP_UP2).blend(r6, m2);
        FloatVector s1_3 = r3.blend(r7.rearrange(TP_DOWN2), m2), s1_7 = r3.rearrange(TP_UP2).blend(r7, m2);
        VectorMask<Float> m1 = TP_MASK1.compare(VectorOperators.GT, 0f);
        FloatVector s2_0 = s1_0.blend(s1_2.rearrange(TP_DOWN1), m1), s2_2 = s1_0.rearrange(TP_UP1).blend(s1_2, m1);
        FloatVector s2_1 = s1_1.blend(s1_3.rearrange(TP_DOWN1), m1), s2_3 = s1_1.rearrange(TP_UP1).blend(s1_3, m1);
        FloatVector s2_4 = s1_4.blend(s1_6.rearrange(TP_DOWN1), m1), s2_6 = s1_4.rearrange(TP_UP1).blend(s1_6, m1);
        FloatVector s2_5 = s1_5.blend(s1_7.rearrange(TP_DOWN1), m1), s2_7 = s1_5.rearrange(TP_UP1).blend(s1_7, m1);
        VectorMask<Float> m0 = TP_MASK0.compare(VectorOperators.GT, 0f);
        FloatVector s3_0 = s2_0.blend(s2_1.rearrange(TP_DOWN0), m0), s3_1 = s2_0.rearrange(TP_UP0).blend(s2_1, m0);
        FloatVector s3_2 = s2_2.blend(s2_3.rearrange(TP_DOWN0), m0), s3_3 = s2_2.rearrange(TP_UP0).blend(s2_3, m0);
        FloatVector s3_4 = s2_4.blend(s2_5.rearrange(TP_DOWN0), m0), s3_5 = s2_4.rearrange(TP_UP0).blend(s2_5, m0);
        FloatVector s3_6 = s2_6.blend(s2_7.rearrange(TP_DOWN0), m0), s3_7 = s2_6.rearrange(TP_UP0).blend(s2_7, m0);
        s3_0.intoArray(bp, dst);
        s3_1.intoArray(bp, dst + 1 * nr);
        s3_2.intoArray(bp, dst + 2 * nr);
        s3_3.intoArray(bp, dst + 3 * nr);
        s3_4.intoArray(bp, dst + 4 * nr);
        s3_5.intoArray(bp, dst + 5 * nr);
        s3_6.intoArray(bp, dst + 6 * nr);
        s3_7.intoArray(bp, dst + 7 * nr);
    }

    // ------------------------------------------------------------------ float32 exp

    private static final float EXP_HI = 88.0f, EXP_LO = -87.0f;

    /** True when every lane is in the range where {@link #expF32} is accurate (no NaN, no over/underflow). */
    static boolean expInRange(FloatVector v) {
        return v.compare(VectorOperators.GE, EXP_LO).and(v.compare(VectorOperators.LE, EXP_HI)).allTrue();
    }

    /**
     * exp for lanes in [-87, 88]: x = n ln2 + r with |r| <= ln2/2 (ln2 split in two for exactness),
     * a degree-6 polynomial for e^r (Cephes expf coefficients, ~1 ulp), times 2^n built in the
     * exponent bits.
     */
    static FloatVector expF32(FloatVector x) {
        final VectorSpecies<Float> s = F;
        FloatVector shifter = FloatVector.broadcast(s, 12582912f);        // 1.5 * 2^23: round to nearest
        FloatVector n = x.mul(1.44269504088896341f).add(shifter).sub(shifter);
        FloatVector r = n.mul(-0.693359375f).add(x);
        r = n.mul(2.12194440e-4f).add(r);
        FloatVector r2 = r.mul(r);
        FloatVector p = FloatVector.broadcast(s, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(s, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(s, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(s, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(s, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(s, 5.0000001201e-1f));
        p = p.fma(r2, r).add(1f);
        IntVector e = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(e.reinterpretAsFloats());
    }
}
