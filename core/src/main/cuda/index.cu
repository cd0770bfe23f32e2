// index_select (embedding's forward), index_add (embedding's backward), gather, scatter_add.
// Indices are int64; an index outside [0, size) is never dereferenced: the kernel records the
// smallest offending position in *err (the host set it to LLONG_MAX and raises PyTorch's
// "index out of range" after reading it back) and writes 0 there / skips the add.
// index_add and scatter_add use atomicAdd: with repeated indices the order of the float additions
// (and so the last bits of the result) varies run to run, as in PyTorch, whose docs list
// index_add_/scatter_add_ on CUDA as nondeterministic. Integer atomics are exact.
#include "grad4j_common.cuh"

__device__ __forceinline__ void g4_atomic_add(float* p, float v) { atomicAdd(p, v); }
__device__ __forceinline__ void g4_atomic_add(double* p, double v) { atomicAdd(p, v); }
__device__ __forceinline__ void g4_atomic_add(long long* p, long long v) {
    atomicAdd((unsigned long long*)p, (unsigned long long)v);
}

// out[o, i, r] = in[o, idx[i], r]; in is [outer, size, inner], out [outer, idxN, inner], contiguous
#define G4_INDEX_SELECT(tn, T) \
    G4_KERNEL g4_index_select_##tn(T* out, const T* in, const long long* idx, long long outer, long long size, \
                                   long long idxN, long long inner, long long* err) { \
        G4_FOR(t, outer * idxN * inner) { \
            long long r = t % inner, i = (t / inner) % idxN, o = t / (inner * idxN); \
            long long k = idx[i]; \
            if (k < 0 || k >= size) { g4_flag(err, i); out[t] = (T)0; continue; } \
            out[t] = in[(o * size + k) * inner + r]; \
        } }
G4_FLOATS(G4_INDEX_SELECT) G4_INDEX_SELECT(i64, long long) G4_INDEX_SELECT(i32, int)

// out[o, idx[i], r] += src[o, i, r]; out [outer, size, inner], src [outer, idxN, inner]
#define G4_INDEX_ADD(tn, T) \
    G4_KERNEL g4_index_add_##tn(T* out, const T* src, const long long* idx, long long outer, long long size, \
                                long long idxN, long long inner, long long* err) { \
        G4_FOR(t, outer * idxN * inner) { \
            long long r = t % inner, i = (t / inner) % idxN, o = t / (inner * idxN); \
            long long k = idx[i]; \
            if (k < 0 || k >= size) { g4_flag(err, i); continue; } \
            g4_atomic_add(&out[(o * size + k) * inner + r], src[t]); \
        } }
G4_FLOATS(G4_INDEX_ADD) G4_INDEX_ADD(i64, long long)

// Walks index's shape (uncoalesced: `dim` must stay a dim); returns the offsets in a, b and the
// coordinate along dim through `along`.
__device__ __forceinline__ void g4_walk3(const TensorDesc& ix, const TensorDesc& a, const TensorDesc& b, long long i,
                                         int dim, long long* oi, long long* oa, long long* ob) {
    long long pi = ix.offset, pa = a.offset, pb = b.offset;
    for (int d = ix.rank - 1; d >= 0; d--) {
        long long n = ix.shape[d], q = i / n, c = i - q * n;
        pi += c * ix.strides[d];
        if (d != dim) pa += c * a.strides[d];
        pb += c * b.strides[d];
        i = q;
    }
    *oi = pi; *oa = pa; *ob = pb;
}

// gather: out[..c..] = in[.. idx[..c..] at dim ..]; out and index share index's shape
#define G4_GATHER(tn, T) \
    G4_KERNEL g4_gather_##tn(T* out, const T* in, const long long* idx, TensorDesc ixd, TensorDesc ind, \
                             TensorDesc outd, int dim, long long n, long long* err) { \
        G4_FOR(t, n) { \
            long long pi, pin, po; \
            g4_walk3(ixd, ind, outd, t, dim, &pi, &pin, &po); \
            long long k = idx[pi]; \
            if (k < 0 || k >= ind.shape[dim]) { g4_flag(err, t); out[po] = (T)0; continue; } \
            out[po] = in[pin + k * ind.strides[dim]]; \
        } }
G4_FLOATS(G4_GATHER) G4_GATHER(i64, long long)

// scatter_add: self[.. idx[..c..] at dim ..] += src[..c..]; src walked with index's shape
#define G4_SCATTER_ADD(tn, T) \
    G4_KERNEL g4_scatter_add_##tn(T* self, const T* src, const long long* idx, TensorDesc ixd, TensorDesc selfd, \
                                  TensorDesc srcd, int dim, long long n, long long* err) { \
        G4_FOR(t, n) { \
            long long pi, ps, pr; \
            g4_walk3(ixd, selfd, srcd, t, dim, &pi, &ps, &pr); \
            long long k = idx[pi]; \
            if (k < 0 || k >= selfd.shape[dim]) { g4_flag(err, t); continue; } \
            g4_atomic_add(&self[ps + k * selfd.strides[dim]], src[pr]); \
        } }
G4_FLOATS(G4_SCATTER_ADD) G4_SCATTER_ADD(i64, long long)
