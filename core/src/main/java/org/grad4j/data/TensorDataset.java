package org.grad4j.data;

import org.grad4j.Tensor;

import java.util.Arrays;

/**
 * Samples are slices along the first dimension of several tensors of equal length
 * ({@code torch.utils.data.TensorDataset}).
 *
 * <pre>{@code
 * var ds = new TensorDataset(features, labels);   // ds.get(i) = {features[i], labels[i]}
 * }</pre>
 */
public final class TensorDataset implements Dataset<Tensor[]> {
    private final Tensor[] tensors;

    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        for (Tensor t : tensors) {
            if (t.dim() == 0 || t.size(0) != tensors[0].size(0)) {
                throw new IllegalArgumentException("Size mismatch between tensors: TensorDataset needs tensors with the same "
                        + "first dimension, got shapes " + Arrays.toString(Arrays.stream(tensors).map(x -> Arrays.toString(x.shape())).toArray()));
            }
        }
        this.tensors = tensors.clone();
    }

    @Override
    public Tensor[] get(int index) {
        Tensor[] out = new Tensor[tensors.length];
        for (int i = 0; i < out.length; i++) out[i] = tensors[i].get(index);
        return out;
    }

    @Override
    public int size() { return tensors[0].size(0); }

    /** The tensors (not copied). */
    public Tensor[] tensors() { return tensors.clone(); }
}
