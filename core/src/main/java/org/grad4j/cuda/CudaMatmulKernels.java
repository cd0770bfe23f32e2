package org.grad4j.cuda;

import org.grad4j.kernels.MatmulKernels;
import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/*
 * Wiring (CudaBackend): matmul() returns new CudaMatmulKernels(deviceIndex, <the host-copy family>). For
 * float32/float64 operands of one dtype on this device it calls cuBLAS when CuBlas.available() (row-major
 * through the column-major trick in CuBlas; TF32 only when Cuda.allowTf32()), else grad4j's tiled
 * g4_gemm kernel. An operand that is neither row-major nor transposed with a leading dimension cuBLAS
 * accepts is first copied to contiguous device scratch. Anything else falls back.
 */

/**
 * Matrix products on one CUDA device (mm, bmm): cuBLAS if found, otherwise grad4j's own tiled GEMM kernel.
 * Transposed views need no copy. Written, never run on a GPU.
 *
 * <pre>{@code
 * MatmulKernels k = new CudaMatmulKernels(0, hostFamily);
 * k.gemm(a.strided(), b.t().strided(), out.storage());   // a b^T, B passed transposed to cuBLAS
 * }</pre>
 */
final class CudaMatmulKernels extends CudaFamily implements MatmulKernels {
    private final MatmulKernels host;

    CudaMatmulKernels(int deviceIndex, MatmulKernels hostFallback) { this(new DriverRuntime(deviceIndex), hostFallback); }

    CudaMatmulKernels(DeviceRuntime rt, MatmulKernels hostFallback) {
        super(rt);
        this.host = hostFallback;
    }

    @Override
    public void gemm(Strided a, Strided b, Storage c) {
        if (!covered(a, b, c, 2)) { host.gemm(a, b, c); return; }
        run(1, a.shape()[0], b.shape()[1], a.shape()[1], a, 0, b, 0, c);
        keep(a, b, c);
    }

    @Override
    public void gemmBatched(Strided a, Strided b, Storage c) {
        if (!covered(a, b, c, 3)) { host.gemmBatched(a, b, c); return; }
        run(a.shape()[0], a.shape()[1], b.shape()[2], a.shape()[2], a, 1, b, 1, c);
        keep(a, b, c);
    }

    private boolean covered(Strided a, Strided b, Storage c, int rank) {
        DType t = c.dtype();
        return onDevice(a.storage(), b.storage(), c) && floating(t) && a.storage().dtype() == t && b.storage().dtype() == t
                && a.dim() == rank && b.dim() == rank;
    }

    /** C[batch, m, n] (contiguous) = A B; the matrix dims of A and B start at dim {@code first}. */
    private void run(int batch, int m, int n, int k, Strided a, int first, Strided b, int firstB, Storage c) {
        DType t = c.dtype();
        long count = (long) batch * m * n;
        if (count == 0) return;
        long cp = rt.address(c);
        if (k == 0) {   // an empty sum: zeros, without asking a GEMM to read nothing
            rt.launch(KernelCatalog.fill(DeviceView.contiguous(cp, t, (int) count), 0.0));
            return;
        }
        Operand oa = operand(a, first, m, k), ob = operand(b, firstB, k, n);
        try (DeviceRuntime.Scratch sa = oa == null ? rt.scratch(bytes(a, t)) : null;
             DeviceRuntime.Scratch sb = ob == null ? rt.scratch(bytes(b, t)) : null) {
            if (oa == null) oa = contiguousCopy(a, sa.pointer(), m, k);
            if (ob == null) ob = contiguousCopy(b, sb.pointer(), k, n);
            gemm(rt, t, batch, m, n, k, oa, ob, cp);
        }
    }

    /** C[batch, m, n] (contiguous at c) = op(A) op(B) through cuBLAS when there, else the g4_gemm kernel. */
    static void gemm(DeviceRuntime rt, DType t, int batch, int m, int n, int k, Operand a, Operand b, long c) {
        long strideC = (long) m * n;
        if (rt.cublas()) {
            rt.cublasGemm(a.trans, b.trans, m, n, k, a.ptr, (int) a.ld, a.batchStride, b.ptr, (int) b.ld, b.batchStride, c, n,
                    strideC, batch, t);
        } else {
            rt.launch(KernelCatalog.gemm(t, c, a.ptr, b.ptr, m, n, k, a.ld, b.ld, n, a.batchStride, b.batchStride, strideC,
                    batch, a.trans, b.trans, 1.0, 0.0));
        }
    }

    /** A matrix operand as BLAS takes it: address, transposed or not, leading dimension, batch stride (elements). */
    record Operand(long ptr, boolean trans, long ld, long batchStride) {}

    /**
     * The operand of a rows x cols view (dims {@code first}, {@code first + 1}) without a copy, or null when it
     * is neither row-major (column stride 1) nor transposed (row stride 1) with a leading dimension that
     * cuBLAS accepts (at least the other size, below 2^31). Size-1 dims may have any stride.
     */
    Operand operand(Strided v, int first, int rows, int cols) {
        int s0 = v.strides()[first], s1 = v.strides()[first + 1];
        long batchStride = first == 1 ? v.strides()[0] : 0;
        if (batchStride < 0) return null;
        long ptr = at(v.storage(), v.offset());
        if (cols == 1 || s1 == 1) {
            long ld = rows == 1 ? Math.max(cols, 1) : s0;
            if (ld >= Math.max(cols, 1) && ld <= Integer.MAX_VALUE) return new Operand(ptr, false, ld, batchStride);
        }
        if (rows == 1 || s0 == 1) {
            long ld = cols == 1 ? Math.max(rows, 1) : s1;
            if (ld >= Math.max(rows, 1) && ld <= Integer.MAX_VALUE) return new Operand(ptr, true, ld, batchStride);
        }
        return null;
    }

    private Operand contiguousCopy(Strided v, long dst, int rows, int cols) {
        int[] shape = v.shape(), st = new int[shape.length];
        for (int d = shape.length - 1, s = 1; d >= 0; d--) { st[d] = s; s *= shape[d]; }
        rt.launch(KernelCatalog.copy(new DeviceView(dst, 0, shape, st, v.storage().dtype()), view(v)));
        return new Operand(dst, false, Math.max(cols, 1), shape.length == 3 ? (long) rows * cols : 0);
    }

    private static long bytes(Strided v, DType t) {
        long n = 1;
        for (int s : v.shape()) n *= s;
        return n * t.itemSize();
    }
}
