// Copy/cast, fill, unary and binary maps (broadcasting by strides: a broadcast dim has stride 0),
// comparisons, where, clamp, axpy, scale. Operands of one kernel share the iteration shape (the
// output's, coalesced jointly by the Java encoder), each with its own strides and offset.
#include "grad4j_common.cuh"
#include "grad4j_math.cuh"

// ---- copy and cast: the CPU's rules (CpuKernels.copy): same type is a raw copy, float32 <-> float64
// converts directly, a floating source or a bool target goes through double, else through long.
template <typename T> struct FloatT { static const bool v = false; };
template <> struct FloatT<float> { static const bool v = true; };
template <> struct FloatT<double> { static const bool v = true; };
template <typename T> struct BoolT { static const bool v = false; };
template <> struct BoolT<g4_bool> { static const bool v = true; };
template <typename S, typename D> struct Same { static const bool v = false; };
template <typename T> struct Same<T, T> { static const bool v = true; };

template <typename S, typename D>
__device__ __forceinline__ D g4_cast(S v) {
    if (Same<S, D>::v) return *reinterpret_cast<D*>(&v);
    if (FloatT<S>::v || BoolT<D>::v) return Conv<D>::fromD(Conv<S>::d(v));
    return Conv<D>::fromL(Conv<S>::l(v));
}

template <typename S, typename D>
__device__ void g4_copy(D* dst, const S* src, const TensorDesc& d, const TensorDesc& s, long long n) {
    G4_FOR(i, n) dst[g4_offset(d, i)] = g4_cast<S, D>(src[g4_offset(s, i)]);
}

#define G4_COPY_TO(sn, S, dn, D) \
    G4_KERNEL g4_copy_##sn##_##dn(D* dst, const S* src, TensorDesc d, TensorDesc s, long long n) { \
        g4_copy<S, D>(dst, src, d, s, n); }
#define G4_COPY_FROM(sn, S) \
    G4_COPY_TO(sn, S, f32, float) G4_COPY_TO(sn, S, f64, double) G4_COPY_TO(sn, S, i64, long long) \
    G4_COPY_TO(sn, S, i32, int) G4_COPY_TO(sn, S, i16, short) G4_COPY_TO(sn, S, i8, signed char) \
    G4_COPY_TO(sn, S, u8, unsigned char) G4_COPY_TO(sn, S, bool, g4_bool)
G4_ALL(G4_COPY_FROM)

// ---- fill: the value arrives as double and converts as the CPU's setDouble (int64 fills take
// the long variant so that values above 2^53 stay exact).
#define G4_FILL(tn, T) \
    G4_KERNEL g4_fill_##tn(T* dst, TensorDesc d, long long n, double v) { \
        T x = Conv<T>::fromD(v); G4_FOR(i, n) dst[g4_offset(d, i)] = x; }
G4_ALL(G4_FILL)
G4_KERNEL g4_fill_i64_exact(long long* dst, TensorDesc d, long long n, long long v) {
    G4_FOR(i, n) dst[g4_offset(d, i)] = v;
}

// ---- unary maps
G4_KERNEL g4_unary_f32(float* out, const float* in, TensorDesc o, TensorDesc a, long long n, int op) {
    G4_FOR(i, n) out[g4_offset(o, i)] = g4_unary_f32(op, in[g4_offset(a, i)]);
}
G4_KERNEL g4_unary_f64(double* out, const double* in, TensorDesc o, TensorDesc a, long long n, int op) {
    G4_FOR(i, n) out[g4_offset(o, i)] = g4_unary_f64(op, in[g4_offset(a, i)]);
}
// integer unary: the ops CpuKernels.unary defines for integers; others flag *err (needs a float tensor)
#define G4_UNARY_INT(tn, T) \
    G4_KERNEL g4_unary_##tn(T* out, const T* in, TensorDesc o, TensorDesc a, long long n, int op, long long* err) { \
        G4_FOR(i, n) { \
            long long v = Conv<T>::l(in[g4_offset(a, i)]), r; \
            switch (op) { \
            case G4_UNARY_NEG: r = (long long)(0ULL - (unsigned long long)v); break; \
            case G4_UNARY_ABS: r = v < 0 ? (long long)(0ULL - (unsigned long long)v) : v; break; \
            case G4_UNARY_SIGN: r = v > 0 ? 1 : v < 0 ? -1 : 0; break; \
            case G4_UNARY_RELU: r = v > 0 ? v : 0; break; \
            case G4_UNARY_SQUARE: r = (long long)((unsigned long long)v * (unsigned long long)v); break; \
            case G4_UNARY_FLOOR: case G4_UNARY_CEIL: case G4_UNARY_ROUND: case G4_UNARY_TRUNC: r = v; break; \
            default: g4_flag(err, i); r = 0; \
            } \
            out[g4_offset(o, i)] = Conv<T>::fromL(r); \
        } }
G4_INTS(G4_UNARY_INT)

