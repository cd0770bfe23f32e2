package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;

import static org.grad4j.kernels.Elementwise.CHUNKS_PER_THREAD;
import static org.grad4j.kernels.Elementwise.GRAIN;

/**
 * The hot CPU loops straight over off-heap memory, without {@link Staging}'s copies: contiguous
 * float32/float64 add/sub/mul/div (also with a broadcast scalar), unary ops, sums, fill, copy and
 * axpy, taken when every operand is off-heap. Each mirrors its heap twin in {@link Elementwise} /
 * {@link VectorKernels} (the same chunks over the pool, the same vector loop bounds and lane order),
 * so results are bit-identical to the heap path. Every entry keeps its storages reachable to its
 * end: a storage's block is reused once the storage is unreachable, so its segment must not
 * outlive it.
 */
final class SegmentLoops {
    private SegmentLoops() {}

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble D64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    static boolean offHeap(Storage a) { return a instanceof OffHeapStorage; }

    static boolean offHeap(Storage a, Storage b) { return a instanceof OffHeapStorage && b instanceof OffHeapStorage; }

    static boolean offHeap(Storage a, Storage b, Storage c) {
        return a instanceof OffHeapStorage && b instanceof OffHeapStorage && c instanceof OffHeapStorage;
    }

    private static MemorySegment seg(Storage s) { return ((OffHeapStorage) s).segment(); }

    private static boolean arith(BinaryOp op) {
        return op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
    }

    // ------------------------------------------------------------------ binary

    /**
     * out = a op b for float32/float64 add/sub/mul/div when every run is contiguous or broadcasts a
     * scalar (as {@code CpuKernels.binaryF32}'s fast cases); false when it does not apply (the
     * caller stages instead). All three storages are off-heap.
     */
    static boolean binary(BinaryOp op, Iter it, Storage a, Storage b, Storage out) {
        DType dt = out.dtype();
        if (!arith(op) || (dt != DType.FLOAT32 && dt != DType.FLOAT64) || a.dtype() != dt || b.dtype() != dt) return false;
        int s1 = it.s1, s2 = it.s2, n = it.inner;
        if (it.s0 != 1 || !((s1 == 1 && s2 == 1) || (s1 == 1 && s2 == 0) || (s1 == 0 && s2 == 1))) return false;
        try {
            MemorySegment x = seg(a), y = seg(b), o = seg(out);
            boolean f32 = dt == DType.FLOAT32;
            for (it.start(); it.hasNext(); it.next()) {
                if (s1 == 1 && s2 == 1) {
                    binaryRuns(op, f32, x, it.o1, y, it.o2, o, it.o0, n);
                } else if (s2 == 0) {
                    double c = f32 ? y.getAtIndex(F32, it.o2) : y.getAtIndex(D64, it.o2);
                    scalarRuns(op, f32, x, it.o1, c, false, o, it.o0, n);
                } else {
                    double c = f32 ? x.getAtIndex(F32, it.o1) : x.getAtIndex(D64, it.o1);
                    scalarRuns(op, f32, y, it.o2, c, true, o, it.o0, n);
                }
            }
            return true;
        } finally {
            Reference.reachabilityFence(a);
            Reference.reachabilityFence(b);
            Reference.reachabilityFence(out);
        }
    }

