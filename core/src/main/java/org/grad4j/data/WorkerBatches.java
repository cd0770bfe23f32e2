package org.grad4j.data;

import org.grad4j.Generator;
import org.grad4j.Grad4j;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An epoch loaded by worker threads: batch k goes to worker k % n; up to n * prefetchFactor
 * batches are in flight; results are taken in order. Workers are stopped when the epoch ends,
 * on close, on a worker error, or (as a last resort) when the iterator is garbage-collected.
 */
final class WorkerBatches<T, B> implements BatchIterator<B> {
    private static final Cleaner CLEANER = Cleaner.create();

    private record Pending<B>(Future<B> future, int batch, int worker) {}

    private final DataLoader<T, B> loader;
    private final Iterator<int[]> batches;
    private final ExecutorService[] workers;
    private final java.util.List<Thread> threads;
    private final ArrayDeque<Pending<B>> pending = new ArrayDeque<>();
    private final Cleaner.Cleanable cleanable;
    private int submitted;
    private boolean closed;

    WorkerBatches(DataLoader<T, B> loader, Iterator<int[]> batches, long baseSeed) {
        this.loader = loader;
        this.batches = batches;
        int n = loader.numWorkers;
        workers = new ExecutorService[n];
        // a local, so the thread factories below don't capture this iterator (the Cleaner needs it unreachable)
        java.util.List<Thread> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        threads = started;
        for (int w = 0; w < n; w++) {
            // PyTorch seeds each worker process's default generator with base_seed + worker_id
            WorkerInfo info = new WorkerInfo(w, n, baseSeed + w, new Generator().manualSeed(baseSeed + w));
            int id = w;
            workers[w] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(() -> {
                    WorkerInfo.set(info);
                    try (var g = Grad4j.useThreadGenerator(info.generator())) {
                        r.run();
                    }
                }, "grad4j-dataloader-worker-" + id);
                t.setDaemon(true);
                started.add(t);
                return t;
            });
        }
        ExecutorService[] toStop = workers.clone();
        cleanable = CLEANER.register(this, () -> {
            for (ExecutorService e : toStop) e.shutdownNow();
        });
        fill();
    }

    private void fill() {
        int limit = workers.length * loader.prefetchFactor;
        while (!closed && pending.size() < limit && batches.hasNext()) {
            int[] indices = batches.next();
            int w = submitted % workers.length;
            boolean first = submitted < workers.length;   // the worker's first task runs workerInitFn first
            pending.add(new Pending<>(workers[w].submit(() -> {
                if (first && loader.workerInitFn != null) loader.workerInitFn.accept(WorkerInfo.get().id());
                return loader.load(indices);
            }), submitted, w));
            submitted++;
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) return false;
        if (pending.isEmpty()) {
            close();
            return false;
        }
        return true;
    }

    @Override
    public B next() {
        if (!hasNext()) throw new NoSuchElementException();
        Pending<B> p = pending.poll();
        B batch;
        try {
            batch = p.future().get();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new DataLoaderException("interrupted while waiting for batch " + p.batch(), e, p.worker(), p.batch());
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            throw new DataLoaderException("Caught " + cause.getClass().getSimpleName() + " in DataLoader worker " + p.worker()
                    + " while loading batch " + p.batch() + ": " + cause.getMessage(), cause, p.worker(), p.batch());
        }
        fill();
        return batch;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Pending<B> p : pending) p.future().cancel(true);
        pending.clear();
        for (ExecutorService e : workers) e.shutdownNow();
        try {
            for (ExecutorService e : workers) e.awaitTermination(10, TimeUnit.SECONDS);
            for (Thread t : threads) t.join(10_000);   // terminated executors may still be unwinding their thread
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        cleanable.clean();
    }
}
