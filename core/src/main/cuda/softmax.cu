// softmax / log_softmax over the last dim of a contiguous [rows, cols] tensor, one block per row,
// following the CPU's steps and roundings: m = max(row) (NaN-propagating), t = x - m in T,
// e = (T)exp(t), s = (T)(sum of e in double: the block tree order of reduce.cu),
// softmax = e / s, log_softmax = t - (T)log(s).
#include "grad4j_common.cuh"

__device__ double g4_block_sum(double v, double* sh) {
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) sh[threadIdx.x] = sh[threadIdx.x] + sh[threadIdx.x + s];
        __syncthreads();
    }
    double r = sh[0];
    __syncthreads();
    return r;
}
__device__ double g4_block_max(double v, double* sh) {
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            double a = sh[threadIdx.x], b = sh[threadIdx.x + s];
            sh[threadIdx.x] = (a != a) ? a : (b != b || b > a) ? b : a;
        }
        __syncthreads();
    }
    double r = sh[0];
    __syncthreads();
    return r;
}

template <typename T>
__device__ void g4_softmax(T* out, const T* in, long long rows, long long cols, bool logOut) {
    __shared__ double sh[G4_BLOCK];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* x = in + r * cols;
        T* y = out + r * cols;
        double m = -__longlong_as_double(0x7ff0000000000000LL);
        for (long long j = threadIdx.x; j < cols; j += blockDim.x) {
            double v = x[j];
            m = (m != m) ? m : (v != v || v > m) ? v : m;
        }
        T mt = (T)g4_block_max(m, sh);
        double s = 0;
        for (long long j = threadIdx.x; j < cols; j += blockDim.x) s += (double)(T)exp((double)(T)(x[j] - mt));
        T st = (T)g4_block_sum(s, sh);
        for (long long j = threadIdx.x; j < cols; j += blockDim.x) {
            T t = x[j] - mt;
            y[j] = logOut ? (T)(t - (T)log((double)st)) : (T)((T)exp((double)t) / st);
        }
    }
}
G4_KERNEL g4_softmax_f32(float* out, const float* in, long long rows, long long cols) { g4_softmax<float>(out, in, rows, cols, false); }
G4_KERNEL g4_softmax_f64(double* out, const double* in, long long rows, long long cols) { g4_softmax<double>(out, in, rows, cols, false); }
G4_KERNEL g4_log_softmax_f32(float* out, const float* in, long long rows, long long cols) { g4_softmax<float>(out, in, rows, cols, true); }
G4_KERNEL g4_log_softmax_f64(double* out, const double* in, long long rows, long long cols) { g4_softmax<double>(out, in, rows, cols, true); }
