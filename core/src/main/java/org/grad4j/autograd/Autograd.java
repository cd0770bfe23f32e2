package org.grad4j.autograd;

import org.grad4j.Tensor;

import java.util.Arrays;

/**
 * The functions of {@code torch.autograd}: backward, grad, grad-mode scopes and anomaly detection.
 *
 * <pre>{@code
 * Tensor x = Grad4j.tensor(1.0).requiresGrad_();
 * Tensor y = x.mul(x).mul(x);
 * Tensor dy = Autograd.grad(y, x, GradOptions.defaults().createGraph(true));   // 3x^2 = 3
 * Tensor d2y = Autograd.grad(dy, x);                                            // 6x = 6
 * try (var g = Autograd.noGrad()) { Tensor z = x.mul(2); }                      // z records nothing
 * }</pre>
 */
public final class Autograd {
    private Autograd() {}

    // ------------------------------------------------------------------ grad mode

    /** Disables graph recording in this thread until closed (PyTorch's {@code torch.no_grad()}). */
    public static GradMode.Scope noGrad() { return new GradMode.Scope(false, false); }

    /** Enables graph recording in this thread until closed ({@code torch.enable_grad()}). */
    public static GradMode.Scope enableGrad() { return new GradMode.Scope(true, false); }

    /** Sets grad mode until closed ({@code torch.set_grad_enabled(mode)} as a context manager). */
    public static GradMode.Scope gradEnabled(boolean mode) { return new GradMode.Scope(mode, false); }

    /** Sets grad mode for this thread ({@code torch.set_grad_enabled(mode)} as a function). */
    public static void setGradEnabled(boolean mode) { GradMode.setEnabled(mode); }

    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    /**
     * Like {@code torch.inference_mode()}: no graph is recorded in this thread until closed. In
     * grad4j it is no_grad plus a flag ({@link GradMode#isInference()}); tensors made inside are
     * ordinary tensors.
     */
    public static GradMode.Scope inferenceMode() { return new GradMode.Scope(false, true); }

    // ------------------------------------------------------------------ anomaly detection

    /** {@code torch.autograd.set_detect_anomaly(on)}. */
    public static void setDetectAnomaly(boolean on) { AnomalyMode.setEnabled(on, true); }

    public static boolean isAnomalyEnabled() { return AnomalyMode.isEnabled(); }

    /** {@code with torch.autograd.detect_anomaly():} as a try-with-resources scope. */
    public static AnomalyMode.Scope detectAnomaly() { return new AnomalyMode.Scope(true); }

    // ------------------------------------------------------------------ NaN/Inf check mode

    /**
     * Fails at the first op whose result (forward) or gradient (backward) holds a NaN or an
     * infinity, naming the op and the call site; process-wide. Cheap enough to leave on while
     * developing (one pass over each result). See {@link NonFiniteCheck}.
     */
    public static void setDetectNonFinite(boolean on) { NonFiniteCheck.setEnabled(on); }

    /** Scope form of {@link #setDetectNonFinite}: {@code try (var c = Autograd.detectNonFinite()) {...}}. */
    public static NonFiniteCheck.Scope detectNonFinite() { return new NonFiniteCheck.Scope(); }

    // ------------------------------------------------------------------ pictures of the graph

    /**
     * The backward graph of {@code tensor} as Graphviz DOT, as torchviz's {@code make_dot} draws
     * it: a box per node named as {@code gradFn().name()} prints it ({@code MulBackward0}), a
     * blue box per leaf with its shape, orange boxes for saved tensors, the tensor itself in green.
     *
     * <pre>{@code
     * Tensor y = w.mul(x).add(b);
     * Files.writeString(Path.of("graph.dot"), Autograd.toDot(y));   // dot -Tsvg graph.dot > graph.svg
     * }</pre>
     */
    public static String toDot(Tensor tensor) { return GraphDot.toDot(tensor, null); }

    /** {@link #toDot(Tensor)} with names for leaves and saved tensors, e.g. {@code model.namedParameters()} (torchviz's params). */
    public static String toDot(Tensor tensor, java.util.Map<String, Tensor> names) { return GraphDot.toDot(tensor, names); }

