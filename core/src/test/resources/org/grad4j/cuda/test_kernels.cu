// Built by hand: nvcc -ptx -arch=compute_75 -fmad=false -o test_kernels.ptx test_kernels.cu (CUDA 13.0)
// Test-only kernels for the launcher's device test (CudaDeviceTest): one of each argument kind.
struct Affine { float scale; float shift; };

extern "C" __global__ void grad4j_test_affine(float* out, const float* in, long long n, Affine a, int stride_mul, double bias) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = in[i] * a.scale + a.shift + (float) (stride_mul * bias);
    }
}
