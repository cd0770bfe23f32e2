package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/** CPU fills: array loops on the heap (through {@link Staging}), element access otherwise. */
final class CpuFactoryKernels implements FactoryKernels {
    static final CpuFactoryKernels INSTANCE = new CpuFactoryKernels();

    private CpuFactoryKernels() {}

    @Override
    public void fill(Strided out, double value) {
        CpuKernels.fill(out.shape(), out.storage(), out.strides(), out.offset(), value);
    }

    @Override
    public void arange(Storage out, long start, long step) {
        long[] d = Staging.i64(out);
        for (int i = 0; i < d.length; i++) d[i] = start + i * step;
        Staging.commit(out, d);
    }

    @Override
    public void arange(Storage out, double start, double step) {
        int n = out.size();
        Object a = Staging.array(out);
        if (a instanceof float[] f) for (int i = 0; i < n; i++) f[i] = (float) (start + i * step);
        else if (a instanceof double[] d) for (int i = 0; i < n; i++) d[i] = start + i * step;
        else {
            for (int i = 0; i < n; i++) out.setDouble(i, start + i * step);
            return;
        }
        Staging.commit(out, a);
    }

    @Override
    public void linspace(Storage out, double start, double end) {
        int steps = out.size();
        if (steps == 1) {   // PyTorch fills start (the symmetric formula below would give end)
            out.setDouble(0, start);
            return;
        }
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = steps / 2;
        for (int i = 0; i < steps; i++) out.setDouble(i, i < half ? start + step * i : end - step * (steps - 1 - i));
    }

    @Override
    public int copyFromJava(Object array, Storage out, int at, String op) {
        DType t = out.dtype();
        // same element type: one bulk copy
        if ((array instanceof double[] && t == DType.FLOAT64) || (array instanceof float[] && t == DType.FLOAT32)
                || (array instanceof long[] && t == DType.INT64) || (array instanceof boolean[] && t == DType.BOOL)) {
            int n = java.lang.reflect.Array.getLength(array);
            Staging.copyIn(out, at, array, 0, n);
            return n;
        }
        int p = at;
        switch (array) {
            case double[] a -> { for (double v : a) out.setDouble(p++, v); }
            case float[] a -> { for (float v : a) out.setDouble(p++, v); }
            case long[] a -> { for (long v : a) out.setLong(p++, v); }
            case int[] a -> { for (int v : a) out.setLong(p++, v); }
            case short[] a -> { for (short v : a) out.setLong(p++, v); }
            case byte[] a -> { for (byte v : a) out.setLong(p++, v); }
            case boolean[] a -> { for (boolean v : a) out.setLong(p++, v ? 1 : 0); }
            case Object[] a -> {
                for (Object v : a) {
                    if (v instanceof Number n) {
                        if (n instanceof Double || n instanceof Float) out.setDouble(p++, n.doubleValue());
                        else out.setLong(p++, n.longValue());
                    } else if (v instanceof Boolean b) out.setLong(p++, b ? 1 : 0);
                    else throw new IllegalArgumentException(op + ": unsupported element " + v);
                }
            }
            default -> throw new IllegalArgumentException(op + ": unsupported array " + array.getClass());
        }
        return p - at;
    }

    @Override
    public Object copyToJava(Storage s, int from, int n) { return Staging.copyRange(s, from, n); }
}
