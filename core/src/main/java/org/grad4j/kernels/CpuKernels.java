package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;
import org.grad4j.storage.Storage;

/**
 * CPU numeric loops. Operands are (storage, strides, offset) triples already broadcast to the
 * iteration shape; outputs are usually fresh contiguous storages. Nothing here knows autograd:
 * this is the seam where SIMD, threads or another device plug in.
 */
public final class CpuKernels {
    private CpuKernels() {}

    // ---------------------------------------------------------------- fused update

    /**
     * y[yo + i] += alpha * x[xo + i] for i < n, rounded once (an FMA, as PyTorch's vectorized
     * add with alpha): the optimizers' {@code p.add_(d, -lr)} without a temporary.
     */
    public static void axpy(float[] y, int yo, float alpha, float[] x, int xo, int n) {
        Parallel.forRange(n, Elementwise.GRAIN, Simd.floatLanes(), (lo, hi) -> {
            int i = Simd.ENABLED ? VectorKernels.axpyF32(y, yo, alpha, x, xo, lo, hi) : lo;
            for (; i < hi; i++) y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        });
    }

    /** axpy over float32 or float64 storages of one dtype (y written in place). */
    public static void axpy(Storage y, int yo, double alpha, Storage x, int xo, int n) {
        if (SegmentLoops.offHeap(y, x)) {
            SegmentLoops.axpy(y, yo, alpha, x, xo, n);
            return;
        }
        Object ya = Staging.array(y), xa = Staging.array(x);
        if (ya instanceof float[] yf) axpy(yf, yo, (float) alpha, (float[]) xa, xo, n);
        else axpy((double[]) ya, yo, alpha, (double[]) xa, xo, n);
        Staging.commit(y, ya);
    }

