package org.grad4j;

import org.grad4j.storage.Shapes;

import java.util.Arrays;

/** Non-differentiable counting ops: unique (sorted) with inverse and counts, bincount. */
final class CountingOps {
    private CountingOps() {}

    /** {@code torch.unique(x, sorted=True, return_inverse=True, return_counts=True)} over all elements. */
    record Unique(Tensor values, Tensor inverse, Tensor counts) {}

    static Unique unique(Tensor x) {
        Tensor c = x.contiguousData();
        int n = x.numel();
        boolean f = x.dtype.isFloatingPoint();
        // stable sort of positions (NaN last), then a new value wherever a neighbour differs: compared
        // as PyTorch does, with !=, so every NaN stands alone and -0 == 0; longs compare as longs
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, f
                ? (p, q) -> SortScanOps.compareNanLast(c.storage.getDouble(c.offset + p), c.storage.getDouble(c.offset + q))
                : (p, q) -> Long.compare(c.storage.getLong(c.offset + p), c.storage.getLong(c.offset + q)));
        int[] slot = new int[n];
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (j > 0 && !same(c, f, order[j - 1], order[j])) k++;
            slot[order[j]] = k;
        }
        int distinct = n == 0 ? 0 : k + 1;
        Tensor values = Tensor.empty(new int[]{distinct}, x.dtype), counts = Tensor.empty(new int[]{distinct}, DType.INT64);
        Tensor inverse = Tensor.empty(x.shape.clone(), DType.INT64);
        for (int j = 0; j < n; j++) {
            int i = order[j], s = slot[i];
            if (counts.storage.getLong(s) == 0) {
                if (f) values.storage.setDouble(s, c.storage.getDouble(c.offset + i));
                else values.storage.setLong(s, c.storage.getLong(c.offset + i));
            }
            counts.storage.setLong(s, counts.storage.getLong(s) + 1);
            inverse.storage.setLong(i, s);
        }
        return new Unique(values, inverse, counts);
    }

    /**
     * {@code torch.unique_consecutive(x, return_inverse=True, return_counts=True)} over the flattened
     * elements: runs of equal neighbours collapse; NaN != NaN, so NaNs never merge.
     */
    static Unique uniqueConsecutive(Tensor x) {
        Tensor c = x.contiguousData();
        int n = x.numel();
        boolean f = x.dtype.isFloatingPoint();
        Tensor inverse = Tensor.empty(x.shape.clone(), DType.INT64);
        int[] start = new int[n];
        int k = -1;
        for (int i = 0; i < n; i++) {
            if (i == 0 || !same(c, f, i - 1, i)) start[++k] = i;
            inverse.storage.setLong(i, k);
        }
        int distinct = k + 1;
        Tensor values = Tensor.empty(new int[]{distinct}, x.dtype), counts = Tensor.empty(new int[]{distinct}, DType.INT64);
        for (int j = 0; j < distinct; j++) {
            int end = j + 1 < distinct ? start[j + 1] : n;
            if (f) values.storage.setDouble(j, c.storage.getDouble(c.offset + start[j]));
            else values.storage.setLong(j, c.storage.getLong(c.offset + start[j]));
            counts.storage.setLong(j, end - start[j]);
        }
        return new Unique(values, inverse, counts);
    }

    private static boolean same(Tensor c, boolean f, int p, int q) {
        if (f) return c.storage.getDouble(c.offset + p) == c.storage.getDouble(c.offset + q);
        return c.storage.getLong(c.offset + p) == c.storage.getLong(c.offset + q);
    }

    /** {@code torch.bincount(x, weights=None, minlength)} of a 1-d non-negative int64 tensor. */
    static Tensor bincount(Tensor x, int minlength) {
        if (x.dim() != 1 || (x.dtype != DType.INT64 && x.dtype != DType.INT32)) {
            throw new IllegalArgumentException("bincount only supports 1-d non-negative integral inputs, got " + x.dtype + " of shape "
                    + Arrays.toString(x.shape));
        }
        Tensor c = x.contiguousData();
        long max = -1;
        for (int i = 0; i < x.numel(); i++) {
            long v = c.storage.getLong(c.offset + i);
            if (v < 0) throw new IllegalArgumentException("bincount only supports 1-d non-negative integral inputs, got value " + v);
            max = Math.max(max, v);
        }
        if (minlength < 0) throw new IllegalArgumentException("bincount: minlength should be >= 0, got " + minlength);
        // the largest value sets the length: say so when it does not fit one Java array (never a wrapped int)
        Tensor out = Tensor.empty(new int[]{Shapes.checkedDim("bincount", Math.max(max + 1, minlength), Shapes.SCALAR)}, DType.INT64);
        for (int i = 0; i < x.numel(); i++) {
            int b = (int) c.storage.getLong(c.offset + i);
            out.storage.setLong(b, out.storage.getLong(b) + 1);
        }
        return out;
    }
}
