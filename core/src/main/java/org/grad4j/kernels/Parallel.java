package org.grad4j.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The one intra-op thread pool of grad4j (like ATen's intra-op pool). Kernels split a range
 * {@code [0, n)} into at most {@link #numThreads()} chunks, run one on the calling thread and the
 * others on the pool. Three rules keep it cheap:
 * <ul>
 *   <li>a range smaller than two grains runs inline on the caller (small tensors never pay for
 *       threads);</li>
 *   <li>a parallel region started inside another one runs inline (no nested oversubscription,
 *       e.g. a batched matmul that splits over batches runs each GEMM single-threaded);</li>
 *   <li>{@code numThreads} counts the caller: with 2 threads the pool has one worker.</li>
 * </ul>
 *
 * <pre>{@code
 * Parallel.setNumThreads(2);                         // torch.set_num_threads(2)
 * Parallel.forRange(n, 32768, (lo, hi) -> { for (int i = lo; i < hi; i++) out[i] = a[i] + b[i]; });
 * }</pre>
 */
public final class Parallel {
    private Parallel() {}

    /** A chunk of work over the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static volatile int threads = defaultThreads();
    private static volatile ForkJoinPool pool;
    private static final ThreadLocal<boolean[]> IN_REGION = ThreadLocal.withInitial(() -> new boolean[1]);

    private static int defaultThreads() {
        String p = System.getProperty("grad4j.numThreads");
        if (p != null) {
            try {
                return Math.max(1, Integer.parseInt(p.trim()));
            } catch (NumberFormatException ignored) {
                // fall through to the core count
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Threads used by intra-op parallel kernels (the caller included). */
    public static int numThreads() { return threads; }

    /** Sets the number of intra-op threads (>= 1), like {@code torch.set_num_threads}. */
    public static synchronized void setNumThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("set_num_threads: expected a positive number of threads, got " + n);
        }
        if (n == threads) return;
        threads = n;
        ForkJoinPool old = pool;
        pool = null;
        if (old != null) old.shutdown();
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p != null) return p;
        synchronized (Parallel.class) {
            if (pool == null) {
                int workers = Math.max(1, threads - 1);
                pool = new ForkJoinPool(workers, pl -> {
                    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pl);
                    t.setName("grad4j-intraop-" + t.getPoolIndex());
                    t.setDaemon(true);
                    return t;
                }, null, false);
            }
            return pool;
        }
    }

    /** How many chunks a range of {@code n} with this grain would be split into (1 = inline). */
    public static int chunks(long n, int grain) { return chunks(n, grain, 1); }

    /**
     * Like {@link #chunks(long, int)} with up to {@code perThread} chunks per thread: smaller
     * chunks let the caller take over the work of a worker that wakes up late.
     */
    public static int chunks(long n, int grain, int perThread) {
        int t = threads;
        if (t <= 1 || n < 2L * grain || inRegion()) return 1;
        return (int) Math.min((long) t * perThread, n / grain);
    }

    /** Whether the current thread already runs inside a parallel region. */
    public static boolean inRegion() {
        if (Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool) return true;
        return IN_REGION.get()[0];
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into chunks of at least {@code grain}
     * elements. Chunk borders are multiples of {@code align} (except the end), so vector loops
     * and GEMM panels stay whole.
     *
     * <p>Chunks are claimed from a shared counter by the caller and by pool workers alike, and
     * the caller only waits for chunks a worker has actually started. A worker that is slow to
     * wake (a busy or descheduled vCPU) therefore never stalls the op: the caller runs the
     * remaining chunks itself. This is what keeps two threads from collapsing on a loaded
     * 2-core machine.
     */
    public static void forRange(int n, int grain, int align, Range body) {
        forRange(n, grain, align, 1, body);
    }

    /** {@link #forRange(int, int, int, Range)} with up to {@code perThread} chunks per thread. */
    public static void forRange(int n, int grain, int align, int perThread, Range body) {
        int k = chunks(n, grain, perThread);
        if (k <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        int a = Math.max(1, align);
        int per = (int) ((((long) n + k - 1) / k + a - 1) / a * a);
        int count = (int) Math.min(k, ((long) n + per - 1) / per);
        Region r = new Region(n, per, count, body);
        ForkJoinPool p = pool();
        try {
            for (int c = 1; c < Math.min(count, threads); c++) p.execute(r::work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the pool was replaced by setNumThreads meanwhile: the caller runs the chunks itself
        }
        boolean[] flag = IN_REGION.get();
        flag[0] = true;
        try {
            r.work();
        } finally {
            flag[0] = false;
        }
        r.awaitClaimed();
        Throwable err = r.error;
        if (err instanceof RuntimeException re) throw re;
        if (err instanceof Error e) throw e;
        if (err != null) throw new RuntimeException(err);
    }

    /** One parallel region: chunks claimed through {@code next}, finished ones counted in {@code done}. */
    private static final class Region {
        final int n, per, count;
        final Range body;
        final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        volatile Throwable error;

        Region(int n, int per, int count, Range body) {
            this.n = n;
            this.per = per;
            this.count = count;
            this.body = body;
        }

        void work() {
            int c;
            while ((c = next.getAndIncrement()) < count) {
                try {
                    int lo = c * per;
                    body.run(lo, Math.min(n, lo + per));
                } catch (Throwable t) {
                    if (error == null) error = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }

        /** Every chunk is claimed once the caller's work() returns; wait for those still running. */
        void awaitClaimed() {
            int spins = 0;
            while (done.get() < count) {
                if (++spins < 1 << 14) Thread.onSpinWait();
                else Thread.yield();
            }
        }
    }

    /** {@link #forRange(int, int, int, Range)} with no alignment. */
    public static void forRange(int n, int grain, Range body) { forRange(n, grain, 1, body); }
}
