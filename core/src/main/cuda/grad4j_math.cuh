// The CPU's scalar math (kernels/UnaryOp, BinaryOp, MathFns) written out for the device: the same
// formulas and the same edge cases (Java's Math.max/min NaN and -0 rules, C pow), computed in double.
#pragma once
#include "grad4j_ops.cuh"
#include "grad4j_common.cuh"

// Java's Math.max / Math.min: NaN wins, and +0 is above -0 (C's fmax/fmin ignore NaN instead).
G4_HD double g4_jmax(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0 && b == 0.0) return signbit(a) ? b : a;
    return a >= b ? a : b;
}
G4_HD double g4_jmin(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0 && b == 0.0) return signbit(a) ? a : b;
    return a <= b ? a : b;
}

G4_HD double g4_sigmoid(double x) {
    return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
}
G4_HD double g4_softplus(double x) {
    return g4_jmax(x, 0.0) + log1p(exp(-fabs(x)));
}

__host__ __device__ __noinline__ double g4_unary_f64(int op, double x) {
    const double LN2 = 0.6931471805599453;   // Math.log(2.0)
    switch (op) {
    case G4_UNARY_NEG: return -x;
    case G4_UNARY_ABS: return fabs(x);
    case G4_UNARY_EXP: return exp(x);
    case G4_UNARY_LOG: return log(x);
    case G4_UNARY_SQRT: return sqrt(x);
    case G4_UNARY_TANH: return tanh(x);
    case G4_UNARY_SIGMOID: return g4_sigmoid(x);
    case G4_UNARY_RELU: return x < 0 ? 0.0 : x;
    case G4_UNARY_SIGN: return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
    case G4_UNARY_SIN: return sin(x);
    case G4_UNARY_COS: return cos(x);
    case G4_UNARY_RECIPROCAL: return 1.0 / x;
    case G4_UNARY_RSQRT: return 1.0 / sqrt(x);
    case G4_UNARY_LOG1P: return log1p(x);
    case G4_UNARY_EXPM1: return expm1(x);
    case G4_UNARY_FLOOR: return floor(x);
    case G4_UNARY_CEIL: return ceil(x);
    case G4_UNARY_ROUND: return rint(x);
    case G4_UNARY_TRUNC: return x < 0 ? ceil(x) : floor(x);
    case G4_UNARY_SQUARE: return x * x;
    case G4_UNARY_EXP2: return pow(2.0, x);
    case G4_UNARY_LOG2: return log(x) / LN2;
    case G4_UNARY_LOG10: return log10(x);
    case G4_UNARY_TAN: return tan(x);
    case G4_UNARY_ASIN: return asin(x);
    case G4_UNARY_ACOS: return acos(x);
    case G4_UNARY_ATAN: return atan(x);
    case G4_UNARY_SINH: return sinh(x);
    case G4_UNARY_COSH: return cosh(x);
    case G4_UNARY_ASINH: {
        double a = fabs(x);
        double r = a > 1e150 ? log(a) + log(2.0) : log1p(a + a * a / (1 + sqrt(1 + a * a)));
        return x < 0 ? -r : x == 0 ? x : r;
    }
    case G4_UNARY_ACOSH:
        return x < 1 ? nan("")
             : x > 1e8 ? log(x) + LN2 : log(x + sqrt(x * x - 1));
    case G4_UNARY_ATANH: return 0.5 * log1p(2 * x / (1 - x));
    case G4_UNARY_ERF: return erf(x);
    case G4_UNARY_ERFC: return erfc(x);
    case G4_UNARY_FRAC: return x - (x < 0 ? ceil(x) : floor(x));
    case G4_UNARY_LOGSIGMOID: return g4_jmin(x, 0.0) - log1p(exp(-fabs(x)));
    case G4_UNARY_SOFTPLUS: return g4_softplus(x);
    case G4_UNARY_SILU: return x * g4_sigmoid(x);
    case G4_UNARY_GELU: return 0.5 * x * (1 + erf(x / 1.4142135623730951));
    case G4_UNARY_GELU_TANH:
        return 0.5 * x * (1 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
    case G4_UNARY_MISH: return x * tanh(g4_softplus(x));
    }
    return nan("");
}

// Float32 as the CPU: neg/abs/relu/square in float, everything else through double, rounded once.
G4_HD float g4_unary_f32(int op, float x) {
    switch (op) {
    case G4_UNARY_NEG: return -x;
    case G4_UNARY_ABS: return fabsf(x);
    case G4_UNARY_RELU: return x < 0 ? 0.0f : x;
    case G4_UNARY_SQUARE: return x * x;
    }
    return (float)g4_unary_f64(op, (double)x);
}

__host__ __device__ __noinline__ double g4_binary_f64(int op, double a, double b) {
    switch (op) {
    case G4_BINARY_ADD: return a + b;
    case G4_BINARY_SUB: return a - b;
    case G4_BINARY_MUL: return a * b;
    case G4_BINARY_DIV: return a / b;
    case G4_BINARY_POW:   // C's pow, as MathFns.pow
        if (a == 1.0) return 1.0;
        if (a == -1.0 && isinf(b)) return 1.0;
        return pow(a, b);
    case G4_BINARY_MAXIMUM: return (a != a || b != b) ? nan("") : a < b ? b : a;
    case G4_BINARY_MINIMUM: return (a != a || b != b) ? nan("") : b < a ? b : a;
    case G4_BINARY_ATAN2: return atan2(a, b);
    case G4_BINARY_LOGADDEXP:
        return isinf(a) && a == b ? a : g4_jmax(a, b) + log1p(exp(-fabs(a - b)));
    case G4_BINARY_FMOD: return fmod(a, b);
    case G4_BINARY_REMAINDER: {
        double r = fmod(a, b);
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    }
    case G4_BINARY_DIV_TRUNC: {
        double q = a / b;
        return q < 0 ? ceil(q) : floor(q);
    }
    case G4_BINARY_DIV_FLOOR: {
        if (b == 0) return a / b;
        double mod = fmod(a, b), div = (a - mod) / b;
        if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1;
        double fl = floor(div);
        if (div - fl > 0.5) fl += 1;
        return div == 0 ? copysign(0.0, a / b) : fl;
    }
    }
    return nan("");
}

G4_HD float g4_binary_f32(int op, float a, float b) {
    switch (op) {
    case G4_BINARY_ADD: return a + b;
    case G4_BINARY_SUB: return a - b;
    case G4_BINARY_MUL: return a * b;
    case G4_BINARY_DIV: return a / b;
    }
    return (float)g4_binary_f64(op, (double)a, (double)b);
}

// Java's long arithmetic (wrapping, floorDiv...). Division by zero sets *bad and returns 0.
__host__ __device__ __noinline__ long long g4_binary_i64(int op, long long a, long long b, bool* bad) {
    typedef unsigned long long u64;
    switch (op) {
    case G4_BINARY_ADD: return (long long)((u64)a + (u64)b);
    case G4_BINARY_SUB: return (long long)((u64)a - (u64)b);
    case G4_BINARY_MUL: return (long long)((u64)a * (u64)b);
    case G4_BINARY_DIV:
    case G4_BINARY_DIV_FLOOR:
    case G4_BINARY_DIV_TRUNC:
    case G4_BINARY_FMOD:
    case G4_BINARY_REMAINDER: {
        if (b == 0) { *bad = true; return 0; }
        if (b == -1) {   // LLONG_MIN / -1 wraps in Java; in C it is undefined
            bool quotient = op == G4_BINARY_DIV || op == G4_BINARY_DIV_FLOOR || op == G4_BINARY_DIV_TRUNC;
            return quotient ? (long long)(0 - (u64)a) : 0;
        }
        long long q = a / b, r = a - q * b;
        if (op == G4_BINARY_DIV_TRUNC) return q;
        if (op == G4_BINARY_FMOD) return r;
        bool adjust = r != 0 && ((r < 0) != (b < 0));
        if (op == G4_BINARY_REMAINDER) return adjust ? r + b : r;
        return adjust ? q - 1 : q;
    }
    case G4_BINARY_POW: {
        if (b < 0) {
            if (a == 1) return 1;
            if (a == -1) return (b & 1) == 0 ? 1 : -1;
            return 0;
        }
        u64 r = 1, base = (u64)a;
        long long e = b;
        while (e > 0) {
            if (e & 1) r *= base;
            base *= base;
            e >>= 1;
        }
        return (long long)r;
    }
    case G4_BINARY_MAXIMUM: return a > b ? a : b;
    case G4_BINARY_MINIMUM: return a < b ? a : b;
    }
    return g4_d2l(g4_binary_f64(op, (double)a, (double)b));
}

G4_HD bool g4_compare_f64(int op, double a, double b) {
    switch (op) {
    case G4_BINARY_EQ: return a == b;
    case G4_BINARY_NE: return a != b;
    case G4_BINARY_LT: return a < b;
    case G4_BINARY_LE: return a <= b;
    case G4_BINARY_GT: return a > b;
    case G4_BINARY_GE: return a >= b;
    case G4_BINARY_LOGICAL_AND: return a != 0 && b != 0;
    case G4_BINARY_LOGICAL_OR: return a != 0 || b != 0;
    case G4_BINARY_LOGICAL_XOR: return (a != 0) != (b != 0);
    }
    return false;
}
G4_HD bool g4_compare_i64(int op, long long a, long long b) {
    switch (op) {
    case G4_BINARY_EQ: return a == b;
    case G4_BINARY_NE: return a != b;
    case G4_BINARY_LT: return a < b;
    case G4_BINARY_LE: return a <= b;
    case G4_BINARY_GT: return a > b;
    case G4_BINARY_GE: return a >= b;
    case G4_BINARY_LOGICAL_AND: return a != 0 && b != 0;
    case G4_BINARY_LOGICAL_OR: return a != 0 || b != 0;
    case G4_BINARY_LOGICAL_XOR: return (a != 0) != (b != 0);
    }
    return false;
}
