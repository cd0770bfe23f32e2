package org.grad4j.nn.init;

/** Thin QR by Householder reflections, for orthogonal initialisation (plain double arrays). */
final class Householder {
    private Householder() {}

    /** Q [m, n] of a = QR (m >= n, row-major), each column multiplied by the sign of R's diagonal entry. */
    static double[] thinQ(double[] a, int m, int n) {
        double[] r = a.clone();
        double[][] vs = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) norm += r[i * n + k] * r[i * n + k];
            norm = Math.sqrt(norm);
            double[] v = new double[m];
            double alpha = r[k * n + k] > 0 ? -norm : norm;
            for (int i = k; i < m; i++) v[i] = r[i * n + k];
            v[k] -= alpha;
            double vn = 0;
            for (int i = k; i < m; i++) vn += v[i] * v[i];
            if (vn > 0) {
                for (int j = k; j < n; j++) {
                    double dot = 0;
                    for (int i = k; i < m; i++) dot += v[i] * r[i * n + j];
                    double f = 2 * dot / vn;
                    for (int i = k; i < m; i++) r[i * n + j] -= f * v[i];
                }
            }
            vs[k] = vn > 0 ? v : null;
            if (vs[k] != null) {
                double s = Math.sqrt(vn);
                for (int i = 0; i < m; i++) vs[k][i] /= s;
            }
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) continue;
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i] * q[i * n + j];
                for (int i = k; i < m; i++) q[i * n + j] -= 2 * dot * v[i];
            }
        }
        for (int j = 0; j < n; j++) {
            double sign = r[j * n + j] < 0 ? -1 : 1;
            for (int i = 0; i < m; i++) q[i * n + j] *= sign;
        }
        return q;
    }
}
