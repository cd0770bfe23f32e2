package org.grad4j.data;

import org.grad4j.Generator;
import org.grad4j.Grad4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code torch.utils.data.distributed.DistributedSampler}: rank {@code rank} of {@code numReplicas}
 * gets every {@code numReplicas}-th index (starting at {@code rank}) of one epoch's order, so the
 * ranks see disjoint parts of the dataset of equal length. The order is {@code randperm(n)} from a
 * generator seeded with {@code seed + epoch} (the same on every rank; call {@link #setEpoch} before
 * each epoch to reshuffle) or 0..n-1 without shuffle. Without {@code dropLast} the order is padded
 * with its own first indices to a multiple of {@code numReplicas}; with it, the tail is dropped.
 * grad4j's generator and randperm are PyTorch's CPU ones (MT19937, Fisher-Yates on 32-bit draws),
 * so a seed yields torch's indices.
 *
 * <pre>{@code
 * var sampler = new DistributedSampler(train.size(), pg.worldSize(), pg.rank(), true, 0, false);
 * var loader = DataLoader.builder(train).batchSize(32).sampler(sampler).build();
 * for (int epoch = 0; epoch < epochs; epoch++) { sampler.setEpoch(epoch); for (var b : loader) ... }
 * }</pre>
 */
public final class DistributedSampler implements Sampler {
    private final int size, numReplicas, rank, numSamples, totalSize;
    private final boolean shuffle, dropLast;
    private final long seed;
    private long epoch;

    /** Shuffled, seed 0, padded. */
    public DistributedSampler(int datasetSize, int numReplicas, int rank) { this(datasetSize, numReplicas, rank, true, 0, false); }

    public DistributedSampler(int datasetSize, int numReplicas, int rank, boolean shuffle, long seed, boolean dropLast) {
        if (numReplicas < 1) throw new IllegalArgumentException("DistributedSampler: numReplicas must be at least 1, got " + numReplicas);
        if (rank >= numReplicas || rank < 0) {
            throw new IllegalArgumentException("Invalid rank " + rank + ", rank should be in the interval [0, " + (numReplicas - 1) + "]");
        }
        if (datasetSize < 0) throw new IllegalArgumentException("DistributedSampler: negative dataset size " + datasetSize);
        this.size = datasetSize;
        this.numReplicas = numReplicas;
        this.rank = rank;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        numSamples = dropLast && datasetSize % numReplicas != 0
                ? (int) Math.ceil((double) (datasetSize - numReplicas) / numReplicas)
                : (int) Math.ceil((double) datasetSize / numReplicas);
        totalSize = numSamples * numReplicas;
    }

    /** Sets the epoch: with shuffle, each epoch's order is seeded with {@code seed + epoch}. */
    public void setEpoch(long epoch) { this.epoch = epoch; }

    public long epoch() { return epoch; }

    /** The whole epoch's order before it is split over the ranks (padded or cut to numReplicas * size()). */
    public List<Integer> epochOrder() {
        List<Integer> idx = new ArrayList<>(Math.max(totalSize, size));
        if (shuffle) {
            long[] perm = Grad4j.randperm(size, new Generator().manualSeed(seed + epoch)).toLongArray();
            for (long v : perm) idx.add((int) v);
        } else {
            for (int i = 0; i < size; i++) idx.add(i);
        }
        if (!dropLast) {
            int pad = totalSize - idx.size();
            for (int k = 0, n = idx.size(); k < pad && n > 0; k++) idx.add(idx.get(k % n));
        } else {
            idx = idx.subList(0, totalSize);
        }
        return idx;
    }

    @Override
    public Iterator<Integer> iterator() {
        List<Integer> all = epochOrder();
        List<Integer> mine = new ArrayList<>(numSamples);
        for (int i = rank; i < totalSize; i += numReplicas) mine.add(all.get(i));
        return mine.iterator();
    }

    @Override
    public int size() { return numSamples; }
}
