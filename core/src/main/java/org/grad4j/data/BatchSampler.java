package org.grad4j.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Groups a sampler's indices into batches ({@code BatchSampler}); the last, smaller batch is
 * kept unless {@code dropLast}.
 *
 * <pre>{@code
 * for (int[] batch : new BatchSampler(new SequentialSampler(10), 3, false)) ...  // [0,1,2] [3,4,5] [6,7,8] [9]
 * }</pre>
 */
public final class BatchSampler implements Iterable<int[]> {
    private final Sampler sampler;
    private final int batchSize;
    private final boolean dropLast;

    public BatchSampler(Sampler sampler, int batchSize, boolean dropLast) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    @Override
    public Iterator<int[]> iterator() {
        Iterator<Integer> it = sampler.iterator();
        return new Iterator<>() {
            int[] next = advance();

            private int[] advance() {
                // grown as indices arrive: batchSize may be far larger than the epoch (Integer.MAX_VALUE
                // for "everything in one batch"), and allocating it up front threw OutOfMemoryError
                int[] b = new int[Math.min(batchSize, 1024)];
                int k = 0;
                while (k < batchSize && it.hasNext()) {
                    if (k == b.length) b = Arrays.copyOf(b, (int) Math.min(batchSize, 2L * b.length));
                    b[k++] = it.next();
                }
                if (k == 0 || (k < batchSize && dropLast)) return null;
                return k == batchSize ? b : Arrays.copyOf(b, k);
            }

            @Override
            public boolean hasNext() { return next != null; }

            @Override
            public int[] next() {
                if (next == null) throw new NoSuchElementException();
                int[] b = next;
                next = advance();
                return b;
            }
        };
    }

    /** The number of batches per epoch. */
    public int size() {
        long n = sampler.size();     // in long: n + batchSize - 1 overflowed int (size 0 for batchSize 2^31-1)
        return (int) (dropLast ? n / batchSize : (n + batchSize - 1) / batchSize);
    }
}
