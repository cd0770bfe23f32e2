package org.grad4j.kernels;

/** Special functions the JDK lacks (erf, erfc), accurate to about 1e-15 relative. */
public final class MathFns {
    private MathFns() {}

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    /** The error function: a Taylor series near 0, the erfc continued fraction further out. */
    public static double erf(double x) {
        if (x != x || x == 0) return x; // erf(-0) is -0, as in C
        double ax = Math.abs(x);
        if (ax < 2.5) {
            // sum (-1)^n x^(2n+1) / (n! (2n+1)); terms stay below ~30 so little cancellation
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        double r = 1.0 - erfcLarge(ax);
        return x < 0 ? -r : r;
    }

    /**
     * C's pow (as libtorch computes it), where Java's Math.pow differs: pow(1, y) is 1 for every y (NaN too) and
     * pow(-1, +-inf) is 1; Java returns NaN for both.
     */
    public static double pow(double a, double b) {
        if (a == 1.0) return 1.0;
        if (a == -1.0 && Double.isInfinite(b)) return 1.0;
        return Math.pow(a, b);
    }

    /** The complementary error function 1 - erf(x), without cancellation for large x. */
    public static double erfc(double x) {
        if (x != x) return x;
        if (x < 0) return 2.0 - erfc(-x);
        if (x < 2.5) return 1.0 - erf(x);
        return erfcLarge(x);
    }

    /** Continued fraction erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), x >= 2.5. */
    private static double erfcLarge(double x) {
        if (x > 27) return 0.0;
        int depth = x < 4 ? 120 : 50;
        double t = x;
        for (int k = depth; k >= 1; k--) t = x + (k / 2.0) / t;
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
    }

    /** asinh without cancellation near 0 or overflow for large |x|. */
    public static double asinh(double x) {
        double a = Math.abs(x);
        double r = a > 1e150 ? Math.log(a) + Math.log(2) : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return x < 0 ? -r : x == 0 ? x : r;
    }
}
