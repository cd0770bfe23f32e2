package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import static org.grad4j.kernels.KindPair.of;
import static org.grad4j.kernels.KindPair.values;
import static org.grad4j.kernels.KindPair.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The counting kernels called directly on heap and off-heap storages, strided views included. */
class CountingKernelsTest {
    private static final CountingKernels K = Backend.cpu().counting();

    @Test
    void maxOneHotAndBincountAgreeOnBothKinds() {
        for (Storage.Kind kind : Storage.Kind.values()) {
            // [2, 2] view, transposed, after one padding element: 3, 1, 0, 3
            Strided x = new Strided(of(kind, DType.INT64, 9, 3, 0, 1, 3), new int[]{2, 2}, new int[]{1, 2}, 1);
            assertEquals(3, K.maxNonNegative(x, "one_hot"), kind.name());
            Storage hot = zeros(kind, DType.INT64, 16);
            K.oneHot(x, 4, hot);
            assertArrayEquals(new double[]{0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1}, values(hot), kind.name());
            Storage bins = zeros(kind, DType.INT64, 5);
            K.bincount(new Strided(x.storage(), new int[]{4}, new int[]{1}, 1), bins);
            assertArrayEquals(new double[]{1, 1, 0, 2, 0}, values(bins), kind.name());
        }
    }

    @Test
    void firstNegativeRaisesTheCallingOpsMessage() {
        Strided x = new Strided(of(Storage.Kind.OFFHEAP, DType.INT32, 1, -2, -5), new int[]{3}, new int[]{1}, 0);
        assertEquals("one_hot: Class values must be non-negative. (got -2)",
                assertThrows(IllegalArgumentException.class, () -> K.maxNonNegative(x, "one_hot")).getMessage());
        assertEquals("bincount only supports 1-d non-negative integral inputs, got value -2",
                assertThrows(IllegalArgumentException.class, () -> K.maxNonNegative(x, "bincount")).getMessage());
        assertEquals(-1, K.maxNonNegative(new Strided(x.storage(), new int[]{0}, new int[]{1}, 0), "bincount"));
    }

    @Test
    void uniqueNumbersSortedWithNanAloneAndZerosTogether() {
        double nan = Double.NaN;
        for (Storage.Kind kind : Storage.Kind.values()) {
            // reversed view of 2, NaN, -0, 1, 0, NaN, 2 -> 2, NaN, 0, 1, -0, NaN, 2
            Strided x = new Strided(of(kind, DType.FLOAT64, 2, nan, -0.0, 1, 0.0, nan, 2), new int[]{7}, new int[]{-1}, 6);
            Storage inv = zeros(kind, DType.INT64, 7);
            int k = K.uniqueInverse(x, true, inv);
            assertEquals(5, k);
            assertArrayEquals(new double[]{2, 3, 0, 1, 0, 4, 2}, values(inv), kind.name());
            Storage values = zeros(kind, DType.FLOAT64, k), counts = zeros(kind, DType.INT64, k);
            K.uniqueFill(x, inv, values, counts);
            // the slot of 0 and -0 holds the first in position: +0 here
            assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(values.getDouble(0)), kind.name());
            assertArrayEquals(new double[]{0, 1, 2, nan, nan}, values(values), kind.name());
            assertArrayEquals(new double[]{2, 1, 2, 1, 1}, values(counts), kind.name());
        }
    }

    @Test
    void uniqueConsecutiveNumbersRuns() {
        for (Storage.Kind kind : Storage.Kind.values()) {
            Strided x = new Strided(of(kind, DType.INT64, 0, 4, 4, 1, 4, 4), new int[]{5}, new int[]{1}, 1);
            Storage inv = zeros(kind, DType.INT64, 5);
            assertEquals(3, K.uniqueInverse(x, false, inv));
            assertArrayEquals(new double[]{0, 0, 1, 2, 2}, values(inv), kind.name());
            Storage values = zeros(kind, DType.INT64, 3), counts = zeros(kind, DType.INT64, 3);
            K.uniqueFill(x, inv, values, counts);
            assertArrayEquals(new double[]{4, 1, 4}, values(values), kind.name());
            assertArrayEquals(new double[]{2, 1, 2}, values(counts), kind.name());
        }
    }
}
