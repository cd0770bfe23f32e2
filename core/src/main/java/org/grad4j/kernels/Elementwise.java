package org.grad4j.kernels;

/**
 * Contiguous elementwise loops and sums: SIMD when {@link Simd#ENABLED}, plain loops otherwise,
 * split over the intra-op pool above {@link #GRAIN} elements (smaller runs stay on the caller).
 *
 * <pre>{@code
 * Elementwise.binaryF32(BinaryOp.ADD, a, 0, b, 0, out, 0, n);   // out = a + b
 * double s = Elementwise.sumF32(a, 0, n);                       // exact for 10^7 ones
 * }</pre>
 */
public final class Elementwise {
    private Elementwise() {}

    /** Elements per chunk below which a loop is not split across threads (~10-30 us of work). */
    public static final int GRAIN = 1 << 16;
    /** Chunks per thread: a worker that wakes up late leaves most of its share to the caller. */
    static final int CHUNKS_PER_THREAD = 4;

    // ------------------------------------------------------------------ binary

    /** o = x op y over n contiguous elements (op: ADD, SUB, MUL, DIV). */
    public static void binaryF32(BinaryOp op, float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        if (n < 2 * GRAIN || Parallel.numThreads() == 1) {
            binaryF32Run(op, x, xo, y, yo, o, oo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, 64, CHUNKS_PER_THREAD, (lo, hi) -> binaryF32Run(op, x, xo + lo, y, yo + lo, o, oo + lo, hi - lo));
    }

    private static void binaryF32Run(BinaryOp op, float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        if (Simd.ENABLED) {
            VectorKernels.binaryF32(op, x, xo, y, yo, o, oo, n);
            return;
        }
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] / y[yo + i]; }
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    /** o = x op c (or c op x when scalarFirst) over n contiguous elements (op: ADD, SUB, MUL, DIV). */
    public static void binaryScalarF32(BinaryOp op, float[] x, int xo, float c, boolean scalarFirst, float[] o, int oo, int n) {
        if (n < 2 * GRAIN || Parallel.numThreads() == 1) {
            binaryScalarF32Run(op, x, xo, c, scalarFirst, o, oo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, 64, CHUNKS_PER_THREAD, (lo, hi) -> binaryScalarF32Run(op, x, xo + lo, c, scalarFirst, o, oo + lo, hi - lo));
    }

    private static void binaryScalarF32Run(BinaryOp op, float[] x, int xo, float c, boolean first, float[] o, int oo, int n) {
        if (Simd.ENABLED) {
            VectorKernels.binaryScalarF32(op, x, xo, c, first, o, oo, n);
            return;
        }
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + c; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * c; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = first ? c - x[xo + i] : x[xo + i] - c; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = first ? c / x[xo + i] : x[xo + i] / c; }
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    /** o = x op y over n contiguous float64 elements (op: ADD, SUB, MUL, DIV). */
    public static void binaryF64(BinaryOp op, double[] x, int xo, double[] y, int yo, double[] o, int oo, int n) {
        if (n < 2 * GRAIN || Parallel.numThreads() == 1) {
            binaryF64Run(op, x, xo, y, yo, o, oo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, 64, CHUNKS_PER_THREAD, (lo, hi) -> binaryF64Run(op, x, xo + lo, y, yo + lo, o, oo + lo, hi - lo));
    }

    private static void binaryF64Run(BinaryOp op, double[] x, int xo, double[] y, int yo, double[] o, int oo, int n) {
        if (Simd.ENABLED) {
            VectorKernels.binaryF64(op, x, xo, y, yo, o, oo, n);
            return;
        }
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] / y[yo + i]; }
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    /** o = x op c (or c op x when scalarFirst) over n contiguous float64 elements. */
    public static void binaryScalarF64(BinaryOp op, double[] x, int xo, double c, boolean scalarFirst, double[] o, int oo, int n) {
        if (n < 2 * GRAIN || Parallel.numThreads() == 1) {
            binaryScalarF64Run(op, x, xo, c, scalarFirst, o, oo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, 64, CHUNKS_PER_THREAD, (lo, hi) -> binaryScalarF64Run(op, x, xo + lo, c, scalarFirst, o, oo + lo, hi - lo));
    }

    private static void binaryScalarF64Run(BinaryOp op, double[] x, int xo, double c, boolean first, double[] o, int oo, int n) {
        if (Simd.ENABLED) {
            VectorKernels.binaryScalarF64(op, x, xo, c, first, o, oo, n);
            return;
        }
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + c; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * c; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = first ? c - x[xo + i] : x[xo + i] - c; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = first ? c / x[xo + i] : x[xo + i] / c; }
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    // ------------------------------------------------------------------ unary

    /** o = op(x) over n contiguous float32 elements. */
    public static void unaryF32(UnaryOp op, float[] x, int xo, float[] o, int oo, int n) {
        if (n < 2 * GRAIN || Parallel.numThreads() == 1) {
            unaryF32Run(op, x, xo, o, oo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, 64, CHUNKS_PER_THREAD, (lo, hi) -> unaryF32Run(op, x, xo + lo, o, oo + lo, hi - lo));
    }

    private static void unaryF32Run(UnaryOp op, float[] x, int xo, float[] o, int oo, int n) {
        if (Simd.ENABLED && VectorKernels.unaryF32(op, x, xo, o, oo, n)) return;
        for (int i = 0; i < n; i++) o[oo + i] = op.apply(x[xo + i]);
    }

    /** o = op(x) over n contiguous float64 elements. */
    public static void unaryF64(UnaryOp op, double[] x, int xo, double[] o, int oo, int n) {
        if (n < 2 * GRAIN || Parallel.numThreads() == 1) {
            unaryF64Run(op, x, xo, o, oo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, 64, CHUNKS_PER_THREAD, (lo, hi) -> unaryF64Run(op, x, xo + lo, o, oo + lo, hi - lo));
    }

    private static void unaryF64Run(UnaryOp op, double[] x, int xo, double[] o, int oo, int n) {
        if (Simd.ENABLED && VectorKernels.unaryF64(op, x, xo, o, oo, n)) return;
        for (int i = 0; i < n; i++) o[oo + i] = op.apply(x[xo + i]);
    }

    // ------------------------------------------------------------------ sums

    /** Sum of n contiguous float32 values, accumulated so that 10^7 ones give exactly 10^7. */
    public static double sumF32(float[] x, int o, int n) {
        int k = Parallel.chunks(n, GRAIN, CHUNKS_PER_THREAD);
        if (k <= 1) return sumF32Run(x, o, n);
        int per = ((n + k - 1) / k + 1023) / 1024 * 1024;
        double[] part = new double[k];
        Parallel.forRange(k, 1, 1, CHUNKS_PER_THREAD, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int lo = Math.min(n, c * per);
                part[c] = sumF32Run(x, o + lo, Math.min(n, lo + per) - lo);
            }
        });
        double t = 0;
        for (double p : part) t += p;
        return t;
    }

    static double sumF32Run(float[] x, int o, int n) {
        if (Simd.ENABLED) return VectorKernels.sumF32(x, o, n);
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            a0 += x[o + i];
            a1 += x[o + i + 1];
            a2 += x[o + i + 2];
            a3 += x[o + i + 3];
        }
        for (; i < n; i++) a0 += x[o + i];
        return (a0 + a1) + (a2 + a3);
    }

    /** Sum of n contiguous float64 values. */
    public static double sumF64(double[] x, int o, int n) {
        int k = Parallel.chunks(n, GRAIN, CHUNKS_PER_THREAD);
        if (k <= 1) return sumF64Run(x, o, n);
        int per = ((n + k - 1) / k + 1023) / 1024 * 1024;
        double[] part = new double[k];
        Parallel.forRange(k, 1, 1, CHUNKS_PER_THREAD, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int lo = Math.min(n, c * per);
                part[c] = sumF64Run(x, o + lo, Math.min(n, lo + per) - lo);
            }
        });
        double t = 0;
        for (double p : part) t += p;
        return t;
    }

    static double sumF64Run(double[] x, int o, int n) {
        if (Simd.ENABLED) return VectorKernels.sumF64(x, o, n);
        return CpuKernels.sumF64(x, o, 1, n);
    }
}
