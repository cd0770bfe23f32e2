package org.grad4j;

import org.grad4j.internal.Graph;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Joining tensors: cat and stack. The gradient of each input is its slice of the output gradient. */
final class JoinOps {
    private JoinOps() {}

    static Tensor cat(Tensor[] ts, int dim) {
        if (ts.length == 0) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        // PyTorch skips legacy empty 1-d tensors (shape [0]) when the others have more dims.
        List<Tensor> parts = new ArrayList<>(ts.length);
        Tensor ref = null;
        for (Tensor t : ts) {
            if (t == null) throw new IllegalArgumentException("torch.cat(): a tensor in the list is null");
            if (ref == null && !(t.dim() == 1 && t.shape[0] == 0)) ref = t;
        }
        if (ref == null) ref = ts[0];
        if (ref.dim() == 0) {
            throw new IllegalArgumentException("torch.cat(): zero-dimensional tensor (at position 0) cannot be concatenated. "
                    + "Fix: use stack() for scalars, or unsqueeze(0) them first");
        }
        int d = Shapes.wrapDim(dim, ref.dim(), "cat");
        DType dt = ts[0].dtype;
        for (int i = 0; i < ts.length; i++) {
            Tensor t = ts[i];
            dt = i == 0 ? t.dtype : DType.promote(dt, t.dtype);
            if (t != ref && t.dim() == 1 && t.shape[0] == 0 && ref.dim() != 1) continue;
            if (t.dim() != ref.dim()) {
                throw new IllegalArgumentException("torch.cat(): Tensors must have same number of dimensions: got "
                        + ref.dim() + " and " + t.dim() + " (tensor " + i + " has shape " + Shapes.str(t.shape) + ")");
            }
            for (int k = 0; k < t.dim(); k++) {
                if (k != d && t.shape[k] != ref.shape[k]) {
                    throw new IllegalArgumentException("torch.cat(): Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + ref.shape[k] + " but got size " + t.shape[k] + " for tensor number " + i
                            + " in the list (shapes " + Shapes.str(ref.shape) + " and " + Shapes.str(t.shape) + ")");
                }
            }
            parts.add(t);
        }
        int total = 0;
        for (Tensor t : parts) total += t.shape[d];
        int[] shape = ref.shape.clone();
        shape[d] = total;
        Tensor out = Tensor.emptyLike(DeviceOps.common("cat", parts.toArray(new Tensor[0])), shape, dt);
        int[] sizes = new int[parts.size()];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            sizes[i] = t.shape[d];
            out.backend().elementwise().copy(t.strided(), OpSupport.at(out, t.shape, out.strides, at * out.strides[d]));
            at += sizes[i];
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        if (Graph.needsGrad(inputs)) {
            DType[] dts = new DType[inputs.length];
            for (int i = 0; i < inputs.length; i++) dts[i] = inputs[i].dtype;
            Graph.record(out, "CatBackward0", (g, n) -> {
                Tensor[] gs = new Tensor[sizes.length];
                int off = 0;
                for (int i = 0; i < sizes.length; i++) {
                    if (n.needsInputGrad(i)) gs[i] = g[0].narrow(d, off, sizes[i]);
                    off += sizes[i];
                }
                return gs;
            }, null, inputs);
        }
        return out;
    }

    static Tensor stack(Tensor[] ts, int dim) {
        if (ts.length == 0) throw new IllegalArgumentException("stack expects a non-empty TensorList");
        int[] s0 = ts[0].shape;
        for (int i = 1; i < ts.length; i++) {
            if (!Arrays.equals(ts[i].shape, s0)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + Shapes.str(s0)
                        + " at entry 0 and " + Shapes.str(ts[i].shape) + " at entry " + i);
            }
        }
        int d = Shapes.wrapDim(dim, s0.length + 1, "stack");
        Tensor[] us = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) us[i] = ts[i].unsqueeze(d);
        return cat(us, d);
    }
}
