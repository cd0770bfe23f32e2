package org.grad4j.optim;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * L-BFGS, following {@code torch.optim.LBFGS}: one parameter group, every {@link #step(Supplier)}
 * runs up to {@code max_iter} iterations that re-evaluate the loss through the closure; optional
 * strong-Wolfe line search ({@code lineSearch("strong_wolfe")}). The search direction and history
 * are kept as float64 vectors over all parameters flattened in order.
 *
 * <pre>{@code
 * var opt = new LBFGS(List.of(x), new LBFGS.Options().lr(1).historySize(10).lineSearch("strong_wolfe"));
 * opt.step(() -> { opt.zeroGrad(); Tensor loss = f(x); loss.backward(); return loss; });
 * }</pre>
 */
public final class LBFGS extends Optimizer {
    /** {@code group["max_iter"]}: iterations per {@code step}. */
    public static final Option<Integer> MAX_ITER = Option.intOption("max_iter");
    /** {@code group["max_eval"]}: closure evaluations per {@code step} (None: max_iter * 5 / 4, set by the constructor). */
    public static final Option<Integer> MAX_EVAL = Option.intOption("max_eval").orNull();
    /** {@code group["tolerance_grad"]}: stop when the largest gradient element is at most this. */
    public static final Option<Double> TOLERANCE_GRAD = Option.doubleOption("tolerance_grad");
    /** {@code group["tolerance_change"]}: stop when the step or the loss changes by at most this. */
    public static final Option<Double> TOLERANCE_CHANGE = Option.doubleOption("tolerance_change");
    /** {@code group["history_size"]}: number of kept correction pairs. */
    public static final Option<Integer> HISTORY_SIZE = Option.intOption("history_size");
    /** {@code group["line_search_fn"]}: null or "strong_wolfe". */
    public static final Option<String> LINE_SEARCH_FN = Option.stringOption("line_search_fn");

    /** Options; defaults lr=1, max_iter=20, max_eval=max_iter*5/4, tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100. */
    public static final class Options extends org.grad4j.optim.Options<Options> {
        public Options() {
            put(LR, 1.0).put(MAX_ITER, 20).put(MAX_EVAL, null).put(TOLERANCE_GRAD, 1e-7)
                    .put(TOLERANCE_CHANGE, 1e-9).put(HISTORY_SIZE, 100).put(LINE_SEARCH_FN, null);
        }
        public Options maxIter(int n) { return put(MAX_ITER, n); }
        public Options maxEval(int n) { return put(MAX_EVAL, n); }
        public Options toleranceGrad(double t) { return put(TOLERANCE_GRAD, t); }
        public Options toleranceChange(double t) { return put(TOLERANCE_CHANGE, t); }
        public Options historySize(int n) { return put(HISTORY_SIZE, n); }
        /** {@code null} (fixed step lr) or {@code "strong_wolfe"}. */
        public Options lineSearch(String fn) {
            if (fn != null && !fn.equals("strong_wolfe")) {
                throw new IllegalArgumentException("only 'strong_wolfe' is supported as line_search_fn, got '" + fn + "'");
            }
            return put(LINE_SEARCH_FN, fn);
        }
    }

    private final List<Tensor> params;

    public LBFGS(Iterable<Tensor> params, Options options) {
        super(single(params), options);
        ParamGroup g = paramGroups.get(0);
        if (g.get(MAX_EVAL) == null) g.set(MAX_EVAL, g.get(MAX_ITER) * 5 / 4);
        this.params = g.params();
    }

    @Override
    public void addParamGroup(ParamGroup group) {
        if (!paramGroups.isEmpty()) throw new IllegalArgumentException("LBFGS doesn't support per-parameter options (parameter groups)");
        super.addParamGroup(group);
    }

    @Override
    public void step() {
        throw new IllegalStateException("LBFGS needs a closure that re-evaluates the model: use step(() -> { ... return loss; })");
    }

    @Override
    protected void updateGroup(ParamGroup group) { throw new AssertionError(); }

    @Override
    public Tensor step(Supplier<Tensor> closure) {
        ParamGroup g = paramGroups.get(0);
        double lr = g.lr(), tolGrad = g.get(TOLERANCE_GRAD), tolChange = g.get(TOLERANCE_CHANGE);
        int maxIter = g.get(MAX_ITER), maxEval = g.get(MAX_EVAL);
        int historySize = g.get(HISTORY_SIZE);
        boolean wolfe = "strong_wolfe".equals(g.get(LINE_SEARCH_FN));
        Map<String, Object> st = state(params.get(0));
        st.put("func_evals", intOf(st.get("func_evals")));
        st.put("n_iter", intOf(st.get("n_iter")));

        Tensor origLoss = evaluate(closure);
        double loss = origLoss.item();
        int currentEvals = 1;
        st.put("func_evals", intOf(st.get("func_evals")) + 1);
        double[] flatGrad = gatherFlatGrad();
        if (absMax(flatGrad) <= tolGrad) return origLoss;

        // state may come from a checkpoint, where lists of numbers are read back as double[]
        double[] d = (double[]) st.get("d");
        double t = st.get("t") instanceof Number n ? n.doubleValue() : 0;
        List<double[]> oldDirs = vectors(st.get("old_dirs"));
        List<double[]> oldStps = vectors(st.get("old_stps"));
        List<Double> ro = scalars(st.get("ro"));
        double hDiag = st.get("H_diag") instanceof Number n ? n.doubleValue() : 1;
        double[] prevFlatGrad = (double[]) st.get("prev_flat_grad");
        double prevLoss = st.get("prev_loss") instanceof Number n ? n.doubleValue() : 0;

        int nIter = 0;
        while (nIter < maxIter) {
            nIter++;
            int total = intOf(st.get("n_iter")) + 1;
            st.put("n_iter", total);
            if (total == 1) {
                d = scale(flatGrad, -1);
                oldDirs.clear();
                oldStps.clear();
                ro.clear();
                hDiag = 1;
            } else {
                double[] y = axpy(flatGrad, -1, prevFlatGrad);
                double[] s = scale(d, t);
                double ys = dot(y, s);
                if (ys > 1e-10) {
                    if (oldDirs.size() == historySize) {
                        oldDirs.remove(0);
                        oldStps.remove(0);
                        ro.remove(0);
                    }
                    oldDirs.add(y);
                    oldStps.add(s);
                    ro.add(1 / ys);
                    hDiag = ys / dot(y, y);
                }
                int numOld = oldDirs.size();
                double[] al = new double[numOld];
                double[] q = scale(flatGrad, -1);
                for (int i = numOld - 1; i >= 0; i--) {
                    al[i] = dot(oldStps.get(i), q) * ro.get(i);
                    q = axpy(q, -al[i], oldDirs.get(i));
                }
                double[] r = scale(q, hDiag);
                for (int i = 0; i < numOld; i++) {
                    double be = dot(oldDirs.get(i), r) * ro.get(i);
                    r = axpy(r, al[i] - be, oldStps.get(i));
                }
                d = r;
            }
            prevFlatGrad = flatGrad.clone();
            prevLoss = loss;
            t = total == 1 ? Math.min(1, 1 / absSum(flatGrad)) * lr : lr;
            double gtd = dot(flatGrad, d);
            if (gtd > -tolChange) break;

            int lsEvals;
            boolean optCond = false;
            if (wolfe) {
                double[] xInit = gatherFlatParams();
                StrongWolfe.Result res = StrongWolfe.search((x, step, dir) -> directionalEvaluate(closure, x, step, dir),
                        xInit, t, d, loss, flatGrad, gtd, tolChange);
                loss = res.f();
                flatGrad = res.g();
                t = res.t();
                lsEvals = res.evals();
                addToParams(t, d);
                optCond = absMax(flatGrad) <= tolGrad;
            } else {
                addToParams(t, d);
                lsEvals = 0;
                if (nIter != maxIter) {
                    loss = evaluate(closure).item();
                    flatGrad = gatherFlatGrad();
                    optCond = absMax(flatGrad) <= tolGrad;
                    lsEvals = 1;
                }
            }
            currentEvals += lsEvals;
            st.put("func_evals", intOf(st.get("func_evals")) + lsEvals);
            if (nIter == maxIter || currentEvals >= maxEval || optCond) break;
            if (absMax(d) * Math.abs(t) <= tolChange) break;
            if (Math.abs(loss - prevLoss) < tolChange) break;
        }
        st.put("d", d);
        st.put("t", t);
        st.put("old_dirs", oldDirs);
        st.put("old_stps", oldStps);
        st.put("ro", ro);
        st.put("H_diag", hDiag);
        st.put("prev_flat_grad", prevFlatGrad);
        st.put("prev_loss", prevLoss);
        return origLoss;
    }

    @Override
    protected void checkOption(String name, Object v, String where) {
        super.checkOption(name, v, where);
        switch (name) {
            case "max_iter", "max_eval", "history_size" -> {
                // used as counts: NaN or 0 would skip every iteration and leave no direction
                if (!(v instanceof Double d && d >= 1)) throw invalid(where, name + " must be a number >= 1, got " + StateValues.describe(v));
            }
            case "line_search_fn" -> {
                if (v != null && !"strong_wolfe".equals(v)) {
                    throw invalid(where, "only 'strong_wolfe' is supported as line_search_fn, got " + StateValues.describe(v));
                }
            }
            default -> { }
        }
    }

    /** LBFGS keeps plain numbers and vectors (flat over all parameters), not tensors. */
    @Override
    protected Object checkState(Tensor p, String key, Object v, String where) {
        int n = 0;
        for (Tensor q : params) n += q.numel();
        return switch (key) {
            case "func_evals", "n_iter" -> {
                int i = StateValues.integer(v, where);
                if (i < 0) throw invalid(where, key + " must not be negative, got " + i);
                yield i;
            }
            case "t", "H_diag", "prev_loss" -> StateValues.number(v, where);
            case "d", "prev_flat_grad" -> StateValues.numbers(v, n, where);
            case "ro" -> v instanceof List<?> l && l.isEmpty() ? new ArrayList<Double>() : boxed(StateValues.numbers(v, -1, where));
            case "old_dirs", "old_stps" -> {
                if (!(v instanceof List<?> l)) throw StateValues.wrong(where, "a list of vectors of " + n + " numbers", v);
                List<double[]> out = new ArrayList<>();
                for (Object o : l) out.add(StateValues.numbers(o, n, where + " (each entry)"));
                yield out;
            }
            default -> super.checkState(p, key, v, where);
        };
    }

    @Override
    protected void checkStateEntries(Map<String, Object> st, String where) {
        int dirs = st.get("old_dirs") instanceof List<?> l ? l.size() : 0;
        int stps = st.get("old_stps") instanceof List<?> l ? l.size() : 0;
        int ro = st.get("ro") instanceof List<?> l ? l.size() : 0;
        if (dirs != stps || dirs != ro) {
            throw invalid(where, "old_dirs, old_stps and ro must have the same length, got " + dirs + ", " + stps + " and " + ro);
        }
        if (st.containsKey("d") && !(st.containsKey("prev_flat_grad") && st.containsKey("t"))) {
            throw invalid(where, "a direction d needs prev_flat_grad and t");
        }
    }

    private static List<Double> boxed(double[] a) {
        List<Double> out = new ArrayList<>();
        for (double x : a) out.add(x);
        return out;
    }

    private static int intOf(Object v) { return v == null ? 0 : ((Number) v).intValue(); }

    private static List<double[]> vectors(Object v) {
        List<double[]> out = new ArrayList<>();
        if (v instanceof List<?> l) for (Object o : l) out.add((double[]) o);
        return out;
    }

    private static List<Double> scalars(Object v) {
        List<Double> out = new ArrayList<>();
        if (v instanceof double[] a) for (double x : a) out.add(x);
        else if (v instanceof List<?> l) for (Object o : l) out.add(((Number) o).doubleValue());
        return out;
    }

    private static Tensor evaluate(Supplier<Tensor> closure) {
        try (var s = Autograd.enableGrad()) {
            return closure.get();
        }
    }

    private StrongWolfe.Eval directionalEvaluate(Supplier<Tensor> closure, double[] x, double t, double[] d) {
        addToParams(t, d);
        double loss = evaluate(closure).item();
        double[] grad = gatherFlatGrad();
        setParams(x);
        return new StrongWolfe.Eval(loss, grad);
    }

    private double[] gatherFlatGrad() {
        List<double[]> parts = new ArrayList<>();
        int n = 0;
        for (Tensor p : params) {
            Tensor gr = p.gradNoWarn();
            double[] a = gr == null ? new double[p.numel()] : gr.contiguous().toDoubleArray();
            parts.add(a);
            n += a.length;
        }
        return concat(parts, n);
    }

    private double[] gatherFlatParams() {
        List<double[]> parts = new ArrayList<>();
        int n = 0;
        for (Tensor p : params) {
            double[] a = p.detach().contiguous().toDoubleArray();
            parts.add(a);
            n += a.length;
        }
        return concat(parts, n);
    }

    private void addToParams(double step, double[] update) {
        int off = 0;
        try (var s = Autograd.noGrad()) {
            for (Tensor p : params) {
                int n = p.numel();
                double[] part = java.util.Arrays.copyOfRange(update, off, off + n);
                p.add_(Grad4j.fromArray(part, p.shape()).to(p.device(), p.dtype()), step);
                off += n;
            }
        }
    }

    private void setParams(double[] x) {
        int off = 0;
        try (var s = Autograd.noGrad()) {
            for (Tensor p : params) {
                int n = p.numel();
                p.copy_(Grad4j.fromArray(java.util.Arrays.copyOfRange(x, off, off + n), p.shape()));
                off += n;
            }
        }
    }

    private static double[] concat(List<double[]> parts, int n) {
        double[] out = new double[n];
        int off = 0;
        for (double[] a : parts) {
            System.arraycopy(a, 0, out, off, a.length);
            off += a.length;
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double[] scale(double[] a, double k) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] * k;
        return out;
    }

    /** a + k * b. */
    static double[] axpy(double[] a, double k, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] + k * b[i];
        return out;
    }

    static double absMax(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static double absSum(double[] a) {
        double s = 0;
        for (double v : a) s += Math.abs(v);
        return s;
    }
}
