// Counter-based random fills: Philox4x32-10 (Salmon et al., SC'11; the generator of cuRAND's
// Philox and PyTorch's CUDA generator). Output element i uses counter (i / 4 + offset's block,
// split into 32-bit words) and key = seed, word i % 4, so a fill is a pure function of
// (seed, offset, i): any grid size gives the same tensor, and the host advances offset by
// ceil(n / 4) per fill. Uniform floats keep the top 24 (float) or 53 (double) bits; normals use
// Box-Muller on two uniforms (element pairs share the pair's two words).
#include "grad4j_common.cuh"

struct G4Philox { unsigned int v[4]; };

// 32x32 -> high 32 bits; plain C so that the host can run g4_philox too (PhiloxKnownAnswerTest)
__host__ __device__ __forceinline__ unsigned int g4_mulhi(unsigned int a, unsigned int b) {
    return (unsigned int)(((unsigned long long)a * b) >> 32);
}

__host__ __device__ __forceinline__ G4Philox g4_philox(unsigned long long counter, unsigned long long offset,
                                              unsigned long long seed) {
    unsigned int c0 = (unsigned int)counter, c1 = (unsigned int)(counter >> 32);
    unsigned int c2 = (unsigned int)offset, c3 = (unsigned int)(offset >> 32);
    unsigned int k0 = (unsigned int)seed, k1 = (unsigned int)(seed >> 32);
    for (int r = 0; r < 10; r++) {
        unsigned int hi0 = g4_mulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        unsigned int hi1 = g4_mulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        unsigned int n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
    }
    G4Philox r; r.v[0] = c0; r.v[1] = c1; r.v[2] = c2; r.v[3] = c3;
    return r;
}

// [0, 1) from bits: float 24 bits, double 53 bits (two words)
__device__ __forceinline__ float g4_u01f(unsigned int x) { return (x >> 8) * (1.0f / 16777216.0f); }
__device__ __forceinline__ double g4_u01d(unsigned int a, unsigned int b) {
    unsigned long long v = ((unsigned long long)a << 32 | b) >> 11;
    return v * (1.0 / 9007199254740992.0);
}

// uniform in [lo, hi): lo + (hi - lo) * u; contiguous output
G4_KERNEL g4_uniform_f32(float* out, long long n, unsigned long long seed, unsigned long long offset, float lo, float hi) {
    G4_FOR(i, n) {
        G4Philox r = g4_philox((unsigned long long)i / 4, offset, seed);
        out[i] = lo + (hi - lo) * g4_u01f(r.v[i % 4]);
    }
}
G4_KERNEL g4_uniform_f64(double* out, long long n, unsigned long long seed, unsigned long long offset, double lo, double hi) {
    G4_FOR(i, n) {
        G4Philox r = g4_philox((unsigned long long)i / 2, offset, seed);
        int w = (int)(i % 2) * 2;
        out[i] = lo + (hi - lo) * g4_u01d(r.v[w], r.v[w + 1]);
    }
}
// normal(mean, std): Box-Muller, u1 in (0, 1] so log never sees 0
G4_KERNEL g4_normal_f32(float* out, long long n, unsigned long long seed, unsigned long long offset, float mean, float std) {
    G4_FOR(i, n) {
        G4Philox r = g4_philox((unsigned long long)i / 2, offset, seed);
        int w = (int)(i % 2) * 2;
        double u1 = 1.0 - g4_u01f(r.v[w]), u2 = g4_u01f(r.v[w + 1]);
        double z = sqrt(-2.0 * log(u1)) * cospi(2.0 * u2);
        out[i] = mean + std * (float)z;
    }
}
G4_KERNEL g4_normal_f64(double* out, long long n, unsigned long long seed, unsigned long long offset, double mean, double std) {
    G4_FOR(i, n) {
        G4Philox a = g4_philox((unsigned long long)i, offset, seed);
        double u1 = 1.0 - g4_u01d(a.v[0], a.v[1]), u2 = g4_u01d(a.v[2], a.v[3]);
        out[i] = mean + std * (sqrt(-2.0 * log(u1)) * cospi(2.0 * u2));
    }
}
