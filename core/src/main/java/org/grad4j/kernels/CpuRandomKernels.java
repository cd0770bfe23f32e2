package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;

/** CPU random fills: the draws go into a Java array, committed to the storage at the end. */
final class CpuRandomKernels implements RandomKernels {
    static final CpuRandomKernels INSTANCE = new CpuRandomKernels();

    private CpuRandomKernels() {}

    @Override
    public void uniform(Storage out, RandomSource g) {
        Object a = Staging.array(out);
        if (a instanceof float[] f) for (int i = 0; i < f.length; i++) f[i] = g.nextFloat();
        else { double[] d = (double[]) a; for (int i = 0; i < d.length; i++) d[i] = g.nextDouble(); }
        Staging.commit(out, a);
    }

    @Override
    public void normal(Storage out, RandomSource g) {
        int n = out.size();
        boolean f32 = out.dtype() == DType.FLOAT32;
        double[] u = new double[n];
        if (n < 16) {
            for (int i = 0; i < n; i++) u[i] = g.nextGaussian();
        } else {
            for (int i = 0; i < n; i++) u[i] = f32 ? g.nextFloat() : g.nextDouble();
            for (int i = 0; i + 16 <= n; i += 16) boxMuller16(u, i, f32);
            if (n % 16 != 0) {
                for (int i = n - 16; i < n; i++) u[i] = f32 ? g.nextFloat() : g.nextDouble();
                boxMuller16(u, n - 16, f32);
            }
        }
        Object a = Staging.array(out);
        if (a instanceof float[] f) for (int i = 0; i < n; i++) f[i] = (float) u[i];
        else System.arraycopy(u, 0, a, 0, n);
        Staging.commit(out, a);
    }

    private static void boxMuller16(double[] d, int at, boolean f32) {
        for (int j = at; j < at + 8; j++) {
            double u1 = 1 - d[j], u2 = d[j + 8];
            if (f32) {   // float arithmetic, as torch's float kernel
                float r = (float) Math.sqrt(-2f * (float) Math.log((float) u1));
                float theta = 2f * (float) Math.PI * (float) u2;
                d[j] = r * (float) Math.cos(theta);
                d[j + 8] = r * (float) Math.sin(theta);
            } else {
                double r = Math.sqrt(-2 * Math.log(u1)), theta = 2 * Math.PI * u2;
                d[j] = r * Math.cos(theta);
                d[j + 8] = r * Math.sin(theta);
            }
        }
    }

    @Override
    public void randint(Storage out, long low, long high, RandomSource g) {
        long[] d = Staging.i64(out);
        for (int i = 0; i < d.length; i++) d[i] = low + g.nextBounded(high - low);
        Staging.commit(out, d);
    }

    @Override
    public void randperm(Storage out, RandomSource g) {
        long[] d = Staging.i64(out);
        int n = d.length;
        for (int i = 0; i < n; i++) d[i] = i;
        for (int i = 0; i < n - 1; i++) {
            int j = i + (int) g.nextBounded(n - i);
            long tmp = d[i];
            d[i] = d[j];
            d[j] = tmp;
        }
        Staging.commit(out, d);
    }
}
