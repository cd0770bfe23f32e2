package org.grad4j.cuda;

import org.grad4j.storage.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuBLAS through the FFM API, when a {@code libcublas} is found ({@link LibraryLocator} gives the order);
 * without one {@link #available()} is false and callers use grad4j's own SGEMM kernel. One handle per
 * device, bound to the device's stream, so GEMMs are ordered with grad4j's kernels and copies.
 *
 * <p>Row-major callers: cuBLAS is column-major, and a row-major {@code C = op(A) op(B)} (m x n) has the same
 * bytes as the column-major {@code C^T = op(B)^T op(A)^T} (n x m). So {@link #gemm} calls
 * {@code cublas?gemm(opB, opA, n, m, k, alpha, B, ldb, A, lda, beta, C, ldc)}: operands swapped, no copy, the
 * row-major leading dimensions passed unchanged.
 *
 * <p>TF32: {@code CUBLAS_DEFAULT_MATH} unless {@link Cuda#setAllowTf32} opted in
 * ({@code CUBLAS_TF32_TENSOR_OP_MATH}), as {@code torch.backends.cuda.matmul.allow_tf32} (default false).
 */
final class CuBlas {
    static final int OP_N = 0, OP_T = 1, DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;

    /** The entry points, with cublas_api.h's signatures (all return {@code cublasStatus_t}, an int). */
    static final Map<String, FunctionDescriptor> FUNCTIONS = functions();

    private static Map<String, FunctionDescriptor> functions() {
        Map<String, FunctionDescriptor> f = new LinkedHashMap<>();
        f.put("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));                 // (cublasHandle_t*)
        f.put("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));     // (handle, cudaStream_t)
        f.put("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));     // (handle, cublasMath_t)
        // (handle, transa, transb, m, n, k, const T* alpha, const T* A, lda, const T* B, ldb, const T* beta, T* C, ldc)
        FunctionDescriptor gemm = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
        f.put("cublasSgemm_v2", gemm);
        f.put("cublasDgemm_v2", gemm);
        // (..., const T* A, lda, long long strideA, const T* B, ldb, long long strideB, const T* beta, T* C, ldc,
        //  long long strideC, int batchCount)
        FunctionDescriptor batched = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG,
                JAVA_INT);
        f.put("cublasSgemmStridedBatched", batched);
        f.put("cublasDgemmStridedBatched", batched);
        f.put("cublasGetStatusName", FunctionDescriptor.of(ADDRESS, JAVA_INT));              // const char* (cublasStatus_t)
        return Map.copyOf(f);
    }

    /** The outcome of the search: cuBLAS, or why there is none. */
    record Loaded(CuBlas cublas, String reason) {}

    private static final class Holder {
        static final Loaded LOADED = load(LibraryLocator.Env.system());
    }

    static volatile boolean allowTf32;

    /** Whether cuBLAS was found and loaded (searching on first call). */
    static boolean available() { return Cuda.isAvailable() && Holder.LOADED.cublas() != null; }

    /** Why cuBLAS is not used, or where it was found. */
    static String describe() { return Holder.LOADED.reason(); }

    /** Searches with {@code env} and loads what it finds; never throws. */
    static Loaded load(LibraryLocator.Env env) {
        Optional<LibraryLocator.Found> f;
        try {
            f = LibraryLocator.find(env);
        } catch (RuntimeException e) {
            return new Loaded(null, "searching for libcublas failed: " + e);
        }
        if (f.isEmpty()) return new Loaded(null, "no libcublas.so.13 or .12 found (see docs/cuda.md for where grad4j looks)");
        try {
            SymbolLookup.libraryLookup(f.get().cublasLt(), Arena.global());   // libcublas needs it; load it from the same place
            return new Loaded(new CuBlas(SymbolLookup.libraryLookup(f.get().cublas(), Arena.global())), "cuBLAS from " + f.get().cublas());
        } catch (Throwable t) {
            return new Loaded(null, "cannot load " + f.get().cublas() + ": " + t);
        }
    }

    private final MethodHandle create, setStream, setMathMode, sgemm, dgemm, sgemmBatched, dgemmBatched, statusName;
    private final ConcurrentHashMap<Integer, MemorySegment> handles = new ConcurrentHashMap<>();

    private CuBlas(SymbolLookup l) {
        create = bind(l, "cublasCreate_v2");
        setStream = bind(l, "cublasSetStream_v2");
        setMathMode = bind(l, "cublasSetMathMode");
        sgemm = bind(l, "cublasSgemm_v2");
        dgemm = bind(l, "cublasDgemm_v2");
        sgemmBatched = bind(l, "cublasSgemmStridedBatched");
        dgemmBatched = bind(l, "cublasDgemmStridedBatched");
        statusName = l.find("cublasGetStatusName").map(s -> Linker.nativeLinker().downcallHandle(s, FUNCTIONS.get("cublasGetStatusName")))
                .orElse(null);
    }

    private static MethodHandle bind(SymbolLookup l, String name) {
        return Linker.nativeLinker().downcallHandle(l.find(name).orElseThrow(), FUNCTIONS.get(name));
    }

    /** The loaded cuBLAS, or a CudaException saying it was not found. */
    static CuBlas instance() {
        CuBlas c = Holder.LOADED.cublas();
        if (c == null) throw CudaException.plain("cuBLAS is not available: " + Holder.LOADED.reason()
                + ". Fix: install the CUDA toolkit's libraries or pip install nvidia-cublas, or let grad4j use its own GEMM kernel");
        return c;
    }

    /**
     * Row-major {@code C = alpha * op(A) op(B) + beta * C} on {@code device}'s stream, C m x n, op(A) m x k, op(B)
     * k x n; A, B, C are device pointers, lda/ldb/ldc the row-major leading dimensions (row strides).
     */
    static void gemm(int device, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda,
                     long b, int ldb, double beta, long c, int ldc, DType dtype) {
        gemmStridedBatched(device, transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1, dtype);
    }

    /** {@link #gemm} on {@code batch} matrices at element strides strideA/B/C from a, b, c (one cuBLAS call). */
    static void gemmStridedBatched(int device, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda,
                                   long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC,
                                   int batch, DType dtype) {
        instance().gemmOn(CudaDevice.get(device), transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc,
                strideC, batch, dtype);
    }

    /** {@link #gemmStridedBatched} with this cuBLAS on {@code device} (tests pass a fake pair). */
    void gemmOn(CudaDevice device, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda,
                long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch, DType dtype) {
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("cuBLAS gemm: dtype " + dtype + " is not supported. Fix: use float32 or float64");
        }
        synchronized (this) {   // the math mode is the handle's state: set and used by one caller at a time
            gemmLocked(device, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch, dtype);
        }
    }

    private void gemmLocked(CudaDevice device, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda,
                            long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch,
                            DType dtype) {
        CuBlas blas = this;
        MemorySegment h = handle(device);
        int opA = transA ? OP_T : OP_N, opB = transB ? OP_T : OP_N;
        boolean f32 = dtype == DType.FLOAT32;
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment al = f32 ? ar.allocateFrom(JAVA_FLOAT, (float) alpha) : ar.allocateFrom(JAVA_DOUBLE, alpha);
            MemorySegment be = f32 ? ar.allocateFrom(JAVA_FLOAT, (float) beta) : ar.allocateFrom(JAVA_DOUBLE, beta);
            blas.check((int) blas.setMathMode.invokeExact(h, f32 && allowTf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH), "cublasSetMathMode");
            int rc;
            String call;
            // column-major C^T (n x m) = op(B)^T op(A)^T: swap the operands, keep the leading dimensions
            if (batch == 1) {
                call = f32 ? "cublasSgemm_v2" : "cublasDgemm_v2";
                rc = (int) (f32 ? blas.sgemm : blas.dgemm).invokeExact(h, opB, opA, n, m, k, al, b, ldb, a, lda, be, c, ldc);
            } else {
                call = f32 ? "cublasSgemmStridedBatched" : "cublasDgemmStridedBatched";
                rc = (int) (f32 ? blas.sgemmBatched : blas.dgemmBatched).invokeExact(h, opB, opA, n, m, k, al, b, ldb, strideB,
                        a, lda, strideA, be, c, ldc, strideC, batch);
            }
            blas.check(rc, call);
        } catch (Throwable t) {
            if (t instanceof RuntimeException r) throw r;
            throw new IllegalStateException(t);
        }
    }

    /** The device's handle: created under its context on first use and bound to its stream. */
    private MemorySegment handle(CudaDevice device) {
        CudaDevice d = device.enter();
        return handles.computeIfAbsent(device.index, i -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(ADDRESS);
                check((int) create.invokeExact(p), "cublasCreate_v2");
                MemorySegment h = p.get(ADDRESS, 0);
                check((int) setStream.invokeExact(h, d.stream), "cublasSetStream_v2");
                return h;
            } catch (Throwable t) {
                if (t instanceof RuntimeException r) throw r;
                throw new IllegalStateException(t);
            }
        });
    }

    private void check(int status, String call) {
        if (status == 0) return;
        String name = statusName(status);
        throw CudaException.of(status, name, "cuBLAS call failed", call);
    }

    private String statusName(int status) {
        if (statusName != null) {
            try {
                return ((MemorySegment) statusName.invokeExact(status)).reinterpret(256).getString(0);
            } catch (Throwable ignored) {
                // fall back to the table
            }
        }
        return statusNameOf(status);
    }

    /** cublasStatus_t's names (cublas_api.h), for drivers without cublasGetStatusName. */
    static String statusNameOf(int status) {
        return switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "cublasStatus " + status;
        };
    }
}
