package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.storage.Storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares analytical gradients (from backward) with finite differences, like
 * {@code torch.autograd.gradcheck} and {@code gradgradcheck}. Use float64 inputs: float32 finite
 * differences are too coarse for the default tolerances.
 *
 * <pre>{@code
 * Tensor x = Grad4j.randn(new int[]{3, 4}, DType.FLOAT64, Grad4j.defaultGenerator()).requiresGrad_();
 * GradCheck.gradcheck(in -> in[0].tanh().mul(in[0]), x);       // true, or throws with a report
 * GradCheck.gradgradcheck(in -> in[0].tanh().mul(in[0]), x);   // second derivatives too
 * }</pre>
 *
 * Inputs that do not require grad (indices, masks) are passed through unchanged. A failure throws
 * {@link GradcheckError} naming the output, the input, the worst element and both values.
 */
public final class GradCheck {
    private GradCheck() {}

    /** A function under test with one output. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Tensor... inputs);
    }

    /** A function under test with several outputs. */
    @FunctionalInterface
    public interface MultiFn {
        Tensor[] apply(Tensor... inputs);
    }

    /** Thrown when analytical and numerical gradients disagree (PyTorch's GradcheckError). */
    public static final class GradcheckError extends RuntimeException {
        public GradcheckError(String message) { super(message); }
    }

    /**
     * Tolerances: PyTorch's defaults are eps=1e-6, atol=1e-5, rtol=1e-3; an element passes when
     * {@code |analytical - numerical| <= atol + rtol * |numerical|}.
     */
    public record Options(double eps, double atol, double rtol, boolean raiseException) {
        public static Options defaults() { return new Options(1e-6, 1e-5, 1e-3, true); }

        public Options eps(double v) { return new Options(v, atol, rtol, raiseException); }

        public Options atol(double v) { return new Options(eps, v, rtol, raiseException); }

        public Options rtol(double v) { return new Options(eps, atol, v, raiseException); }

        /** With false, a failure returns false instead of throwing. */
        public Options raiseException(boolean v) { return new Options(eps, atol, rtol, v); }
    }

    /** {@code gradcheck(fn, inputs)} with default tolerances. */
    public static boolean gradcheck(Fn fn, Tensor... inputs) {
        return gradcheckMulti(in -> new Tensor[]{fn.apply(in)}, Options.defaults(), inputs);
    }

    public static boolean gradcheck(Fn fn, Options opts, Tensor... inputs) {
        return gradcheckMulti(in -> new Tensor[]{fn.apply(in)}, opts, inputs);
    }

    /**
     * Checks every (output, input) Jacobian block: row j of the analytical block is the gradient of
     * output element j (one backward with a one-hot gradient), the numerical block comes from
     * central differences {@code (f(x + eps) - f(x - eps)) / 2eps} on each input element.
     */
    public static boolean gradcheckMulti(MultiFn fn, Options opts, Tensor... inputs) {
        List<Integer> diff = differentiableInputs(inputs, "gradcheck");
        Tensor[] outs = fn.apply(inputs);
        for (int o = 0; o < outs.length; o++) {
            Tensor out = outs[o];
            if (out == null || !out.dtype().isFloatingPoint()) continue;
            int m = out.numel();
            for (int i : diff) {
                Tensor x = inputs[i];
                int n = x.numel();
                double[][] numerical = numericalJacobian(fn, inputs, i, o, opts.eps()); // [n][m]
                double[][] analytical = new double[n][m];
                boolean reaches = out.requiresGrad();
                for (int j = 0; j < m && reaches; j++) {
                    Tensor g = Grad4j.zeros(out.shape(), out.dtype(), out.device());
                    g.storage().setDouble(g.storageOffset() + j, 1.0);
                    Tensor gi = Autograd.grad(new Tensor[]{out}, new Tensor[]{x},
                            GradOptions.defaults().gradients(g).retainGraph(true).allowUnused(true).materializeGrads(false))[0];
                    if (gi == null) continue;
                    if (!Arrays.equals(gi.shape(), x.shape())) {
                        return fail(opts, "Gradient has wrong shape for input " + i + ": got " + Arrays.toString(gi.shape())
                                + ", expected " + Arrays.toString(x.shape()));
                    }
                    if (gi.dtype() != x.dtype()) {
                        return fail(opts, "Gradient has dtype mismatch for input " + i + ": got " + gi.dtype() + ", expected " + x.dtype());
                    }
                    double[] v = gi.toDoubleArray();
                    for (int k = 0; k < n; k++) analytical[k][j] = v[k];
                }
                String report = compare(numerical, analytical, opts, o, i);
                if (report != null) return fail(opts, report);
            }
        }
        return true;
    }

