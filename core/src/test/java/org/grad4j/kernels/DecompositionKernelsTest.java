package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import static org.grad4j.kernels.KindPair.agree;
import static org.grad4j.kernels.KindPair.of;
import static org.grad4j.kernels.KindPair.zeros;
import static org.junit.jupiter.api.Assertions.*;

/** The linalg family on heap and off-heap storages, reading a batch through a transposed offset view. */
class DecompositionKernelsTest {
    private static final DecompositionKernels K = Backend.cpu().linalg();
    // two symmetric positive-definite 2x2 matrices after a leading element that the view skips
    private static final double[] SPD = {99, 4, 1, 1, 3, 2, -1, -1, 5};

    /** [2, 2, 2] batch starting at element 1, each matrix read transposed (the same matrix: they are symmetric). */
    private static Strided batch(Storage s) { return new Strided(s, new int[]{2, 2, 2}, new int[]{4, 1, 2}, 1); }

    @Test
    void invDetSlogdetAndSolveAgreeAcrossKinds() {
        double[][] out = agree(kind -> {
            Storage a = of(kind, DType.FLOAT32, SPD);
            Storage inv = zeros(kind, DType.FLOAT64, 8), det = zeros(kind, DType.FLOAT64, 2);
            Storage sign = zeros(kind, DType.FLOAT64, 2), logabs = zeros(kind, DType.FLOAT64, 2), x = zeros(kind, DType.FLOAT64, 4);
            assertNull(K.inv(batch(a), inv));
            K.det(batch(a), det);
            K.slogdet(batch(a), sign, logabs);
            Storage b = of(kind, DType.FLOAT64, 1, 2, 3, 4);
            assertNull(K.solve(batch(a), new Strided(b, new int[]{2, 2, 1}, new int[]{2, 1, 1}, 0), x));
            return new Storage[]{inv, det, sign, logabs, x};
        });
        assertEquals(4 * 3 - 1 * 1, out[1][0], 1e-12);
        assertEquals(2 * 5 - 1, out[1][1], 1e-12);
        assertEquals(3.0 / 11, out[0][0], 1e-12);
        assertEquals(Math.log(11), out[3][0], 1e-12);
        assertEquals(1, out[2][1]);
        assertEquals((3 * 1 - 1 * 2) / 11.0, out[4][0], 1e-12);         // x = A^-1 b for the first system
    }

    @Test
    void singularAndNotPositiveDefiniteMatricesReportTheirBatchElement() {
        for (Storage.Kind kind : Storage.Kind.values()) {
            Storage a = of(kind, DType.FLOAT64, 1, 0, 0, 1, 1, 2, 2, 4);           // batch 1 is singular and not PD
            Strided v = new Strided(a, new int[]{2, 2, 2}, new int[]{4, 2, 1}, 0);
            assertEquals(new DecompositionKernels.Failure(1, 0), K.inv(v, zeros(kind, DType.FLOAT64, 8)), kind.toString());
            assertEquals(1, K.solve(v, v, zeros(kind, DType.FLOAT64, 8)).batch(), kind.toString());
            assertEquals(new DecompositionKernels.Failure(1, 2), K.cholesky(v, zeros(kind, DType.FLOAT64, 8)), kind.toString());
        }
    }

    @Test
    void choleskyQrEighAndSvdAgreeAcrossKinds() {
        double[][] out = agree(kind -> {
            Storage a = of(kind, DType.FLOAT64, SPD);
            Storage l = zeros(kind, DType.FLOAT64, 8), q = zeros(kind, DType.FLOAT64, 8), r = zeros(kind, DType.FLOAT64, 8);
            Storage ev = zeros(kind, DType.FLOAT64, 4), vec = zeros(kind, DType.FLOAT64, 8);
            Storage u = zeros(kind, DType.FLOAT64, 8), s = zeros(kind, DType.FLOAT64, 4), v = zeros(kind, DType.FLOAT64, 8);
            assertNull(K.cholesky(batch(a), l));
            K.qr(batch(a), q, r);
            K.eigh(batch(a), ev, vec);
            K.svd(batch(a), u, s, v);
            return new Storage[]{l, q, r, ev, vec, u, s, v};
        });
        assertEquals(2, out[0][0], 1e-12);                                  // sqrt(4)
        assertEquals(0, out[0][1]);                                         // lower triangular
        double lo = (7 - Math.sqrt(5)) / 2, hi = (7 + Math.sqrt(5)) / 2;    // eigenvalues of [[4, 1], [1, 3]]
        assertEquals(lo, out[3][0], 1e-12);
        assertEquals(hi, out[3][1], 1e-12);
        assertEquals(hi, out[6][0], 1e-12);                                 // singular values descend
        assertEquals(Math.abs(4 * 3 - 1), Math.abs(out[2][0] * out[2][3]), 1e-12);   // |det R| = |det A|
    }
}