    public static void axpy(double[] y, int yo, double alpha, double[] x, int xo, int n) {
        Parallel.forRange(n, Elementwise.GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        });
    }

    /** Whether a[off .. off+n) holds no NaN and no infinity (x*0 is 0 exactly for finite x, NaN otherwise). */
    public static boolean allFinite(float[] a, int off, int n) {
        int i = Simd.ENABLED ? VectorKernels.finitePrefixF32(a, off, n) : 0;
        if (i < 0) return false;
        for (; i < n; i++) if (!Float.isFinite(a[off + i])) return false;
        return true;
    }

    public static boolean allFinite(double[] a, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[off + i] * 0.0;
            s1 += a[off + i + 1] * 0.0;
            s2 += a[off + i + 2] * 0.0;
            s3 += a[off + i + 3] * 0.0;
        }
        for (; i < n; i++) s0 += a[off + i] * 0.0;
        return s0 + s1 + s2 + s3 == 0;
    }

    // ---------------------------------------------------------------- copy / cast / fill

    /** dst[shape; dstStrides] = cast(src[shape; srcStrides]); works across dtypes. */
    public static void copy(int[] shape, Storage src, int[] srcStrides, int srcOff,
                            Storage dst, int[] dstStrides, int dstOff) {
        Iter it = Iter.of(shape, dstStrides, dstOff, srcStrides, srcOff);
        DType sd = src.dtype(), dd = dst.dtype();
        int n = it.inner, sd0 = it.s0, ss = it.s1;
        if (SegmentLoops.offHeap(src, dst) && SegmentLoops.copySame(it, src, dst)) return;
        if (sd == dd) {
            Object s = Staging.array(src), d = Staging.array(dst);
            for (it.start(); it.hasNext(); it.next()) {
                if (sd0 == 1 && ss == 1) {
                    System.arraycopy(s, it.o1, d, it.o0, n);
                } else {
                    copyStridedSame(sd, s, it.o1, ss, d, it.o0, sd0, n);
                }
            }
            Staging.commit(dst, d);
            return;
        }
        if (dd == DType.FLOAT32 && sd == DType.FLOAT64) {
            double[] s = Staging.f64(src);
            float[] d = Staging.f32(dst);
            for (it.start(); it.hasNext(); it.next())
                for (int i = 0, a = it.o1, b = it.o0; i < n; i++, a += ss, b += sd0) d[b] = (float) s[a];
            Staging.commit(dst, d);
            return;
        }
        if (dd == DType.FLOAT64 && sd == DType.FLOAT32) {
            float[] s = Staging.f32(src);
            double[] d = Staging.f64(dst);
            for (it.start(); it.hasNext(); it.next())
                for (int i = 0, a = it.o1, b = it.o0; i < n; i++, a += ss, b += sd0) d[b] = s[a];
            Staging.commit(dst, d);
            return;
        }
        boolean viaDouble = sd.isFloatingPoint() || dd == DType.BOOL;
        for (it.start(); it.hasNext(); it.next()) {
            for (int i = 0, a = it.o1, b = it.o0; i < n; i++, a += ss, b += sd0) {
                if (dd == DType.BOOL) dst.setDouble(b, src.getDouble(a) != 0 ? 1 : 0);
                else if (viaDouble) dst.setDouble(b, src.getDouble(a));
                else dst.setLong(b, src.getLong(a));
            }
        }
    }

    private static void copyStridedSame(DType t, Object s, int so, int ss, Object d, int dO, int ds, int n) {
        switch (t) {
            case FLOAT32 -> { float[] x = (float[]) s, y = (float[]) d; for (int i = 0; i < n; i++, so += ss, dO += ds) y[dO] = x[so]; }
            case FLOAT64 -> { double[] x = (double[]) s, y = (double[]) d; for (int i = 0; i < n; i++, so += ss, dO += ds) y[dO] = x[so]; }
            case INT64 -> { long[] x = (long[]) s, y = (long[]) d; for (int i = 0; i < n; i++, so += ss, dO += ds) y[dO] = x[so]; }
            case INT32 -> { int[] x = (int[]) s, y = (int[]) d; for (int i = 0; i < n; i++, so += ss, dO += ds) y[dO] = x[so]; }
            case INT16 -> { short[] x = (short[]) s, y = (short[]) d; for (int i = 0; i < n; i++, so += ss, dO += ds) y[dO] = x[so]; }
            case INT8, UINT8 -> { byte[] x = (byte[]) s, y = (byte[]) d; for (int i = 0; i < n; i++, so += ss, dO += ds) y[dO] = x[so]; }
            case BOOL -> { boolean[] x = (boolean[]) s, y = (boolean[]) d; for (int i = 0; i < n; i++, so += ss, dO += ds) y[dO] = x[so]; }
        }
    }

    /** Sets every addressed element to {@code v} (converted to the storage's dtype). */
    public static void fill(int[] shape, Storage dst, int[] strides, int off, double v) {
        Iter it = Iter.of(shape, strides, off);
        if (SegmentLoops.offHeap(dst) && SegmentLoops.fill(it, dst, v)) return;
        int n = it.inner, s = it.s0;
        switch (dst.dtype()) {
            case FLOAT32 -> {
                float[] d = Staging.f32(dst);
                float fv = (float) v;
                for (it.start(); it.hasNext(); it.next())
                    if (s == 1) java.util.Arrays.fill(d, it.o0, it.o0 + n, fv);
                    else for (int i = 0, o = it.o0; i < n; i++, o += s) d[o] = fv;
                Staging.commit(dst, d);
            }
            case FLOAT64 -> {
                double[] d = Staging.f64(dst);
                for (it.start(); it.hasNext(); it.next())
                    if (s == 1) java.util.Arrays.fill(d, it.o0, it.o0 + n, v);
                    else for (int i = 0, o = it.o0; i < n; i++, o += s) d[o] = v;
                Staging.commit(dst, d);
            }
            default -> {
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, o = it.o0; i < n; i++, o += s) dst.setDouble(o, v);
            }
        }
    }

    // ---------------------------------------------------------------- elementwise

    /**
     * out = op(a, b) over {@code shape}; a and b have the dtype of {@code out} (or, for
     * comparisons, a common dtype while out is BOOL). Strides are broadcast strides.
     */
    public static void binary(BinaryOp op, int[] shape,
                              Storage a, int[] as, int ao, Storage b, int[] bs, int bo,
                              Storage out, int[] os, int oo) {
        Iter it = new Iter(shape, os, oo, as, ao, bs, bo);
        if (SegmentLoops.offHeap(a, b, out) && SegmentLoops.binary(op, it, a, b, out)) return;
        int n = it.inner, s0 = it.s0, s1 = it.s1, s2 = it.s2;
        if (op.isComparison()) {
            boolean[] o = Staging.bool(out);
            if (a.dtype().isFloatingPoint()) {
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, p = it.o0, x = it.o1, y = it.o2; i < n; i++, p += s0, x += s1, y += s2)
                        o[p] = op.cmp(a.getDouble(x), b.getDouble(y));
            } else {
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, p = it.o0, x = it.o1, y = it.o2; i < n; i++, p += s0, x += s1, y += s2)
                        o[p] = op.cmp(a.getLong(x), b.getLong(y));
            }
            Staging.commit(out, o);
            return;
        }
        switch (out.dtype()) {
            case FLOAT32 -> {
                float[] x = Staging.f32(a), y = Staging.f32(b), o = Staging.f32(out);
                for (it.start(); it.hasNext(); it.next()) binaryF32(op, x, it.o1, s1, y, it.o2, s2, o, it.o0, s0, n);
                Staging.commit(out, o);
            }
            case FLOAT64 -> {
                double[] x = Staging.f64(a), y = Staging.f64(b), o = Staging.f64(out);
                for (it.start(); it.hasNext(); it.next()) binaryF64(op, x, it.o1, s1, y, it.o2, s2, o, it.o0, s0, n);
                Staging.commit(out, o);
            }
            case INT64 -> {
                long[] x = Staging.i64(a), y = Staging.i64(b), o = Staging.i64(out);
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, p = it.o0, u = it.o1, v = it.o2; i < n; i++, p += s0, u += s1, v += s2)
                        o[p] = op.i64(x[u], y[v]);
                Staging.commit(out, o);
            }
            case BOOL -> {
                boolean[] x = Staging.bool(a), y = Staging.bool(b), o = Staging.bool(out);
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, p = it.o0, u = it.o1, v = it.o2; i < n; i++, p += s0, u += s1, v += s2)
                        o[p] = switch (op) {
                            case ADD, MAXIMUM -> x[u] | y[v];
                            case MUL, MINIMUM -> x[u] & y[v];
                            default -> throw new IllegalArgumentException(op + " is not defined for bool tensors; convert with .to(DType.INT64) first");
                        };
                Staging.commit(out, o);
            }
            default -> {
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, p = it.o0, u = it.o1, v = it.o2; i < n; i++, p += s0, u += s1, v += s2)
                        out.setLong(p, op.i64(a.getLong(u), b.getLong(v)));
            }
        }
    }

    private static boolean arith(BinaryOp op) {
        return op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
    }

    private static void binaryF32(BinaryOp op, float[] x, int xo, int xs, float[] y, int yo, int ys,
                                  float[] o, int oo, int os, int n) {
        if (os == 1 && arith(op)) {
            if (xs == 1 && ys == 1) { Elementwise.binaryF32(op, x, xo, y, yo, o, oo, n); return; }
            if (xs == 1 && ys == 0) { Elementwise.binaryScalarF32(op, x, xo, y[yo], false, o, oo, n); return; }
            if (xs == 0 && ys == 1) { Elementwise.binaryScalarF32(op, y, yo, x[xo], true, o, oo, n); return; }
        }
        for (int i = 0; i < n; i++, oo += os, xo += xs, yo += ys) o[oo] = op.f32(x[xo], y[yo]);
    }

    private static void binaryF64(BinaryOp op, double[] x, int xo, int xs, double[] y, int yo, int ys,
                                  double[] o, int oo, int os, int n) {
        if (os == 1 && arith(op)) {
            if (xs == 1 && ys == 1) { Elementwise.binaryF64(op, x, xo, y, yo, o, oo, n); return; }
            if (xs == 1 && ys == 0) { Elementwise.binaryScalarF64(op, x, xo, y[yo], false, o, oo, n); return; }
            if (xs == 0 && ys == 1) { Elementwise.binaryScalarF64(op, y, yo, x[xo], true, o, oo, n); return; }
        }
        for (int i = 0; i < n; i++, oo += os, xo += xs, yo += ys) o[oo] = op.f64(x[xo], y[yo]);
    }

    /** out = op(in) for floating dtypes (in and out share the dtype). */
    public static void unary(UnaryOp op, int[] shape, Storage in, int[] is, int io, Storage out, int[] os, int oo) {
        Iter it = Iter.of(shape, os, oo, is, io);
        if (SegmentLoops.offHeap(in, out) && SegmentLoops.unary(op, it, in, out)) return;
        int n = it.inner, s0 = it.s0, s1 = it.s1;
        if (out.dtype() == DType.FLOAT32) {
            float[] x = Staging.f32(in), o = Staging.f32(out);
            for (it.start(); it.hasNext(); it.next()) {
                if (s0 == 1 && s1 == 1) Elementwise.unaryF32(op, x, it.o1, o, it.o0, n);
                else for (int i = 0, p = it.o0, q = it.o1; i < n; i++, p += s0, q += s1) o[p] = op.apply(x[q]);
            }
            Staging.commit(out, o);
        } else if (out.dtype() == DType.FLOAT64) {
            double[] x = Staging.f64(in), o = Staging.f64(out);
            for (it.start(); it.hasNext(); it.next()) {
                if (s0 == 1 && s1 == 1) Elementwise.unaryF64(op, x, it.o1, o, it.o0, n);
                else for (int i = 0, p = it.o0, q = it.o1; i < n; i++, p += s0, q += s1) o[p] = op.apply(x[q]);
            }
            Staging.commit(out, o);
        } else {
            for (it.start(); it.hasNext(); it.next())
                for (int i = 0, p = it.o0, q = it.o1; i < n; i++, p += s0, q += s1) {
                    long v = in.getLong(q);
                    out.setLong(p, switch (op) {
                        case NEG -> -v;
                        case ABS -> Math.abs(v);
                        case SIGN -> Long.signum(v);
                        case RELU -> Math.max(v, 0);
                        case SQUARE -> v * v;
                        case FLOOR, CEIL, ROUND, TRUNC -> v;
                        default -> throw new IllegalArgumentException(op + " needs a floating point tensor");
                    });
                }
        }
    }

    /** out = clamp(in, lo, hi) where NaN bounds mean "no bound". */
    public static void clamp(int[] shape, Storage in, int[] is, int io, Storage out, int[] os, int oo, double lo, double hi) {
        Iter it = Iter.of(shape, os, oo, is, io);
        int n = it.inner, s0 = it.s0, s1 = it.s1;
        boolean hasLo = !Double.isNaN(lo), hasHi = !Double.isNaN(hi);
        for (it.start(); it.hasNext(); it.next())
            for (int i = 0, p = it.o0, q = it.o1; i < n; i++, p += s0, q += s1) {
                double v = in.getDouble(q);
                if (v == v) {
                    if (hasLo && v < lo) v = lo;
                    if (hasHi && v > hi) v = hi;
                }
                out.setDouble(p, v);
            }
    }

    /** out = cond ? a : b, all broadcast to shape; a, b, out share a dtype. */
    public static void where(int[] shape, Storage cond, int[] cs, int co, Storage a, int[] as, int ao,
                             Storage b, int[] bs, int bo, Storage out) {
        int[] os = Shapes.contiguousStrides(shape);
        Iter it = new Iter(shape, cs, co, as, ao, bs, bo);
        Iter ot = Iter.of(shape, os, 0);
        boolean[] c = Staging.bool(cond);
        int n = it.inner;
        int p = 0;
        boolean f = out.dtype().isFloatingPoint();
        for (it.start(); it.hasNext(); it.next())
            for (int i = 0, x = it.o0, y = it.o1, z = it.o2; i < n; i++, x += it.s0, y += it.s1, z += it.s2, p++) {
                if (f) out.setDouble(p, c[x] ? a.getDouble(y) : b.getDouble(z));
                else out.setLong(p, c[x] ? a.getLong(y) : b.getLong(z));
            }
    }

    // ---------------------------------------------------------------- strided sums (the reduce family's SIMD runs)

    /** Sum of n float32 values with a double accumulator (exact for 10^7 ones, unlike float). */
    public static double sumF32(float[] x, int o, int s, int n) {
        if (s == 1) return Elementwise.sumF32(x, o, n);
        double a = 0;
        for (int i = 0; i < n; i++, o += s) a += x[o];
        return a;
    }

    /** Pairwise-blocked sum of n float64 values. */
    public static double sumF64(double[] x, int o, int s, int n) {
        if (n <= 128) {
            double a0 = 0, a1 = 0;
            int i = 0;
            for (; i + 1 < n; i += 2, o += 2 * s) {
                a0 += x[o];
                a1 += x[o + s];
            }
            if (i < n) a0 += x[o];
            return a0 + a1;
        }
        int h = (n / 2) & ~7;
        return sumF64(x, o, s, h) + sumF64(x, o + h * s, s, n - h);
    }

    // ---------------------------------------------------------------- matmul

    /**
     * C[m,n] = A[m,k] * B[k,n] for float32 or float64, with arbitrary strides on A and B and a
     * contiguous C at offset co (packed, blocked, SIMD and multi-threaded: see {@link Gemm}).
     */
    public static void gemm(int m, int n, int k,
                            Storage a, int ao, int ars, int acs,
                            Storage b, int bo, int brs, int bcs,
                            Storage c, int co) {
        Object x = Staging.input(a, 0), y = Staging.input(b, 1), z = Staging.output(c, 2);
        gemmArrays(m, n, k, x, ao, ars, acs, y, bo, brs, bcs, z, co);
        Staging.commitRange(c, z, co, m * n);
    }

    private static void gemmArrays(int m, int n, int k, Object a, int ao, int ars, int acs, Object b, int bo, int brs, int bcs,
                                   Object c, int co) {
        if (c instanceof float[] cf) Gemm.gemmF32(m, n, k, (float[]) a, ao, ars, acs, (float[]) b, bo, brs, bcs, cf, co, n);
        else Gemm.gemmF64(m, n, k, (double[]) a, ao, ars, acs, (double[]) b, bo, brs, bcs, (double[]) c, co, n);
    }

    /**
     * {@code batch} independent products C[i] = A[i] * B[i] (batch strides as, bs; C contiguous
     * [batch, m, n]). Batches are spread over the pool when each product is small; a large
     * product is split inside instead (never both: nested regions run inline).
     */
    public static void gemmBatched(int batch, int m, int n, int k,
                                   Storage a, int ao, int abs, int ars, int acs,
                                   Storage b, int bo, int bbs, int brs, int bcs,
                                   Storage c, int co) {
        long work = (long) m * n * k;
        int grain = (int) Math.max(1, Math.min(batch, Gemm.MIN_CHUNK_WORK / Math.max(1, work)));
        if (batch < 2 || work >= Gemm.MIN_CHUNK_WORK * 4) grain = Math.max(batch, 1);
        Object x = Staging.input(a, 0), y = Staging.input(b, 1), z = Staging.output(c, 2);
        Parallel.forRange(batch, grain, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                gemmArrays(m, n, k, x, ao + i * abs, ars, acs, y, bo + i * bbs, brs, bcs, z, co + i * m * n);
            }
        });
        Staging.commitRange(c, z, co, batch * m * n);
    }
}