    /**
     * Renders {@link #toDot(Tensor, java.util.Map)} to an SVG file with Graphviz's {@code dot}
     * program (from the PATH, or {@code -Dgrad4j.dot=/path/to/dot}); without Graphviz it fails
     * with a message naming the package to install.
     *
     * <pre>{@code
     * Autograd.toSvg(loss, model.namedParameters(), Path.of("graph.svg"));
     * }</pre>
     */
    public static void toSvg(Tensor tensor, java.util.Map<String, Tensor> names, java.nio.file.Path svg) throws java.io.IOException {
        GraphDot.toSvg(tensor, names, svg);
    }

    public static void toSvg(Tensor tensor, java.nio.file.Path svg) throws java.io.IOException { GraphDot.toSvg(tensor, null, svg); }

    // ------------------------------------------------------------------ backward

    /** {@code tensor.backward(...)} with options. */
    public static void backward(Tensor tensor, GradOptions opts) {
        Tensor g = opts.gradients() == null || opts.gradients().length == 0 ? null : opts.gradients()[0];
        backward(new Tensor[]{tensor}, new Tensor[]{g}, opts);
    }

    /**
     * {@code torch.autograd.backward(tensors, grad_tensors, retain_graph, create_graph, inputs)}:
     * accumulates the sum of the gradients of all {@code tensors} into the leaves.
     */
    public static void backward(Tensor[] tensors, Tensor[] gradTensors, boolean retainGraph, boolean createGraph, Tensor... inputs) {
        backward(tensors, gradTensors, GradOptions.defaults().retainGraph(retainGraph).createGraph(createGraph)
                .inputs(inputs == null || inputs.length == 0 ? null : inputs));
    }

    /**
     * Runs {@code callback} once the backward pass now running on this thread has finished the whole
     * graph, before {@code backward()} returns ({@code Variable._execution_engine.queue_callback}).
     * Only legal during backward, e.g. from a gradient hook; DistributedDataParallel waits for its
     * last all-reduce this way.
     *
     * <pre>{@code
     * w.registerPostAccumulateGradHook(p -> Autograd.queueCallback(() -> System.out.println("backward done")));
     * }</pre>
     */
    public static void queueCallback(Runnable callback) { Engine.queueCallback(callback); }

    /** {@code torch.autograd.backward(tensors)} with implicit gradients for one-element outputs. */
    public static void backward(Tensor... tensors) {
        backward(tensors, null, GradOptions.defaults());
    }

