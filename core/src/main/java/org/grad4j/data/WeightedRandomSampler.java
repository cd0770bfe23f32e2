package org.grad4j.data;

import org.grad4j.Generator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Indices drawn with probability proportional to their weights ({@code WeightedRandomSampler},
 * i.e. {@code torch.multinomial(weights, numSamples, replacement)}); e.g. to balance classes.
 *
 * <pre>{@code
 * double[] w = {0.1, 0.9};    // index 1 nine times as likely as index 0
 * var s = new WeightedRandomSampler(w, 100, true, new Generator().manualSeed(0));
 * }</pre>
 */
public final class WeightedRandomSampler implements Sampler {
    private final double[] weights;
    private final int numSamples;
    private final boolean replacement;
    private final Generator generator;

    public WeightedRandomSampler(double[] weights, int numSamples, boolean replacement, Generator generator) {
        if (numSamples <= 0) throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=" + numSamples);
        int positive = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("invalid multinomial distribution (weights must be finite and >= 0), got " + w);
            if (w > 0) positive++;
        }
        if (positive == 0) throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
        if (!replacement && numSamples > positive) {
            throw new IllegalArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement ("
                    + numSamples + " > " + positive + " non-zero weights)");
        }
        this.weights = weights.clone();
        this.numSamples = numSamples;
        this.replacement = replacement;
        this.generator = generator;
    }

    @Override
    public Iterator<Integer> iterator() {
        // without a generator, each epoch seeds a fresh one from the global generator, as PyTorch does
        Generator generator = this.generator != null ? this.generator : new Generator().manualSeed(DataLoader.drawBaseSeed(null));
        double[] w = weights.clone();
        List<Integer> out = new ArrayList<>(numSamples);
        double[] cdf = new double[w.length];
        for (int s = 0; s < numSamples; s++) {
            double sum = 0;
            for (int i = 0; i < w.length; i++) {
                sum += w[i];
                cdf[i] = sum;
            }
            double u = generator.nextDouble() * sum;
            int lo = 0, hi = w.length - 1;
            while (lo < hi) {           // first index with cdf > u
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] > u) hi = mid;
                else lo = mid + 1;
            }
            while (w[lo] == 0) lo--;    // u rounding onto a zero-weight tail
            out.add(lo);
            if (!replacement) w[lo] = 0;
        }
        return out.iterator();
    }

    @Override
    public int size() { return numSamples; }
}
