package org.grad4j.autograd;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.Arrays;

/**
 * Higher-level differentiation of whole functions, like {@code torch.autograd.functional}:
 * vjp, jvp, jacobian, hessian, vhp and hvp, built on the engine.
 *
 * <pre>{@code
 * Tensor x = Grad4j.tensor(new double[]{1, 2});
 * Tensor j = Functional.jacobian(in -> in[0].pow(2), x);           // [[2, 0], [0, 4]]
 * Tensor h = Functional.hessian(in -> in[0].pow(3).sum(), x);      // [[6, 0], [0, 12]]
 * Functional.Result r = Functional.vjp(in -> in[0].exp(), new Tensor[]{x}, new Tensor[]{Grad4j.onesLike(x)});
 * r.outputs()[0];   // exp(x), detached
 * r.values()[0];    // v^T J = exp(x)
 * }</pre>
 *
 * The function receives fresh leaves (detached copies of the inputs that require grad) unless
 * {@code createGraph} is set, in which case inputs that already require grad are used as they are
 * so that the results stay differentiable with respect to them. Inputs the function does not use
 * get zero gradients ({@code strict=false}, PyTorch's default); with {@code strict=true} that is an
 * error. The Jacobian is computed one output element at a time (one backward each).
 */
public final class Functional {
    private Functional() {}

    /** The function's outputs and the requested products, one per input (vjp) or output (jvp). */
    public record Result(Tensor[] outputs, Tensor[] values) {
        /** The first product, for single-input/single-output calls. */
        public Tensor value() { return values[0]; }

        public Tensor output() { return outputs[0]; }
    }

    // ------------------------------------------------------------------ vjp / jvp

    /** {@code vjp(func, inputs, v)}: {@code v^T J} for each input. */
    public static Result vjp(GradCheck.MultiFn fn, Tensor[] inputs, Tensor[] v) {
        return vjp(fn, inputs, v, false, false);
    }

    /** Single input and output: {@code vjp(func, x, v)}. */
    public static Result vjp(GradCheck.Fn fn, Tensor x, Tensor v) {
        return vjp(in -> new Tensor[]{fn.apply(in)}, new Tensor[]{x}, new Tensor[]{v}, false, false);
    }

    public static Result vjp(GradCheck.MultiFn fn, Tensor[] inputs, Tensor[] v, boolean createGraph, boolean strict) {
        try (var g = Autograd.enableGrad()) {
            Tensor[] in = prepare(inputs, createGraph);
            Tensor[] outs = fn.apply(in);
            checkOutputs(outs, "vjp");
            Tensor[] vs = v == null ? implicitV(outs, "vjp") : checkV(v, outs, "vjp", "outputs");
            Tensor[] grads = grads(outs, in, vs, createGraph, strict, "vjp");
            return new Result(finish(outs, createGraph), grads);
        }
    }

    /** {@code jvp(func, inputs, v)}: {@code J v} for each output, via the double-backward trick. */
    public static Result jvp(GradCheck.MultiFn fn, Tensor[] inputs, Tensor[] v) {
        return jvp(fn, inputs, v, false, false);
    }

    public static Result jvp(GradCheck.Fn fn, Tensor x, Tensor v) {
        return jvp(in -> new Tensor[]{fn.apply(in)}, new Tensor[]{x}, new Tensor[]{v}, false, false);
    }

    public static Result jvp(GradCheck.MultiFn fn, Tensor[] inputs, Tensor[] v, boolean createGraph, boolean strict) {
        try (var g = Autograd.enableGrad()) {
            Tensor[] in = prepare(inputs, createGraph);
            Tensor[] vs = v == null ? implicitV(inputs, "jvp") : checkV(v, inputs, "jvp", "inputs");
            Tensor[] outs = fn.apply(in);
            checkOutputs(outs, "jvp");
            // u is a dummy output gradient: g(u) = J^T u is linear in u, so d(v . g(u))/du = J v.
            Tensor[] us = new Tensor[outs.length];
            for (int i = 0; i < outs.length; i++) us[i] = Grad4j.zerosLike(outs[i]).requiresGrad_();
            Tensor[] gIn = grads(outs, in, us, true, strict, "jvp");
            Tensor[] res = new Tensor[outs.length];
            boolean anyUsed = false;
            for (Tensor t : gIn) anyUsed |= t.requiresGrad();
            if (!anyUsed) {
                for (int i = 0; i < outs.length; i++) res[i] = Grad4j.zerosLike(outs[i]);
            } else {
                Tensor[] gUsed = Arrays.stream(gIn).filter(Tensor::requiresGrad).toArray(Tensor[]::new);
                Tensor[] vUsed = new Tensor[gUsed.length];
                for (int i = 0, k = 0; i < gIn.length; i++) if (gIn[i].requiresGrad()) vUsed[k++] = vs[i];
                Tensor[] r = Autograd.grad(gUsed, us, GradOptions.defaults().gradients(vUsed).createGraph(createGraph)
                        .retainGraph(true).allowUnused(true).materializeGrads(true));
                for (int i = 0; i < outs.length; i++) res[i] = createGraph ? r[i] : r[i].detach();
            }
            return new Result(finish(outs, createGraph), res);
        }
    }

