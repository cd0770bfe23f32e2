package org.grad4j.autograd;

import org.grad4j.DType;
import org.grad4j.Tensor;
import org.grad4j.internal.Graph;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs a backward pass: counts how many edges lead into each reachable node, then executes nodes
 * whose gradients are complete, latest-created first, summing gradients that arrive from several
 * paths in a per-node input buffer. No recursion, so graph depth is bounded only by memory.
 */
final class Engine {
    private Engine() {}

    /** The synthetic node whose outputs are the roots' gradients (PyTorch's GraphRoot). */
    private static final class GraphRoot extends Node {
        private final Tensor[] grads;

        GraphRoot(Tensor[] roots, Tensor[] grads) {
            super(roots, Long.MAX_VALUE);
            this.grads = grads;
        }

        @Override
        public String name() { return "GraphRoot"; }

        @Override
        protected Tensor[] apply(Tensor[] ignored) { return grads; }
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
     * @return captured gradients (null where nothing arrived), or null when captures == null
     */
    /** Callbacks queued during the backward pass running on this thread (innermost pass last). */
    private static final ThreadLocal<ArrayDeque<ArrayDeque<Runnable>>> CALLBACKS = ThreadLocal.withInitial(ArrayDeque::new);

    /** See {@link Autograd#queueCallback}. */
    static void queueCallback(Runnable callback) {
        ArrayDeque<Runnable> q = CALLBACKS.get().peekLast();
        if (q == null) {
            throw new IllegalStateException("Final callbacks can only be installed during backward pass. Fix: call "
                    + "Autograd.queueCallback from a hook that runs during backward()");
        }
        q.addLast(callback);
    }

    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean keepGraph, boolean createGraph,
                        Edge[] captures, boolean accumulateCaptured, Tensor[] capturedTensors) {
        return run(roots, rootGrads, keepGraph, createGraph, captures, accumulateCaptured, capturedTensors, false);
    }

