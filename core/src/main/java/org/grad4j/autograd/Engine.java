package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.storage.Storage;
import org.grad4j.internal.Graph;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Runs a backward pass, split as PyTorch's engine: a {@link GraphTask} holds the state of one
 * call (dependency counts, not-ready {@link InputBuffer}s, exec info, final callbacks), this class
 * drives it: nodes whose gradients are complete run latest-created first, each through
 * {@link #evaluate}. No recursion, so graph depth is bounded only by memory.
 */
final class Engine {
    private Engine() {}

    private static final Tensor[] NONE = new Tensor[0];

    /** The graph tasks running on this thread, innermost last (a checkpoint's recompute runs inside its caller's). */
    private static final ThreadLocal<ArrayDeque<GraphTask>> CURRENT = ThreadLocal.withInitial(ArrayDeque::new);

    /** See {@link Autograd#queueCallback}: the innermost backward on this thread runs it when it ends. */
    static void queueCallback(Runnable callback) {
        GraphTask task = CURRENT.get().peekLast();
        if (task == null) {
            throw new IllegalStateException("Final callbacks can only be installed during backward pass. Fix: call "
                    + "Autograd.queueCallback from a hook that runs during backward()");
        }
        task.queueCallback(callback);
    }

    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean keepGraph, boolean createGraph,
                        Edge[] captures, boolean accumulateCaptured, Tensor[] capturedTensors) {
        return run(roots, rootGrads, keepGraph, createGraph, captures, accumulateCaptured, capturedTensors, false);
    }

    /**
     * @param roots      output tensors (each requires grad)
     * @param rootGrads  their gradients (same shapes)
     * @param keepGraph  retain_graph: keep saved values for another backward
     * @param createGraph record the backward so gradients are differentiable
     * @param captures   edges whose gradient should be returned instead of accumulated
     *                   (autograd.grad), or null to accumulate into every reached leaf
     * @param accumulateCaptured  backward(inputs=...): accumulate into captured tensors' .grad
     * @param capturedTensors     tensors behind {@code captures} (for accumulateCaptured)
     * @param stopAtCaptures      the capture nodes are the graph's boundary: never run nor looked
     *                   past (activation checkpointing's recompute, whose captures include nodes of
     *                   the enclosing graph that the enclosing backward runs itself)
     * @return captured gradients (null where nothing arrived), or null when captures == null
     */
    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean keepGraph, boolean createGraph,
                        Edge[] captures, boolean accumulateCaptured, Tensor[] capturedTensors, boolean stopAtCaptures) {
        GraphTask task = new GraphTask(roots, rootGrads, keepGraph, createGraph, captures, accumulateCaptured,
                capturedTensors, stopAtCaptures);
        ArrayDeque<GraphTask> running = CURRENT.get();
        running.addLast(task);
        try {
            boolean prevGrad = GradMode.setEnabled(createGraph);
            try {
                for (Node node; (node = task.ready.poll()) != null; ) evaluate(task, node, task.takeBuffer(node));
            } finally {
                GradMode.setEnabled(prevGrad);
            }
            task.storeCapturedGrads();
            task.runFinalCallbacks();
        } finally {
            running.removeLast();
        }
        return task.captured();
    }

    /**
     * Runs one ready node (PyTorch's evaluate_function): pre-hooks (tensor hooks, retain_grad),
     * captures, the node's formula unless exec info skips it, anomaly checks, post-hooks, release
     * of saved values unless retain_graph, then its gradients go into the next nodes' buffers.
     */
    static void evaluate(GraphTask task, Node node, InputBuffer buffer) {
        boolean isRoot = node == task.root;
        Tensor[] grads = isRoot ? NONE : buffer != null ? buffer.grads() : new Tensor[node.numOutputs()];
        if (node.hasPreHooks()) node.runPreHooks(grads);
        boolean isCapture = task.isCaptureNode(node);
        if (isCapture) task.capture(node, grads);
        // a gradient a hook or a capture saw is referenced outside the engine: its ownership ends here
        boolean gradsOwned = buffer != null && !isCapture && !node.hasPreHooks();

        Tensor[] outs = null;
        boolean[] outsOwned = null;
        if (task.shouldRun(node, isCapture) && (isRoot || !allNull(grads))) {
            if (!isRoot) materialize(node, grads);
            if (node instanceof AccumulateGrad ag) {
                outs = ag.accumulate(grads, gradsOwned && buffer.owned(0));
            } else if (node instanceof FunctionNode && !node.hasPostHooks()) {
                // library formulas hand over what they allocate (custom Functions may keep theirs)
                long generation = Storage.openGeneration();
                if (gradsOwned) Handover.giveToNode(buffer, grads, generation);
                outs = node.apply(grads);
                outsOwned = Handover.fromNode(outs, generation);
                if (gradsOwned) releaseConsumed(buffer, grads, outs, generation);
            } else {
                outs = node.apply(grads);
            }
            if (!isRoot) {
                if (task.checkNan) checkNan(node, outs);
                if (NonFiniteCheck.isEnabled()) NonFiniteCheck.backward(node, outs);
                node.runPostHooks(outs, grads);
                if (!task.keepGraph) node.release();
            }
        }
        if (task.isBoundary(node)) return;
        for (int i = 0; i < node.nextNodes.length; i++) {
            Node next = node.nextNodes[i];
            if (next == null) continue;
            Tensor g = outs == null || i >= outs.length ? null : outs[i];
            if (g != null) {
                boolean owned = outsOwned != null && outsOwned[i];
                if (!matchesInput(node, i, g)) {
                    long generation = Storage.openGeneration();   // a reduced or cast gradient is new: owned
                    Tensor raw = g;
                    g = validate(node, i, g);
                    if (owned) Release.dead(raw, g);   // the unreduced gradient was the engine's alone
                    owned = Handover.afterValidation(g, generation, owned);
                }
                task.bufferFor(next).add(node.nextInputNrs[i], g, owned);
            }
            task.edgeDone(next);
        }
    }

    /**
     * A library formula has consumed the incoming gradients its buffer owned: those that none of its
     * results shares (a formula may pass a gradient on, or a view of it) and that the formula did
     * not keep ({@code Graph.keep} clears the generation they were given) are dead, released now.
     */
    private static void releaseConsumed(InputBuffer buffer, Tensor[] grads, Tensor[] outs, long generation) {
        for (int i = 0; i < grads.length && i < buffer.size(); i++) {
            Tensor g = grads[i];
            if (g == null || !buffer.owned(i) || g.storage().generation() != generation || sharesStorage(g, outs)) continue;
            Release.dead(g, null);
        }
    }

    private static boolean sharesStorage(Tensor g, Tensor[] outs) {
        if (outs != null) for (Tensor o : outs) if (o != null && o.storage() == g.storage()) return true;
        return false;
    }

    private static boolean allNull(Tensor[] a) {
        for (Tensor t : a) if (t != null) return false;
        return true;
    }

    /** Missing gradients of multi-output nodes become zeros (PyTorch materializes them too). */
    private static void materialize(Node node, Tensor[] grads) {
        if (!node.materializeGrads) return;
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null && node.outputShapes != null && i < node.outputShapes.length) {
                grads[i] = Tensor.zerosOf(node.outputShapes[i], node.outputDtypes[i],
                        node.outputDevices == null ? org.grad4j.Device.CPU : node.outputDevices[i]);
            }
        }
    }

    /** Whether gradient {@code g} for input {@code i} already has the input's shape and (floating) dtype. */
    private static boolean matchesInput(Node node, int i, Tensor g) {
        int[] want = node.inputShapes[i];
        DType dt = node.inputDtypes[i];
        // devices: a field test when everything is on the CPU; a compare when a CUDA tensor is involved
        if (want != null && (node.inputDevices != null || g.isCuda())
                && !g.device().equals(node.inputDevices == null ? org.grad4j.Device.CPU : node.inputDevices[i])) return false;
        return (want == null || Arrays.equals(g.shape(), want)) && (dt == null || g.dtype() == dt || !dt.isFloatingPoint());
    }

    /** Undo broadcasting (sum to the input's shape) and cast to the input's dtype. */
    private static Tensor validate(Node node, int i, Tensor g) {
        int[] want = node.inputShapes[i];
        if (want != null && !Arrays.equals(g.shape(), want)) {
            if (!Tensor.isExpandableTo(want, g.shape())) {
                throw new IllegalStateException("Function " + node.name() + " returned an invalid gradient at index " + i
                        + " - got " + Arrays.toString(g.shape()) + " but expected shape compatible with "
                        + Arrays.toString(want));
            }
            g = g.sumTo(want);
        }
        DType dt = node.inputDtypes[i];
        if (dt != null && g.dtype() != dt && dt.isFloatingPoint()) g = g.to(dt);
        if (want != null && !node.devicesUnknown) {
            org.grad4j.Device dev = node.inputDevices == null ? org.grad4j.Device.CPU : node.inputDevices[i];
            if (!g.device().equals(dev)) {
                if (g.dim() != 0) {   // PyTorch moves a 0-dim gradient and refuses the rest
                    throw new IllegalStateException("Function " + node.name() + " returned an invalid gradient at index " + i
                            + " - expected device " + dev + " but got " + g.device() + ". Fix: return the gradient on the "
                            + "input's device (g.to(input.device()))");
                }
                g = g.to(dev);
            }
        }
        return g;
    }

    private static void checkNan(Node node, Tensor[] outs) {
        if (outs == null) return;
        for (int i = 0; i < outs.length; i++) {
            Tensor o = outs[i];
            if (o != null && o.dtype().isFloatingPoint() && o.hasNan()) {
                IllegalStateException e = new IllegalStateException("Function '" + node.name() + "' returned nan values in its "
                        + i + "th output. The forward call that created " + node.name() + " is in the cause of this exception."
                        + " Fix: look at that forward op's inputs (log of 0 or a negative, 0/0, sqrt of a negative, inf-inf ...).");
                if (node.creationTrace != null) e.initCause(node.creationTrace);
                throw e;
            }
        }
    }
}
