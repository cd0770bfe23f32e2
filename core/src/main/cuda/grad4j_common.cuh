// grad4j CUDA kernels: shared types, index math and the CPU's scalar conversion rules.
// Every kernel is extern "C" (unmangled .entry names the Java KernelCatalog knows) and loops
// grid-stride, so any grid size is correct and the catalog may cap it.
#pragma once
#include <stdint.h>

#define G4_MAX_DIMS 8
#define G4_BLOCK 256
#define G4_KERNEL extern "C" __global__ void
// scalar helpers the host can run too: ScalarSemanticsTest compiles them for the CPU and compares
// them with grad4j's Java kernels
#define G4_HD __host__ __device__ __forceinline__

// A tensor's geometry after dim coalescing, by value (144 bytes, 8-aligned). Element i of the
// iteration space (row-major over shape) lives at offset + sum(coord[d] * strides[d]) elements.
// Java's TensorDesc encodes exactly this layout; TensorDescLayoutTest checks the offsets.
struct TensorDesc {
    long long offset;                 // byte 0
    long long shape[G4_MAX_DIMS];     // byte 8
    long long strides[G4_MAX_DIMS];   // byte 72 (in elements, may be 0 or negative)
    int rank;                         // byte 136
    int pad_;                         // byte 140
};

// A 2-d sliding window (conv im2col/col2im, pooling): 16 ints, 64 bytes, 4-aligned.
struct Window2d {
    int channels, height, width;      // input plane geometry
    int kh, kw, sh, sw, ph, pw, dh, dw;
    int outH, outW;
    int countIncludePad, divisorOverride, pad_;
};

// Element offset of the linear index i in desc's iteration space.
G4_HD long long g4_offset(const TensorDesc& t, long long i) {
    if (t.rank == 1) return t.offset + i * t.strides[0];
    long long off = t.offset;
#pragma unroll 1
    for (int d = t.rank - 1; d >= 0; d--) {
        long long n = t.shape[d];
        long long q = i / n;
        off += (i - q * n) * t.strides[d];
        i = q;
    }
    return off;
}

#define G4_FOR(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long)gridDim.x * blockDim.x)

// Java's (long) double: NaN is 0, out-of-range saturates.
G4_HD long long g4_d2l(double v) {
    if (v != v) return 0;
    if (v >= 9.2233720368547758e18) return 9223372036854775807LL;
    if (v <= -9.2233720368547758e18) return (-9223372036854775807LL - 1);
    return (long long)v;
}

// The CPU storages' getDouble/setDouble/getLong/setLong per element type: narrowing integer
// stores keep the low bits (Java's (int)(long) v), bool stores v != 0 as 1 or 0.
template <typename T> struct Conv;
template <> struct Conv<float> {
    G4_HD static double d(float v) { return v; }
    G4_HD static long long l(float v) { return g4_d2l(v); }
    G4_HD static float fromD(double v) { return (float)v; }
    G4_HD static float fromL(long long v) { return (float)v; }
};
template <> struct Conv<double> {
    G4_HD static double d(double v) { return v; }
    G4_HD static long long l(double v) { return g4_d2l(v); }
    G4_HD static double fromD(double v) { return v; }
    G4_HD static double fromL(long long v) { return (double)v; }
};
#define G4_INT_CONV(T, U)                                                             \
    template <> struct Conv<T> {                                                      \
        G4_HD static double d(T v) { return (double)v; }                         \
        G4_HD static long long l(T v) { return (long long)v; }                   \
        G4_HD static T fromD(double v) { return (T)(U)(unsigned long long)g4_d2l(v); } \
        G4_HD static T fromL(long long v) { return (T)(U)(unsigned long long)v; } \
    };
G4_INT_CONV(long long, unsigned long long)
G4_INT_CONV(int, unsigned int)
G4_INT_CONV(short, unsigned short)
G4_INT_CONV(signed char, unsigned char)
G4_INT_CONV(unsigned char, unsigned char)
// bool is stored as one byte, 0 or 1
struct g4_bool { unsigned char v; };
template <> struct Conv<g4_bool> {
    G4_HD static double d(g4_bool b) { return b.v ? 1.0 : 0.0; }
    G4_HD static long long l(g4_bool b) { return b.v ? 1 : 0; }
    G4_HD static g4_bool fromD(double v) { g4_bool b; b.v = v != 0 ? 1 : 0; return b; }
    G4_HD static g4_bool fromL(long long v) { g4_bool b; b.v = v != 0 ? 1 : 0; return b; }
};

// Records the first bad position (smallest linear index) for the host to report after the kernel:
// *err starts at LLONG_MAX (the catalog's contract); a device cannot raise.
__device__ __forceinline__ void g4_flag(long long* err, long long pos) {
    if (err) atomicMin(err, pos);
}

// Type lists: name suffix, C type. The catalog spells the same suffixes (KernelCatalog.suffix).
#define G4_FLOATS(X) X(f32, float) X(f64, double)
#define G4_INTS(X) X(i64, long long) X(i32, int) X(i16, short) X(i8, signed char) X(u8, unsigned char)
#define G4_ALL(X) G4_FLOATS(X) G4_INTS(X) X(bool, g4_bool)
