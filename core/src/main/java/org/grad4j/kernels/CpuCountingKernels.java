package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

import java.util.Arrays;

/** CPU counting kernels, over any storage through its typed accessors. */
final class CpuCountingKernels implements CountingKernels {
    @Override
    public long maxNonNegative(Strided x, String op) {
        int n = Walk.numel(x.shape());
        Storage s = x.storage();
        Walk w = new Walk(x);
        long max = -1;
        for (int i = 0; i < n; i++, w.next()) {
            long v = s.getLong(w.o0);
            if (v < 0) throw IndexErrors.negative(op, v);
            max = Math.max(max, v);
        }
        return max;
    }

    @Override
    public void oneHot(Strided x, int classes, Storage out) {
        int n = Walk.numel(x.shape());
        Storage s = x.storage();
        Walk w = new Walk(x);
        for (int i = 0; i < n; i++, w.next()) out.setLong(i * classes + (int) s.getLong(w.o0), 1);
    }

    @Override
    public void bincount(Strided x, Storage out) {
        int n = Walk.numel(x.shape());
        Storage s = x.storage();
        Walk w = new Walk(x);
        for (int i = 0; i < n; i++, w.next()) {
            int b = (int) s.getLong(w.o0);
            out.setLong(b, out.getLong(b) + 1);
        }
    }

    @Override
    public int uniqueInverse(Strided x, boolean sorted, Storage inverse) {
        int n = Walk.numel(x.shape());
        boolean f = x.storage().dtype().isFloatingPoint();
        double[] dv = f ? new double[n] : null;
        long[] lv = f ? null : new long[n];
        Storage s = x.storage();
        Walk w = new Walk(x);
        for (int i = 0; i < n; i++, w.next()) {
            if (f) dv[i] = s.getDouble(w.o0);
            else lv[i] = s.getLong(w.o0);
        }
        if (!sorted) {
            int k = -1;
            for (int i = 0; i < n; i++) {
                if (i == 0 || !same(dv, lv, i - 1, i)) k++;
                inverse.setLong(i, k);
            }
            return k + 1;
        }
        // stable sort of positions (NaN last), then a new value wherever a neighbour differs: compared
        // as PyTorch does, with !=, so every NaN stands alone and -0 == 0; longs compare as longs
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, f ? (p, q) -> compareNanLast(dv[p], dv[q]) : (p, q) -> Long.compare(lv[p], lv[q]));
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (j > 0 && !same(dv, lv, order[j - 1], order[j])) k++;
            inverse.setLong(order[j], k);
        }
        return n == 0 ? 0 : k + 1;
    }

    private static boolean same(double[] dv, long[] lv, int p, int q) {
        return dv != null ? dv[p] == dv[q] : lv[p] == lv[q];
    }

    /** Ascending with NaN last; -0 and 0 (and NaN and NaN) tie, so a stable sort keeps their order. */
    private static int compareNanLast(double a, double b) {
        boolean na = a != a, nb = b != b;
        if (na || nb) return na == nb ? 0 : na ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }

    @Override
    public void uniqueFill(Strided x, Storage inverse, Storage values, Storage counts) {
        int n = Walk.numel(x.shape());
        boolean f = x.storage().dtype().isFloatingPoint();
        Storage s = x.storage();
        Walk w = new Walk(x);
        // an element's value lands in its slot when it is the slot's first (positions ascending): the
        // first of equal values in the stable sort, or the first of a run
        for (int i = 0; i < n; i++, w.next()) {
            int slot = (int) inverse.getLong(i);
            if (counts.getLong(slot) == 0) {
                if (f) values.setDouble(slot, s.getDouble(w.o0));
                else values.setLong(slot, s.getLong(w.o0));
            }
            counts.setLong(slot, counts.getLong(slot) + 1);
        }
    }
}