    // ------------------------------------------------------------------ jacobian / hessian

    /** Jacobian of a one-input, one-output function: shape {@code output.shape + input.shape}. */
    public static Tensor jacobian(GradCheck.Fn fn, Tensor x) {
        return jacobian(in -> new Tensor[]{fn.apply(in)}, new Tensor[]{x}, false, false)[0][0];
    }

    public static Tensor jacobian(GradCheck.Fn fn, Tensor x, boolean createGraph) {
        return jacobian(in -> new Tensor[]{fn.apply(in)}, new Tensor[]{x}, createGraph, false)[0][0];
    }

    /**
     * {@code jacobian(func, inputs, create_graph, strict)}: block [i][j] is d output_i / d input_j
     * with shape {@code output_i.shape + input_j.shape}.
     */
    public static Tensor[][] jacobian(GradCheck.MultiFn fn, Tensor[] inputs, boolean createGraph, boolean strict) {
        try (var g = Autograd.enableGrad()) {
            Tensor[] in = prepare(inputs, createGraph);
            Tensor[] outs = fn.apply(in);
            checkOutputs(outs, "jacobian");
            Tensor[][] jac = new Tensor[outs.length][in.length];
            for (int o = 0; o < outs.length; o++) {
                Tensor out = outs[o];
                int m = out.numel();
                Tensor[][] rows = new Tensor[in.length][m];
                Tensor flat = out.reshape(-1);
                for (int j = 0; j < m; j++) {
                    Tensor[] gi;
                    if (!out.requiresGrad()) {
                        gi = null;
                    } else {
                        Tensor e = Grad4j.zeros(new int[]{m}, out.dtype(), out.device());
                        e.storage().setDouble(j, 1.0);
                        gi = Autograd.grad(new Tensor[]{flat}, in, GradOptions.defaults().gradients(e)
                                .retainGraph(true).createGraph(createGraph).allowUnused(true).materializeGrads(false));
                    }
                    for (int i = 0; i < in.length; i++) {
                        Tensor r = gi == null ? null : gi[i];
                        if (r == null) {
                            if (strict) throw unused("jacobian", i);
                            r = Grad4j.zerosLike(in[i]);
                        }
                        rows[i][j] = r;
                    }
                }
                for (int i = 0; i < in.length; i++) {
                    int[] shape = concat(out.shape(), in[i].shape());
                    Tensor block = m == 0 ? Grad4j.zeros(shape, in[i].dtype(), in[i].device()) : Grad4j.stack(rows[i], 0).reshape(shape);
                    jac[o][i] = createGraph ? block : block.detach();
                }
            }
            return jac;
        }
    }

    /** Hessian of a scalar function of one input: shape {@code x.shape + x.shape}. */
    public static Tensor hessian(GradCheck.Fn fn, Tensor x) {
        return hessian(in -> fn.apply(in), new Tensor[]{x}, false, false)[0][0];
    }

    /** {@code hessian(func, inputs, create_graph, strict)}: block [i][j] is d2 f / d input_i d input_j. */
    public static Tensor[][] hessian(GradCheck.Fn fn, Tensor[] inputs, boolean createGraph, boolean strict) {
        GradCheck.MultiFn gradient = in -> {
            Tensor y = fn.apply(in);
            checkScalar(y, "hessian");
            if (!y.requiresGrad()) {
                Tensor[] z = new Tensor[in.length];
                for (int i = 0; i < in.length; i++) z[i] = Grad4j.zerosLike(in[i]);
                return z;
            }
            return Autograd.grad(new Tensor[]{y}, in, GradOptions.defaults().createGraph(true)
                    .allowUnused(true).materializeGrads(true));
        };
        return jacobian(gradient, inputs, createGraph, strict);
    }

    /** {@code vhp(func, inputs, v)}: {@code v^T H} of a scalar function. */
    public static Result vhp(GradCheck.Fn fn, Tensor[] inputs, Tensor[] v) {
        return vhp(fn, inputs, v, false, false);
    }

    public static Result vhp(GradCheck.Fn fn, Tensor[] inputs, Tensor[] v, boolean createGraph, boolean strict) {
        try (var g = Autograd.enableGrad()) {
            Tensor[] in = prepare(inputs, createGraph);
            Tensor y = fn.apply(in);
            checkScalar(y, "vhp");
            Tensor[] vs = checkV(v, inputs, "vhp", "inputs");
            Tensor[] jac = grads(new Tensor[]{y}, in, null, true, strict, "vhp");
            Tensor[] res = grads(jac, in, vs, createGraph, strict, "vhp");
            return new Result(finish(new Tensor[]{y}, createGraph), res);
        }
    }

    /** {@code hvp(func, inputs, v)}: {@code H v} of a scalar function (double-backward trick). */
    public static Result hvp(GradCheck.Fn fn, Tensor[] inputs, Tensor[] v) {
        return hvp(fn, inputs, v, false, false);
    }

