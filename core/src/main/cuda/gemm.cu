// Tiled GEMM for when cuBLAS is absent: C = alpha * op(A) op(B) + beta * C, row-major, batched by
// strides (batch b uses A + b*strideA...). op(A) is M x K: A[i*lda + k], or A[k*lda + i] when transA.
// 16x16 output tile per block (256 threads), K walked in 16-wide shared tiles; each output element
// sums its K products in ascending k, one rounding per multiply and per add (-fmad=false), so the
// order is the naive loop's. beta == 0 ignores C's old contents (NaN included), as BLAS.
// Blocks are one-dimensional: blockIdx.x = (batch * tilesM + tileRow) * tilesN + tileCol.
#include "grad4j_common.cuh"
#define G4_TILE 16

template <typename T>
__device__ void g4_gemm(T* C, const T* A, const T* B, int M, int N, int K, long long lda, long long ldb, long long ldc,
                        long long strideA, long long strideB, long long strideC, int batch, int transA, int transB,
                        T alpha, T beta) {
    __shared__ T As[G4_TILE][G4_TILE + 1];
    __shared__ T Bs[G4_TILE][G4_TILE + 1];
    long long tilesN = (N + G4_TILE - 1) / G4_TILE, tilesM = (M + G4_TILE - 1) / G4_TILE;
    int tx = threadIdx.x % G4_TILE, ty = threadIdx.x / G4_TILE;
    for (long long blk = blockIdx.x; blk < (long long)batch * tilesM * tilesN; blk += gridDim.x) {
        long long b = blk / (tilesM * tilesN), rest = blk - b * tilesM * tilesN;
        long long row = (rest / tilesN) * G4_TILE + ty, col = (rest % tilesN) * G4_TILE + tx;
        const T* a = A + b * strideA;
        const T* bb = B + b * strideB;
        T acc = 0;
        for (int k0 = 0; k0 < K; k0 += G4_TILE) {
            long long ka = k0 + tx, kb = k0 + ty;
            As[ty][tx] = (row < M && ka < K) ? (transA ? a[ka * lda + row] : a[row * lda + ka]) : (T)0;
            Bs[ty][tx] = (kb < K && col < N) ? (transB ? bb[col * ldb + kb] : bb[kb * ldb + col]) : (T)0;
            __syncthreads();
            int kn = K - k0 < G4_TILE ? K - k0 : G4_TILE;
            for (int k = 0; k < kn; k++) acc = acc + As[ty][k] * Bs[k][tx];
            __syncthreads();
        }
        if (row < M && col < N) {
            T* c = C + b * strideC + row * ldc + col;
            *c = beta == (T)0 ? alpha * acc : alpha * acc + beta * *c;
        }
    }
}
G4_KERNEL g4_gemm_f32(float* C, const float* A, const float* B, int M, int N, int K, long long lda, long long ldb,
                      long long ldc, long long strideA, long long strideB, long long strideC, int batch, int transA,
                      int transB, float alpha, float beta) {
    g4_gemm<float>(C, A, B, M, N, K, lda, ldb, ldc, strideA, strideB, strideC, batch, transA, transB, alpha, beta);
}
G4_KERNEL g4_gemm_f64(double* C, const double* A, const double* B, int M, int N, int K, long long lda, long long ldb,
                      long long ldc, long long strideA, long long strideB, long long strideC, int batch, int transA,
                      int transB, double alpha, double beta) {
    g4_gemm<double>(C, A, B, M, N, K, lda, ldb, ldc, strideA, strideB, strideC, batch, transA, transB, alpha, beta);
}
