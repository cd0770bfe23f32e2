package org.grad4j.kernels;

/**
 * Dense decompositions on one row-major double matrix: LU with partial pivoting, Cholesky,
 * Householder QR, Jacobi eigen-decomposition of a symmetric matrix and one-sided Jacobi SVD.
 * Small and robust rather than fast; batches loop over these.
 */
public final class LinalgKernels {
    private LinalgKernels() {}

    /** In-place LU of a (n x n): returns the pivot permutation and the sign in piv[n]; null if singular. */
    public static int[] lu(double[] a, int n) {
        int[] piv = new int[n + 1];
        int sign = 1;
        for (int i = 0; i < n; i++) piv[i] = i;
        for (int k = 0; k < n; k++) {
            int p = k;
            double best = Math.abs(a[k * n + k]);
            for (int i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > best) { best = Math.abs(a[i * n + k]); p = i; }
            if (best == 0) { piv[n] = 0; return piv; }
            if (p != k) {
                for (int j = 0; j < n; j++) { double t = a[k * n + j]; a[k * n + j] = a[p * n + j]; a[p * n + j] = t; }
                int t = piv[k]; piv[k] = piv[p]; piv[p] = t;
                sign = -sign;
            }
            for (int i = k + 1; i < n; i++) {
                double f = a[i * n + k] / a[k * n + k];
                a[i * n + k] = f;
                for (int j = k + 1; j < n; j++) a[i * n + j] -= f * a[k * n + j];
            }
        }
        piv[n] = sign;
        return piv;
    }

