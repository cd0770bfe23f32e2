// relu/threshold backward and batch-norm statistics.
#include "grad4j_common.cuh"

// gin = x <= threshold ? value : g (PyTorch's threshold_backward; relu's backward passes the
// result as x with threshold 0 and value 0). Contiguous operands.
#define G4_THRESHOLD(tn, T) \
    G4_KERNEL g4_threshold_bwd_##tn(T* gin, const T* g, const T* x, long long n, double threshold, double value) { \
        T th = (T)threshold, v = (T)value; \
        G4_FOR(i, n) gin[i] = x[i] <= th ? v : g[i]; }
G4_FLOATS(G4_THRESHOLD)

// Per-channel mean and biased variance of a contiguous [N, C, S] input (S = H*W), one block per
// channel, in double: two passes (sum, then sum of squared deviations), each in the block tree
// order of reduce.cu; mean and var are rounded to T once.
template <typename T>
__device__ void g4_bn_stats(T* mean, T* var, const T* x, long long N, long long C, long long S) {
    __shared__ double sh[G4_BLOCK];
    long long cnt = N * S;
    for (long long c = blockIdx.x; c < C; c += gridDim.x) {
        double s = 0;
        for (long long j = threadIdx.x; j < cnt; j += blockDim.x) s += (double)x[((j / S) * C + c) * S + j % S];
        sh[threadIdx.x] = s;
        __syncthreads();
        for (int k = blockDim.x / 2; k > 0; k >>= 1) {
            if (threadIdx.x < k) sh[threadIdx.x] += sh[threadIdx.x + k];
            __syncthreads();
        }
        double m = sh[0] / (double)cnt;
        __syncthreads();
        double q = 0;
        for (long long j = threadIdx.x; j < cnt; j += blockDim.x) {
            double d = (double)x[((j / S) * C + c) * S + j % S] - m;
            q += d * d;
        }
        sh[threadIdx.x] = q;
        __syncthreads();
        for (int k = blockDim.x / 2; k > 0; k >>= 1) {
            if (threadIdx.x < k) sh[threadIdx.x] += sh[threadIdx.x + k];
            __syncthreads();
        }
        if (threadIdx.x == 0) { mean[c] = (T)m; var[c] = (T)(sh[0] / (double)cnt); }
        __syncthreads();
    }
}
G4_KERNEL g4_bn_stats_f32(float* mean, float* var, const float* x, long long N, long long C, long long S) {
    g4_bn_stats<float>(mean, var, x, N, C, S);
}
G4_KERNEL g4_bn_stats_f64(double* mean, double* var, const double* x, long long N, long long C, long long S) {
    g4_bn_stats<double>(mean, var, x, N, C, S);
}
