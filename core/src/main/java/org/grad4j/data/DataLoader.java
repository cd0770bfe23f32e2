package org.grad4j.data;

import org.grad4j.Generator;
import org.grad4j.Grad4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Batches of a dataset, like {@code torch.utils.data.DataLoader}: batch size, shuffling with a
 * seeded generator, drop_last, samplers or a batch sampler, a collate function, and
 * {@code numWorkers} threads that load batches in parallel with prefetching. Batches arrive in
 * sampler order whatever the number of workers; batch {@code k} is loaded by worker
 * {@code k % numWorkers}. Each worker thread has its own default generator (what
 * {@code Grad4j.randn}, dropout and friends use there; {@link WorkerInfo#generator()}) seeded with
 * {@code baseSeed + workerId}, the base seed being drawn from the loader's generator (or the
 * global one) when an iterator starts, as PyTorch does: runs are reproducible from one seed,
 * whatever the thread scheduling. A worker's exception is re-thrown
 * in the caller as a {@link DataLoaderException} with the original as its cause.
 *
 * <pre>{@code
 * var loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(64).shuffle(true).seed(0).numWorkers(2).build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Tensor[] batch : loader) { ... batch[0], batch[1] ... }
 * }
 * }</pre>
 *
 * <p>The default collate ({@link Collate#defaultCollate}) stacks tensors: a batch of
 * {@code Tensor} samples is a {@code Tensor}, of {@code Tensor[]} samples a {@code Tensor[]}.
 * For other sample types pass {@code collate(...)}.
 */
public final class DataLoader<T, B> implements Iterable<B> {
    final Dataset<T> dataset;
    final IterableDataset<T> iterable;
    final Iterable<int[]> batchSampler;
    final Function<List<T>, B> collate;
    final int numWorkers, prefetchFactor, batchSize;
    final boolean dropLast;
    final Generator generator;
    final java.util.function.IntConsumer workerInitFn;

    private DataLoader(Builder<T, B> b) {
        dataset = b.dataset;
        iterable = b.iterable;
        collate = b.pinMemory && PinnedBatches.available() ? pinned(b.collate) : b.collate;
        numWorkers = b.numWorkers;
        prefetchFactor = b.prefetchFactor;
        batchSize = b.batchSize;
        dropLast = b.dropLast;
        generator = b.generator;
        workerInitFn = b.workerInitFn;
        if (b.batchSampler != null) {
            batchSampler = b.batchSampler;
        } else if (dataset != null) {
            Sampler s = b.sampler != null ? b.sampler
                    : b.shuffle ? new RandomSampler(dataset.size(), generator) : new SequentialSampler(dataset.size());
            batchSampler = new BatchSampler(s, batchSize, dropLast);
        } else {
            batchSampler = null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T, B> Function<List<T>, B> pinned(Function<List<T>, B> collate) {
        return samples -> (B) PinnedBatches.pin(collate.apply(samples));
    }

    /** A builder over a map-style dataset (batch size 1, no shuffle, no workers by default). */
    public static <T> Builder<T, T> builder(Dataset<T> dataset) { return new Builder<>(dataset, null); }

    /** A builder over an iterable dataset (read in the calling thread; no sampler or shuffle). */
    public static <T> Builder<T, T> builder(IterableDataset<T> dataset) { return new Builder<>(null, dataset); }

    /** Starts an epoch. */
    @Override
    public BatchIterator<B> iterator() {
        // PyTorch draws the base seed for every iterator, before the sampler's draws, workers or not
        long baseSeed = drawBaseSeed(generator);
        if (iterable != null) return new IterableBatches();
        Iterator<int[]> batches = batchSampler.iterator();
        if (numWorkers == 0) return new SerialBatches(batches);
        return new WorkerBatches<>(this, batches, baseSeed);
    }

    /**
     * A non-negative 63-bit seed from {@code g} (null: the default generator), as PyTorch's
     * {@code torch.empty((), dtype=torch.int64).random_(generator=g).item()}.
     */
    static long drawBaseSeed(Generator g) {
        return (g != null ? g : Grad4j.defaultGenerator()).nextLong64() & Long.MAX_VALUE;
    }

    /** Batches per epoch ({@code len(loader)}); -1 for an iterable dataset or a batch sampler of unknown length. */
    public int size() {
        if (batchSampler instanceof BatchSampler bs) return bs.size();
        return -1;
    }

    public Dataset<T> dataset() { return dataset; }

    public int numWorkers() { return numWorkers; }

    B load(int[] indices) {
        List<T> samples = new ArrayList<>(indices.length);
        for (int i : indices) samples.add(dataset.get(i));
        return collate.apply(samples);
    }

    private final class SerialBatches implements BatchIterator<B> {
        private final Iterator<int[]> batches;

        SerialBatches(Iterator<int[]> batches) { this.batches = batches; }

        @Override
        public boolean hasNext() { return batches.hasNext(); }

        @Override
        public B next() { return load(batches.next()); }

        @Override
        public void close() {}
    }

    private final class IterableBatches implements BatchIterator<B> {
        private final Iterator<T> it = iterable.iterator();
        private List<T> next = advance();

        private List<T> advance() {
            List<T> b = new ArrayList<>(Math.min(batchSize, 1024));   // grows: batchSize may be Integer.MAX_VALUE
            while (b.size() < batchSize && it.hasNext()) b.add(it.next());
            if (b.isEmpty() || (b.size() < batchSize && dropLast)) return null;
            return b;
        }

        @Override
        public boolean hasNext() { return next != null; }

        @Override
        public B next() {
            if (next == null) throw new NoSuchElementException();
            List<T> b = next;
            next = advance();
            return collate.apply(b);
        }

        @Override
        public void close() { next = null; }
    }

    /** Builds a {@link DataLoader}; options and their PyTorch names as in {@code DataLoader(...)}. */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final IterableDataset<T> iterable;
        private int batchSize = 1, numWorkers = 0, prefetchFactor = 2;
        private boolean shuffle, dropLast, batchSizeSet, dropLastSet, pinMemory;
        private Sampler sampler;
        private Iterable<int[]> batchSampler;
        private Function<List<T>, B> collate;
        private Generator generator;
        private java.util.function.IntConsumer workerInitFn;

        @SuppressWarnings("unchecked")
        private Builder(Dataset<T> dataset, IterableDataset<T> iterable) {
            this.dataset = dataset;
            this.iterable = iterable;
            this.collate = samples -> (B) Collate.defaultCollate(samples);
        }

        private Builder(Builder<T, ?> o, Function<List<T>, B> collate) {
            dataset = o.dataset;
            iterable = o.iterable;
            batchSize = o.batchSize;
            numWorkers = o.numWorkers;
            prefetchFactor = o.prefetchFactor;
            shuffle = o.shuffle;
            dropLast = o.dropLast;
            batchSizeSet = o.batchSizeSet;
            dropLastSet = o.dropLastSet;
            sampler = o.sampler;
            batchSampler = o.batchSampler;
            generator = o.generator;
            workerInitFn = o.workerInitFn;
            pinMemory = o.pinMemory;
            this.collate = collate;
        }

        public Builder<T, B> batchSize(int n) {
            if (n <= 0) throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + n);
            batchSize = n;
            batchSizeSet = true;
            return this;
        }

        /** Reshuffles every epoch (a {@link RandomSampler} over the loader's generator). */
        public Builder<T, B> shuffle(boolean s) { shuffle = s; return this; }

        public Builder<T, B> dropLast(boolean d) { dropLast = d; dropLastSet = true; return this; }

        /** The generator for shuffling and for the workers' base seeds ({@code generator=}). */
        public Builder<T, B> generator(Generator g) { generator = g; return this; }

        /** Shorthand for {@code generator(new Generator().manualSeed(seed))}. */
        public Builder<T, B> seed(long seed) { return generator(new Generator().manualSeed(seed)); }

        public Builder<T, B> sampler(Sampler s) { sampler = s; return this; }

        /** Yields whole batches of indices; excludes batchSize, shuffle, sampler and dropLast. */
        public Builder<T, B> batchSampler(Iterable<int[]> bs) { batchSampler = bs; return this; }

        /** Loads batches in {@code n} threads (0: in the calling thread). */
        public Builder<T, B> numWorkers(int n) {
            if (n < 0) throw new IllegalArgumentException("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
            numWorkers = n;
            return this;
        }

        /**
         * Called with the worker id in each worker thread before it loads anything, once per epoch,
         * after the worker's default generator was seeded ({@code worker_init_fn}); an exception
         * ends the epoch like one from the dataset.
         *
         * <pre>{@code builder.numWorkers(2).workerInitFn(id -> System.out.println(id + ": seed " + WorkerInfo.get().seed()))}</pre>
         */
        public Builder<T, B> workerInitFn(java.util.function.IntConsumer fn) { workerInitFn = fn; return this; }

        /** Batches loaded ahead per worker (default 2). */
        public Builder<T, B> prefetchFactor(int n) {
            if (n <= 0) throw new IllegalArgumentException("prefetch_factor must be positive, got " + n);
            prefetchFactor = n;
            return this;
        }

        /**
         * PyTorch's {@code pin_memory=True}: batches are collated into page-locked host memory, which the GPU
         * copies from directly ({@code batch.to(device)} makes one copy). Without a CUDA device PyTorch's warning
         * is printed once and batches stay in ordinary memory.
         *
         * <pre>{@code
         * var loader = DataLoader.builder(ds).batchSize(64).pinMemory(Device.cudaIsAvailable()).build();
         * }</pre>
         */
        public Builder<T, B> pinMemory(boolean pin) { pinMemory = pin; return this; }

        /** A custom collate function turning a list of samples into a batch. */
        public <B2> Builder<T, B2> collate(Function<List<T>, B2> fn) { return new Builder<>(this, fn); }

        public DataLoader<T, B> build() {
            if (iterable != null && (shuffle || sampler != null || batchSampler != null)) {
                throw new IllegalArgumentException("DataLoader with IterableDataset: expected unspecified shuffle, sampler and "
                        + "batch_sampler options");
            }
            if (sampler != null && shuffle) throw new IllegalArgumentException("sampler option is mutually exclusive with shuffle");
            if (batchSampler != null && (batchSizeSet || shuffle || sampler != null || dropLastSet)) {
                throw new IllegalArgumentException("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
            }
            return new DataLoader<>(this);
        }
    }
}
