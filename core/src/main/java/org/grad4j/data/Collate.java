package org.grad4j.data;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's {@code default_collate}: tensors are stacked along a new first dimension; arrays,
 * lists and maps of tensors are collated element by element; Java numbers become a 1-d tensor
 * (Integer/Long as int64, Float/Double as float64, Boolean as bool).
 *
 * <pre>{@code
 * Tensor batch = Collate.stack(List.of(a, b, c));    // shape [3, ...a.shape()]
 * }</pre>
 */
public final class Collate {
    private Collate() {}

    /** {@code torch.stack(tensors)}: same shapes and dtypes, result is a new contiguous tensor (no autograd). */
    public static Tensor stack(List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack expects a non-empty list of tensors");
        Tensor first = tensors.get(0);
        int[] shape = first.shape();
        for (int i = 1; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + Arrays.toString(shape)
                        + " at entry 0 and " + Arrays.toString(t.shape()) + " at entry " + i
                        + ". Fix: resize the samples in the dataset or pass a custom collate function");
            }
            if (t.dtype() != first.dtype()) {
                throw new IllegalArgumentException("stack expects tensors of one dtype, but got " + first.dtype() + " at entry 0 and "
                        + t.dtype() + " at entry " + i);
            }
        }
        int[] outShape = new int[shape.length + 1];
        outShape[0] = tensors.size();
        System.arraycopy(shape, 0, outShape, 1, shape.length);
        Tensor out = Grad4j.zeros(outShape, first.dtype(), first.device());
        try (var g = Autograd.noGrad()) {
            for (int i = 0; i < tensors.size(); i++) out.select(0, i).copy_(tensors.get(i));
        }
        return out;
    }

    /** Collates a list of samples as PyTorch's default_collate does. */
    @SuppressWarnings("unchecked")
    public static Object defaultCollate(List<?> batch) {
        if (batch.isEmpty()) throw new IllegalArgumentException("default_collate: empty batch");
        Object first = batch.get(0);
        if (first instanceof Tensor) return stack((List<Tensor>) batch);
        if (first instanceof Tensor[] arr) {
            Tensor[] out = new Tensor[arr.length];
            for (int k = 0; k < arr.length; k++) {
                List<Tensor> col = new ArrayList<>(batch.size());
                for (Object s : batch) {
                    Tensor[] a = (Tensor[]) s;
                    if (a.length != arr.length) throw new IllegalArgumentException("each element in list of batch should be of equal size");
                    col.add(a[k]);
                }
                out[k] = stack(col);
            }
            return out;
        }
        if (first instanceof Integer || first instanceof Long) {
            long[] v = new long[batch.size()];
            for (int i = 0; i < v.length; i++) v[i] = ((Number) batch.get(i)).longValue();
            return Grad4j.fromArray(v, v.length);
        }
        if (first instanceof Double || first instanceof Float) {
            double[] v = new double[batch.size()];
            for (int i = 0; i < v.length; i++) v[i] = ((Number) batch.get(i)).doubleValue();
            return Grad4j.fromArray(v, v.length);
        }
        if (first instanceof Boolean) {
            long[] v = new long[batch.size()];
            for (int i = 0; i < v.length; i++) v[i] = (Boolean) batch.get(i) ? 1 : 0;
            return Grad4j.fromArray(v, v.length).to(DType.BOOL);
        }
        if (first instanceof String) return batch;
        if (first instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object key : m.keySet()) {
                List<Object> col = new ArrayList<>(batch.size());
                for (Object s : batch) col.add(((Map<?, ?>) s).get(key));
                out.put(key, defaultCollate(col));
            }
            return out;
        }
        if (first instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int k = 0; k < l.size(); k++) {
                List<Object> col = new ArrayList<>(batch.size());
                for (Object s : batch) col.add(((List<?>) s).get(k));
                out.add(defaultCollate(col));
            }
            return out;
        }
        throw new IllegalArgumentException("default_collate: batch must contain tensors, numbers, strings, maps, lists or Tensor[]; found "
                + first.getClass().getName() + ". Fix: pass a custom collate function to the DataLoader");
    }
}
