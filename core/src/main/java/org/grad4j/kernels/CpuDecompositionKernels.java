package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * The CPU decompositions: each matrix is copied out as a row-major double array, handed to
 * {@link LinalgKernels} and its results copied into the output storages.
 */
final class CpuDecompositionKernels implements DecompositionKernels {
    static final CpuDecompositionKernels INSTANCE = new CpuDecompositionKernels();

    private CpuDecompositionKernels() {}

    /** The matrices of a [*batch, r, c] view as row-major float64 arrays (copies: the kernels work in place). */
    private static double[][] mats(Strided a) {
        int d = a.dim();
        int r = a.shape()[d - 2], k = a.shape()[d - 1], sz = r * k;
        int b = Shapes.numel(java.util.Arrays.copyOf(a.shape(), d - 2));
        Strided c = a.storage().dtype() == DType.FLOAT64 ? CpuElementwiseKernels.contiguous(a) : CpuElementwiseKernels.cast(a, DType.FLOAT64);
        double[][] out = new double[b][];
        for (int i = 0; i < b; i++) out[i] = (double[]) Staging.copyRange(c.storage(), c.offset() + i * sz, sz);
        return out;
    }

    /** Writes per-batch results into a contiguous float64 storage. */
    private static void store(double[][] ms, Storage out) {
        int sz = ms.length == 0 ? 0 : ms[0].length;
        for (int i = 0; i < ms.length; i++) Staging.copyIn(out, i * sz, ms[i], 0, sz);
    }

    private static int n(Strided a) { return a.shape()[a.dim() - 1]; }

    @Override
    public Failure inv(Strided a, Storage out) {
        int n = n(a);
        double[][] ms = mats(a);
        double[] eye = new double[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1;
        for (int b = 0; b < ms.length; b++) {
            int[] piv = LinalgKernels.lu(ms[b], n);
            if (piv[n] == 0) return new Failure(b, 0);
            ms[b] = LinalgKernels.luSolve(ms[b], piv, n, eye, n);
        }
        store(ms, out);
        return null;
    }

    @Override
    public void det(Strided a, Storage out) {
        int n = n(a);
        double[][] ms = mats(a);
        double[][] d = new double[ms.length][1];
        for (int b = 0; b < ms.length; b++) {
            int[] piv = LinalgKernels.lu(ms[b], n);
            double v = piv[n];
            for (int i = 0; i < n && v != 0; i++) v *= ms[b][i * n + i];
            d[b][0] = v;
        }
        store(d, out);
    }

    @Override
    public void slogdet(Strided a, Storage sign, Storage logabs) {
        int n = n(a);
        double[][] ms = mats(a);
        double[][] sg = new double[ms.length][1], la = new double[ms.length][1];
        for (int b = 0; b < ms.length; b++) {
            int[] piv = LinalgKernels.lu(ms[b], n);
            double s = piv[n], l = 0;
            for (int i = 0; i < n && s != 0; i++) {
                double v = ms[b][i * n + i];
                if (v < 0) s = -s;
                l += Math.log(Math.abs(v));
            }
            sg[b][0] = s;
            la[b][0] = s == 0 ? Double.NEGATIVE_INFINITY : l;
        }
        store(sg, sign);
        store(la, logabs);
    }

    @Override
    public Failure solve(Strided a, Strided b, Storage out) {
        int n = n(a), m = n(b);
        double[][] am = mats(a), bm = mats(b);
        double[][] xs = new double[am.length][];
        for (int i = 0; i < am.length; i++) {
            int[] piv = LinalgKernels.lu(am[i], n);
            if (piv[n] == 0) return new Failure(i, 0);
            xs[i] = LinalgKernels.luSolve(am[i], piv, n, bm[i], m);
        }
        store(xs, out);
        return null;
    }

    @Override
    public Failure cholesky(Strided a, Storage out) {
        int n = n(a);
        double[][] ms = mats(a);
        double[][] ls = new double[ms.length][];
        for (int b = 0; b < ms.length; b++) {
            ls[b] = new double[n * n];
            int bad = LinalgKernels.cholesky(ms[b], n, ls[b]);
            if (bad != 0) return new Failure(b, bad);
        }
        store(ls, out);
        return null;
    }

    @Override
    public void qr(Strided a, Storage q, Storage r) {
        int m = a.shape()[a.dim() - 2], n = n(a), k = Math.min(m, n);
        double[][] ms = mats(a);
        double[][] qs = new double[ms.length][], rs = new double[ms.length][];
        for (int b = 0; b < ms.length; b++) {
            qs[b] = new double[m * k];
            rs[b] = new double[k * n];
            LinalgKernels.qr(ms[b], m, n, qs[b], rs[b]);
        }
        store(qs, q);
        store(rs, r);
    }

    @Override
    public void eigh(Strided a, Storage values, Storage vectors) {
        int n = n(a);
        double[][] ms = mats(a);
        double[][] vals = new double[ms.length][], vecs = new double[ms.length][];
        for (int b = 0; b < ms.length; b++) {
            double[] s = ms[b];
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) s[i * n + j] = s[j * n + i];
            vals[b] = new double[n];
            vecs[b] = new double[n * n];
            LinalgKernels.eigh(s, n, vals[b], vecs[b]);
        }
        store(vals, values);
        store(vecs, vectors);
    }

    @Override
    public void svd(Strided a, Storage u, Storage s, Storage v) {
        int m = a.shape()[a.dim() - 2], n = n(a);
        double[][] ms = mats(a);
        double[][] us = new double[ms.length][], ss = new double[ms.length][], vs = new double[ms.length][];
        for (int b = 0; b < ms.length; b++) {
            us[b] = new double[m * n];
            ss[b] = new double[n];
            vs[b] = new double[n * n];
            LinalgKernels.svd(ms[b], m, n, us[b], ss[b], vs[b]);
        }
        store(us, u);
        store(ss, s);
        store(vs, v);
    }
}