// ---- binary maps (out has the operands' type) and comparisons (out is bool)
G4_KERNEL g4_binary_f32(float* out, const float* x, const float* y, TensorDesc o, TensorDesc a, TensorDesc b,
                        long long n, int op) {
    G4_FOR(i, n) out[g4_offset(o, i)] = g4_binary_f32(op, x[g4_offset(a, i)], y[g4_offset(b, i)]);
}
G4_KERNEL g4_binary_f64(double* out, const double* x, const double* y, TensorDesc o, TensorDesc a, TensorDesc b,
                        long long n, int op) {
    G4_FOR(i, n) out[g4_offset(o, i)] = g4_binary_f64(op, x[g4_offset(a, i)], y[g4_offset(b, i)]);
}
// integers compute in long and store the low bits (as the CPU's setLong); x / 0 flags *err
#define G4_BINARY_INT(tn, T) \
    G4_KERNEL g4_binary_##tn(T* out, const T* x, const T* y, TensorDesc o, TensorDesc a, TensorDesc b, \
                             long long n, int op, long long* err) { \
        G4_FOR(i, n) { \
            bool bad = false; \
            long long r = g4_binary_i64(op, Conv<T>::l(x[g4_offset(a, i)]), Conv<T>::l(y[g4_offset(b, i)]), &bad); \
            if (bad) g4_flag(err, i); \
            out[g4_offset(o, i)] = Conv<T>::fromL(r); \
        } }
G4_INTS(G4_BINARY_INT)
// bool: add/maximum are or, mul/minimum are and; other ops flag *err
G4_KERNEL g4_binary_bool(g4_bool* out, const g4_bool* x, const g4_bool* y, TensorDesc o, TensorDesc a,
                         TensorDesc b, long long n, int op, long long* err) {
    G4_FOR(i, n) {
        unsigned char u = x[g4_offset(a, i)].v, v = y[g4_offset(b, i)].v, r = 0;
        if (op == G4_BINARY_ADD || op == G4_BINARY_MAXIMUM) r = u | v;
        else if (op == G4_BINARY_MUL || op == G4_BINARY_MINIMUM) r = u & v;
        else g4_flag(err, i);
        out[g4_offset(o, i)].v = r;
    }
}
#define G4_COMPARE_F(tn, T) \
    G4_KERNEL g4_compare_##tn(g4_bool* out, const T* x, const T* y, TensorDesc o, TensorDesc a, TensorDesc b, \
                              long long n, int op) { \
        G4_FOR(i, n) out[g4_offset(o, i)].v = g4_compare_f64(op, x[g4_offset(a, i)], y[g4_offset(b, i)]); }
G4_FLOATS(G4_COMPARE_F)
#define G4_COMPARE_I(tn, T) \
    G4_KERNEL g4_compare_##tn(g4_bool* out, const T* x, const T* y, TensorDesc o, TensorDesc a, TensorDesc b, \
                              long long n, int op) { \
        G4_FOR(i, n) out[g4_offset(o, i)].v = \
            g4_compare_i64(op, Conv<T>::l(x[g4_offset(a, i)]), Conv<T>::l(y[g4_offset(b, i)])); }
G4_INTS(G4_COMPARE_I) G4_COMPARE_I(bool, g4_bool)

// ---- where (out contiguous, as CpuKernels.where), clamp (NaN bound = none, NaN input stays), axpy, scale
#define G4_WHERE(tn, T) \
    G4_KERNEL g4_where_##tn(T* out, const g4_bool* c, const T* x, const T* y, TensorDesc cd, TensorDesc a, \
                            TensorDesc b, long long n) { \
        G4_FOR(i, n) out[i] = c[g4_offset(cd, i)].v ? x[g4_offset(a, i)] : y[g4_offset(b, i)]; }
G4_ALL(G4_WHERE)
#define G4_CLAMP(tn, T) \
    G4_KERNEL g4_clamp_##tn(T* out, const T* in, TensorDesc o, TensorDesc a, long long n, double lo, double hi) { \
        bool hasLo = lo == lo, hasHi = hi == hi; \
        G4_FOR(i, n) { \
            double v = Conv<T>::d(in[g4_offset(a, i)]); \
            if (v == v) { if (hasLo && v < lo) v = lo; if (hasHi && v > hi) v = hi; } \
            out[g4_offset(o, i)] = Conv<T>::fromD(v); \
        } }
G4_FLOATS(G4_CLAMP) G4_INTS(G4_CLAMP)
// y[i] = fma(alpha, x[i], y[i]) over contiguous runs, one rounding, as CpuKernels.axpy (Math.fma)
G4_KERNEL g4_axpy_f32(float* y, const float* x, long long n, float alpha) {
    G4_FOR(i, n) y[i] = fmaf(alpha, x[i], y[i]);
}
G4_KERNEL g4_axpy_f64(double* y, const double* x, long long n, double alpha) {
    G4_FOR(i, n) y[i] = fma(alpha, x[i], y[i]);
}
// out[i] = (T)(out[i] * s): mean's division of a sum by the count (ReduceKernels.scale)
G4_KERNEL g4_scale_f32(float* out, long long n, double s) {
    G4_FOR(i, n) out[i] = (float)((double)out[i] * s);
}
G4_KERNEL g4_scale_f64(double* out, long long n, double s) {
    G4_FOR(i, n) out[i] = out[i] * s;
}
