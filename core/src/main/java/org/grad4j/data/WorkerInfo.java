package org.grad4j.data;

import org.grad4j.Generator;

/**
 * Which {@link DataLoader} worker thread is running, like {@code torch.utils.data.get_worker_info()}:
 * {@link #get()} returns null outside workers. Each worker has its own {@link Generator} seeded
 * with {@code baseSeed + id}, where the base seed is drawn from the loader's generator at the
 * start of every epoch: random augmentations are reproducible from one seed and differ between
 * workers and epochs.
 *
 * <pre>{@code
 * WorkerInfo w = WorkerInfo.get();
 * Generator g = w != null ? w.generator() : Grad4j.defaultGenerator();
 * }</pre>
 */
public record WorkerInfo(int id, int numWorkers, long seed, Generator generator) {
    private static final ThreadLocal<WorkerInfo> CURRENT = new ThreadLocal<>();

    /** The current worker, or null in the thread that iterates the loader. */
    public static WorkerInfo get() { return CURRENT.get(); }

    static void set(WorkerInfo info) { CURRENT.set(info); }
}