    /** {@code gradgradcheck(fn, inputs)}: gradcheck of the backward itself, with random output gradients. */
    public static boolean gradgradcheck(Fn fn, Tensor... inputs) {
        return gradgradcheckMulti(in -> new Tensor[]{fn.apply(in)}, Options.defaults(), inputs);
    }

    public static boolean gradgradcheck(Fn fn, Options opts, Tensor... inputs) {
        return gradgradcheckMulti(in -> new Tensor[]{fn.apply(in)}, opts, inputs);
    }

    /**
     * Checks second derivatives: builds {@code (inputs, v) -> vjp(fn, inputs, v)} with
     * create_graph and gradchecks it with respect to the inputs and to {@code v} (random, fixed
     * seed), as PyTorch's gradgradcheck does.
     */
    public static boolean gradgradcheckMulti(MultiFn fn, Options opts, Tensor... inputs) {
        List<Integer> diff = differentiableInputs(inputs, "gradgradcheck");
        Tensor[] outs = fn.apply(inputs);
        org.grad4j.Generator gen = new org.grad4j.Generator().manualSeed(1234);
        List<Tensor> gradOuts = new ArrayList<>();
        for (Tensor out : outs) {
            if (out == null || !out.dtype().isFloatingPoint() || !out.requiresGrad()) continue;
            gradOuts.add(Grad4j.randn(out.shape(), out.dtype(), gen, out.device()).requiresGrad_());
        }
        int nIn = inputs.length;
        Tensor[] all = new Tensor[nIn + gradOuts.size()];
        System.arraycopy(inputs, 0, all, 0, nIn);
        for (int k = 0; k < gradOuts.size(); k++) all[nIn + k] = gradOuts.get(k);
        MultiFn vjp = in -> {
            Tensor[] x = Arrays.copyOf(in, nIn);
            Tensor[] o = fn.apply(x);
            List<Tensor> used = new ArrayList<>(), gs = new ArrayList<>();
            int k = nIn;
            for (Tensor t : o) {
                if (t == null || !t.dtype().isFloatingPoint() || !t.requiresGrad()) continue;
                used.add(t);
                gs.add(in[k++]);
            }
            Tensor[] targets = new Tensor[diff.size()];
            for (int d = 0; d < diff.size(); d++) targets[d] = x[diff.get(d)];
            Tensor[] g = Autograd.grad(used.toArray(new Tensor[0]), targets, GradOptions.defaults()
                    .gradients(gs.toArray(new Tensor[0])).createGraph(true).allowUnused(true).materializeGrads(true));
            return g;
        };
        return gradcheckMulti(vjp, opts, all);
    }

    // ------------------------------------------------------------------ internals

