package org.grad4j.data;

/**
 * The order in which a {@link DataLoader} visits a dataset's indices ({@code torch.utils.data.Sampler}).
 * Each call of {@link #iterator()} starts a new epoch; random samplers draw new indices.
 *
 * <pre>{@code Sampler s = new RandomSampler(1000, new Generator().manualSeed(0));}</pre>
 */
public interface Sampler extends Iterable<Integer> {
    /** The number of indices an epoch yields. */
    int size();
}
