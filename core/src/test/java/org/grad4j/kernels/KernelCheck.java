package org.grad4j.kernels;

import java.util.Random;

/**
 * Reference checks of the fast kernel paths (GEMM, contiguous/broadcast elementwise, sums) that
 * run both inside JUnit and as a plain main without the Vector API module, so the scalar
 * fallback is tested exactly as a {@code java -cp} user would run it.
 */
public final class KernelCheck {
    private KernelCheck() {}

    static float[] randF(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    static double[] randD(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextGaussian();
        return a;
    }

    /** Checks C = op(A) * op(B) for one shape, both dtypes, plain and transposed operands. Returns an error or null. */
    static String gemm(int m, int n, int k, long seed) {
        Random r = new Random(seed);
        for (int ta = 0; ta < 2; ta++) {
            for (int tb = 0; tb < 2; tb++) {
                // A stored [m,k] (ta=0) or [k,m] (ta=1, read as transposed); same for B
                float[] a = randF(r, m * k + 3), b = randF(r, k * n + 5);
                int ao = 3, bo = 5;
                int ars = ta == 0 ? k : 1, acs = ta == 0 ? 1 : m;
                int brs = tb == 0 ? n : 1, bcs = tb == 0 ? 1 : k;
                float[] c = new float[m * n + 2];
                java.util.Arrays.fill(c, 7f);   // must be overwritten, not accumulated into
                Gemm.gemmF32(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, 2, n);
                double[] ad = new double[a.length], bd = new double[b.length];
                for (int i = 0; i < a.length; i++) ad[i] = a[i];
                for (int i = 0; i < b.length; i++) bd[i] = b[i];
                double[] cd = new double[m * n + 2];
                Gemm.gemmF64(m, n, k, ad, ao, ars, acs, bd, bo, brs, bcs, cd, 2, n);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double ref = 0, mag = 0;
                        for (int p = 0; p < k; p++) {
                            double v = (double) a[ao + i * ars + p * acs] * b[bo + p * brs + j * bcs];
                            ref += v;
                            mag += Math.abs(v);
                        }
                        float got = c[2 + i * n + j];
                        if (Math.abs(got - ref) > 1e-5 * mag + 1e-6) {
                            return "gemmF32 m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " at (" + i + "," + j
                                    + "): " + got + " vs " + ref;
                        }
                        if (Math.abs(cd[2 + i * n + j] - ref) > 1e-12 * mag + 1e-12) {
                            return "gemmF64 m=" + m + " n=" + n + " k=" + k + " at (" + i + "," + j + "): " + cd[2 + i * n + j] + " vs " + ref;
                        }
                    }
                }
                if (c[0] != 7f || c[1] != 7f) return "gemmF32 wrote before its offset";
            }
        }
        return null;
    }