    private static List<Integer> differentiableInputs(Tensor[] inputs, String fn) {
        List<Integer> diff = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null || !t.requiresGrad()) continue;
            if (t.dtype() != DType.FLOAT64) {
                org.grad4j.Warnings.warnOnce("gradcheck-f32", fn + ": input " + i + " is " + t.dtype() + ", not float64; finite "
                        + "differences are imprecise in low precision. Fix: use .to(DType.FLOAT64)");
            }
            if (hasOverlap(t)) {
                throw new IllegalArgumentException(fn + ": input " + i + " (shape " + Arrays.toString(t.shape()) + ", strides "
                        + Arrays.toString(t.stride()) + ") has overlapping memory (e.g. from expand): perturbing one element "
                        + "would change several. Fix: pass a contiguous copy (clone()) and expand inside the function");
            }
            diff.add(i);
        }
        if (diff.isEmpty()) {
            throw new IllegalArgumentException(fn + ": at least one input tensor should require grad. Fix: call "
                    + "requiresGrad_() on the inputs to check");
        }
        return diff;
    }

    private static boolean hasOverlap(Tensor t) {
        int[] sh = t.shape(), st = t.stride();
        for (int d = 0; d < sh.length; d++) if (sh[d] > 1 && st[d] == 0) return true;
        return false;
    }

    /** Storage offsets of t's elements in row-major order. */
    static int[] elementOffsets(Tensor t) {
        int[] sh = t.shape(), st = t.stride();
        int n = t.numel();
        int[] offs = new int[n];
        int[] idx = new int[sh.length];
        int o = t.storageOffset();
        for (int k = 0; k < n; k++) {
            offs[k] = o;
            for (int d = sh.length - 1; d >= 0; d--) {
                idx[d]++;
                o += st[d];
                if (idx[d] < sh[d]) break;
                o -= st[d] * sh[d];
                idx[d] = 0;
            }
        }
        return offs;
    }

    /** Central differences of output {@code o} with respect to input {@code i}: [input element][output element]. */
    private static double[][] numericalJacobian(MultiFn fn, Tensor[] inputs, int i, int o, double eps) {
        Tensor x = inputs[i];
        Storage st = x.storage();
        int[] offs = elementOffsets(x);
        double[][] jac = new double[offs.length][];
        // Grad mode stays as it is: gradgradcheck's function calls Autograd.grad itself.
        for (int k = 0; k < offs.length; k++) {
            double orig = st.getDouble(offs[k]);
            st.setDouble(offs[k], orig - eps);
            double[] lo = fn.apply(inputs)[o].toDoubleArray();
            st.setDouble(offs[k], orig + eps);
            double[] hi = fn.apply(inputs)[o].toDoubleArray();
            st.setDouble(offs[k], orig);
            double[] col = new double[lo.length];
            for (int j = 0; j < col.length; j++) col[j] = (hi[j] - lo[j]) / (2 * eps);
            jac[k] = col;
        }
        return jac;
    }

    private static String compare(double[][] num, double[][] ana, Options opts, int o, int i) {
        double worst = -1;
        int wk = -1, wj = -1;
        boolean bad = false;
        for (int k = 0; k < num.length; k++) {
            for (int j = 0; j < num[k].length; j++) {
                double a = ana[k][j], nv = num[k][j];
                double err = Math.abs(a - nv);
                boolean ok = err <= opts.atol() + opts.rtol() * Math.abs(nv) || (Double.isNaN(a) && Double.isNaN(nv));
                double excess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err - (opts.atol() + opts.rtol() * Math.abs(nv));
                if (!ok) bad = true;
                if (excess > worst || wk < 0) { worst = excess; wk = k; wj = j; }
            }
        }
        if (!bad) return null;
        StringBuilder sb = new StringBuilder();
        sb.append("Jacobian mismatch for output ").append(o).append(" with respect to input ").append(i).append(",\n");
        sb.append("worst element: d(output[").append(wj).append("]) / d(input[").append(wk).append("]): numerical ")
                .append(num[wk][wj]).append(", analytical ").append(ana[wk][wj]).append(" (atol ").append(opts.atol())
                .append(", rtol ").append(opts.rtol()).append(")\n");
        if (num.length * (num.length == 0 ? 0 : num[0].length) <= 64) {
            sb.append("numerical:").append(matrix(num)).append("\nanalytical:").append(matrix(ana));
        }
        return sb.toString();
    }

    private static String matrix(double[][] m) {
        StringBuilder sb = new StringBuilder();
        for (double[] row : m) sb.append("\n  ").append(Arrays.toString(row));
        return sb.toString();
    }

    private static boolean fail(Options opts, String msg) {
        if (opts.raiseException()) throw new GradcheckError(msg);
        return false;
    }
}
