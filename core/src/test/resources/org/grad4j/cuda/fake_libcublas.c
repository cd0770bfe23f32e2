/* A fake cuBLAS for FakeDriverTest: column-major reference GEMMs on host memory (see fake_libcuda.c), so
 * that grad4j's row-major-to-column-major operand swap and its FFM calls run without a GPU. */
#include <stddef.h>
static int handle_token, math_mode = -1;
int cublasCreate_v2(void **h) { *h = &handle_token; return 0; }
int cublasSetStream_v2(void *h, void *s) { return h == &handle_token && s != 0 ? 0 : 7; }
int cublasSetMathMode(void *h, int mode) { math_mode = mode; return 0; }
int fake_math_mode(void) { return math_mode; }
#define GEMM(NAME, T) \
int NAME(void *h, int ta, int tb, int m, int n, int k, const T *alpha, const T *A, long long sa, int lda, const T *B, \
         int ldb, long long sb, const T *beta, T *C, int ldc, long long sc, int batch) { \
    if (h != &handle_token || m < 0 || n < 0 || k < 0) return 7; \
    for (int q = 0; q < batch; q++) \
        for (int j = 0; j < n; j++) \
            for (int i = 0; i < m; i++) { \
                T s = 0; \
                for (int p = 0; p < k; p++) { \
                    T a = ta ? A[q * sa + i * lda + p] : A[q * sa + p * lda + i]; \
                    T b = tb ? B[q * sb + p * ldb + j] : B[q * sb + j * ldb + p]; \
                    s += a * b; \
                } \
                C[q * sc + j * ldc + i] = *alpha * s + (*beta == 0 ? 0 : *beta * C[q * sc + j * ldc + i]); \
            } \
    return 0; \
}
GEMM(sgemm_any, float)
GEMM(dgemm_any, double)
int cublasSgemm_v2(void *h, int ta, int tb, int m, int n, int k, const float *al, const float *A, int lda, const float *B,
                   int ldb, const float *be, float *C, int ldc) { return sgemm_any(h, ta, tb, m, n, k, al, A, 0, lda, B, ldb, 0, be, C, ldc, 0, 1); }
int cublasDgemm_v2(void *h, int ta, int tb, int m, int n, int k, const double *al, const double *A, int lda, const double *B,
                   int ldb, const double *be, double *C, int ldc) { return dgemm_any(h, ta, tb, m, n, k, al, A, 0, lda, B, ldb, 0, be, C, ldc, 0, 1); }
int cublasSgemmStridedBatched(void *h, int ta, int tb, int m, int n, int k, const float *al, const float *A, int lda, long long sa,
                              const float *B, int ldb, long long sb, const float *be, float *C, int ldc, long long sc, int batch) {
    return sgemm_any(h, ta, tb, m, n, k, al, A, sa, lda, B, ldb, sb, be, C, ldc, sc, batch);
}
int cublasDgemmStridedBatched(void *h, int ta, int tb, int m, int n, int k, const double *al, const double *A, int lda, long long sa,
                              const double *B, int ldb, long long sb, const double *be, double *C, int ldc, long long sc, int batch) {
    return dgemm_any(h, ta, tb, m, n, k, al, A, sa, lda, B, ldb, sb, be, C, ldc, sc, batch);
}
const char *cublasGetStatusName(int s) { return s == 7 ? "CUBLAS_STATUS_INVALID_VALUE" : "CUBLAS_STATUS_OTHER"; }
