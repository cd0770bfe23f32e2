// Reductions over any set of dims (ReduceKernels semantics) in two deterministic passes:
//   partial: block b reduces chunk c = b % chunks of output k = b / chunks. Thread t folds the
//            chunk's elements t, t+256, t+512, ... in that order; then a shared-memory tree halves
//            the 256 partials (s = 128, 64, ..., 1: p[t] = p[t] op p[t+s]).
//   finish:  one thread per output folds its chunks' partials in chunk order, rounds to the
//            output type and multiplies by scale (mean's 1/count; 1 otherwise).
// The order depends only on the shapes and the chunk length the catalog picks, never on timing,
// so results are bitwise reproducible run to run. Floats accumulate in double, integers in long.
// `keep` walks the kept dims (in the input's strides), `red` the reduced dims (offset 0).
#include "grad4j_common.cuh"
#include "grad4j_ops.cuh"

template <typename A> struct Fold {
    __device__ static A identity(int kind) {
        if (kind == G4_REDUCE_PROD || kind == G4_REDUCE_ALL) return (A)1;
        return (A)0;   // MAX/MIN start from the first element (see `first`)
    }
};

// NaN-propagating max/min that keep the first NaN (the CPU's rule); integers ignore NaN checks.
__device__ __forceinline__ double g4_fold(int kind, double acc, double v) {
    switch (kind) {
    case G4_REDUCE_SUM: return acc + v;
    case G4_REDUCE_PROD: return acc * v;
    case G4_REDUCE_MAX: return acc != acc ? acc : (v != v || v > acc) ? v : acc;
    case G4_REDUCE_MIN: return acc != acc ? acc : (v != v || v < acc) ? v : acc;
    case G4_REDUCE_ALL: return (acc != 0 && v != 0) ? 1.0 : 0.0;
    case G4_REDUCE_ANY: return (acc != 0 || v != 0) ? 1.0 : 0.0;
    }
    return acc;
}
__device__ __forceinline__ long long g4_fold(int kind, long long acc, long long v) {
    typedef unsigned long long u64;
    switch (kind) {
    case G4_REDUCE_SUM: return (long long)((u64)acc + (u64)v);
    case G4_REDUCE_PROD: return (long long)((u64)acc * (u64)v);
    case G4_REDUCE_MAX: return v > acc ? v : acc;
    case G4_REDUCE_MIN: return v < acc ? v : acc;
    case G4_REDUCE_ALL: return (acc != 0 && v != 0) ? 1 : 0;
    case G4_REDUCE_ANY: return (acc != 0 || v != 0) ? 1 : 0;
    }
    return acc;
}

// has: whether acc holds a value yet (MAX/MIN have no identity: an empty chunk contributes nothing)
template <typename A>
__device__ void g4_combine(int kind, A& acc, bool& has, A v, bool vhas) {
    if (!vhas) return;
    if (!has) { acc = v; has = true; return; }
    acc = g4_fold(kind, acc, v);
}

template <typename T, typename A>
__device__ void g4_reduce_partial(A* partial, unsigned char* partialHas, const T* in, const TensorDesc& keep,
                                  const TensorDesc& red, long long keepN, long long redN, long long chunk, int kind) {
    __shared__ A sacc[G4_BLOCK];
    __shared__ bool shas[G4_BLOCK];
    long long chunks = (redN + chunk - 1) / chunk;
    if (chunks == 0) chunks = 1;
    for (long long b = blockIdx.x; b < keepN * chunks; b += gridDim.x) {
        long long k = b / chunks, c = b - k * chunks;
        long long base = g4_offset(keep, k);
        long long lo = c * chunk, hi = lo + chunk < redN ? lo + chunk : redN;
        A acc = Fold<A>::identity(kind);
        bool has = kind == G4_REDUCE_SUM || kind == G4_REDUCE_PROD || kind == G4_REDUCE_ALL || kind == G4_REDUCE_ANY;
        for (long long j = lo + threadIdx.x; j < hi; j += blockDim.x)
            g4_combine<A>(kind, acc, has, (A)Conv<T>::d(in[base + g4_offset(red, j)]), true);
        sacc[threadIdx.x] = acc;
        shas[threadIdx.x] = has;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) {
                A a = sacc[threadIdx.x];
                bool h = shas[threadIdx.x];
                g4_combine<A>(kind, a, h, sacc[threadIdx.x + s], shas[threadIdx.x + s]);
                sacc[threadIdx.x] = a;
                shas[threadIdx.x] = h;
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) { partial[b] = sacc[0]; partialHas[b] = shas[0]; }
        __syncthreads();
    }
}

