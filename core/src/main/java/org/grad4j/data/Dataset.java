package org.grad4j.data;

/**
 * A map-style dataset: samples by index, like {@code torch.utils.data.Dataset}
 * ({@code __getitem__} / {@code __len__}). {@link #get} may be called from several
 * {@link DataLoader} worker threads at once, so it must be thread-safe (read-only is enough).
 *
 * <pre>{@code
 * Dataset<Tensor[]> ds = new TensorDataset(x, y);
 * Tensor[] first = ds.get(0);      // {x[0], y[0]}
 * }</pre>
 */
public interface Dataset<T> {
    /** The sample at {@code index} (0 <= index < size()). */
    T get(int index);

    /** The number of samples. */
    int size();
}
