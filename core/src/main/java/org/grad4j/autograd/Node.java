package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.internal.Graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A backward function in the autograd graph ({@code grad_fn}). It receives the gradients of the
 * forward op's outputs and returns the gradients of the forward op's inputs, which the engine
 * passes along {@link #nextFunctions()}.
 *
 * <pre>{@code
 * Tensor y = x.mul(x);
 * y.gradFn().name();                  // "MulBackward0"
 * y.gradFn().nextFunctions().get(0);  // (<AccumulateGrad>, 0)
 * }</pre>
 */
public abstract class Node {
    final long sequenceNr;
    /** Where each input's gradient goes; null entries for inputs that need no gradient. */
    final Node[] nextNodes;
    final int[] nextInputNrs;
    /** Shape and dtype of each forward input: gradients are summed/cast to match (broadcast undo). */
    final int[][] inputShapes;
    final DType[] inputDtypes;
    /** The inputs' devices when one is not the CPU; null when all are on the CPU (no array on the CPU path). */
    org.grad4j.Device[] inputDevices;
    /** True for nodes made with explicit edges, whose inputs' devices are not recorded (no device check). */
    boolean devicesUnknown;
    /** The outputs' devices when one is not the CPU (see {@link #setOutputs}); null when all are on the CPU. */
    org.grad4j.Device[] outputDevices;
    /** Shape and dtype of each forward output: absent output gradients become zeros of this. */
    int[][] outputShapes;
    DType[] outputDtypes;

    private List<UnaryOperator<Tensor>>[] tensorPreHooks;   // per output: register_hook on a non-leaf
    private Tensor[] retainedGradTensors;                    // per output: retain_grad()
    private List<PostHook> postHooks;
    final Throwable creationTrace;                           // only when anomaly mode is on
    /** Longest path from this node to a leaf, while the leak guard is on (0 otherwise): shows graphs growing across steps. */
    final int depth;
    /** Whether absent output gradients are replaced by zeros before {@link #apply} (custom functions may opt out). */
    protected boolean materializeGrads = true;

    /** Receives (gradInputs, gradOutputs) after the node ran, like {@code register_hook} on a Node. */
    @FunctionalInterface
    public interface PostHook {
        void call(Tensor[] gradInputs, Tensor[] gradOutputs);
    }

    /** A node whose next edges point at the history of {@code inputs} (null entries allowed). */
    protected Node(Tensor[] inputs, long sequenceNr) {
        this.sequenceNr = sequenceNr;
        int n = inputs.length;
        nextNodes = new Node[n];
        nextInputNrs = new int[n];
        inputShapes = new int[n][];
        inputDtypes = new DType[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (t == null) continue;
            inputShapes[i] = t.shape();
            inputDtypes[i] = t.dtype();
            if (t.isCuda()) {
                if (inputDevices == null) java.util.Arrays.fill(inputDevices = new org.grad4j.Device[n], org.grad4j.Device.CPU);
                inputDevices[i] = t.device();
            }
            if (!t.requiresGrad()) continue;
            Node fn = t.gradFn();
            if (fn != null) {
                nextNodes[i] = fn;
                nextInputNrs[i] = t.outputNr();
            } else {
                nextNodes[i] = t.gradAccumulator();
                nextInputNrs[i] = 0;
            }
        }
        creationTrace = AnomalyMode.isEnabled() ? new Throwable("forward call that created this node") : null;
        // Depth is only the leak guard's business: nothing to compute on the hot path when it is off.
        int d = 0;
        boolean guard = LeakGuard.isEnabled();
        if (guard) for (Node c : nextNodes) if (c != null && c.depth >= d) d = c.depth + 1;
        depth = d;
        // GraphRoot and AccumulateGrad (sequence number MAX) are engine plumbing, not recorded ops.
        if (guard && sequenceNr != Long.MAX_VALUE) LeakGuard.onNode(this);
    }

    /** A node with explicit edges (CopySlices: the base's edge plus the wrapped op's other edges). */
    Node(Node[] nextNodes, int[] nextInputNrs, int[][] inputShapes, DType[] inputDtypes) {
        this.sequenceNr = GradMode.nextSequenceNr(GradMode.state());
        this.nextNodes = nextNodes;
        this.nextInputNrs = nextInputNrs;
        this.inputShapes = inputShapes;
        this.inputDtypes = inputDtypes;
        this.devicesUnknown = true;
        creationTrace = AnomalyMode.isEnabled() ? new Throwable("forward call that created this node") : null;
        int d = 0;
        boolean guard = LeakGuard.isEnabled();
        if (guard) for (Node c : nextNodes) if (c != null && c.depth >= d) d = c.depth + 1;
        depth = d;
        if (guard) LeakGuard.onNode(this);
    }

    /** Creates a node with the next sequence number of this thread. */
    protected Node(Tensor[] inputs) {
        this(inputs, GradMode.nextSequenceNr(GradMode.state()));
    }

    /** PyTorch's class name of this node, e.g. {@code MulBackward0}. */
    public abstract String name();

    /** Computes input gradients from output gradients; absent output gradients arrive as zeros. */
    protected abstract Tensor[] apply(Tensor[] gradOutputs);

    /** Frees saved values; called after backward unless retain_graph. */
    protected void release() {}

    /** The saved tensors still held, for pictures of the graph ({@link Autograd#toDot}); none by default. */
    Tensor[] savedForDisplay() { return new Tensor[0]; }

    /** Number of forward inputs (= gradients this node returns). */
    public int numInputs() { return nextNodes.length; }

    /** Number of forward outputs (= gradients this node receives). */
    public int numOutputs() { return outputShapes == null ? 1 : outputShapes.length; }

    /** Like {@code ctx.needs_input_grad[i]}: whether input i's gradient is used by anybody. */
    public boolean needsInputGrad(int i) { return nextNodes[i] != null; }

    /** The node's order in its thread: later nodes run first in backward. */
    public long sequenceNr() { return sequenceNr; }

    /** {@code grad_fn.next_functions}: one (node, inputNr) edge per forward input, node null if none. */
    public List<Edge> nextFunctions() {
        List<Edge> out = new ArrayList<>(nextNodes.length);
        for (int i = 0; i < nextNodes.length; i++) out.add(new Edge(nextNodes[i], nextInputNrs[i]));
        return Collections.unmodifiableList(out);
    }

    /** The stack trace of the forward call that created this node, when anomaly mode was on (else null). */
    public Throwable creationTrace() { return creationTrace; }

    /** Records the forward outputs' metadata (done by the op that creates the node). */
    public void setOutputs(Tensor... outputs) {
        outputShapes = new int[outputs.length][];
        outputDtypes = new DType[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            outputShapes[i] = outputs[i].shape();
            outputDtypes[i] = outputs[i].dtype();
            if (outputs[i].isCuda()) {
                if (outputDevices == null) java.util.Arrays.fill(outputDevices = new org.grad4j.Device[outputs.length], org.grad4j.Device.CPU);
                outputDevices[i] = outputs[i].device();
            }
        }
    }

    /** Registers a hook run after this node computed its gradients. */
    public RemovableHandle registerHook(PostHook hook) {
        if (postHooks == null) postHooks = new ArrayList<>(1);
        postHooks.add(hook);
        List<PostHook> list = postHooks;
        return () -> list.remove(hook);
    }

    /** Hook on the gradient of forward output {@code outputNr} (a tensor's {@code register_hook}). */
    @SuppressWarnings("unchecked")
    public RemovableHandle addTensorPreHook(int outputNr, UnaryOperator<Tensor> hook) {
        if (tensorPreHooks == null) tensorPreHooks = new List[Math.max(numOutputs(), outputNr + 1)];
        if (tensorPreHooks[outputNr] == null) tensorPreHooks[outputNr] = new ArrayList<>(1);
        List<UnaryOperator<Tensor>> list = tensorPreHooks[outputNr];
        list.add(hook);
        return () -> list.remove(hook);
    }

    /** Makes the engine store the gradient of output {@code outputNr} into {@code t.grad}. */
    public void retainGrad(int outputNr, Tensor t) {
        if (retainedGradTensors == null) retainedGradTensors = new Tensor[Math.max(numOutputs(), outputNr + 1)];
        retainedGradTensors[outputNr] = t;
    }

    /** Runs tensor hooks then retain_grad storage on incoming gradients (engine only). */
    void runPreHooks(Tensor[] grads) {
        if (tensorPreHooks != null) {
            for (int i = 0; i < tensorPreHooks.length && i < grads.length; i++) {
                List<UnaryOperator<Tensor>> hooks = tensorPreHooks[i];
                if (hooks == null || grads[i] == null) continue;
                for (UnaryOperator<Tensor> h : List.copyOf(hooks)) {
                    Tensor r = h.apply(grads[i]);
                    if (r != null) grads[i] = checkHookResult(grads[i], r);
                }
            }
        }
        if (retainedGradTensors != null) {
            for (int i = 0; i < retainedGradTensors.length && i < grads.length; i++) {
                Tensor t = retainedGradTensors[i];
                if (t == null || grads[i] == null) continue;
                Tensor old = t.gradNoWarn();
                if (old == null) Graph.setGrad(t, GradMode.isEnabled() ? grads[i] : grads[i].detach().clone());
                else Graph.setGrad(t, old.add(grads[i]));
            }
        }
    }

    /**
     * A hook may replace a gradient but not change its dtype or shape (PyTorch's
     * check_variable_result): a leaf's .grad would otherwise get the wrong shape.
     */
    static Tensor checkHookResult(Tensor original, Tensor result) {
        if (result.dtype() != original.dtype()) {
            throw new IllegalStateException("hook 'hook' has changed the type of value (was " + typeString(original)
                    + " got " + typeString(result) + "). Fix: return a gradient of the same dtype, e.g. r.to(g.dtype())");
        }
        if (!java.util.Arrays.equals(result.shape(), original.shape())) {
            throw new IllegalStateException("hook 'hook' has changed the size of value (was "
                    + java.util.Arrays.toString(original.shape()) + " got " + java.util.Arrays.toString(result.shape())
                    + "). Fix: return a gradient of the incoming gradient's shape");
        }
        return result;
    }

    /** PyTorch's Tensor.toString() of a type: CPUFloatType, CPUDoubleType... */
    private static String typeString(Tensor t) {
        String n = t.typeName();   // torch.FloatTensor
        return "CPU" + n.substring("torch.".length(), n.length() - "Tensor".length()) + "Type";
    }

    void runPostHooks(Tensor[] gradInputs, Tensor[] gradOutputs) {
        if (postHooks == null) return;
        for (PostHook h : List.copyOf(postHooks)) h.call(gradInputs, gradOutputs);
    }

    boolean hasPostHooks() { return postHooks != null && !postHooks.isEmpty(); }

    boolean hasPreHooks() { return tensorPreHooks != null || retainedGradTensors != null; }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