// integers read through Conv<T>::l so that int64 sums stay exact
template <typename T>
__device__ void g4_reduce_partial_int(long long* partial, unsigned char* partialHas, const T* in,
                                      const TensorDesc& keep, const TensorDesc& red, long long keepN,
                                      long long redN, long long chunk, int kind) {
    __shared__ long long sacc[G4_BLOCK];
    __shared__ bool shas[G4_BLOCK];
    long long chunks = (redN + chunk - 1) / chunk;
    if (chunks == 0) chunks = 1;
    for (long long b = blockIdx.x; b < keepN * chunks; b += gridDim.x) {
        long long k = b / chunks, c = b - k * chunks;
        long long base = g4_offset(keep, k);
        long long lo = c * chunk, hi = lo + chunk < redN ? lo + chunk : redN;
        long long acc = Fold<long long>::identity(kind);
        bool has = kind == G4_REDUCE_SUM || kind == G4_REDUCE_PROD || kind == G4_REDUCE_ALL || kind == G4_REDUCE_ANY;
        for (long long j = lo + threadIdx.x; j < hi; j += blockDim.x)
            g4_combine<long long>(kind, acc, has, Conv<T>::l(in[base + g4_offset(red, j)]), true);
        sacc[threadIdx.x] = acc;
        shas[threadIdx.x] = has;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) {
                long long a = sacc[threadIdx.x];
                bool h = shas[threadIdx.x];
                g4_combine<long long>(kind, a, h, sacc[threadIdx.x + s], shas[threadIdx.x + s]);
                sacc[threadIdx.x] = a;
                shas[threadIdx.x] = h;
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) { partial[b] = sacc[0]; partialHas[b] = shas[0]; }
        __syncthreads();
    }
}

#define G4_REDUCE_F(tn, T) \
    G4_KERNEL g4_reduce_partial_##tn(double* partial, unsigned char* has, const T* in, TensorDesc keep, \
                                     TensorDesc red, long long keepN, long long redN, long long chunk, int kind) { \
        g4_reduce_partial<T, double>(partial, has, in, keep, red, keepN, redN, chunk, kind); } \
    G4_KERNEL g4_reduce_finish_##tn(T* out, const double* partial, const unsigned char* has, long long keepN, \
                                    long long chunks, int kind, double scale) { \
        G4_FOR(k, keepN) { \
            double acc = 0; bool h = false; \
            for (long long c = 0; c < chunks; c++) g4_combine<double>(kind, acc, h, partial[k * chunks + c], has[k * chunks + c]); \
            T v = Conv<T>::fromD(acc); \
            out[k] = scale == 1.0 ? v : Conv<T>::fromD(Conv<T>::d(v) * scale); \
        } }
G4_FLOATS(G4_REDUCE_F)
#define G4_REDUCE_I(tn, T) \
    G4_KERNEL g4_reduce_partial_##tn(long long* partial, unsigned char* has, const T* in, TensorDesc keep, \
                                     TensorDesc red, long long keepN, long long redN, long long chunk, int kind) { \
        g4_reduce_partial_int<T>(partial, has, in, keep, red, keepN, redN, chunk, kind); }