    private static void binaryRuns(BinaryOp op, boolean f32, MemorySegment x, long xo, MemorySegment y, long yo,
                                   MemorySegment o, long oo, int n) {
        if (n < 2 * GRAIN || Parallel.numThreads() == 1) {
            binaryRun(op, f32, x, xo, y, yo, o, oo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, 64, CHUNKS_PER_THREAD, (lo, hi) -> binaryRun(op, f32, x, xo + lo, y, yo + lo, o, oo + lo, hi - lo));
    }

    private static void binaryRun(BinaryOp op, boolean f32, MemorySegment x, long xo, MemorySegment y, long yo,
                                  MemorySegment o, long oo, int n) {
        if (Simd.ENABLED) {
            if (f32) SegmentVectors.binaryF32(op, x, xo, y, yo, o, oo, n);
            else SegmentVectors.binaryF64(op, x, xo, y, yo, o, oo, n);
        } else if (f32) {
            for (int i = 0; i < n; i++) o.setAtIndex(F32, oo + i, op.f32(x.getAtIndex(F32, xo + i), y.getAtIndex(F32, yo + i)));
        } else {
            for (int i = 0; i < n; i++) o.setAtIndex(D64, oo + i, op.f64(x.getAtIndex(D64, xo + i), y.getAtIndex(D64, yo + i)));
        }
    }

    private static void scalarRuns(BinaryOp op, boolean f32, MemorySegment x, long xo, double c, boolean first,
                                   MemorySegment o, long oo, int n) {
        if (n < 2 * GRAIN || Parallel.numThreads() == 1) {
            scalarRun(op, f32, x, xo, c, first, o, oo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, 64, CHUNKS_PER_THREAD, (lo, hi) -> scalarRun(op, f32, x, xo + lo, c, first, o, oo + lo, hi - lo));
    }

    private static void scalarRun(BinaryOp op, boolean f32, MemorySegment x, long xo, double c, boolean first,
                                  MemorySegment o, long oo, int n) {
        if (Simd.ENABLED) {
            if (f32) SegmentVectors.binaryScalarF32(op, x, xo, (float) c, first, o, oo, n);
            else SegmentVectors.binaryScalarF64(op, x, xo, c, first, o, oo, n);
        } else if (f32) {
            float cf = (float) c;
            for (int i = 0; i < n; i++) {
                float v = x.getAtIndex(F32, xo + i);
                o.setAtIndex(F32, oo + i, first ? op.f32(cf, v) : op.f32(v, cf));
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = x.getAtIndex(D64, xo + i);
                o.setAtIndex(D64, oo + i, first ? op.f64(c, v) : op.f64(v, c));
            }
        }
    }

    // ------------------------------------------------------------------ unary

    /** out = op(in) for float32/float64 (both off-heap, one dtype); strided runs loop element by element. */
    static boolean unary(UnaryOp op, Iter it, Storage in, Storage out) {
        DType dt = out.dtype();
        if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || in.dtype() != dt) return false;
        try {
            MemorySegment x = seg(in), o = seg(out);
            boolean f32 = dt == DType.FLOAT32;
            int n = it.inner, s0 = it.s0, s1 = it.s1;
            for (it.start(); it.hasNext(); it.next()) {
                if (s0 == 1 && s1 == 1) unaryRuns(op, f32, x, it.o1, o, it.o0, n);
                else if (f32) for (int i = 0, p = it.o0, q = it.o1; i < n; i++, p += s0, q += s1) o.setAtIndex(F32, p, op.apply(x.getAtIndex(F32, q)));
                else for (int i = 0, p = it.o0, q = it.o1; i < n; i++, p += s0, q += s1) o.setAtIndex(D64, p, op.apply(x.getAtIndex(D64, q)));
            }
            return true;
        } finally {
            Reference.reachabilityFence(in);
            Reference.reachabilityFence(out);
        }
    }

    private static void unaryRuns(UnaryOp op, boolean f32, MemorySegment x, long xo, MemorySegment o, long oo, int n) {
        if (n < 2 * GRAIN || Parallel.numThreads() == 1) {
            unaryRun(op, f32, x, xo, o, oo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, 64, CHUNKS_PER_THREAD, (lo, hi) -> unaryRun(op, f32, x, xo + lo, o, oo + lo, hi - lo));
    }

    private static void unaryRun(UnaryOp op, boolean f32, MemorySegment x, long xo, MemorySegment o, long oo, int n) {
        if (f32) {
            if (Simd.ENABLED && SegmentVectors.unaryF32(op, x, xo, o, oo, n)) return;
            for (int i = 0; i < n; i++) o.setAtIndex(F32, oo + i, op.apply(x.getAtIndex(F32, xo + i)));
        } else {
            if (Simd.ENABLED && SegmentVectors.unaryF64(op, x, xo, o, oo, n)) return;
            for (int i = 0; i < n; i++) o.setAtIndex(D64, oo + i, op.apply(x.getAtIndex(D64, xo + i)));
        }
    }

    // ------------------------------------------------------------------ sums

    /** As {@code CpuKernels.sumF32(x, o, s, n)} over an off-heap float32 storage. */
    static double sumF32(MemorySegment x, long o, int s, int n) {
        if (s != 1) {
            double a = 0;
            for (int i = 0; i < n; i++, o += s) a += x.getAtIndex(F32, o);
            return a;
        }
        return chunkedSum(x, o, n, SegmentLoops::sumF32Run);
    }

    private static double sumF32Run(MemorySegment x, long o, int n) {
        if (Simd.ENABLED) return SegmentVectors.sumF32(x, o, n);
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            a0 += x.getAtIndex(F32, o + i);
            a1 += x.getAtIndex(F32, o + i + 1);
            a2 += x.getAtIndex(F32, o + i + 2);
            a3 += x.getAtIndex(F32, o + i + 3);
        }
        for (; i < n; i++) a0 += x.getAtIndex(F32, o + i);
        return (a0 + a1) + (a2 + a3);
    }

    /** As the float64 sums of the reduce kernels: {@code Elementwise.sumF64} when contiguous, else pairwise. */
    static double sumF64(MemorySegment x, long o, int s, int n) {
        if (s != 1) return pairwiseF64(x, o, s, n);
        return chunkedSum(x, o, n, SegmentLoops::sumF64Run);
    }

    private interface RunSum { double sum(MemorySegment x, long o, int n); }

    /** The heap sums' split: chunks of whole 1024-element blocks summed in parallel, partials added in order. */
    private static double chunkedSum(MemorySegment x, long o, int n, RunSum run) {
        int k = Parallel.chunks(n, GRAIN, CHUNKS_PER_THREAD);
        if (k <= 1) return run.sum(x, o, n);
        int per = ((n + k - 1) / k + 1023) / 1024 * 1024;
        double[] part = new double[k];
        Parallel.forRange(k, 1, 1, CHUNKS_PER_THREAD, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int lo = Math.min(n, c * per);
                part[c] = run.sum(x, o + lo, Math.min(n, lo + per) - lo);
            }
        });
        double t = 0;
        for (double p : part) t += p;
        return t;
    }

    private static double sumF64Run(MemorySegment x, long o, int n) {
        return Simd.ENABLED ? SegmentVectors.sumF64(x, o, n) : pairwiseF64(x, o, 1, n);
    }

    /** As {@code CpuKernels.sumF64(x, o, s, n)}. */
    private static double pairwiseF64(MemorySegment x, long o, int s, int n) {
        if (n <= 128) {
            double a0 = 0, a1 = 0;
            int i = 0;
            for (; i + 1 < n; i += 2, o += 2L * s) {
                a0 += x.getAtIndex(D64, o);
                a1 += x.getAtIndex(D64, o + s);
            }
            if (i < n) a0 += x.getAtIndex(D64, o);
            return a0 + a1;
        }
        int h = (n / 2) & ~7;
        return pairwiseF64(x, o, s, h) + pairwiseF64(x, o + (long) h * s, s, n - h);
    }

    // ------------------------------------------------------------------ axpy

    /** y += alpha * x over n elements, float32 or float64 (both off-heap), as {@code CpuKernels.axpy}. */
    static void axpy(Storage y, int yo, double alpha, Storage x, int xo, int n) {
        try {
            MemorySegment ys = seg(y), xs = seg(x);
            if (y.dtype() == DType.FLOAT32) {
                float a = (float) alpha;
                Parallel.forRange(n, GRAIN, Simd.floatLanes(), (lo, hi) -> {
                    int i = Simd.ENABLED ? SegmentVectors.axpyF32(ys, yo, a, xs, xo, lo, hi) : lo;
                    for (; i < hi; i++) ys.setAtIndex(F32, yo + i, Math.fma(a, xs.getAtIndex(F32, xo + i), ys.getAtIndex(F32, yo + i)));
                });
            } else {
                Parallel.forRange(n, GRAIN, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) ys.setAtIndex(D64, yo + i, Math.fma(alpha, xs.getAtIndex(D64, xo + i), ys.getAtIndex(D64, yo + i)));
                });
            }
        } finally {
            Reference.reachabilityFence(y);
            Reference.reachabilityFence(x);
        }
    }

    // ------------------------------------------------------------------ relu backward

    /** As {@code NnKernels.reluBackward}: out[i] = y[yo + i] <= 0 ? 0 : g[go + i], all off-heap, one floating dtype. */
    static boolean reluBackward(Storage g, int go, Storage y, int yo, Storage out, int n) {
        DType dt = out.dtype();
        if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || g.dtype() != dt || y.dtype() != dt) return false;
        try {
            MemorySegment gs = seg(g), ys = seg(y), os = seg(out);
            if (dt == DType.FLOAT32) {
                Parallel.forRange(n, 32768, Simd.floatLanes(), (lo, hi) -> {
                    int i = Simd.ENABLED ? SegmentVectors.reluBackwardF32(gs, go, ys, yo, os, lo, hi) : lo;
                    for (; i < hi; i++) os.setAtIndex(F32, i, ys.getAtIndex(F32, yo + i) <= 0f ? 0f : gs.getAtIndex(F32, go + i));
                });
            } else {
                Parallel.forRange(n, 32768, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) os.setAtIndex(D64, i, ys.getAtIndex(D64, yo + i) <= 0.0 ? 0.0 : gs.getAtIndex(D64, go + i));
                });
            }
            return true;
        } finally {
            Reference.reachabilityFence(g);
            Reference.reachabilityFence(y);
            Reference.reachabilityFence(out);
        }
    }

    // ------------------------------------------------------------------ copy / fill

    /** dst = src for one dtype when every run is contiguous (bytes copied as they are); false otherwise. */
    static boolean copySame(Iter it, Storage src, Storage dst) {
        if (it.s0 != 1 || it.s1 != 1 || src.dtype() != dst.dtype()) return false;
        try {
            MemorySegment s = seg(src), d = seg(dst);
            long item = src.dtype().itemSize(), n = it.inner * item;
            for (it.start(); it.hasNext(); it.next()) MemorySegment.copy(s, it.o1 * item, d, it.o0 * item, n);
            return true;
        } finally {
            Reference.reachabilityFence(src);
            Reference.reachabilityFence(dst);
        }
    }

    /** Every addressed float32/float64 element = v; false for other dtypes. */
    static boolean fill(Iter it, Storage dst, double v) {
        DType dt = dst.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) return false;
        try {
            MemorySegment d = seg(dst);
            int n = it.inner, s = it.s0;
            float fv = (float) v;
            for (it.start(); it.hasNext(); it.next()) {
                if (dt == DType.FLOAT32) for (int i = 0, o = it.o0; i < n; i++, o += s) d.setAtIndex(F32, o, fv);
                else for (int i = 0, o = it.o0; i < n; i++, o += s) d.setAtIndex(D64, o, v);
            }
            return true;
        } finally {
            Reference.reachabilityFence(dst);
        }
    }
}
