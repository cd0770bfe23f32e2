package org.grad4j.data;

import java.util.Iterator;

/**
 * One epoch over a {@link DataLoader}. Closing it (or reaching the end) stops the loader's worker
 * threads; use try-with-resources when an epoch may end early.
 *
 * <pre>{@code
 * try (BatchIterator<Tensor[]> it = loader.iterator()) {
 *     while (it.hasNext()) { Tensor[] batch = it.next(); if (done) break; }
 * }
 * }</pre>
 */
public interface BatchIterator<B> extends Iterator<B>, AutoCloseable {
    /** Stops the workers and drops prefetched batches; idempotent. */
    @Override
    void close();
}
