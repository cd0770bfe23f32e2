package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * Matrix products for float32 or float64 operands of one dtype. Inputs may have any strides
 * (transposed views need no copy); the product is written contiguously.
 *
 * <pre>{@code
 * Backend.cpu().matmul().gemm(a.strided(), b.strided(), out.storage());   // out[m, n] = a[m, k] b[k, n]
 * }</pre>
 */
public interface MatmulKernels {
    /** c[0 .. m*n) = a[m, k] * b[k, n] row-major (a and b 2-d views). */
    void gemm(Strided a, Strided b, Storage c);

    /** c[0 .. batch*m*n) = a[i] * b[i] for each i (a [batch, m, k] and b [batch, k, n] 3-d views). */
    void gemmBatched(Strided a, Strided b, Storage c);
}
