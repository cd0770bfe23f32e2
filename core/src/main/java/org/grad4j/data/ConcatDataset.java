package org.grad4j.data;

import java.util.Arrays;
import java.util.List;

/**
 * Several datasets one after another ({@code torch.utils.data.ConcatDataset}).
 *
 * <pre>{@code var all = new ConcatDataset<>(List.of(trainA, trainB));}</pre>
 */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<T>> datasets;
    private final long[] cumulative;

    public ConcatDataset(List<? extends Dataset<T>> datasets) {
        if (datasets.isEmpty()) throw new IllegalArgumentException("datasets should not be an empty iterable");
        this.datasets = List.copyOf(datasets);
        cumulative = new long[datasets.size()];
        long sum = 0;
        for (int i = 0; i < cumulative.length; i++) {
            sum += datasets.get(i).size();
            cumulative[i] = sum;
        }
        if (sum > Integer.MAX_VALUE) throw new IllegalArgumentException("ConcatDataset: total size " + sum + " exceeds 2^31-1 samples");
    }

    @Override
    public T get(int index) {
        if (index < 0) {
            if (-index > size()) throw new IndexOutOfBoundsException("absolute value of index should not exceed dataset length");
            index += size();
        }
        if (index >= size()) throw new IndexOutOfBoundsException("index " + index + " is out of range for size " + size());
        int d = Arrays.binarySearch(cumulative, index + 1L);
        if (d < 0) d = -d - 1;
        long start = d == 0 ? 0 : cumulative[d - 1];
        return datasets.get(d).get((int) (index - start));
    }

    @Override
    public int size() { return (int) cumulative[cumulative.length - 1]; }

    /** The end offsets of the parts ({@code cumulative_sizes}). */
    public long[] cumulativeSizes() { return cumulative.clone(); }
}