    /**
     * As above; with {@code stopAtCaptures} the capture nodes are the graph's boundary: they are
     * never run nor looked past (activation checkpointing's recompute, whose captures include
     * nodes of the enclosing graph that the enclosing backward runs itself).
     */
    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean keepGraph, boolean createGraph,
                        Edge[] captures, boolean accumulateCaptured, Tensor[] capturedTensors, boolean stopAtCaptures) {
        ArrayDeque<ArrayDeque<Runnable>> stack = CALLBACKS.get();
        ArrayDeque<Runnable> callbacks = new ArrayDeque<>(0);
        stack.addLast(callbacks);
        Tensor[] out;
        try {
            out = runGraph(roots, rootGrads, keepGraph, createGraph, captures, accumulateCaptured, capturedTensors, stopAtCaptures);
            // after the whole graph, like PyTorch's final callbacks; a callback may queue more
            for (Runnable r; (r = callbacks.pollFirst()) != null; ) r.run();
        } finally {
            stack.removeLast();
        }
        return out;
    }

    private static Tensor[] runGraph(Tensor[] roots, Tensor[] rootGrads, boolean keepGraph, boolean createGraph,
                                     Edge[] captures, boolean accumulateCaptured, Tensor[] capturedTensors,
                                     boolean stopAtCaptures) {
        GraphRoot root = new GraphRoot(roots, rootGrads);
        java.util.Set<Node> boundary = null;   // null unless stopAtCaptures: nothing to look up on the usual path
        if (stopAtCaptures) {
            boundary = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Edge e : captures) if (e.node() != null) boundary.add(e.node());
        }
        Map<Node, int[]> deps = new IdentityHashMap<>(256);   // sized for typical graphs: no rehashing
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        deps.put(root, new int[1]);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (boundary != null && boundary.contains(n)) continue;
            for (Node c : n.nextNodes) {
                if (c == null) continue;
                int[] d = deps.get(c);
                if (d == null) {
                    deps.put(c, new int[]{1});
                    stack.push(c);
                } else {
                    d[0]++;
                }
            }
        }

        Map<Node, Boolean> needed = null;
        Map<Node, int[]> captureSlots = null;       // node -> [outputNr -> capture index], for non-leaf captures
        Tensor[] captured = null;
        if (captures != null) {
            captured = new Tensor[captures.length];
            captureSlots = new IdentityHashMap<>();
            for (int i = 0; i < captures.length; i++) {
                Edge e = captures[i];
                if (e.node() == null) continue;
                int[] slots = captureSlots.computeIfAbsent(e.node(), k -> {
                    int[] s = new int[Math.max(k.numOutputs(), 1)];
                    Arrays.fill(s, -1);
                    return s;
                });
                slots[e.inputNr()] = i;
            }
            needed = markNeeded(root, captureSlots.keySet(), boundary);
        }

        PriorityQueue<Node> ready = new PriorityQueue<>(16, (a, b) -> Long.compare(b.sequenceNr, a.sequenceNr));
        Map<Node, Tensor[]> buffers = new IdentityHashMap<>(64);
        // per buffer slot: whether only the engine references that gradient (see ownedOutputs)
        Map<Node, boolean[]> owned = new IdentityHashMap<>(64);
        ready.add(root);
        boolean prevGrad = GradMode.setEnabled(createGraph);
        try {
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor[] grads = node == root ? new Tensor[0] : buffers.remove(node);
                boolean[] gradsOwned = owned.remove(node);
                if (grads == null) grads = new Tensor[node.numOutputs()];
                if (node.hasPreHooks()) node.runPreHooks(grads);

                Tensor[] outs;
                boolean isCaptureNode = captureSlots != null && captureSlots.containsKey(node);
                if (isCaptureNode) {
                    int[] slots = captureSlots.get(node);
                    for (int i = 0; i < slots.length && i < grads.length; i++) {
                        if (slots[i] >= 0 && grads[i] != null) {
                            int ci = slots[i];
                            captured[ci] = captured[ci] == null ? grads[i] : captured[ci].add(grads[i]);
                        }
                    }
                }
                boolean[] outsOwned = null;
                boolean run;
                if (node == root || needed == null) run = true;
                else if (node instanceof AccumulateGrad) run = accumulateCaptured && isCaptureNode;
                else run = Boolean.TRUE.equals(needed.get(node)) && (!isCaptureNode || (!stopAtCaptures && needsBeyond(node, needed)));
                if (run && node != root && allNull(grads)) run = false;
                if (run) {
                    if (node != root) materialize(node, grads);
                    if (node instanceof AccumulateGrad ag) {
                        boolean own = gradsOwned != null && gradsOwned[0] && !node.hasPreHooks() && !isCaptureNode;
                        outs = ag.accumulate(grads, own);
                    } else {
                        outs = node.apply(grads);
                    }
                    boolean[] inOwned = gradsOwned != null && !node.hasPreHooks() && !isCaptureNode ? gradsOwned : null;
                    outsOwned = node == root ? null : ownedOutputs(node, outs, grads, inOwned);
                    if (node != root) {
                        if (AnomalyMode.isEnabled() && AnomalyMode.checksNan()) checkNan(node, outs);
                        if (NonFiniteCheck.isEnabled()) NonFiniteCheck.backward(node, outs);
                        node.runPostHooks(outs, grads);
                        if (!keepGraph) node.release();
                    }
                } else {
                    outs = null;
                }

                for (int i = 0; i < node.nextNodes.length && (boundary == null || !boundary.contains(node)); i++) {
                    Node c = node.nextNodes[i];
                    if (c == null) continue;
                    Tensor g = outs == null || i >= outs.length ? null : outs[i];
                    if (g != null) {
                        Tensor raw = g;
                        g = validate(node, i, g);
                        // a reduced or cast gradient (sumTo/to) is a new tensor of its own
                        boolean fresh = g != raw && g.storage().array() != raw.storage().array();
                        Tensor[] buf = buffers.computeIfAbsent(c, k -> new Tensor[k.numOutputs()]);
                        int slot = node.nextInputNrs[i];
                        boolean[] own = owned.computeIfAbsent(c, k -> new boolean[buf.length]);
                        // a sum is a fresh tensor; a single gradient is owned when its producer's output was
                        own[slot] = buf[slot] != null || fresh || (outsOwned != null && outsOwned[i]);
                        buf[slot] = buf[slot] == null ? g : buf[slot].add(g);
                    }
                    int[] d = deps.get(c);
                    if (--d[0] == 0) ready.add(c);
                }
            }
        } finally {
            GradMode.setEnabled(prevGrad);
        }
        if (captures != null && accumulateCaptured) {
            // backward(inputs=[non-leaf]): non-leaf inputs get their .grad like retain_grad
            for (int i = 0; i < captures.length; i++) {
                Tensor t = capturedTensors[i];
                if (t == null || t.isLeaf() || captured[i] == null) continue;
                Tensor old = t.gradNoWarn();
                Tensor g = createGraph ? captured[i] : captured[i].detach();
                Graph.setGrad(t, old == null ? (createGraph ? g : g.clone()) : old.add(g));
            }
        }
        return captured;
    }

    /**
     * Which outputs of a library formula only the engine references, so that AccumulateGrad may
     * keep one as .grad without copying (PyTorch steals a gradient whose use count is 1). Java
     * has no use counts, so this is conservative: only FunctionNode (library formulas, not custom
     * Functions), no post hooks, and the output's storage must be its own: the whole of it, not
     * shared with another output or a saved tensor, nor with an incoming gradient unless that one
     * was owned itself ({@code inOwned}: a pass-through or a view such as TBackward's of a gradient
     * nothing else sees). Called before the node releases what it saved.
     */
    private static boolean[] ownedOutputs(Node node, Tensor[] outs, Tensor[] grads, boolean[] inOwned) {
        if (!(node instanceof FunctionNode fn) || outs == null || node.hasPostHooks()) return null;
        boolean[] r = new boolean[outs.length];
        for (int i = 0; i < outs.length; i++) {
            Tensor o = outs[i];
            // the whole storage, in any order (a transposed result like MmBackward's for w.t() counts)
            if (o == null || o.requiresGrad() || o.storageOffset() != 0 || o.storage().size() != o.numel()) continue;
            Object arr = o.storage().array();
            boolean shared = fn.savedHolds(arr);
            for (int j = 0; j < grads.length; j++) {
                if (grads[j] != null && grads[j].storage().array() == arr && (inOwned == null || !inOwned[j])) shared = true;
            }
            for (int j = 0; j < outs.length; j++) if (j != i && outs[j] != null && outs[j].storage().array() == arr) shared = true;
            r[i] = !shared;
        }
        return r;
    }

    private static boolean needsBeyond(Node node, Map<Node, Boolean> needed) {
        for (Node c : node.nextNodes) if (c != null && Boolean.TRUE.equals(needed.get(c))) return true;
        return false;
    }

    /** Marks every node from which a capture node is reachable (iterative post-order DFS). */
    private static Map<Node, Boolean> markNeeded(Node root, java.util.Set<Node> targets, java.util.Set<Node> boundary) {
        Map<Node, Boolean> needed = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();   // {node, int[]{nextChild}}
        stack.push(new Object[]{root, new int[]{0}});
        needed.put(root, Boolean.FALSE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Node n = (Node) top[0];
            int[] ci = (int[]) top[1];
            if (ci[0] < n.nextNodes.length && (boundary == null || !boundary.contains(n))) {
                Node c = n.nextNodes[ci[0]++];
                if (c != null && !needed.containsKey(c)) {
                    needed.put(c, Boolean.FALSE);
                    stack.push(new Object[]{c, new int[]{0}});
                }
                continue;
            }
            stack.pop();
            boolean nd = targets.contains(n);
            for (Node c : n.nextNodes) if (c != null && Boolean.TRUE.equals(needed.get(c))) nd = true;
            needed.put(n, nd);
        }
        return needed;
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
                grads[i] = Tensor.zerosOf(node.outputShapes[i], node.outputDtypes[i]);
            }
        }
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
