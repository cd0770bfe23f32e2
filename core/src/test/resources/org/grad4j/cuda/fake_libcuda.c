/* A fake CUDA driver for FakeDriverTest: the entry points grad4j binds, with cuda.h's signatures, on host
 * memory (a "device pointer" is a malloc'd address). Lets a machine without a GPU run grad4j's real FFM
 * downcalls: argument types, out-parameters, error names, the launch's kernelParams. One device, 64 MiB. */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

typedef int CUresult;
#define LIMIT (64u << 20)
static size_t used;
static int ctx_token, stream_token, module_token, func_token, current_set;

CUresult cuInit(unsigned flags) { return flags == 0 ? 0 : 1; }
CUresult cuDeviceGetCount(int *n) { *n = 1; return 0; }
CUresult cuDeviceGet(int *d, int ordinal) { if (ordinal != 0) return 101; *d = 0; return 0; }
CUresult cuDeviceGetName(char *name, int len, int dev) { strncpy(name, "Fake GPU", len); return dev == 0 ? 0 : 101; }
CUresult cuDeviceTotalMem_v2(size_t *bytes, int dev) { *bytes = LIMIT; return 0; }
CUresult cuDeviceGetAttribute(int *v, int attr, int dev) {
    *v = attr == 75 ? 9 : attr == 76 ? 0 : attr == 16 ? 132 : attr == 1 ? 1024 : -1;
    return *v < 0 ? 1 : 0;
}
CUresult cuDevicePrimaryCtxRetain(void **ctx, int dev) { *ctx = &ctx_token; return 0; }
CUresult cuCtxSetCurrent(void *ctx) { if (ctx != &ctx_token) return 201; current_set++; return 0; }
int fake_current_set_count(void) { return current_set; }
CUresult cuCtxSynchronize(void) { return 0; }
CUresult cuMemAlloc_v2(unsigned long long *p, size_t n) {
    if (used + n > LIMIT) return 2;
    size_t *b = malloc(n + 16);
    b[0] = n;
    used += n;
    *p = (unsigned long long) (uintptr_t) (b + 2);
    return 0;
}
CUresult cuMemFree_v2(unsigned long long p) { size_t *b = ((size_t *) (uintptr_t) p) - 2; used -= b[0]; free(b); return 0; }
CUresult cuMemGetInfo_v2(size_t *fr, size_t *total) { *fr = LIMIT - used; *total = LIMIT; return 0; }
CUresult cuMemHostAlloc(void **pp, size_t n, unsigned flags) { *pp = malloc(n); return flags == 1 ? 0 : 1; }
CUresult cuMemFreeHost(void *p) { free(p); return 0; }
CUresult cuMemcpyHtoD_v2(unsigned long long d, const void *s, size_t n) { memcpy((void *) (uintptr_t) d, s, n); return 0; }
CUresult cuMemcpyDtoH_v2(void *d, unsigned long long s, size_t n) { memcpy(d, (void *) (uintptr_t) s, n); return 0; }
CUresult cuMemcpyDtoD_v2(unsigned long long d, unsigned long long s, size_t n) { memmove((void *) (uintptr_t) d, (void *) (uintptr_t) s, n); return 0; }
CUresult cuMemcpyHtoDAsync_v2(unsigned long long d, const void *s, size_t n, void *st) { return st == &stream_token ? cuMemcpyHtoD_v2(d, s, n) : 400; }
CUresult cuMemcpyDtoHAsync_v2(void *d, unsigned long long s, size_t n, void *st) { return st == &stream_token ? cuMemcpyDtoH_v2(d, s, n) : 400; }
CUresult cuMemcpyDtoDAsync_v2(unsigned long long d, unsigned long long s, size_t n, void *st) { return st == &stream_token ? cuMemcpyDtoD_v2(d, s, n) : 400; }
CUresult cuMemsetD8_v2(unsigned long long d, unsigned char v, size_t n) { memset((void *) (uintptr_t) d, v, n); return 0; }
CUresult cuMemsetD32_v2(unsigned long long d, unsigned v, size_t n) { unsigned *p = (unsigned *) (uintptr_t) d; for (size_t i = 0; i < n; i++) p[i] = v; return 0; }
CUresult cuMemsetD8Async(unsigned long long d, unsigned char v, size_t n, void *st) { return st == &stream_token ? cuMemsetD8_v2(d, v, n) : 400; }
CUresult cuStreamCreate(void **s, unsigned flags) { *s = &stream_token; return 0; }
CUresult cuStreamSynchronize(void *s) { return s == &stream_token ? 0 : 400; }
CUresult cuStreamDestroy_v2(void *s) { return 0; }
CUresult cuModuleLoadData(void **m, const void *image) { if (memcmp(image, "//", 2) != 0) return 218; *m = &module_token; return 0; }
CUresult cuModuleGetFunction(void **f, void *m, const char *name) {
    if (m != &module_token) return 400;
    if (strcmp(name, "grad4j_test_affine") != 0) return 500;
    *f = &func_token;
    return 0;
}
/* grad4j_test_affine(float* out, const float* in, long long n, struct {float scale, shift;} a, int mul, double bias) */
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, void *stream, void **params, void **extra) {
    if (f != &func_token || stream != &stream_token || extra != 0 || gy != 1 || gz != 1 || by != 1 || bz != 1) return 1;
    float *out = *(float **) params[0];
    const float *in = *(const float **) params[1];
    long long n = *(long long *) params[2];
    const float *affine = (const float *) params[3];
    int mul = *(int *) params[4];
    double bias = *(double *) params[5];
    for (long long i = 0; i < n; i++) out[i] = in[i] * affine[0] + affine[1] + (float) (mul * bias);
    return 0;
}
CUresult cuGetErrorName(CUresult e, const char **s) {
    switch (e) {
        case 2: *s = "CUDA_ERROR_OUT_OF_MEMORY"; return 0;
        case 218: *s = "CUDA_ERROR_INVALID_PTX"; return 0;
        case 500: *s = "CUDA_ERROR_NOT_FOUND"; return 0;
        default: return 1;
    }
}
CUresult cuGetErrorString(CUresult e, const char **s) {
    switch (e) {
        case 2: *s = "out of memory"; return 0;
        case 218: *s = "a PTX JIT compilation failed"; return 0;
        case 500: *s = "named symbol not found"; return 0;
        default: return 1;
    }
}
