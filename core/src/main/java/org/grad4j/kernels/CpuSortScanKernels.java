package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * CPU scans and sorts, line by line. A line of x starts at an offset the odometer over the
 * other dims gives and steps by x's stride along dim; outputs are contiguous.
 */
final class CpuSortScanKernels implements SortScanKernels {
    static final CpuSortScanKernels INSTANCE = new CpuSortScanKernels();

    private CpuSortScanKernels() {}

    /** Receives one line: its start in x's storage and in the contiguous output. */
    private interface Line { void at(int in, int out); }

    /**
     * Calls {@code body} for every line along dim, in row-major order of the other dims. The output
     * has x's shape ({@code keepDim}: a line starts where its first element sits) or x's shape
     * without dim (one element per line, at the line's number).
     */
    private static void lines(Strided x, int dim, boolean keepDim, Line body) {
        int[] shape = x.shape(), strides = x.strides();
        int rank = shape.length;
        if (rank == 0) { body.at(x.offset(), 0); return; }
        int lineCount = 1, inner = 1;
        for (int d = 0; d < rank; d++) if (d != dim) lineCount *= shape[d];
        for (int d = dim + 1; d < rank; d++) inner *= shape[d];
        if (lineCount == 0 || shape[dim] == 0) return;
        int n = shape[dim];
        int[] idx = new int[rank];
        int in = x.offset();
        for (int l = 0; l < lineCount; l++) {
            // output start: contiguous position of (idx with idx[dim] = 0), or the line number when dim is dropped
            int out = keepDim ? (l / inner) * n * inner + l % inner : l;
            body.at(in, out);
            for (int d = rank - 1; d >= 0; d--) {   // next index over the dims other than dim
                if (d == dim) continue;
                if (++idx[d] < shape[d]) { in += strides[d]; break; }
                in -= (shape[d] - 1) * strides[d];
                idx[d] = 0;
            }
        }
    }

    private static int len(Strided x, int dim) { return x.dim() == 0 ? 1 : x.shape()[dim]; }

    private static int step(Strided x, int dim) { return x.dim() == 0 ? 0 : x.strides()[dim]; }

    private static int inner(Strided x, int dim) {
        int inner = 1;
        for (int d = dim + 1; d < x.dim(); d++) inner *= x.shape()[d];
        return inner;
    }

    // ---------------------------------------------------------------- scans

    @Override
    public void scan(Scan kind, Strided x, int dim, Storage out) {
        int n = len(x, dim), s = step(x, dim), os = inner(x, dim);
        boolean prod = kind == Scan.PROD;
        Storage xs = x.storage();
        Object xa = arrayOrNull(xs), oa = arrayOrNull(out);
        if (xa instanceof float[] xf && oa instanceof float[] of) {
            lines(x, dim, true, (b, o) -> {
                double acc = prod ? 1 : 0;
                for (int k = 0, p = b, q = o; k < n; k++, p += s, q += os) { acc = prod ? acc * xf[p] : acc + xf[p]; of[q] = (float) acc; }
            });
        } else if (xa instanceof double[] xd && oa instanceof double[] od) {
            lines(x, dim, true, (b, o) -> {
                double acc = prod ? 1 : 0;
                for (int k = 0, p = b, q = o; k < n; k++, p += s, q += os) { acc = prod ? acc * xd[p] : acc + xd[p]; od[q] = acc; }
            });
        } else if (xa instanceof long[] xl && oa instanceof long[] ol) {
            lines(x, dim, true, (b, o) -> {
                long acc = prod ? 1 : 0;
                for (int k = 0, p = b, q = o; k < n; k++, p += s, q += os) { acc = prod ? acc * xl[p] : acc + xl[p]; ol[q] = acc; }
            });
        } else {
            boolean f = out.dtype().isFloatingPoint();
            lines(x, dim, true, (b, o) -> {
                double acc = prod ? 1 : 0;
                long lacc = prod ? 1 : 0;
                for (int k = 0, p = b, q = o; k < n; k++, p += s, q += os) {
                    if (f) { acc = prod ? acc * xs.getDouble(p) : acc + xs.getDouble(p); out.setDouble(q, acc); }
                    else { lacc = prod ? lacc * xs.getLong(p) : lacc + xs.getLong(p); out.setLong(q, lacc); }
                }
            });
            return;
        }
        Staging.commit(out, oa);
    }

    // ---------------------------------------------------------------- sort

    @Override
    public void sort(Strided x, int dim, boolean descending, Storage values, Storage indices) {
        int n = len(x, dim), s = step(x, dim), os = inner(x, dim);
        Keys keys = new Keys(x, n, s);
        int[] order = new int[n], tmp = new int[n];
        Object va = arrayOrNull(values);
        long[] ia = Staging.i64(indices);
        lines(x, dim, true, (b, o) -> {
            keys.load(b);
            keys.sort(order, tmp, descending);
            for (int k = 0, q = o; k < n; k++, q += os) {
                keys.store(order[k], va, values, q);
                ia[q] = order[k];
            }
        });
        if (va != null) Staging.commit(values, va);
        Staging.commit(indices, ia);
    }

