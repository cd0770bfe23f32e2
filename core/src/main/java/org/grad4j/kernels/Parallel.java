package org.grad4j.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
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
    public static int chunks(long n, int grain) {
        int t = threads;
        if (t <= 1 || n < 2L * grain || inRegion()) return 1;
        return (int) Math.min(t, n / grain);
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
     */
    public static void forRange(int n, int grain, int align, Range body) {
        int k = chunks(n, grain);
        if (k <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        int a = Math.max(1, align);
        int per = (int) ((((long) n + k - 1) / k + a - 1) / a * a);
        ForkJoinPool p = pool();
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[k];
        int nt = 0;
        for (int c = 1; c < k; c++) {
            int lo = c * per, hi = Math.min(n, lo + per);
            if (lo >= hi) break;
            tasks[nt++] = p.submit(() -> body.run(lo, hi));
        }
        boolean[] flag = IN_REGION.get();
        flag[0] = true;
        Throwable err = null;
        try {
            body.run(0, Math.min(n, per));
        } catch (Throwable t) {
            err = t;
        } finally {
            flag[0] = false;
        }
        for (int i = 0; i < nt; i++) {
            try {
                tasks[i].join();
            } catch (Throwable t) {
                if (err == null) err = t;
            }
        }
        if (err instanceof RuntimeException re) throw re;
        if (err instanceof Error e) throw e;
        if (err != null) throw new RuntimeException(err);
    }

    /** {@link #forRange(int, int, int, Range)} with no alignment. */
    public static void forRange(int n, int grain, Range body) { forRange(n, grain, 1, body); }
}
