package org.grad4j.data;

import org.grad4j.Generator;
import org.grad4j.Grad4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Dataset helpers: {@link #randomSplit} ({@code torch.utils.data.random_split}).
 *
 * <pre>{@code
 * var parts = Datasets.randomSplit(ds, new double[]{0.8, 0.2}, new Generator().manualSeed(42));
 * }</pre>
 */
public final class Datasets {
    private Datasets() {}

    /**
     * Splits into non-overlapping subsets of the given lengths (which must sum to the dataset's
     * size); a null generator means the default one, as PyTorch's {@code generator=default_generator}.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        long sum = 0;
        for (int l : lengths) {
            if (l < 0) throw new IllegalArgumentException("random_split: lengths must be non-negative, got " + l);
            sum += l;
        }
        if (sum != dataset.size()) {
            throw new IllegalArgumentException("Sum of input lengths (" + sum + ") does not equal the length of the input dataset ("
                    + dataset.size() + ")!");
        }
        long[] perm = Grad4j.randperm((int) sum, generator != null ? generator : Grad4j.defaultGenerator()).toLongArray();
        List<Subset<T>> out = new ArrayList<>();
        int offset = 0;
        for (int l : lengths) {
            int[] idx = new int[l];
            for (int i = 0; i < l; i++) idx[i] = (int) perm[offset + i];
            offset += l;
            out.add(new Subset<>(dataset, idx));
        }
        return out;
    }

    /**
     * Splits by fractions summing to 1: each part gets floor(n * fraction) samples and the
     * remainder is handed out one by one from the first part, as PyTorch does.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        double total = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("Fraction " + f + " is not between 0 and 1");
            total += f;
        }
        if (Math.abs(total - 1) > 1e-9) throw new IllegalArgumentException("Sum of input fractions must be 1, got " + total);
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; i < n - assigned; i++) lengths[i % lengths.length]++;
        return randomSplit(dataset, lengths, generator);
    }
}
