package org.grad4j.data;

/**
 * The samples of a dataset at given indices ({@code torch.utils.data.Subset}).
 *
 * <pre>{@code var firstHundred = new Subset<>(ds, IntStream.range(0, 100).toArray());}</pre>
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    public Subset(Dataset<T> dataset, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= dataset.size()) {
                throw new IndexOutOfBoundsException("Subset index " + i + " is out of range for a dataset of size " + dataset.size());
            }
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    @Override
    public T get(int index) { return dataset.get(indices[index]); }

    @Override
    public int size() { return indices.length; }

    public Dataset<T> dataset() { return dataset; }

    public int[] indices() { return indices.clone(); }
}