    public static Result hvp(GradCheck.Fn fn, Tensor[] inputs, Tensor[] v, boolean createGraph, boolean strict) {
        try (var g = Autograd.enableGrad()) {
            Tensor[] in = prepare(inputs, createGraph);
            Tensor y = fn.apply(in);
            checkScalar(y, "hvp");
            Tensor[] vs = checkV(v, inputs, "hvp", "inputs");
            Tensor[] jac = grads(new Tensor[]{y}, in, null, true, strict, "hvp");
            // grad_jac is a dummy; d(grad_jac . jac)/d inputs = H^T grad_jac, linear in grad_jac.
            Tensor[] u = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) u[i] = Grad4j.zerosLike(in[i]).requiresGrad_();
            Tensor[] dbl = grads(jac, in, u, true, strict, "hvp");
            Tensor[] res = Autograd.grad(dbl, u, GradOptions.defaults().gradients(vs).createGraph(createGraph)
                    .retainGraph(true).allowUnused(true).materializeGrads(true));
            if (!createGraph) for (int i = 0; i < res.length; i++) res[i] = res[i].detach();
            return new Result(finish(new Tensor[]{y}, createGraph), res);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Tensor[] prepare(Tensor[] inputs, boolean createGraph) {
        Tensor[] in = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (!t.isFloatingPoint()) {
                throw new IllegalArgumentException("autograd.functional: input " + i + " is " + t.dtype()
                        + "; only floating point inputs can be differentiated. Fix: t.to(DType.FLOAT64)");
            }
            in[i] = createGraph && t.requiresGrad() ? t.view(t.shape()) : t.detach().requiresGrad_();
        }
        return in;
    }

    private static Tensor[] grads(Tensor[] outs, Tensor[] in, Tensor[] gradOuts, boolean createGraph, boolean strict, String fn) {
        java.util.List<Tensor> o = new java.util.ArrayList<>(), go = new java.util.ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            if (outs[i] == null || !outs[i].requiresGrad()) continue;
            o.add(outs[i]);
            go.add(gradOuts == null ? null : gradOuts[i]);
        }
        Tensor[] res = new Tensor[in.length];
        if (!o.isEmpty()) {
            res = Autograd.grad(o.toArray(new Tensor[0]), in, GradOptions.defaults().gradients(go.toArray(new Tensor[0]))
                    .createGraph(createGraph).retainGraph(true).allowUnused(true).materializeGrads(false));
        }
        for (int i = 0; i < res.length; i++) {
            if (res[i] == null) {
                if (strict) throw unused(fn, i);
                res[i] = Grad4j.zerosLike(in[i]);
            }
        }
        return res;
    }

    private static IllegalStateException unused(String fn, int i) {
        return new IllegalStateException(fn + ": the output of the function is independent of input " + i
                + ". This is not allowed in strict mode. Fix: pass strict=false to get zeros for it");
    }

    private static void checkOutputs(Tensor[] outs, String fn) {
        if (outs == null || outs.length == 0) {
            throw new IllegalArgumentException(fn + ": the function must return at least one tensor");
        }
        for (int i = 0; i < outs.length; i++) {
            if (outs[i] == null) throw new IllegalArgumentException(fn + ": output " + i + " of the function is null");
        }
    }

    private static void checkScalar(Tensor y, String fn) {
        if (y.numel() != 1) {
            throw new IllegalArgumentException("The function given to " + fn + " should return a single element Tensor, "
                    + "but it returned a tensor of shape " + Arrays.toString(y.shape()) + ". Fix: reduce it (sum/mean)");
        }
    }

    private static Tensor[] implicitV(Tensor[] ts, String fn) {
        Tensor[] v = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (ts[i].numel() != 1) {
                throw new IllegalArgumentException("The vector v can only be None if the input to the user-provided "
                        + "function is a single Tensor with a single element (" + fn + ", shape "
                        + Arrays.toString(ts[i].shape()) + "). Fix: pass v");
            }
            v[i] = Grad4j.onesLike(ts[i]);
        }
        return v;
    }

    private static Tensor[] checkV(Tensor[] v, Tensor[] like, String fn, String what) {
        if (v.length != like.length) {
            throw new IllegalArgumentException(fn + ": v has " + v.length + " tensors but the " + what + " has " + like.length);
        }
        for (int i = 0; i < v.length; i++) {
            if (!Arrays.equals(v[i].shape(), like[i].shape())) {
                throw new IllegalArgumentException("Mismatch in shape of v in " + fn + ": v[" + i + "] has shape "
                        + Arrays.toString(v[i].shape()) + " but the " + what + "[" + i + "] has shape "
                        + Arrays.toString(like[i].shape()));
            }
        }
        return v;
    }

    private static Tensor[] finish(Tensor[] outs, boolean createGraph) {
        if (createGraph) return outs;
        Tensor[] r = new Tensor[outs.length];
        for (int i = 0; i < outs.length; i++) r[i] = outs[i].detach();
        return r;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
