package org.grad4j.kernels;

/** Elementwise unary math on floating values (float32 runs through double and rounds back). */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, SQRT, TANH, SIGMOID, RELU, SIGN, SIN, COS, RECIPROCAL, RSQRT, LOG1P, EXPM1,
    FLOOR, CEIL, ROUND, TRUNC, SQUARE,
    EXP2, LOG2, LOG10, TAN, ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, ERF, ERFC, FRAC,
    LOGSIGMOID, SOFTPLUS, SILU, GELU, GELU_TANH, MISH;

    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            // PyTorch's relu is max(x, 0) that keeps x unless x < 0: NaN and -0 pass through
            case RELU -> x < 0 ? 0.0 : x;
            // (0 < x) - (x < 0), as libtorch: sign(NaN) is 0 (and so abs's gradient at NaN)
            case SIGN -> x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case RECIPROCAL -> 1.0 / x;
            case RSQRT -> 1.0 / Math.sqrt(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case SQUARE -> x * x;
            case EXP2 -> Math.pow(2.0, x);
            case LOG2 -> Math.log(x) / LN2;
            case LOG10 -> Math.log10(x);
            case TAN -> Math.tan(x);
            case ASIN -> Math.asin(x);
            case ACOS -> Math.acos(x);
            case ATAN -> Math.atan(x);
            case SINH -> Math.sinh(x);
            case COSH -> Math.cosh(x);
            case ASINH -> MathFns.asinh(x);
            // below 1 (huge negatives included) NaN; above 1e8 x*x would overflow: acosh(x) = log(2x) there
            case ACOSH -> x < 1 ? Double.NaN : x > 1e8 ? Math.log(x) + LN2 : Math.log(x + Math.sqrt(x * x - 1));
            case ATANH -> 0.5 * Math.log1p(2 * x / (1 - x));
            case ERF -> MathFns.erf(x);
            case ERFC -> MathFns.erfc(x);
            case FRAC -> x - (x < 0 ? Math.ceil(x) : Math.floor(x));
            // log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)): no overflow for large |x|
            case LOGSIGMOID -> Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case SILU -> x * SIGMOID.apply(x);
            case GELU -> 0.5 * x * (1 + MathFns.erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case MISH -> x * Math.tanh(SOFTPLUS.apply(x));
        };
    }

    private static final double LN2 = Math.log(2.0);

    /** Float32 variant; exp/sigmoid/tanh go through double for a correctly rounded float result. */
    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case RELU -> x < 0 ? 0f : x;
            case SQUARE -> x * x;
            default -> (float) apply((double) x);
        };
    }
}
