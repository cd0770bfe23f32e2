package org.grad4j;

import org.grad4j.autograd.GradCheck;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.Test;

import static org.grad4j.Grad4j.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NaN, -0 and huge integers in median / nanmedian / unique / sort / max, as libtorch 2.5.1 returns them. */
class NanOrderingTest {
    private static final double N = Double.NaN;

    private static Tensor f64(double... v) { return tensor(v, DType.FLOAT64); }

    @Test
    void medianOfASliceWithNaNIsNaNAtTheIndexOfItsFirstNaN() {
        assertTrue(Double.isNaN(f64(3, N, 1, N, 2).median().item()));
        ValuesIndices r = f64(3, N, 1, N, 2).median(0, false);
        assertTrue(Double.isNaN(r.values().item()));
        assertEquals(1, r.indices().toLongArray()[0]);
        ValuesIndices rows = f64(3, N, 1, 5, 2, 4).reshape(2, 3).median(1, true);
        double[] v = rows.values().toDoubleArray();
        assertTrue(Double.isNaN(v[0]));
        assertEquals(4.0, v[1], 0);
        assertArrayEquals(new long[]{1, 2}, rows.indices().toLongArray());
        assertArrayEquals(new int[]{2, 1}, rows.values().shape());
    }

    @Test
    void medianAndMaxOfAllElementsShareTheGradientAmongTheNaNs() {
        Tensor x = f64(3, N, 1, N, 2).requiresGrad_();
        x.median().backward();
        assertArrayEquals(new double[]{0, 0.5, 0, 0.5, 0}, x.grad().toDoubleArray(), 0);
        Tensor y = f64(3, N, 1, N, 2).requiresGrad_();
        y.max().backward();
        assertArrayEquals(new double[]{0, 0.5, 0, 0.5, 0}, y.grad().toDoubleArray(), 0);
        Tensor z = f64(3, 1, 3).requiresGrad_();
        z.median().backward();
        assertArrayEquals(new double[]{0.5, 0, 0.5}, z.grad().toDoubleArray(), 0);
    }

    @Test
    void nanmedianIgnoresNaNAndAnAllNaNSliceGivesNaNAtIndexZero() {
        assertEquals(2.0, f64(3, N, 1, N, 2).nanmedian().item(), 0);
        ValuesIndices r = f64(3, N, 1, N, N, N).reshape(2, 3).nanmedian(1, false);
        double[] v = r.values().toDoubleArray();
        assertEquals(1.0, v[0], 0);
        assertTrue(Double.isNaN(v[1]));
        assertArrayEquals(new long[]{2, 0}, r.indices().toLongArray());
        Tensor x = f64(3, N, 1, 4).requiresGrad_();
        x.nanmedian().backward();
        assertArrayEquals(new double[]{1, 0, 0, 0}, x.grad().toDoubleArray(), 0);
        assertTrue(GradCheck.gradcheck(in -> in[0].nanmedian(1, false).values(), f64(3, N, 1, 5, 2, 4).reshape(2, 3).requiresGrad_()));
    }

    @Test
    void uniqueKeepsEachNaNSeparateWithCountsAndInverse() {
        Tensor x = f64(N, 1, N, 1, 2);
        double[] u = x.unique().toDoubleArray();
        assertEquals(4, u.length);
        assertEquals(1.0, u[0], 0);
        assertEquals(2.0, u[1], 0);
        assertTrue(Double.isNaN(u[2]) && Double.isNaN(u[3]));
        assertArrayEquals(new long[]{2, 1, 1, 1}, x.uniqueCounts().toLongArray());
        assertArrayEquals(new long[]{2, 0, 3, 0, 1}, x.uniqueInverse().toLongArray());
    }

    @Test
    void uniqueMergesMinusZeroWithZeroAndKeepsLongsBeyondDoublePrecisionApart() {
        assertArrayEquals(new double[]{0}, f64(-0.0, 0.0).unique().toDoubleArray(), 0);
        long big = 1L << 53;
        assertArrayEquals(new long[]{big, big + 1}, tensor(new long[]{big + 1, big, big + 1}).unique().toLongArray());
        assertArrayEquals(new long[]{1, 0, 1}, tensor(new long[]{big + 1, big, big + 1}).uniqueInverse().toLongArray());
    }

