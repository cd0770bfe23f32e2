package org.grad4j;

import org.grad4j.storage.Shapes;

import java.util.Arrays;
import java.util.TreeMap;

/** Non-differentiable counting ops: unique (sorted) with inverse and counts, bincount. */
final class CountingOps {
    private CountingOps() {}

    /** {@code torch.unique(x, sorted=True, return_inverse=True, return_counts=True)} over all elements. */
    record Unique(Tensor values, Tensor inverse, Tensor counts) {}

    static Unique unique(Tensor x) {
        Tensor c = x.contiguousData();
        int n = x.numel();
        boolean f = x.dtype.isFloatingPoint();
        TreeMap<Double, Integer> slots = new TreeMap<>(Double::compare);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f ? c.storage.getDouble(c.offset + i) : (double) c.storage.getLong(c.offset + i);
            slots.put(v[i], 0);
        }
        int k = 0;
        for (var e : slots.entrySet()) e.setValue(k++);
        Tensor values = Tensor.empty(new int[]{k}, x.dtype), counts = Tensor.empty(new int[]{k}, DType.INT64);
        Tensor inverse = Tensor.empty(x.shape.clone(), DType.INT64);
        for (var e : slots.entrySet()) {
            if (f) values.storage.setDouble(e.getValue(), e.getKey());
            else values.storage.setLong(e.getValue(), e.getKey().longValue());
        }
        for (int i = 0; i < n; i++) {
            int s = slots.get(v[i]);
            inverse.storage.setLong(i, s);
            counts.storage.setLong(s, counts.storage.getLong(s) + 1);
        }
        return new Unique(values, inverse, counts);
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