G4_INTS(G4_REDUCE_I) G4_REDUCE_I(bool, g4_bool)
// integer/bool finish: SUM/PROD write int64 (PyTorch promotes integer sums), MAX/MIN write the
// input type through outType's size (1, 2, 4 or 8 bytes), ALL/ANY write bool.
G4_KERNEL g4_reduce_finish_int(void* out, const long long* partial, const unsigned char* has, long long keepN,
                               long long chunks, int kind, int outBytes) {
    G4_FOR(k, keepN) {
        long long acc = 0; bool h = false;
        for (long long c = 0; c < chunks; c++) g4_combine<long long>(kind, acc, h, partial[k * chunks + c], has[k * chunks + c]);
        switch (outBytes) {
        case 1: ((unsigned char*)out)[k] = (unsigned char)acc; break;
        case 2: ((short*)out)[k] = (short)acc; break;
        case 4: ((int*)out)[k] = (int)acc; break;
        default: ((long long*)out)[k] = acc;
        }
    }
}

// ---- argmax/argmin: the first extremum, or the first NaN; index into the flattened reduced dims.
// Same two passes; ties between chunks resolve to the lower index because chunks fold in order.
__device__ __forceinline__ bool g4_arg_better(int kind, double v, long long j, double best, long long bj) {
    if (bj < 0) return true;
    if (best != best) return false;                       // first NaN stays
    if (v != v) return true;
    if (kind == G4_REDUCE_ARGMAX ? v > best : v < best) return true;
    return v == best && j < bj;
}
template <typename T>
__device__ void g4_arg_partial(double* pval, long long* pidx, const T* in, const TensorDesc& keep, const TensorDesc& red,
                               long long keepN, long long redN, long long chunk, int kind) {
    __shared__ double sv[G4_BLOCK];
    __shared__ long long si[G4_BLOCK];
    long long chunks = (redN + chunk - 1) / chunk;
    if (chunks == 0) chunks = 1;
    for (long long b = blockIdx.x; b < keepN * chunks; b += gridDim.x) {
        long long k = b / chunks, c = b - k * chunks;
        long long base = g4_offset(keep, k);
        long long lo = c * chunk, hi = lo + chunk < redN ? lo + chunk : redN;
        double best = 0; long long bj = -1;
        for (long long j = lo + threadIdx.x; j < hi; j += blockDim.x) {
            double v = Conv<T>::d(in[base + g4_offset(red, j)]);
            if (g4_arg_better(kind, v, j, best, bj)) { best = v; bj = j; }
        }
        sv[threadIdx.x] = best; si[threadIdx.x] = bj;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s && si[threadIdx.x + s] >= 0 &&
                g4_arg_better(kind, sv[threadIdx.x + s], si[threadIdx.x + s], sv[threadIdx.x], si[threadIdx.x])) {
                sv[threadIdx.x] = sv[threadIdx.x + s]; si[threadIdx.x] = si[threadIdx.x + s];
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) { pval[b] = sv[0]; pidx[b] = si[0]; }
        __syncthreads();
    }
}
#define G4_ARG(tn, T) \
    G4_KERNEL g4_arg_partial_##tn(double* pval, long long* pidx, const T* in, TensorDesc keep, TensorDesc red, \
                                  long long keepN, long long redN, long long chunk, int kind) { \
        g4_arg_partial<T>(pval, pidx, in, keep, red, keepN, redN, chunk, kind); }
G4_FLOATS(G4_ARG) G4_INTS(G4_ARG)
G4_KERNEL g4_arg_finish(long long* out, const double* pval, const long long* pidx, long long keepN, long long chunks,
                        int kind) {
    G4_FOR(k, keepN) {
        double best = 0; long long bj = -1;
        for (long long c = 0; c < chunks; c++) {
            long long j = pidx[k * chunks + c];
            if (j >= 0 && g4_arg_better(kind, pval[k * chunks + c], j, best, bj)) { best = pval[k * chunks + c]; bj = j; }
        }
        out[k] = bj < 0 ? 0 : bj;
    }
}