    @Override
    public void median(Strided x, int dim, boolean ignoreNan, Storage values, Storage indices) {
        int n = len(x, dim), s = step(x, dim);
        Keys keys = new Keys(x, n, s);
        int[] order = new int[n], tmp = new int[n];
        Object va = arrayOrNull(values);
        long[] ia = Staging.i64(indices);
        lines(x, dim, false, (b, o) -> {
            keys.load(b);
            keys.sort(order, tmp, false);
            int valid = n;
            if (keys.floating) while (valid > 0 && keys.d[order[valid - 1]] != keys.d[order[valid - 1]]) valid--;   // NaNs sort last
            // median: the first NaN when there is one (the sort is stable, so it is the first in the line)
            int pick = !ignoreNan ? (valid < n ? valid : (n - 1) / 2) : (valid == 0 ? 0 : (valid - 1) / 2);
            keys.store(order[pick], va, values, o);
            ia[o] = ignoreNan && valid == 0 ? 0 : order[pick];
        });
        if (va != null) Staging.commit(values, va);
        Staging.commit(indices, ia);
    }

    /** The array of a float32/float64/int64 storage; null for the others (written element by element). */
    private static Object arrayOrNull(Storage s) {
        DType t = s.dtype();
        return t == DType.FLOAT32 || t == DType.FLOAT64 || t == DType.INT64 ? Staging.array(s) : null;
    }

    /** One line's keys as doubles (floating x) or longs (the others), compared as PyTorch sorts. */
    private static final class Keys {
        final boolean floating;
        final double[] d;
        final long[] v;
        final Object xa;
        final Storage xs;
        final int n, s;

        Keys(Strided x, int n, int s) {
            this.xs = x.storage();
            this.floating = xs.dtype().isFloatingPoint();
            this.d = floating ? new double[n] : null;
            this.v = floating ? null : new long[n];
            this.xa = arrayOrNull(xs);
            this.n = n;
            this.s = s;
        }

        void load(int b) {
            if (xa instanceof float[] f) for (int k = 0, p = b; k < n; k++, p += s) d[k] = f[p];
            else if (xa instanceof double[] a) for (int k = 0, p = b; k < n; k++, p += s) d[k] = a[p];
            else if (xa instanceof long[] a) for (int k = 0, p = b; k < n; k++, p += s) v[k] = a[p];
            else if (floating) for (int k = 0, p = b; k < n; k++, p += s) d[k] = xs.getDouble(p);
            else for (int k = 0, p = b; k < n; k++, p += s) v[k] = xs.getLong(p);
        }

        /** Writes key k into element q of out (whose array, when it has one, is oa). */
        void store(int k, Object oa, Storage out, int q) {
            if (oa instanceof float[] f) f[q] = (float) d[k];
            else if (oa instanceof double[] a) a[q] = d[k];
            else if (oa instanceof long[] a) a[q] = v[k];
            else if (floating) out.setDouble(q, d[k]);
            else out.setLong(q, v[k]);
        }

        int compare(int p, int q) {
            if (!floating) return Long.compare(v[p], v[q]);
            double a = d[p], b = d[q];
            boolean na = a != a, nb = b != b;
            if (na || nb) return na == nb ? 0 : na ? 1 : -1;
            return a < b ? -1 : a > b ? 1 : 0;
        }

        /** order = the stable ascending (or descending) permutation of the loaded keys: a merge sort. */
        void sort(int[] order, int[] tmp, boolean descending) {
            for (int k = 0; k < n; k++) order[k] = k;
            mergeSort(order, tmp, 0, n, descending ? -1 : 1);
        }

        private void mergeSort(int[] a, int[] tmp, int lo, int hi, int sign) {
            if (hi - lo <= 16) {   // insertion sort: stable, and fast on short runs
                for (int i = lo + 1; i < hi; i++) {
                    int e = a[i], j = i;
                    while (j > lo && sign * compare(a[j - 1], e) > 0) { a[j] = a[j - 1]; j--; }
                    a[j] = e;
                }
                return;
            }
            int mid = (lo + hi) >>> 1;
            mergeSort(a, tmp, lo, mid, sign);
            mergeSort(a, tmp, mid, hi, sign);
            if (sign * compare(a[mid - 1], a[mid]) <= 0) return;   // already in order
            System.arraycopy(a, lo, tmp, lo, hi - lo);
            for (int i = lo, j = mid, k = lo; k < hi; k++) {
                // ties take the left run first: stability
                if (j >= hi || (i < mid && sign * compare(tmp[i], tmp[j]) <= 0)) a[k] = tmp[i++];
                else a[k] = tmp[j++];
            }
        }
    }
}
