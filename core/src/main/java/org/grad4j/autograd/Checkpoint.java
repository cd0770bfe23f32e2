package org.grad4j.autograd;

import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.internal.Graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Gradient checkpointing ({@code torch.utils.checkpoint}): runs a segment without keeping its
 * intermediate activations, and runs it again during backward to get the gradients. Trades
 * compute for memory. The segment may use parameters (and other tensors) captured from outside.
 *
 * <p>As PyTorch's checkpoint with its defaults for {@code preserve_rng_state} (true) and the
 * recommended {@code use_reentrant=False}:
 * <ul>
 *   <li>the default generator's state is saved before the forward run and restored for the
 *       recompute ({@code preserve_rng_state=True}), so dropout inside draws the same mask twice
 *       and the gradients are right; the caller's random stream is left as it was. Turn it off
 *       with {@code Checkpoint.preserveRngState(false)} for deterministic segments;</li>
 *   <li>the segment's node reaches the captured tensors too, so {@code Autograd.grad} through a
 *       checkpoint returns their gradients when asked and writes no {@code .grad} anywhere, and
 *       {@code backward()} accumulates into them as usual.</li>
 * </ul>
 * Under no-grad the segment simply runs. Generators passed explicitly to ops inside are not
 * restored (PyTorch restores only the default one).
 *
 * <pre>{@code
 * Tensor y = Checkpoint.checkpoint(in -> new Tensor[]{block.forward(in[0])}, x)[0];
 * Tensor y2 = Checkpoint.checkpoint(t -> t.mul(2), x);    // one input, one output
 * Tensor y3 = Checkpoint.preserveRngState(false).checkpoint(t -> lin.call(t), x);
 * }</pre>
 */
public final class Checkpoint {
    private static final Checkpoint DEFAULT = new Checkpoint(true);
    private final boolean preserveRngState;

    private Checkpoint(boolean preserveRngState) { this.preserveRngState = preserveRngState; }

    /** Options: {@code preserveRngState(false)} skips saving and restoring the RNG state ({@code preserve_rng_state=False}). */
    public static Checkpoint preserveRngState(boolean preserve) { return preserve ? DEFAULT : new Checkpoint(false); }

    /** Checkpoints a one-input, one-output segment. */
    public static Tensor checkpoint(UnaryOperator<Tensor> segment, Tensor input) { return DEFAULT.run(segment, input); }

    /** Checkpoints a segment with several inputs and outputs. */
    public static Tensor[] checkpoint(java.util.function.Function<Tensor[], Tensor[]> segment, Tensor... inputs) {
        return DEFAULT.run(segment, inputs);
    }

    /** {@link #checkpoint(UnaryOperator, Tensor)} with these options. */
    public Tensor run(UnaryOperator<Tensor> segment, Tensor input) {
        return run(in -> new Tensor[]{segment.apply(in[0])}, new Tensor[]{input})[0];
    }

    /** {@link #checkpoint(java.util.function.Function, Tensor...)} with these options. */
    public Tensor[] run(java.util.function.Function<Tensor[], Tensor[]> segment, Tensor... inputs) {
        if (!GradMode.isEnabled()) return segment.apply(inputs);
        Generator gen = Grad4j.defaultGenerator();
        Tensor rngState = preserveRngState ? gen.getState() : null;
        long firstNode = GradMode.state().nextSequenceNr;
        Tensor[] leaves = leavesLike(inputs);
        Tensor[] outs = segment.apply(leaves);
        // The recorded graph only tells which outside tensors the segment reaches; it is dropped here.
        Boundary b = Boundary.find(outs, leaves, firstNode);
        Tensor[] results = new Tensor[outs.length];
        try (var g = Autograd.noGrad()) {
            // a view's base would keep the recorded graph (and so the activations) alive
            for (int i = 0; i < outs.length; i++) if (outs[i] != null) results[i] = Graph.isView(outs[i]) ? outs[i].clone() : outs[i].detach();
        }
        Tensor[] all = new Tensor[inputs.length + b.tensors.size()];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        for (int i = 0; i < b.tensors.size(); i++) all[inputs.length + i] = b.tensors.get(i);
        return new Recompute(segment, inputs.length, b.edges.toArray(new Edge[0]), results, gen, rngState).applyAll(all);
    }

