package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** The check's scan finds every NaN/infinity position, in vector bodies, tails and transposed views. */
class NonFiniteScanTest {
    @Test
    void findsTheFirstBadElementAnywhere() {
        for (DType d : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[]{1, 5, 16, 37, 100}) {
                assertEquals(-1, NonFiniteCheck.firstNonFinite(ones(n).to(d)));
                for (int at = 0; at < n; at += 3) {
                    for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                        float[] v = new float[n];
                        v[at] = (float) bad;
                        assertEquals(at, NonFiniteCheck.firstNonFinite(fromArray(v, n).to(d)), d + " n=" + n + " at=" + at);
                    }
                }
            }
        }
        float[] v = new float[12];
        v[1] = Float.POSITIVE_INFINITY;                   // row 0, col 1 of [3,4]; in its transpose: row 1, col 0
        Tensor t = fromArray(v, 3, 4).t();
        assertEquals(3, NonFiniteCheck.firstNonFinite(t));
        assertEquals(-1, NonFiniteCheck.firstNonFinite(ones(3, 4).t()));
    }
}