    /** Contiguous and scalar-broadcast binary ops against the scalar definitions. */
    static String binary(int n, long seed) {
        Random r = new Random(seed);
        float[] x = randF(r, n + 1), y = randF(r, n + 2), o = new float[n + 3];
        double[] xd = randD(r, n + 1), yd = randD(r, n + 2), od = new double[n + 3];
        for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
            Elementwise.binaryF32(op, x, 1, y, 2, o, 3, n);
            for (int i = 0; i < n; i++) if (o[3 + i] != op.f32(x[1 + i], y[2 + i])) return op + " f32 n=" + n + " at " + i;
            Elementwise.binaryF64(op, xd, 1, yd, 2, od, 3, n);
            for (int i = 0; i < n; i++) if (od[3 + i] != op.f64(xd[1 + i], yd[2 + i])) return op + " f64 n=" + n + " at " + i;
            for (boolean first : new boolean[]{false, true}) {
                float c = 1.7f;
                Elementwise.binaryScalarF32(op, x, 1, c, first, o, 3, n);
                for (int i = 0; i < n; i++) {
                    float want = first ? op.f32(c, x[1 + i]) : op.f32(x[1 + i], c);
                    if (o[3 + i] != want) return op + " scalar f32 first=" + first + " n=" + n + " at " + i;
                }
                Elementwise.binaryScalarF64(op, xd, 1, 1.7, first, od, 3, n);
                for (int i = 0; i < n; i++) {
                    double want = first ? op.f64(1.7, xd[1 + i]) : op.f64(xd[1 + i], 1.7);
                    if (od[3 + i] != want) return op + " scalar f64 first=" + first + " n=" + n + " at " + i;
                }
            }
        }
        return null;
    }

    /** Contiguous unary ops against the scalar definitions (transcendentals within a few ulps). */
    static String unary(int n, long seed) {
        Random r = new Random(seed);
        float[] x = randF(r, n + 1), o = new float[n + 2];
        double[] xd = randD(r, n + 1), od = new double[n + 2];
        if (n > 3) {
            x[1] = Float.NaN;
            x[2] = -0f;
            x[3] = 0f;
            xd[1] = Double.NaN;
            xd[2] = -0.0;
        }
        // the whole float range of exp/sigmoid: overflow, underflow to subnormals, the fast-path edges
        for (int i = 10; i < Math.min(n, 70); i++) x[1 + i] = -110f + (i - 10) * 3.6f;
        if (n > 80) {
            x[71] = 88f;
            x[72] = -87f;
            x[73] = Float.POSITIVE_INFINITY;
            x[74] = Float.NEGATIVE_INFINITY;
        }
        for (UnaryOp op : new UnaryOp[]{UnaryOp.EXP, UnaryOp.TANH, UnaryOp.LOG, UnaryOp.SIGMOID, UnaryOp.RELU,
                UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQRT, UnaryOp.SQUARE, UnaryOp.SIN, UnaryOp.FLOOR}) {
            boolean exact = op == UnaryOp.RELU || op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SQUARE
                    || op == UnaryOp.FLOOR || op == UnaryOp.SQRT;
            Elementwise.unaryF32(op, x, 1, o, 2, n);
            for (int i = 0; i < n; i++) {
                float want = op.apply(x[1 + i]), got = o[2 + i];
                if (Float.isNaN(want) != Float.isNaN(got)) return op + " f32 NaN mismatch at " + i + ": " + got + " vs " + want;
                if (Float.isNaN(want)) continue;
                float tol = exact ? 0f : 4 * Math.ulp(want) + 1e-30f;
                if (Math.abs(got - want) > tol) return op + " f32 n=" + n + " at " + i + ": " + got + " vs " + want;
                if (exact && Float.floatToIntBits(got) != Float.floatToIntBits(want) && got == 0) {
                    return op + " f32 sign of zero at " + i + ": " + got + " vs " + want;
                }
            }
            Elementwise.unaryF64(op, xd, 1, od, 2, n);
            for (int i = 0; i < n; i++) {
                double want = op.apply(xd[1 + i]), got = od[2 + i];
                if (Double.isNaN(want) != Double.isNaN(got)) return op + " f64 NaN mismatch at " + i;
                if (Double.isNaN(want)) continue;
                double tol = exact ? 0 : 4 * Math.ulp(want) + 1e-300;
                if (Math.abs(got - want) > tol) return op + " f64 n=" + n + " at " + i + ": " + got + " vs " + want;
            }
        }
        return null;
    }

    static String sums(int n, long seed) {
        Random r = new Random(seed);
        float[] x = randF(r, n + 1);
        double ref = 0;
        for (int i = 0; i < n; i++) ref += x[1 + i];
        double got = Elementwise.sumF32(x, 1, n);
        if (Math.abs(got - ref) > 1e-9 * n + 1e-9) return "sumF32 n=" + n + ": " + got + " vs " + ref;
        double[] xd = randD(r, n + 1);
        double refd = 0, mag = 0;
        for (int i = 0; i < n; i++) {
            refd += xd[1 + i];
            mag += Math.abs(xd[1 + i]);
        }
        double gotd = Elementwise.sumF64(xd, 1, n);
        if (Math.abs(gotd - refd) > 1e-13 * mag + 1e-13) return "sumF64 n=" + n + ": " + gotd + " vs " + refd;
        return null;
    }

    /** Every check at the given thread count; returns the first failure or null. */
    public static String all(int threads) {
        Parallel.setNumThreads(threads);
        int[][] shapes = {{1, 1, 1}, {0, 5, 3}, {4, 0, 3}, {3, 4, 0}, {7, 33, 5}, {6, 32, 16}, {13, 65, 257},
                {130, 70, 300}, {97, 5, 31}, {200, 150, 40}, {5, 2100, 3},
                // small C, long k: the dot-product path when A rows and B columns are contiguous
                {7, 13, 2100}, {6, 25, 3001}, {16, 150, 1030},
                // few rows, short depth, wide B: B read in place (tails in rows and columns)
                {6, 300, 25}, {16, 203, 150}, {1, 130, 7}, {23, 517, 40}};
        for (int[] s : shapes) {
            String e = gemm(s[0], s[1], s[2], s[0] * 31L + s[1]);
            if (e != null) return e;
        }
        int[] lens = {0, 1, 15, 16, 17, 63, 1000, 2 * Elementwise.GRAIN + 13};
        for (int n : lens) {
            String e = binary(n, n);
            if (e == null) e = unary(n, n + 1);
            if (e == null) e = sums(n, n + 2);
            if (e != null) return e;
        }
        float[] ones = new float[10_000_000];
        java.util.Arrays.fill(ones, 1f);
        double s = Elementwise.sumF32(ones, 0, ones.length);
        if (s != 1e7) return "sum of 10^7 float32 ones gave " + s;
        return null;
    }

    /** Run without --add-modules jdk.incubator.vector to check the scalar fallback; exit code 1 on failure. */
    public static void main(String[] args) {
        for (int t : new int[]{1, 2}) {
            String e = all(t);
            if (e != null) {
                System.out.println("FAIL simd=" + Simd.ENABLED + " threads=" + t + ": " + e);
                System.exit(1);
            }
        }
        System.out.println("OK simd=" + Simd.ENABLED);
    }
}
