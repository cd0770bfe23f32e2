package org.grad4j.distributed;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The handle of an asynchronous collective ({@code torch.distributed.Work}): the collective runs on
 * the group's communication thread, in issue order, while the caller keeps computing.
 *
 * <pre>{@code
 * Work w = group.allReduceAsync(grads, ReduceOp.SUM);
 * ... compute ...
 * w.await();            // rethrows the collective's failure, e.g. a DistributedException on timeout
 * }</pre>
 */
public final class Work {
    private final CompletableFuture<Void> future;

    Work(CompletableFuture<Void> future) { this.future = future; }

    /** Blocks until the collective finished; rethrows its failure (the collective's own timeout bounds the wait). */
    public void await() {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("interrupted while waiting for a collective", e);
        } catch (ExecutionException | CompletionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new DistributedException("the collective was cancelled (its process group was closed)", e);
        }
    }

    /** Whether the collective finished (successfully or not). */
    public boolean isDone() { return future.isDone(); }

    /** The collective as a future, to chain work after it ({@code Work.get_future()}). */
    public CompletableFuture<Void> future() { return future; }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new DistributedException(String.valueOf(t.getMessage()), t);
    }
}