    public static void backward(Tensor[] tensors, Tensor[] gradTensors, GradOptions opts) {
        Tensor[] grads = makeGrads(tensors, gradTensors, "backward");
        Tensor[] inputs = opts.inputs();
        if (inputs != null && inputs.length == 0) {
            throw new IllegalArgumentException("'inputs' argument to backward() cannot be empty.");
        }
        if (inputs == null) {
            Engine.run(tensors, grads, opts.keepGraph(), opts.createGraph(), null, false, null);
            return;
        }
        Edge[] edges = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (!t.requiresGrad()) {
                throw new IllegalArgumentException("One of the differentiated Tensors does not require grad (inputs[" + i
                        + "] of backward). Fix: only list tensors that require grad");
            }
            edges[i] = edgeOf(t);
        }
        int[] slot = new int[edges.length];
        Edge[] unique = dedupe(edges, slot);
        Tensor[] uniqueInputs = new Tensor[unique.length];
        for (int i = 0; i < inputs.length; i++) uniqueInputs[slot[i]] = inputs[i];
        Engine.run(tensors, grads, opts.keepGraph(), opts.createGraph(), unique, true, uniqueInputs);
    }

    // ------------------------------------------------------------------ grad

    /** {@code torch.autograd.grad(output, input)} for one output and one input. */
    public static Tensor grad(Tensor output, Tensor input) {
        return grad(new Tensor[]{output}, new Tensor[]{input}, GradOptions.defaults())[0];
    }

    public static Tensor grad(Tensor output, Tensor input, GradOptions opts) {
        return grad(new Tensor[]{output}, new Tensor[]{input}, opts)[0];
    }

    /**
     * {@code torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused)}:
     * returns the gradients instead of accumulating them.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph,
                                boolean createGraph, boolean allowUnused) {
        return grad(outputs, inputs, GradOptions.defaults().gradients(gradOutputs).retainGraph(retainGraph)
                .createGraph(createGraph).allowUnused(allowUnused));
    }

    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, GradOptions opts) {
        Tensor[] grads = makeGrads(outputs, opts.gradients(), "grad");
        Edge[] edges = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) {
                throw new IllegalArgumentException("One of the differentiated Tensors does not require grad (inputs[" + i
                        + "], shape " + Arrays.toString(inputs[i].shape()) + "). Fix: call requiresGrad_() on it before "
                        + "computing the outputs");
            }
            edges[i] = edgeOf(inputs[i]);
        }
        // The same tensor listed twice gets its gradient twice (PyTorch): capture each edge once.
        int[] slot = new int[edges.length];
        Edge[] unique = dedupe(edges, slot);
        Tensor[] once = Engine.run(outputs, grads, opts.keepGraph(), opts.createGraph(), unique, false, null);
        Tensor[] res = new Tensor[edges.length];
        for (int i = 0; i < res.length; i++) res[i] = once[slot[i]];
        for (int i = 0; i < res.length; i++) {
            if (res[i] == null) {
                if (!opts.allowUnused()) {
                    throw new IllegalArgumentException("One of the differentiated Tensors appears to not have been used in "
                            + "the graph. Set allow_unused=True if this is the desired behavior. (inputs[" + i + "], shape "
                            + Arrays.toString(inputs[i].shape()) + "; fix: GradOptions.defaults().allowUnused(true))");
                }
                if (opts.materializeGrads()) res[i] = Tensor.zerosOf(inputs[i].shape(), inputs[i].dtype(), inputs[i].device());
            } else if (!opts.createGraph()) {
                res[i] = res[i].detach();
            }
        }
        return res;
    }

    // ------------------------------------------------------------------ helpers

    /** The distinct edges of {@code edges}; {@code slot[i]} is where edge i landed. */
    private static Edge[] dedupe(Edge[] edges, int[] slot) {
        java.util.List<Edge> out = new java.util.ArrayList<>(edges.length);
        for (int i = 0; i < edges.length; i++) {
            int at = -1;
            for (int j = 0; j < out.size() && at < 0; j++) {
                if (out.get(j).node() == edges[i].node() && out.get(j).inputNr() == edges[i].inputNr()) at = j;
            }
            if (at < 0) { at = out.size(); out.add(edges[i]); }
            slot[i] = at;
        }
        return out.toArray(new Edge[0]);
    }

    private static Edge edgeOf(Tensor t) {
        Node fn = t.gradFn();
        return fn != null ? new Edge(fn, t.outputNr()) : new Edge(t.gradAccumulator(), 0);
    }

    /** PyTorch's _make_grads: checks the outputs and fills in implicit gradients. */
    private static Tensor[] makeGrads(Tensor[] outputs, Tensor[] given, String fn) {
        if (given != null && given.length != outputs.length) {
            throw new IllegalArgumentException(fn + ": got " + given.length + " gradients for " + outputs.length + " outputs; "
                    + "pass one gradient (or null) per output");
        }
        Tensor[] grads = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Tensor out = outputs[i];
            if (!out.requiresGrad()) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a "
                        + "grad_fn. Fix: do not set requiresGrad on the loss itself; check that the parameters require grad "
                        + "(requiresGrad_()) and that the loss was not computed under noGrad() or from detached values "
                        + "(detach(), data(), item())");
            }
            Tensor g = given == null ? null : given[i];
            if (g == null) {
                if (out.numel() != 1) {
                    throw new IllegalStateException("grad can be implicitly created only for scalar outputs (output " + i
                            + " has shape " + Arrays.toString(out.shape()) + " with " + out.numel() + " elements). Fix: "
                            + "reduce it to one element first (loss.sum().backward() or loss.mean().backward()), or pass a "
                            + "gradient of the same shape: out.backward(Grad4j.onesLike(out))");
                }
                g = Tensor.zerosOf(out.shape(), out.dtype(), out.device());
                g.storage().setDouble(0, 1.0);
            } else {
                if (!Arrays.equals(g.shape(), out.shape())) {
                    throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of "
                            + Arrays.toString(g.shape()) + " and output[" + i + "] has a shape of "
                            + Arrays.toString(out.shape()) + ". Fix: the gradient must have the output's shape");
                }
                if (g.dtype() != out.dtype()) {
                    if (!g.dtype().isFloatingPoint()) {
                        throw new IllegalArgumentException("For complex/floating Tensors, gradients must be floating too: "
                                + "grad_output[" + i + "] is " + g.dtype() + " but output[" + i + "] is " + out.dtype());
                    }
                }
            }
            grads[i] = g;
        }
        return grads;
    }
}