    /** Solves A X = B (A n x n, B n x m) from A's LU; returns X row-major. */
    public static double[] luSolve(double[] lu, int[] piv, int n, double[] b, int m) {
        double[] x = new double[n * m];
        for (int i = 0; i < n; i++) System.arraycopy(b, piv[i] * m, x, i * m, m);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < i; k++) {
                double f = lu[i * n + k];
                if (f != 0) for (int j = 0; j < m; j++) x[i * m + j] -= f * x[k * m + j];
            }
        for (int i = n - 1; i >= 0; i--) {
            for (int k = i + 1; k < n; k++) {
                double f = lu[i * n + k];
                if (f != 0) for (int j = 0; j < m; j++) x[i * m + j] -= f * x[k * m + j];
            }
            double d = lu[i * n + i];
            for (int j = 0; j < m; j++) x[i * m + j] /= d;
        }
        return x;
    }

    /** Lower Cholesky factor of a symmetric positive-definite matrix; returns -1-(failing minor) index when not PD, else 0. */
    public static int cholesky(double[] a, int n, double[] l) {
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int k = 0; k < j; k++) s -= l[j * n + k] * l[j * n + k];
            if (!(s > 0)) return j + 1;
            double d = Math.sqrt(s);
            l[j * n + j] = d;
            for (int i = j + 1; i < n; i++) {
                double t = a[i * n + j];
                for (int k = 0; k < j; k++) t -= l[i * n + k] * l[j * n + k];
                l[i * n + j] = t / d;
            }
        }
        return 0;
    }

    /** Reduced Householder QR of a (m x n, m >= n): q (m x n), r (n x n), diag(r) made non-negative like LAPACK's sign choice is not. */
    public static void qr(double[] a, int m, int n, double[] q, double[] r) {
        int k = Math.min(m, n);
        double[] w = a.clone();
        double[][] vs = new double[k][];
        for (int j = 0; j < k; j++) {
            double norm = 0;
            for (int i = j; i < m; i++) norm += w[i * n + j] * w[i * n + j];
            norm = Math.sqrt(norm);
            double[] v = new double[m];
            double tail = norm * norm - w[j * n + j] * w[j * n + j];
            if (norm == 0 || tail <= 0) { vs[j] = v; continue; }   // LAPACK: no reflection when the tail is zero
            double alpha = w[j * n + j] > 0 ? -norm : norm;    // LAPACK's choice: R's diagonal gets the sign of -x0
            for (int i = j; i < m; i++) v[i] = w[i * n + j];
            v[j] -= alpha;
            double vn = 0;
            for (int i = j; i < m; i++) vn += v[i] * v[i];
            if (vn == 0) { vs[j] = new double[m]; continue; }
            for (int c = j; c < n; c++) {
                double dot = 0;
                for (int i = j; i < m; i++) dot += v[i] * w[i * n + c];
                double f = 2 * dot / vn;
                for (int i = j; i < m; i++) w[i * n + c] -= f * v[i];
            }
            for (int i = j; i < m; i++) v[i] /= Math.sqrt(vn / 2);
            vs[j] = v;
        }
        for (int i = 0; i < k; i++) for (int c = 0; c < n; c++) r[i * n + c] = c >= i ? w[i * n + c] : 0;
        // Q = H_0 ... H_{k-1} applied to the first k columns of I
        for (int i = 0; i < m; i++) for (int c = 0; c < k; c++) q[i * k + c] = i == c ? 1 : 0;
        for (int j = k - 1; j >= 0; j--) {
            double[] v = vs[j];
            for (int c = 0; c < k; c++) {
                double dot = 0;
                for (int i = j; i < m; i++) dot += v[i] * q[i * k + c];
                for (int i = j; i < m; i++) q[i * k + c] -= dot * v[i];
            }
        }
    }

    /** Eigen-decomposition of a symmetric n x n matrix by cyclic Jacobi: ascending values, vectors as columns of v. */
    public static void eigh(double[] a, int n, double[] values, double[] v) {
        double[] w = a.clone();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) v[i * n + j] = i == j ? 1 : 0;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) off += w[i * n + j] * w[i * n + j];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) {
                    double apq = w[p * n + q];
                    if (Math.abs(apq) < 1e-300) continue;
                    double theta = (w[q * n + q] - w[p * n + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = w[k * n + p], akq = w[k * n + q];
                        w[k * n + p] = c * akp - s * akq;
                        w[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = w[p * n + k], aqk = w[q * n + k];
                        w[p * n + k] = c * apk - s * aqk;
                        w[q * n + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(w[x * n + x], w[y * n + y]));
        double[] vv = v.clone();
        for (int c = 0; c < n; c++) {
            int src = order[c];
            values[c] = w[src * n + src];
            // sign convention: the largest-magnitude component of each vector is positive
            int big = 0;
            for (int i = 1; i < n; i++) if (Math.abs(vv[i * n + src]) > Math.abs(vv[big * n + src])) big = i;
            double sg = vv[big * n + src] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) v[i * n + c] = sg * vv[i * n + src];
        }
    }

    /**
     * Reduced SVD of a (m x n, m >= n) by one-sided Jacobi: u (m x n), s (n, descending), v (n x n)
     * with a = u diag(s) v^T. Each right singular vector's largest component is made positive.
     */
    public static void svd(double[] a, int m, int n, double[] u, double[] s, double[] v) {
        double[] w = a.clone();
        double[] vv = new double[n * n];
        for (int i = 0; i < n; i++) vv[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) {
                    double al = 0, be = 0, ga = 0;
                    for (int i = 0; i < m; i++) {
                        double x = w[i * n + p], y = w[i * n + q];
                        al += x * x; be += y * y; ga += x * y;
                    }
                    if (Math.abs(ga) <= 1e-15 * Math.sqrt(al * be) || ga == 0) continue;
                    rotated = true;
                    double zeta = (be - al) / (2 * ga);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) t = 1;
                    double c = 1 / Math.sqrt(1 + t * t), sn = c * t;
                    for (int i = 0; i < m; i++) {
                        double x = w[i * n + p], y = w[i * n + q];
                        w[i * n + p] = c * x - sn * y;
                        w[i * n + q] = sn * x + c * y;
                    }
                    for (int i = 0; i < n; i++) {
                        double x = vv[i * n + p], y = vv[i * n + q];
                        vv[i * n + p] = c * x - sn * y;
                        vv[i * n + q] = sn * x + c * y;
                    }
                }
            if (!rotated) break;
        }
        double[] norms = new double[n];
        for (int c = 0; c < n; c++) {
            double t = 0;
            for (int i = 0; i < m; i++) t += w[i * n + c] * w[i * n + c];
            norms[c] = Math.sqrt(t);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        for (int c = 0; c < n; c++) {
            int src = order[c];
            s[c] = norms[src];
            int big = 0;
            for (int i = 1; i < n; i++) if (Math.abs(vv[i * n + src]) > Math.abs(vv[big * n + src])) big = i;
            double sg = vv[big * n + src] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) v[i * n + c] = sg * vv[i * n + src];
            for (int i = 0; i < m; i++) u[i * n + c] = norms[src] == 0 ? 0 : sg * w[i * n + src] / norms[src];
        }
        // (numerically) zero singular values leave their U columns undefined: complete an orthonormal basis
        double tiny = (n == 0 ? 0 : s[0]) * 1e-13;
        for (int c = 0; c < n; c++) {
            if (s[c] > tiny && s[c] > 0) continue;
            for (int e = 0; e < m; e++) {
                double[] col = new double[m];
                col[e] = 1;
                for (int k = 0; k < n; k++) {
                    if (k == c || (k > c && !(s[k] > tiny && s[k] > 0))) continue;
                    double dot = 0;
                    for (int i = 0; i < m; i++) dot += u[i * n + k] * col[i];
                    for (int i = 0; i < m; i++) col[i] -= dot * u[i * n + k];
                }
                double nn = 0;
                for (double x : col) nn += x * x;
                if (nn > 1e-6) {
                    nn = Math.sqrt(nn);
                    for (int i = 0; i < m; i++) u[i * n + c] = col[i] / nn;
                    break;
                }
            }
        }
    }
}
