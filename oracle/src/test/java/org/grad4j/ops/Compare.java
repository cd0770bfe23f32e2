package org.grad4j.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares grad4j's outcome with libtorch's: both raise or neither; then dtype, shape and values (NaN
 * equals NaN, infinities exactly, signed zeros where asked), then gradients and second gradients.
 * Returns one line per disagreement, each starting with the check's name (forward, grad, grad2).
 */
final class Compare {
    private Compare() {}

    /**
     * rtol/atol for finite values; signedZeros: -0 differs from +0 in forward values; values: compare values at all
     * (not for random ops); nanIsInf: where either side is not finite, NaN and +-inf count as the same (inputs with
     * infinities, whose sums and products reach NaN or inf depending on the order of operations).
     */
    record Tol(double rtol, double atol, boolean signedZeros, boolean values, boolean nanIsInfForward, boolean nanIsInfGrad) {}

    static List<String> diff(Outcome g, Outcome t, Tol tol) {
        List<String> out = new ArrayList<>();
        if ((g.error == null) != (t.error == null)) {
            out.add("forward: " + (g.error != null ? "grad4j raised, torch did not: " + g.error + " | torch value " + Outcome.show(t.values)
                    : "torch raised, grad4j did not: " + t.error + " | grad4j value " + Outcome.show(g.values)));
            return out;
        }
        if (g.error != null) return out;
        if (!g.dtype.equals(t.dtype)) out.add("forward: dtype grad4j " + g.dtype + " torch " + t.dtype);
        if (!Arrays.equals(g.shape, t.shape)) {
            out.add("forward: shape grad4j " + Arrays.toString(g.shape) + " torch " + Arrays.toString(t.shape));
            return out;
        }
        if (tol.values) {
            String v = values(g.values, t.values, tol, tol.signedZeros, tol.nanIsInfForward);
            if (v != null) out.add("forward: " + v + "\n      grad4j " + Outcome.show(g.values) + "\n      torch  " + Outcome.show(t.values));
        }
        grads("grad", g.gradError, g.grads, t.gradError, t.grads, tol, out);
        grads("grad2", g.grad2Error, g.grads2, t.grad2Error, t.grads2, tol, out);
        return out;
    }

    private static void grads(String what, String ge, double[][] g, String te, double[][] t, Tol tol, List<String> out) {
        if ((ge == null) != (te == null)) {
            out.add(what + ": " + (ge != null ? "grad4j raised, torch did not: " + ge : "torch raised, grad4j did not: " + te));
            return;
        }
        if (ge != null || g == null || t == null || !tol.values) return;
        for (int i = 0; i < g.length; i++) {
            double[] a = g[i], b = t[i];
            if (a == null && b == null) continue;
            int n = a != null ? a.length : b.length;
            if (a == null) a = new double[n];
            if (b == null) b = new double[n];
            if (a.length != b.length) {
                out.add(what + " of input " + i + ": " + a.length + " vs " + b.length + " elements");
                continue;
            }
            String v = values(a, b, tol, false, tol.nanIsInfGrad);
            if (v != null) out.add(what + " of input " + i + ": " + v + "\n      grad4j " + Outcome.show(a) + "\n      torch  " + Outcome.show(b));
        }
    }

    /** Null when the arrays agree, else where they first differ. */
    static String values(double[] a, double[] b, Tol tol, boolean signedZeros, boolean nanIsInf) {
        for (int i = 0; i < a.length; i++) {
            double x = a[i], y = b[i];
            boolean ok;
            if (nanIsInf && !Double.isFinite(x) && !Double.isFinite(y)) ok = true;
            else if (Double.isNaN(x) || Double.isNaN(y)) ok = Double.isNaN(x) && Double.isNaN(y);
            else if (Double.isInfinite(x) || Double.isInfinite(y)) ok = x == y;
            else if (x == 0 && y == 0) ok = !signedZeros || Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
            else ok = Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y);
            if (!ok) return "element " + i + ": grad4j " + x + " torch " + y;
        }
        return null;
    }
}
