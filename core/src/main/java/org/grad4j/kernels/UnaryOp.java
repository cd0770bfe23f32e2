package org.grad4j.kernels;

/** Elementwise unary math on floating values (float32 runs through double and rounds back). */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, SQRT, TANH, SIGMOID, RELU, SIGN, SIN, COS, RECIPROCAL, RSQRT, LOG1P, EXPM1,
    FLOOR, CEIL, ROUND, TRUNC, SQUARE;

    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case RELU -> x > 0 ? x : (x != x ? x : 0.0);
            case SIGN -> x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x;
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
        };
    }

    /** Float32 variant; exp/sigmoid/tanh go through double for a correctly rounded float result. */
    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case RELU -> x > 0 ? x : (x != x ? x : 0f);
            case SQUARE -> x * x;
            default -> (float) apply((double) x);
        };
    }
}
