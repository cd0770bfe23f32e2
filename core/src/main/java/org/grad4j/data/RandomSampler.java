package org.grad4j.data;

import org.grad4j.Generator;
import org.grad4j.Grad4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Random indices ({@code RandomSampler}): without replacement, whole permutations of 0..n-1
 * (then part of one when {@code numSamples} isn't a multiple of n); with replacement, draws in
 * chunks of 32 as PyTorch does. Each epoch continues the generator's stream.
 *
 * <pre>{@code
 * var s = new RandomSampler(n, false, n, new Generator().manualSeed(0));
 * }</pre>
 */
public final class RandomSampler implements Sampler {
    private final int n;
    private final boolean replacement;
    private final int numSamples;
    private final Generator generator;

    public RandomSampler(int n, Generator generator) { this(n, false, n, generator); }

    public RandomSampler(int n, boolean replacement, int numSamples, Generator generator) {
        if (numSamples <= 0) throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=" + numSamples);
        if (n <= 0) throw new IllegalArgumentException("RandomSampler: the dataset is empty");
        this.n = n;
        this.replacement = replacement;
        this.numSamples = numSamples;
        this.generator = generator;
    }

    @Override
    public Iterator<Integer> iterator() {
        // without a generator, each epoch seeds a fresh one from the global generator, as PyTorch does
        Generator generator = this.generator != null ? this.generator : new Generator().manualSeed(DataLoader.drawBaseSeed(null));
        List<Integer> out = new ArrayList<>(numSamples);
        if (replacement) {
            for (int i = 0; i < numSamples / 32; i++) addAll(out, Grad4j.randint(0, n, new int[]{32}, generator).toLongArray(), 32);
            int rest = numSamples % 32;
            if (rest > 0) addAll(out, Grad4j.randint(0, n, new int[]{rest}, generator).toLongArray(), rest);
        } else {
            for (int i = 0; i < numSamples / n; i++) addAll(out, Grad4j.randperm(n, generator).toLongArray(), n);
            int rest = numSamples % n;
            if (rest > 0) addAll(out, Grad4j.randperm(n, generator).toLongArray(), rest);
        }
        return out.iterator();
    }

    private static void addAll(List<Integer> out, long[] v, int count) {
        for (int i = 0; i < count; i++) out.add((int) v[i]);
    }

    @Override
    public int size() { return numSamples; }
}
