package org.grad4j.data;

import org.grad4j.Generator;

/**
 * Which {@link DataLoader} worker thread is running, like {@code torch.utils.data.get_worker_info()}:
 * {@link #get()} returns null outside workers. Each worker thread has its own default generator
 * ({@link #generator()}, what {@code Grad4j.defaultGenerator()} returns in that thread) seeded with
 * {@link #seed()} = {@code baseSeed + id}, where the base seed is drawn from the loader's generator
 * (or the global one) when an epoch starts, as PyTorch does: a dataset that calls
 * {@code Grad4j.randn} or dropout in {@code get} is reproducible from one seed whatever the thread
 * scheduling, and its draws differ between workers and epochs.
 *
 * <pre>{@code
 * WorkerInfo w = WorkerInfo.get();
 * long seed = w != null ? w.seed() : Grad4j.initialSeed();
 * Tensor noise = Grad4j.randn(3);   // in a worker: from that worker's generator
 * }</pre>
 */
public record WorkerInfo(int id, int numWorkers, long seed, Generator generator) {
    private static final ThreadLocal<WorkerInfo> CURRENT = new ThreadLocal<>();

    /** The current worker, or null in the thread that iterates the loader. */
    public static WorkerInfo get() { return CURRENT.get(); }

    static void set(WorkerInfo info) { CURRENT.set(info); }
}
