package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import static org.grad4j.kernels.KindPair.agree;
import static org.grad4j.kernels.KindPair.of;
import static org.grad4j.kernels.KindPair.ramp;
import static org.grad4j.kernels.KindPair.zeros;
import static org.junit.jupiter.api.Assertions.*;

/** The elementwise family called directly on heap and off-heap storages, including strided and offset views. */
class ElementwiseKernelsTest {
    private static final ElementwiseKernels K = Backend.cpu().elementwise();

    /** A transposed [3, 4] view of a [4, 3] block that starts at element 2 of its storage. */
    private static Strided transposedAt2(Storage s) { return new Strided(s, new int[]{3, 4}, new int[]{1, 3}, 2); }

    private static Strided dense(Storage s, int... shape) {
        return new Strided(s, shape, org.grad4j.storage.Shapes.contiguousStrides(shape), 0);
    }

    @Test
    void copyOfATransposedOffsetViewCastsAndAgreesAcrossKinds() {
        double[] out = agree(kind -> {
            Storage src = of(kind, DType.FLOAT64, ramp(14)), dst = zeros(kind, DType.FLOAT32, 12);
            K.copy(transposedAt2(src), dense(dst, 3, 4));
            return new Storage[]{dst};
        })[0];
        double[] v = ramp(14);
        assertEquals(v[2], out[0]);
        assertEquals(v[2 + 3], out[1]);          // row 0, column 1 of the transpose
        assertEquals(v[2 + 1], out[4]);          // row 1, column 0
    }

    @Test
    void fillWritesOnlyTheView() {
        double[] out = agree(kind -> {
            Storage s = zeros(kind, DType.FLOAT32, 14);
            K.fill(new Strided(s, new int[]{3}, new int[]{4}, 1), 2.5);
            return new Storage[]{s};
        })[0];
        assertArrayEquals(new double[]{0, 2.5, 0, 0, 0, 2.5, 0, 0, 0, 2.5, 0, 0, 0, 0}, out);
    }

    @Test
    void binaryWithABroadcastOperandAgreesAcrossKinds() {
        double[] out = agree(kind -> {
            Storage a = of(kind, DType.FLOAT64, ramp(14)), b = of(kind, DType.FLOAT64, 10, 20, 30, 40), o = zeros(kind, DType.FLOAT64, 12);
            K.binary(BinaryOp.ADD, transposedAt2(a), new Strided(b, new int[]{3, 4}, new int[]{0, 1}, 0), dense(o, 3, 4));
            return new Storage[]{o};
        })[0];
        double[] v = ramp(14);
        assertEquals(v[2] + 10, out[0]);
        assertEquals(v[2 + 3] + 20, out[1]);
        assertEquals(v[2 + 1] + 10, out[4]);
    }

    @Test
    void comparisonsWriteBools() {
        double[] out = agree(kind -> {
            Storage a = of(kind, DType.FLOAT32, 1, 5, 3), b = of(kind, DType.FLOAT32, 2, 2, 3), o = zeros(kind, DType.BOOL, 3);
            K.binary(BinaryOp.GT, dense(a, 3), dense(b, 3), dense(o, 3));
            return new Storage[]{o};
        })[0];
        assertArrayEquals(new double[]{0, 1, 0}, out);
    }

    @Test
    void unaryClampAndMapAgreeAcrossKinds() {
        double[][] out = agree(kind -> {
            Storage a = of(kind, DType.FLOAT32, ramp(14));
            Storage u = zeros(kind, DType.FLOAT32, 12), c = zeros(kind, DType.FLOAT32, 12), m = zeros(kind, DType.FLOAT32, 12);
            K.unary(UnaryOp.EXP, transposedAt2(a), dense(u, 3, 4));
            K.clamp(transposedAt2(a), dense(c, 3, 4), -1, Double.NaN);
            K.map(transposedAt2(a), m, x -> 2 * x);
            return new Storage[]{u, c, m};
        });
        double first = ramp(14)[2];
        assertEquals((float) Math.exp(first), out[0][0], 1e-6);
        for (double v : out[1]) assertTrue(v >= -1);
        assertEquals(2 * first, out[2][0]);
    }

