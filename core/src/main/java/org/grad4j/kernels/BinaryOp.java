package org.grad4j.kernels;

/** Elementwise binary functions with their per-dtype definitions (PyTorch semantics). */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, ATAN2, FMOD, REMAINDER, DIV_TRUNC, DIV_FLOOR, LOGADDEXP,
    EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR;

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }

    public double f64(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> MathFns.pow(a, b);
            // std::max / std::min as libtorch applies them: the first argument unless the second wins strictly,
            // so maximum(-0, 0) is -0 (Java's Math.max orders -0 below 0)
            case MAXIMUM -> (a != a || b != b) ? Double.NaN : a < b ? b : a;
            case MINIMUM -> (a != a || b != b) ? Double.NaN : b < a ? b : a;
            case ATAN2 -> Math.atan2(a, b);
            // log(exp(a) + exp(b)) without overflow; equal infinities give themselves (inf - inf would be NaN)
            case LOGADDEXP -> Double.isInfinite(a) && a == b ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
            case FMOD -> a % b;
            case REMAINDER -> {
                double r = a % b;
                yield (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
            }
            case DIV_TRUNC -> {
                double q = a / b;
                yield q < 0 ? Math.ceil(q) : Math.floor(q);
            }
            case DIV_FLOOR -> {
                // Python's float floor division: derived from fmod so that a == b * q + mod holds
                if (b == 0) yield a / b;
                double mod = a % b, div = (a - mod) / b;
                if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1;
                double fl = Math.floor(div);
                if (div - fl > 0.5) fl += 1;
                yield div == 0 ? Math.copySign(0.0, a / b) : fl;
            }
            default -> throw new IllegalStateException(this + " is not arithmetic");
        };
    }

    public float f32(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            default -> (float) f64(a, b);
        };
    }

    /** Integer arithmetic; {@code op} names the calling op for division-by-zero errors. */
    public long i64(long a, long b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> {
                if (b == 0) throw new ArithmeticException("ZeroDivisionError: integer division by zero");
                yield Math.floorDiv(a, b);
            }
            case POW -> {
                // libtorch's powi: a negative exponent gives 1 for a = 1, +-1 for a = -1 and 0 otherwise (a scalar
                // negative exponent raises earlier, in BinaryOps.powScalar, as PyTorch does)
                if (b < 0) {
                    if (a == 1) yield 1;
                    if (a == -1) yield (b & 1) == 0 ? 1 : -1;
                    yield 0;
                }
                long r = 1, base = a, e = b;
                while (e > 0) {
                    if ((e & 1) != 0) r *= base;
                    base *= base;
                    e >>= 1;
                }
                yield r;
            }
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case DIV_TRUNC -> {
                if (b == 0) throw new ArithmeticException("ZeroDivisionError: integer division by zero");
                yield a / b;
            }
            case DIV_FLOOR -> {
                if (b == 0) throw new ArithmeticException("ZeroDivisionError: integer division by zero");
                yield Math.floorDiv(a, b);
            }
            case FMOD -> {
                if (b == 0) throw new ArithmeticException("ZeroDivisionError: fmod by zero");
                yield a % b;
            }
            case REMAINDER -> {
                if (b == 0) throw new ArithmeticException("ZeroDivisionError: remainder by zero");
                yield Math.floorMod(a, b);
            }
            default -> (long) f64(a, b);
        };
    }

    public boolean cmp(double a, double b) {
        return switch (this) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            case LOGICAL_AND -> a != 0 && b != 0;
            case LOGICAL_OR -> a != 0 || b != 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0);
            default -> throw new IllegalStateException(this + " is not a comparison");
        };
    }

    public boolean cmp(long a, long b) {
        return switch (this) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            case LOGICAL_AND -> a != 0 && b != 0;
            case LOGICAL_OR -> a != 0 || b != 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0);
            default -> throw new IllegalStateException(this + " is not a comparison");
        };
    }
}
