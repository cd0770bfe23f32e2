package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * Dense linear algebra on batches of matrices in the last two dims: inverse, determinant, solve
 * and the decompositions behind {@code torch.linalg}. Inputs are views of any dtype and strides,
 * shaped [*batch, rows, cols] (computed in float64); outputs are contiguous float64 storages the
 * op allocated, one matrix (or vector, or scalar) per batch element in row-major batch order.
 * A kernel that meets a matrix it cannot handle returns a {@link Failure} instead of throwing, so
 * the op words the message.
 *
 * <pre>{@code
 * Failure f = Backend.cpu().linalg().inv(a.strided(), out.storage());
 * if (f != null) throw new IllegalArgumentException("linalg.inv: matrix " + f.batch() + " is singular");
 * }</pre>
 */
public interface DecompositionKernels {
    /** Which batch element failed and, where the method says so, LAPACK's info for it. */
    record Failure(int batch, int info) {}

    /** out = A^-1 per square matrix; the first singular one fails. */
    Failure inv(Strided a, Storage out);

    /** out[b] = det(A[b]) (exactly 0 for a singular matrix). */
    void det(Strided a, Storage out);

    /** sign[b] and logabs[b] of det(A[b]) (0 and -inf for a singular matrix). */
    void slogdet(Strided a, Storage sign, Storage logabs);

    /** X = A^-1 B per batch element (A [*, n, n], B [*, n, m] of the same batch shape); the first singular A fails. */
    Failure solve(Strided a, Strided b, Storage out);

    /** Lower L with A = L L^T per matrix; fails with info = the order of the first leading minor that is not positive-definite. */
    Failure cholesky(Strided a, Storage out);

    /** Reduced QR: q [*, m, k] and r [*, k, n] with k = min(m, n). */
    void qr(Strided a, Storage q, Storage r);

    /** Eigenvalues (ascending) and eigenvectors (columns) of the symmetric matrix read from A's lower triangle. */
    void eigh(Strided a, Storage values, Storage vectors);

    /** A = U diag(S) V^T for A [*, m, n] with m >= n: u [*, m, n], s [*, n] descending, v [*, n, n]. */
    void svd(Strided a, Storage u, Storage s, Storage v);
}
