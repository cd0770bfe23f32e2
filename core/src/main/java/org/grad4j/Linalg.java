package org.grad4j;

import org.grad4j.storage.DType;

/**
 * {@code torch.linalg}: inverses, determinants, solves and decompositions of (batches of)
 * matrices in the last two dims, with PyTorch's gradient formulas.
 *
 * <pre>{@code
 * Tensor a = tensor(new double[][]{{4, 1}, {1, 3}}, DType.FLOAT64);
 * Linalg.inv(a);                       // torch.linalg.inv(a)
 * Linalg.solve(a, b);                  // torch.linalg.solve(a, b)
 * Linalg.eigh(a).eigenvalues();        // ascending
 * }</pre>
 */
public final class Linalg {
    private Linalg() {}

    /** {@code torch.linalg.slogdet}: sign and log of the absolute determinant. */
    public record Slogdet(Tensor sign, Tensor logabsdet) {}

    /** {@code torch.linalg.qr} (reduced): Q with orthonormal columns and upper-triangular R. */
    public record QR(Tensor Q, Tensor R) {}

    /** {@code torch.linalg.eigh}: ascending eigenvalues and eigenvectors as columns. */
    public record Eigh(Tensor eigenvalues, Tensor eigenvectors) {}

    /** {@code torch.linalg.svd(full_matrices=False)}: A = U diag(S) Vh. */
    public record SVD(Tensor U, Tensor S, Tensor Vh) {}

    // ------------------------------------------------------------------ LU family and decompositions (bodies in LinalgOps)

    /** {@code torch.linalg.inv}; fails clearly on singular matrices. Gradient {@code -A^-T g A^-T}. */
    public static Tensor inv(Tensor a) { return LinalgOps.inv(a); }

    /** {@code torch.linalg.det}; gradient {@code g det A^-T} (needs an invertible A). */
    public static Tensor det(Tensor a) { return LinalgOps.det(a); }

    /** {@code torch.linalg.slogdet}: (sign, log|det|); log|det| gets gradient {@code g A^-T}. */
    public static Slogdet slogdet(Tensor a) { return LinalgOps.slogdet(a); }

    /** {@code torch.linalg.solve(A, B)}: X with A X = B; B is a vector when it has one dim fewer than A. */
    public static Tensor solve(Tensor a, Tensor b) { return LinalgOps.solve(a, b); }

    /** {@code torch.linalg.cholesky}: lower L with A = L L^T, for symmetric positive-definite A. */
    public static Tensor cholesky(Tensor a) { return LinalgOps.cholesky(a); }

    /** {@code torch.linalg.qr} in reduced mode (needs rows >= cols for gradients, as PyTorch). */
    public static QR qr(Tensor a) { return LinalgOps.qr(a); }

    /** {@code torch.linalg.eigh} (reads the lower triangle, like UPLO='L'); eigenvector signs are normalised. */
    public static Eigh eigh(Tensor a) { return LinalgOps.eigh(a); }

    /** {@code torch.linalg.eigvalsh}. */
    public static Tensor eigvalsh(Tensor a) { return LinalgOps.eigvalsh(a); }

    /**
     * {@code torch.linalg.svd(A, full_matrices=False)}: U, S (descending), Vh with A = U diag(S) Vh.
     * Signs are normalised (each row of Vh has a positive largest entry). Gradients follow PyTorch's
     * svd_backward and need distinct, non-zero singular values when U or Vh are used.
     */
    public static SVD svd(Tensor a) { return LinalgOps.svd(a); }

    /**
     * {@code torch.linalg.pinv(A)}: the pseudo-inverse from the SVD, dropping singular values below
     * {@code rtol * max(S)} with PyTorch's default rtol = eps * max(m, n).
     */
    public static Tensor pinv(Tensor a) { return LinalgOps.pinv(a); }

    /** {@code torch.linalg.svdvals}: singular values (descending), differentiable through {@link #svd}. */
    public static Tensor svdvals(Tensor a) { return LinalgOps.svdvals(a); }

    // ------------------------------------------------------------------ norms

    /** {@code torch.linalg.vector_norm(x, ord, dim, keepdim)}; dims null means all. */
    public static Tensor vectorNorm(Tensor x, double ord, int[] dims, boolean keepdim) { return ReduceOps.norm(x, ord, dims, keepdim); }

    /** {@code torch.linalg.matrix_norm(A, ord)} over the last two dims: "fro" or "nuc". */
    public static Tensor matrixNorm(Tensor a, String ord) { return LinalgOps.matrixNorm(a, ord); }

    /** {@code torch.linalg.matrix_norm(A, ord)} for ord in {1, -1, 2, -2, inf, -inf}. */
    public static Tensor matrixNorm(Tensor a, double ord) { return LinalgOps.matrixNorm(a, ord); }

    /** {@code torch.linalg.norm(x)}: the 2-norm of all elements (Frobenius for matrices). */
    public static Tensor norm(Tensor x) { return ReduceOps.norm(x, 2, null, false); }

    /** {@code torch.linalg.norm(A, ord)} for a matrix ord over the last two dims. */
    public static Tensor norm(Tensor x, String ord) { return matrixNorm(x, ord); }
}