    /** Fresh leaves with the inputs' data, requiring grad where the inputs do. */
    private static Tensor[] leavesLike(Tensor[] inputs) {
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) continue;
            out[i] = inputs[i].detach();
            if (inputs[i].requiresGrad()) out[i].requiresGrad_(true);
        }
        return out;
    }

    /**
     * The edges through which a segment's graph leaves the segment: leaves other than its own
     * input leaves (parameters) and nodes created before it (captured non-leaf tensors). Each
     * comes with a tensor to pass to the checkpoint node so that its gradient flows there.
     */
    private record Boundary(List<Edge> edges, List<Tensor> tensors) {
        static Boundary find(Tensor[] outs, Tensor[] inputLeaves, long firstNode) {
            Boundary b = new Boundary(new ArrayList<>(), new ArrayList<>());
            Map<Node, Boolean> seen = new IdentityHashMap<>();
            Map<Node, int[]> found = new IdentityHashMap<>();   // boundary node -> marks per input nr
            ArrayDeque<Node> stack = new ArrayDeque<>();
            for (Tensor o : outs) {
                if (o == null || !o.requiresGrad()) continue;
                Node fn = o.gradFn();
                Node n = fn != null ? fn : o.gradAccumulator();
                b.visit(n, fn != null ? o.outputNr() : 0, o.shape(), o.dtype(), o.device(), inputLeaves, firstNode, seen, found, stack);
            }
            while (!stack.isEmpty()) {
                Node n = stack.pop();
                for (int i = 0; i < n.nextNodes.length; i++) {
                    Node c = n.nextNodes[i];
                    if (c != null) {
                        b.visit(c, n.nextInputNrs[i], n.inputShapes[i], n.inputDtypes[i],
                                n.inputDevices == null ? org.grad4j.Device.CPU : n.inputDevices[i], inputLeaves, firstNode, seen, found, stack);
                    }
                }
            }
            return b;
        }

        private void visit(Node c, int nr, int[] shape, org.grad4j.storage.DType dtype, org.grad4j.Device device, Tensor[] inputLeaves, long firstNode,
                           Map<Node, Boolean> seen, Map<Node, int[]> found, ArrayDeque<Node> stack) {
            if (c instanceof AccumulateGrad ag) {
                for (Tensor t : inputLeaves) if (t == ag.variable()) return;
                if (found.putIfAbsent(c, new int[]{1}) == null) {
                    edges.add(new Edge(c, 0));
                    tensors.add(ag.variable());
                }
            } else if (c.sequenceNr < firstNode) {
                int[] marks = found.computeIfAbsent(c, k -> new int[Math.max(k.numOutputs(), nr + 1)]);
                if (nr >= marks.length) {
                    marks = java.util.Arrays.copyOf(marks, nr + 1);
                    found.put(c, marks);
                }
                if (marks[nr]++ == 0) {
                    edges.add(new Edge(c, nr));
                    tensors.add(placeholder(c, nr, shape, dtype, device));
                }
            } else if (seen.put(c, Boolean.TRUE) == null) {
                stack.push(c);
            }
        }

        /** A tensor whose history is output {@code nr} of {@code node}, standing for the captured tensor (no data of its own). */
        private static Tensor placeholder(Node node, int nr, int[] shape, org.grad4j.storage.DType dtype, org.grad4j.Device device) {
            Tensor p;
            try (var g = Autograd.noGrad()) {
                p = Grad4j.zeros(new int[0], dtype, device).expand(shape);
            }
            Graph.setHistory(p, node, nr);
            return p;
        }
    }

    private static final class Recompute extends Function {
        private final java.util.function.Function<Tensor[], Tensor[]> segment;
        private final int numInputs;
        private final Edge[] boundary;
        private Tensor[] results;
        private final Generator generator;
        private final Tensor rngState;

        Recompute(java.util.function.Function<Tensor[], Tensor[]> segment, int numInputs, Edge[] boundary, Tensor[] results,
                  Generator generator, Tensor rngState) {
            this.segment = segment;
            this.numInputs = numInputs;
            this.boundary = boundary;
            this.results = results;
            this.generator = generator;
            this.rngState = rngState;
        }

        @Override
        protected String nodeName() { return "CheckpointFunctionBackward"; }

        @Override
        protected Tensor[] forwardAll(FunctionCtx ctx, Tensor... inputs) {
            ctx.saveForBackward(java.util.Arrays.copyOf(inputs, numInputs));
            Tensor[] r = results;
            results = null;   // computed already, in Checkpoint.run
            return r;
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            // Under create_graph the recompute runs on the inputs themselves, so the gradients'
            // graph reaches them (double backward); otherwise on fresh leaves, cut from the graph.
            boolean createGraph = GradMode.isEnabled();
            Tensor[] saved = ctx.savedTensors();
            Tensor[] leaves = createGraph ? saved : leavesLike(saved);
            Tensor[] outs;
            Tensor callerState = rngState != null ? generator.getState() : null;
            try (var g = Autograd.enableGrad()) {
                if (rngState != null) generator.setState(rngState);   // the forward run's random numbers again
                outs = segment.apply(leaves);
            } finally {
                if (callerState != null) generator.setState(callerState);
            }
            int n = 0;
            for (Tensor o : outs) if (o != null && o.requiresGrad()) n++;
            Tensor[] roots = new Tensor[n], rootGrads = new Tensor[n];
            for (int i = 0, k = 0; i < outs.length; i++) {
                if (outs[i] != null && outs[i].requiresGrad()) {
                    roots[k] = outs[i];
                    rootGrads[k++] = grads[i];
                }
            }
            Edge[] captures = new Edge[numInputs + boundary.length];
            for (int i = 0; i < numInputs; i++) {
                Tensor l = leaves[i];
                if (l == null || !l.requiresGrad()) captures[i] = new Edge(null, 0);
                else captures[i] = l.gradFn() != null ? new Edge(l.gradFn(), l.outputNr()) : new Edge(l.gradAccumulator(), 0);
            }
            System.arraycopy(boundary, 0, captures, numInputs, boundary.length);
            if (n == 0) return new Tensor[captures.length];
            // Only the requested gradients come back: nothing is accumulated into any .grad here;
            // the enclosing backward passes them on along this node's edges.
            return Engine.run(roots, rootGrads, createGraph, createGraph, captures, false, null, true);
        }
    }
}
