package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.grad4j.kernels.KindPair.of;
import static org.grad4j.kernels.KindPair.values;
import static org.grad4j.kernels.KindPair.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The index kernels called directly: heap and off-heap storages (strided, offset views) give the same elements. */
class IndexKernelsTest {
    private static final IndexKernels K = Backend.cpu().index();

    /** Runs {@code body} once per storage kind and checks both give {@code expected}. */
    private static void bothKinds(double[] expected, Function<Storage.Kind, Storage> body) {
        assertArrayEquals(expected, values(body.apply(Storage.Kind.HEAP)), "heap");
        assertArrayEquals(expected, values(body.apply(Storage.Kind.OFFHEAP)), "off-heap");
    }

    /** A [3, 4] float view of 0..11 (row-major values) stored transposed after two padding elements. */
    private static Strided self34(Storage.Kind kind, DType dtype) {
        double[] v = new double[14];
        v[0] = v[1] = -99;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) v[2 + i + 3 * j] = i * 4 + j;
        return new Strided(of(kind, dtype, v), new int[]{3, 4}, new int[]{1, 3}, 2);
    }

    @Test
    void gatherReadsStridedOffsetViewsAlike() {
        bothKinds(new double[]{3, 0, 6, 6, 8, 11}, kind -> {
            // index [3, 2] stored after one padding element
            Strided index = new Strided(of(kind, DType.INT64, -1, 3, 0, 2, 2, 0, 3), new int[]{3, 2}, new int[]{2, 1}, 1);
            Storage out = zeros(kind, DType.FLOAT32, 6);
            K.gather(self34(kind, DType.FLOAT32), index, 1, out, "gather");
            return out;
        });
    }

    @Test
    void gatherNamesTheOpAndTheBadIndex() {
        for (Storage.Kind kind : Storage.Kind.values()) {
            Strided index = new Strided(of(kind, DType.INT64, 0, 4), new int[]{1, 2}, new int[]{2, 1}, 0);
            var e = assertThrows(IndexOutOfBoundsException.class,
                    () -> K.gather(self34(kind, DType.FLOAT64), index, 1, zeros(kind, DType.FLOAT64, 2), "gather"));
            assertEquals("gather(): index 4 is out of bounds for dimension 1 with size 4. Fix: use values in [0, 4)", e.getMessage());
        }
    }

    @Test
    void scatterSumAddsDuplicatesAndLongsStayExact() {
        long big = (1L << 53) + 1;
        bothKinds(new double[]{big + 1, 0, 5}, kind -> {
            Storage out = of(kind, DType.INT64, 0, 0, 0);
            out.setLong(0, big);
            Strided index = new Strided(of(kind, DType.INT64, 9, 2, 0, 2), new int[]{3}, new int[]{1}, 1);
            Strided src = new Strided(of(kind, DType.INT64, 2, 1, 3), new int[]{3}, new int[]{-1}, 2);   // reversed: 3, 1, 2
            K.scatter(ScatterReduce.SUM, new Strided(out, new int[]{3}, new int[]{1}, 0), index, src, 0, true, "scatter_add");
            return out;
        });
        assertEquals((1L << 53) + 2, scatterSumBigOffHeap());
    }

    private static long scatterSumBigOffHeap() {
        Storage out = of(Storage.Kind.OFFHEAP, DType.INT64, 0);
        out.setLong(0, (1L << 53) + 1);
        K.scatter(ScatterReduce.SUM, new Strided(out, new int[]{1}, new int[]{1}, 0), new Strided(of(Storage.Kind.OFFHEAP, DType.INT64, 0),
                new int[]{1}, new int[]{1}, 0), new Strided(of(Storage.Kind.OFFHEAP, DType.INT64, 1), new int[]{1}, new int[]{1}, 0), 0, true, "s");
        return out.getLong(0);
    }

    @Test
    void scatterProdAndExtremesAlongDimOne() {
        // out [2, 3] of ones; index/src [2, 2]; row 0 sends to 2 and 2, row 1 to 0 and 1
        double[] srcV = {2, 5, -1, 4};
        double[] idxV = {2, 2, 0, 1};
        bothKinds(new double[]{1, 1, 10, -1, 4, 1}, kind -> run(kind, ScatterReduce.PROD, true, idxV, srcV));
        bothKinds(new double[]{1, 1, 5, 1, 4, 1}, kind -> run(kind, ScatterReduce.AMAX, true, idxV, srcV));
        // without include_self the first value scattered replaces self, NaN wins
        bothKinds(new double[]{1, 1, 2, -1, 4, 1}, kind -> run(kind, ScatterReduce.AMIN, false, idxV, srcV));
        bothKinds(new double[]{1, 1, Double.NaN, -1, 4, 1}, kind -> run(kind, ScatterReduce.AMIN, false, idxV, new double[]{Double.NaN, 5, -1, 4}));
    }

    private static Storage run(Storage.Kind kind, ScatterReduce r, boolean includeSelf, double[] idx, double[] src) {
        Storage out = of(kind, DType.FLOAT64, 1, 1, 1, 1, 1, 1);
        K.scatter(r, new Strided(out, new int[]{2, 3}, new int[]{3, 1}, 0), new Strided(of(kind, DType.INT64, idx), new int[]{2, 2}, new int[]{2, 1}, 0),
                new Strided(of(kind, DType.FLOAT64, src), new int[]{2, 2}, new int[]{2, 1}, 0), 1, includeSelf, "scatter_reduce");
        return out;
    }

    @Test
    void indexSelectCopiesContiguousAndStridedSlices() {
        Strided idx = new Strided(of(Storage.Kind.HEAP, DType.INT64, 2, 0, 2), new int[]{3}, new int[]{1}, 0);
        // dim 0 of the transposed view: each slice is a strided row (stride 3)
        bothKinds(new double[]{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, kind -> {
            Storage out = zeros(kind, DType.FLOAT32, 12);
            K.indexSelect(self34(kind, DType.FLOAT32), idx, 0, new Strided(out, new int[]{3, 4}, new int[]{4, 1}, 0), "index_select");
            return out;
        });
        // dim 1: each slice is a contiguous column of the transposed storage (bulk copies); int32 index
        bothKinds(new double[]{2, 0, 2, 6, 4, 6, 10, 8, 10}, kind -> {
            Storage out = zeros(kind, DType.FLOAT64, 9);
            Strided i32 = new Strided(of(kind, DType.INT32, 2, 0, 2), new int[]{3}, new int[]{1}, 0);
            K.indexSelect(self34(kind, DType.FLOAT64), i32, 1, new Strided(out, new int[]{3, 3}, new int[]{3, 1}, 0), "index_select");
            return out;
        });
    }

    @Test
    void indexSelectMessageNamesTheCallingOp() {
        Strided idx = new Strided(of(Storage.Kind.OFFHEAP, DType.INT64, 1, -1), new int[]{2}, new int[]{1}, 0);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> K.indexSelect(self34(Storage.Kind.OFFHEAP, DType.FLOAT32), idx, 0,
                new Strided(zeros(Storage.Kind.OFFHEAP, DType.FLOAT32, 8), new int[]{2, 4}, new int[]{4, 1}, 0), "embedding"));
        assertEquals("embedding(): index out of range in self (index -1 for dimension 0 with size 3). Fix: negative indices do not wrap "
                + "around in embedding (as in PyTorch); use values in [0, 3), e.g. add 3 to negative ones", e.getMessage());
    }

    @Test
    void indexAddAccumulatesRepeatedRows() {
        bothKinds(new double[]{1, 1, 1, 5, 7, 9}, kind -> {
            Storage out = of(kind, DType.FLOAT32, 1, 1, 1, 1, 1, 1);
            // src [2, 3] read transposed from a [3, 2] block: rows (1, 2, 3) and (3, 4, 5)
            Strided src = new Strided(of(kind, DType.FLOAT32, 1, 3, 2, 4, 3, 5), new int[]{2, 3}, new int[]{1, 2}, 0);
            Strided idx = new Strided(of(kind, DType.INT64, 1, 1), new int[]{2}, new int[]{1}, 0);
            K.indexAdd(new Strided(out, new int[]{2, 3}, new int[]{3, 1}, 0), idx, src, 0, "index_add");
            return out;
        });
    }

    @Test
    void nonzeroListsCoordinatesOfAStridedView() {
        bothKinds(new double[]{1, 0, 2, 0, 2, 1}, kind -> {
            // [3, 2] view, transposed, of 0, 5, NaN, 0, 0, 7 (so rows (0, 0), (5, 0), (NaN, 7))
            Strided x = new Strided(of(kind, DType.FLOAT32, 0, 5, Double.NaN, 0, 0, 7), new int[]{3, 2}, new int[]{1, 3}, 0);
            int n = K.countNonzero(x);
            assertEquals(3, n);
            Storage out = zeros(kind, DType.INT64, 2 * n);
            K.nonzero(x, out);
            return out;
        });
    }

    @Test
    void linearAndTakeIndicesWrapNegativesAndNameTheSize() {
        // 1 + 2 * 4, 0 + 0 * 4, 0 + (-1 + 3) * 4
        bothKinds(new double[]{9, 0, 8}, kind -> {
            Storage lin = of(kind, DType.INT64, 1, 0, 0);
            K.addLinearIndex(new Strided(of(kind, DType.INT64, 7, 2, 0, -1), new int[]{3}, new int[]{1}, 1), 0, 3, 4, lin);
            return lin;
        });
        bothKinds(new double[]{5, 1}, kind -> {
            Storage out = zeros(kind, DType.INT64, 2);
            K.takeIndex(new Strided(of(kind, DType.INT64, -1, 1), new int[]{2}, new int[]{1}, 0), 6, new int[]{2, 3}, out);
            return out;
        });
        var e = assertThrows(IndexOutOfBoundsException.class, () -> K.addLinearIndex(new Strided(of(Storage.Kind.OFFHEAP, DType.INT64, -4),
                new int[]{1}, new int[]{1}, 0), 2, 3, 1, zeros(Storage.Kind.OFFHEAP, DType.INT64, 1)));
        assertEquals("index -4 is out of bounds for dimension 2 with size 3", e.getMessage());
    }

    @Test
    void lastWritesMarksTheWinningDuplicates() {
        // index [2, 3] along dim 1 into size 4: row 0 writes 1, 3, 1; row 1 writes 1, 1, 0
        bothKinds(new double[]{0, 1, 1, 0, 1, 1}, kind -> {
            Storage mask = zeros(kind, DType.BOOL, 6);
            K.lastWrites(new Strided(of(kind, DType.INT64, 1, 1, 3, 1, 1, 0), new int[]{2, 3}, new int[]{1, 2}, 0), 1, 4, mask, "scatter");
            return mask;
        });
    }
}
