package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sort/scan family called directly, on heap and off-heap storages, against plain references. */
class SortScanKernelsTest {
    private static final SortScanKernels K = Backend.cpu().sortScan();

    /** A [5, 7] view with strides [1, 6] at offset 3 (column-major-like, offset) of a 48-element storage. */
    private static Strided view(Storage s) { return new Strided(s, new int[]{5, 7}, new int[]{1, 6}, 3); }

    private static int at(int i, int j) { return 3 + i + 6 * j; }

    private static int compareNanLast(double a, double b) {
        boolean na = a != a, nb = b != b;
        if (na || nb) return na == nb ? 0 : na ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }

    @Test
    void sortMatchesABoxedStableSortWithNanLastOnHeapAndOffHeap() {
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32}) {
            Storage[] in = BothStorages.of(t, 48, 11);
            for (int dim = 0; dim < 2; dim++) {
                for (boolean desc : new boolean[]{false, true}) {
                    Storage[] values = BothStorages.empty(t, 35), idx = BothStorages.empty(DType.INT64, 35);
                    for (int k = 0; k < 2; k++) K.sort(view(in[k]), dim, desc, values[k], idx[k]);
                    String what = t + " dim " + dim + (desc ? " descending" : "");
                    BothStorages.assertSame(values[0], values[1], what + " values");
                    BothStorages.assertSame(idx[0], idx[1], what + " indices");
                    // reference: Arrays.sort on boxed positions (stable), as grad4j sorted before the seam
                    Storage x = in[0];
                    int n = dim == 0 ? 5 : 7, lines = 35 / n;
                    for (int l = 0; l < lines; l++) {
                        final int line = l, d0 = dim;
                        Integer[] order = new Integer[n];
                        for (int p = 0; p < n; p++) order[p] = p;
                        Comparator<Integer> c = t.isFloatingPoint()
                                ? (p, q) -> compareNanLast(x.getDouble(d0 == 0 ? at(p, line) : at(line, p)), x.getDouble(d0 == 0 ? at(q, line) : at(line, q)))
                                : (p, q) -> Long.compare(x.getLong(d0 == 0 ? at(p, line) : at(line, p)), x.getLong(d0 == 0 ? at(q, line) : at(line, q)));
                        Arrays.sort(order, desc ? c.reversed() : c);
                        for (int p = 0; p < n; p++) {
                            int outPos = dim == 0 ? p * 7 + l : l * 7 + p;   // contiguous [5, 7] output
                            assertEquals((long) order[p], idx[1].getLong(outPos), what + " line " + l + " rank " + p);
                        }
                    }
                }
            }
        }
    }

    @Test
    void longLinesSortStablyAcrossMergeRuns() {
        int n = 1000;
        Storage[] in = BothStorages.of(DType.FLOAT64, n, 5);
        Storage[] values = BothStorages.empty(DType.FLOAT64, n), idx = BothStorages.empty(DType.INT64, n);
        for (int k = 0; k < 2; k++) K.sort(new Strided(in[k], new int[]{n}, new int[]{1}, 0), 0, false, values[k], idx[k]);
        BothStorages.assertSame(idx[0], idx[1], "indices");
        for (int i = 1; i < n; i++) {
            int c = compareNanLast(values[0].getDouble(i - 1), values[0].getDouble(i));
            assertEquals(true, c < 0 || (c == 0 && idx[0].getLong(i - 1) < idx[0].getLong(i)), "order at " + i);
        }
    }

    @Test
    void scansMatchARunningAccumulatorOnHeapAndOffHeap() {
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            Storage[] in = BothStorages.of(t, 48, 2);
            for (SortScanKernels.Scan kind : SortScanKernels.Scan.values()) {
                Storage[] out = BothStorages.empty(t, 35);
                for (int k = 0; k < 2; k++) K.scan(kind, view(in[k]), 1, out[k]);
                BothStorages.assertSame(out[0], out[1], t + " " + kind);
                for (int i = 0; i < 5; i++) {
                    double acc = kind == SortScanKernels.Scan.SUM ? 0 : 1;
                    long lacc = (long) acc;
                    for (int j = 0; j < 7; j++) {
                        double v = in[0].getDouble(at(i, j));
                        acc = kind == SortScanKernels.Scan.SUM ? acc + v : acc * v;
                        lacc = kind == SortScanKernels.Scan.SUM ? lacc + in[0].getLong(at(i, j)) : lacc * in[0].getLong(at(i, j));
                        Storage ref = HeapStorage.allocate(t, 1);
                        if (t.isFloatingPoint()) ref.setDouble(0, acc); else ref.setLong(0, lacc);
                        assertEquals(0, Double.compare(ref.getDouble(0), out[0].getDouble(i * 7 + j)), t + " " + kind + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void medianIsTheLowerMiddleOrTheFirstNanOnHeapAndOffHeap() {
        for (boolean ignoreNan : new boolean[]{false, true}) {
            Storage[] in = BothStorages.of(DType.FLOAT32, 48, 9);
            Storage[] values = BothStorages.empty(DType.FLOAT32, 7), idx = BothStorages.empty(DType.INT64, 7);
            for (int k = 0; k < 2; k++) K.median(view(in[k]), 0, ignoreNan, values[k], idx[k]);
            BothStorages.assertSame(values[0], values[1], "values ignoreNan=" + ignoreNan);
            BothStorages.assertSame(idx[0], idx[1], "indices ignoreNan=" + ignoreNan);
        }
        Storage s = HeapStorage.allocate(DType.FLOAT64, 5);
        double[] v = {4, Double.NaN, 1, Double.NaN, 3};
        for (int i = 0; i < 5; i++) s.setDouble(i, v[i]);
        Strided x = new Strided(s, new int[]{5}, new int[]{1}, 0);
        Storage val = HeapStorage.allocate(DType.FLOAT64, 1), idx = HeapStorage.allocate(DType.INT64, 1);
        K.median(x, 0, false, val, idx);
        assertEquals(Double.NaN, val.getDouble(0));
        assertEquals(1, idx.getLong(0));                  // the first NaN
        K.median(x, 0, true, val, idx);
        assertEquals(3.0, val.getDouble(0));              // lower middle of {1, 3, 4}
        assertEquals(4, idx.getLong(0));
    }
}