    @Test
    void sortPutsNaNAfterInfinityAndKeepsMinusZeroAndZeroStable() {
        ValuesIndices s = f64(N, Double.POSITIVE_INFINITY, 1).sort();
        assertArrayEquals(new long[]{2, 1, 0}, s.indices().toLongArray());
        ValuesIndices d = f64(N, Double.POSITIVE_INFINITY, 1).sort(0, true);
        assertArrayEquals(new long[]{0, 1, 2}, d.indices().toLongArray());
        assertArrayEquals(new long[]{0, 1}, f64(0.0, -0.0).sort().indices().toLongArray());
        assertArrayEquals(new long[]{1, 3}, f64(3, N, 1, N, 2).topk(2).indices().toLongArray());
    }

    @Test
    void quantileOfASliceWithNaNIsNaNWithTheGradientOnItsLastNaN() {
        assertTrue(Double.isNaN(f64(1, N, 3).quantile(0.5).item()));
        double[] q = f64(1, N, 3, 1, 2, 3).reshape(2, 3).quantile(0.5, 1, false).toDoubleArray();
        assertTrue(Double.isNaN(q[0]));
        assertEquals(2.0, q[1], 0);
        Tensor x = f64(1, N, 3, N, 2).requiresGrad_();
        x.quantile(0.3).backward();
        assertArrayEquals(new double[]{0, 0, 0, 1, 0}, x.grad().toDoubleArray(), 0);
        assertTrue(GradCheck.gradcheck(in -> in[0].quantile(0.3, 1, false), f64(1, 5, 3, 4, 2, 6).reshape(2, 3).requiresGrad_()));
    }

    @Test
    void quantileBetweenMinusInfinityAndAFiniteValueIsMinusInfinityNotNaN() {
        // sorted [-inf, 0, 1, inf], q = 0.3: position 0.9 between -inf and 0; libtorch's lerp gives -inf
        assertEquals(Double.NEGATIVE_INFINITY, f64(1, Double.POSITIVE_INFINITY, 0, Double.NEGATIVE_INFINITY).quantile(0.3).item(), 0);
        assertEquals(Double.NEGATIVE_INFINITY, f64(Double.NEGATIVE_INFINITY, 0.5, 1e300, -1e300).quantile(0.3).item(), 0);
        assertEquals(1.5, f64(1, 2, 3).quantile(0.25).item(), 0);
    }

    @Test
    void lerpWithADoubleWeightAtLeastHalfKeepsFloat64Precision() {
        // 1 - 0.9 was rounded to float32 (0.10000000149...), off by 1e-9 in float64 results and gradients
        Tensor a = f64(0, 1).requiresGrad_(), b = f64(1, 3).requiresGrad_();
        Tensor r = a.lerp(b, 0.9);
        assertArrayEquals(new double[]{1 - (1 - 0) * (1 - 0.9), 3 - (3 - 1) * (1 - 0.9)}, r.toDoubleArray(), 0);
        r.sum().backward();
        assertArrayEquals(new double[]{1 - 0.9, 1 - 0.9}, a.grad().toDoubleArray(), 0);
        assertEquals(0.2 - (0.2 - 0.1) * (1 - 0.9), f64(0.1, 0.2, 0.5).quantile(0.45).item(), 1e-15);
    }

    @Test
    void uniqueConsecutiveNeverMergesNaNsWithCountsAndInverse() {
        Tensor x = f64(N, N, 1, 1, N);
        double[] u = x.uniqueConsecutive().toDoubleArray();
        assertEquals(4, u.length);
        assertTrue(Double.isNaN(u[0]) && Double.isNaN(u[1]) && Double.isNaN(u[3]));
        assertEquals(1.0, u[2], 0);
        assertArrayEquals(new long[]{1, 1, 2, 1}, x.uniqueConsecutiveCounts().toLongArray());
        assertArrayEquals(new long[]{0, 1, 2, 2, 3}, x.uniqueConsecutiveInverse().toLongArray());
        assertArrayEquals(new long[]{1, 2, 1}, tensor(new long[]{1, 1, 2, 1}).uniqueConsecutive().toLongArray());
        assertEquals(0, f64().uniqueConsecutive().numel());
    }
}
