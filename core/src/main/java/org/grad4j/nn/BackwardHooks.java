package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.internal.Graph;

/**
 * Full backward hooks of one module call: identity nodes around the inputs and the output
 * (PyTorch's BackwardHookFunction) catch grad_output and then grad_input, and call the hooks.
 */
final class BackwardHooks {
    private final Module module;
    private Tensor[] gradOutputs;
    private int inputCount;
    private boolean anyInputGrad;

    BackwardHooks(Module module) { this.module = module; }

    Tensor[] wrapInputs(Tensor[] in) {
        inputCount = in.length;
        int k = 0;
        for (Tensor t : in) if (t != null && t.requiresGrad()) k++;
        if (k == 0) return in;
        anyInputGrad = true;
        int[] pos = new int[k];
        Tensor[] src = new Tensor[k], outs = new Tensor[k];
        for (int i = 0, j = 0; i < in.length; i++) {
            if (in[i] == null || !in[i].requiresGrad()) continue;
            pos[j] = i;
            src[j] = in[i];
            outs[j] = Graph.viewAlias(in[i]);   // views, as PyTorch's BackwardHookFunction returns
            j++;
        }
        Graph.recordMulti(outs, "BackwardHookFunctionBackward", (g, n) -> {
            Tensor[] gradIn = new Tensor[inputCount];
            for (int j = 0; j < pos.length; j++) gradIn[pos[j]] = Graph.keep(g[j]);   // the hooks may keep them
            gradIn = runHooks(gradIn);
            Tensor[] r = new Tensor[pos.length];
            for (int j = 0; j < pos.length; j++) r[j] = gradIn[pos[j]];
            return r;
        }, null, src);
        for (Tensor o : outs) Graph.markCustomFunctionView(o);   // in-place on them would skip the hooks: refused
        Tensor[] res = in.clone();
        for (int j = 0; j < k; j++) res[pos[j]] = outs[j];
        return res;
    }

    Tensor wrapOutput(Tensor out) {
        if (out == null || !out.requiresGrad()) return out;
        Tensor a = Graph.viewAlias(out);
        Graph.record(a, "BackwardHookFunctionBackward", (g, n) -> {
            gradOutputs = new Tensor[]{Graph.keep(g[0])};   // read by the hooks later: not the engine's to reuse
            if (!anyInputGrad) runHooks(new Tensor[inputCount]);
            return g;
        }, null, out);
        Graph.markCustomFunctionView(a);
        return a;
    }

    private Tensor[] runHooks(Tensor[] gradIn) {
        Tensor[] go = gradOutputs == null ? new Tensor[1] : gradOutputs;
        for (Module.BackwardHook h : java.util.List.copyOf(module.backwardHooks())) {
            Tensor[] r = h.apply(module, gradIn, go);
            if (r != null) {
                if (r.length != gradIn.length) {
                    throw new IllegalStateException("Backward hook returned an invalid number of grad_input, got " + r.length
                            + ", but expected " + gradIn.length);
                }
                gradIn = r;
            }
        }
        return gradIn;
    }
}
