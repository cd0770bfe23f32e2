package org.grad4j.autograd;

import org.grad4j.Tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The state of one backward call (PyTorch's GraphTask): how many edges still lead into each
 * reachable node, the input buffers of nodes not ready yet, the ready queue, the options, what
 * {@code Autograd.grad} / {@code backward(inputs=)} capture and which nodes they need (exec info),
 * the final callbacks and the anomaly setting. A backward started inside another one (activation
 * checkpointing's recompute) gets a task of its own, so nothing mixes between the two.
 */
final class GraphTask {
    /** The synthetic node whose outputs are the roots' gradients (PyTorch's GraphRoot). */
    static final class GraphRoot extends Node {
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

    final GraphRoot root;
    final boolean keepGraph;
    final boolean createGraph;
    /** Anomaly mode's NaN check as it was when backward started. */
    final boolean checkNan;
    /** Latest-created node first, as PyTorch's ready queue orders CPU work. */
    final PriorityQueue<Node> ready = new PriorityQueue<>(16, (a, b) -> Long.compare(b.sequenceNr, a.sequenceNr));

    private final Map<Node, int[]> dependencies = new IdentityHashMap<>(256);   // sized for typical graphs
    private final Map<Node, InputBuffer> notReady = new IdentityHashMap<>(64);
    private final ArrayDeque<Runnable> finalCallbacks = new ArrayDeque<>(0);

    // exec info: all null for a plain backward(), which runs every reached node
    /** Capture nodes are the graph's boundary (checkpoint's recompute): never run nor looked past. */
    private final Set<Node> boundary;
    private final Map<Node, Boolean> needed;
    private final Map<Node, int[]> captureSlots;   // node -> [outputNr -> capture index]
    private final Tensor[] captured;
    private final boolean accumulateCaptured;
    private final Tensor[] capturedTensors;

    /** See {@link Engine#run} for the parameters. */
    GraphTask(Tensor[] roots, Tensor[] rootGrads, boolean keepGraph, boolean createGraph, Edge[] captures,
              boolean accumulateCaptured, Tensor[] capturedTensors, boolean stopAtCaptures) {
        this.root = new GraphRoot(roots, rootGrads);
        this.keepGraph = keepGraph;
        this.createGraph = createGraph;
        this.checkNan = AnomalyMode.isEnabled() && AnomalyMode.checksNan();
        this.accumulateCaptured = accumulateCaptured;
        this.capturedTensors = capturedTensors;
        if (stopAtCaptures) {
            boundary = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Edge e : captures) if (e.node() != null) boundary.add(e.node());
        } else {
            boundary = null;
        }
        computeDependencies();
        if (captures == null) {
            needed = null;
            captureSlots = null;
            captured = null;
        } else {
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
            needed = markNeeded();
        }
        ready.add(root);
    }

    boolean isBoundary(Node n) { return boundary != null && boundary.contains(n); }

    private void computeDependencies() {
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        dependencies.put(root, new int[1]);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (isBoundary(n)) continue;
            for (Node c : n.nextNodes) {
                if (c == null) continue;
                int[] d = dependencies.get(c);
                if (d == null) {
                    dependencies.put(c, new int[]{1});
                    stack.push(c);
                } else {
                    d[0]++;
                }
            }
        }
    }

    /** Marks every node from which a capture node is reachable (iterative post-order DFS). */
    private Map<Node, Boolean> markNeeded() {
        Set<Node> targets = captureSlots.keySet();
        Map<Node, Boolean> marks = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();   // {node, int[]{nextChild}}
        stack.push(new Object[]{root, new int[]{0}});
        marks.put(root, Boolean.FALSE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Node n = (Node) top[0];
            int[] ci = (int[]) top[1];
            if (ci[0] < n.nextNodes.length && !isBoundary(n)) {
                Node c = n.nextNodes[ci[0]++];
                if (c != null && !marks.containsKey(c)) {
                    marks.put(c, Boolean.FALSE);
                    stack.push(new Object[]{c, new int[]{0}});
                }
                continue;
            }
            stack.pop();
            boolean nd = targets.contains(n);
            for (Node c : n.nextNodes) if (c != null && Boolean.TRUE.equals(marks.get(c))) nd = true;
            marks.put(n, nd);
        }
        return marks;
    }

    /** Takes the node's input buffer out of the not-ready map (null when no gradient arrived). */
    InputBuffer takeBuffer(Node node) { return notReady.remove(node); }

    /** The input buffer of a node still waiting for gradients. */
    InputBuffer bufferFor(Node node) {
        InputBuffer b = notReady.get(node);
        if (b == null) notReady.put(node, b = new InputBuffer(node.numOutputs()));
        return b;
    }

    /** One edge into {@code node} has delivered; the node is queued once all have. */
    void edgeDone(Node node) {
        if (--dependencies.get(node)[0] == 0) ready.add(node);
    }

    /** Whether {@code node} is one whose incoming gradients autograd.grad / backward(inputs=) returns. */
    boolean isCaptureNode(Node node) { return captureSlots != null && captureSlots.containsKey(node); }

    /** Records the gradients arriving at a capture node (summed when an input is reached twice). */
    void capture(Node node, Tensor[] grads) {
        int[] slots = captureSlots.get(node);
        for (int i = 0; i < slots.length && i < grads.length; i++) {
            if (slots[i] >= 0 && grads[i] != null) {
                int ci = slots[i];
                captured[ci] = captured[ci] == null ? grads[i] : captured[ci].add(grads[i]);
            }
        }
    }

    /**
     * Exec info: whether the node runs. Everything runs in a plain backward; with captures only
     * nodes leading to one, a leaf only for backward(inputs=leaf), and a capture node only when
     * something past it is needed too.
     */
    boolean shouldRun(Node node, boolean isCaptureNode) {
        if (node == root || needed == null) return true;
        if (node instanceof AccumulateGrad) return accumulateCaptured && isCaptureNode;
        return Boolean.TRUE.equals(needed.get(node))
                && (!isCaptureNode || (boundary == null && needsBeyond(node)));
    }

    private boolean needsBeyond(Node node) {
        for (Node c : node.nextNodes) if (c != null && Boolean.TRUE.equals(needed.get(c))) return true;
        return false;
    }

    /** backward(inputs=[non-leaf]): non-leaf inputs get their .grad like retain_grad. */
    void storeCapturedGrads() {
        if (captured == null || !accumulateCaptured) return;
        for (int i = 0; i < captured.length; i++) {
            Tensor t = capturedTensors[i];
            if (t == null || t.isLeaf() || captured[i] == null) continue;
            Tensor old = t.gradNoWarn();
            Tensor g = createGraph ? captured[i] : captured[i].detach();
            org.grad4j.internal.Graph.setGrad(t, old == null ? (createGraph ? g : g.clone()) : old.add(g));
        }
    }

    /** The captured gradients (null where nothing arrived), or null without captures. */
    Tensor[] captured() { return captured; }

    /** See {@link Autograd#queueCallback}. */
    void queueCallback(Runnable callback) { finalCallbacks.addLast(callback); }

    /** After the whole graph, like PyTorch's final callbacks; a callback may queue more. */
    void runFinalCallbacks() {
        for (Runnable r; (r = finalCallbacks.pollFirst()) != null; ) r.run();
    }
}