    @Test
    void whereAndAxpyAgreeAcrossKinds() {
        double[][] out = agree(kind -> {
            Storage c = of(kind, DType.BOOL, 1, 0, 1), a = of(kind, DType.FLOAT64, 1, 2, 3), b = of(kind, DType.FLOAT64, 9);
            Storage w = zeros(kind, DType.FLOAT64, 3);
            K.where(dense(c, 3), dense(a, 3), new Strided(b, new int[]{3}, new int[]{0}, 0), w);
            Storage y = of(kind, DType.FLOAT32, 0, 1, 1, 1), x = of(kind, DType.FLOAT32, 5, 1, 2, 3);
            K.axpy(y, 1, -2, x, 1, 3);
            return new Storage[]{w, y};
        });
        assertArrayEquals(new double[]{1, 9, 3}, out[0]);
        assertArrayEquals(new double[]{0, -1, -3, -5}, out[1]);
    }

    @Test
    void accumulateSumsRepeatedPositions() {
        double[] out = agree(kind -> {
            Storage g = of(kind, DType.FLOAT64, 1, 2, 3, 4), o = zeros(kind, DType.FLOAT64, 3);
            // an unfold-like window: [2, 2] at strides (1, 1) reads positions 0 1 / 1 2
            K.accumulate(dense(g, 2, 2), new Strided(o, new int[]{2, 2}, new int[]{1, 1}, 0));
            return new Storage[]{o};
        })[0];
        assertArrayEquals(new double[]{1, 2 + 3, 4}, out);
    }

    @Test
    void scansFindNanAndTheFirstNonFiniteElement() {
        for (Storage.Kind kind : Storage.Kind.values()) {
            Storage s = of(kind, DType.FLOAT32, 1, 2, Double.POSITIVE_INFINITY, Double.NaN, 5);
            assertEquals(2, K.firstNonFinite(s, 0, 5), kind.toString());
            assertEquals(0, K.firstNonFinite(s, 3, 2), kind.toString());
            assertEquals(-1, K.firstNonFinite(s, 0, 2), kind.toString());
            assertEquals(-1, K.firstNonFinite(of(kind, DType.INT64, 1, 2), 0, 2), kind.toString());
            assertTrue(K.anyNaN(dense(s, 5)), kind.toString());
            assertFalse(K.anyNaN(new Strided(s, new int[]{2}, new int[]{2}, 0)), kind.toString());   // 1 and inf
        }
    }

    @Test
    void firstOutOfRangeSkipsTheAllowedValueInAStridedView() {
        for (Storage.Kind kind : Storage.Kind.values()) {
            Storage t = of(kind, DType.INT64, 9, 0, 7, -100, 3, 5);
            // every other element from 1: 0, -100, 5
            Strided v = new Strided(t, new int[]{3}, new int[]{2}, 1);
            assertEquals(2, K.firstOutOfRange(v, 0, 5, -100), kind.toString());
            assertEquals(-1, K.firstOutOfRange(v, 0, 6, -100), kind.toString());
            assertEquals(1, K.firstOutOfRange(v, 0, 6, 99), kind.toString());
            assertEquals(0, K.firstOutOfRange(new Strided(of(kind, DType.INT32, -1), new int[]{1}, new int[]{1}, 0), 0, 3, -100), kind.toString());
        }
    }

    @Test
    void toArrayReadsAViewRowMajor() {
        for (Storage.Kind kind : Storage.Kind.values()) {
            double[] v = (double[]) K.toArray(transposedAt2(of(kind, DType.FLOAT64, ramp(14))));
            double[] r = ramp(14);
            assertEquals(12, v.length);
            assertEquals(r[2 + 3], v[1], kind.toString());
            long[] l = (long[]) K.toArray(new Strided(of(kind, DType.INT64, 1, 2, 3), new int[]{2}, new int[]{1}, 1));
            assertArrayEquals(new long[]{2, 3}, l, kind.toString());
        }
    }

    @Test
    void triangleMaskMarksTrilAndTriu() {
        double[][] out = agree(kind -> {
            Storage lo = zeros(kind, DType.BOOL, 6), up = zeros(kind, DType.BOOL, 6);
            K.triangleMask(lo, 2, 3, 0, true);
            K.triangleMask(up, 2, 3, 1, false);
            return new Storage[]{lo, up};
        });
        assertArrayEquals(new double[]{1, 0, 0, 1, 1, 0}, out[0]);
        assertArrayEquals(new double[]{0, 1, 1, 0, 0, 1}, out[1]);
    }
}
