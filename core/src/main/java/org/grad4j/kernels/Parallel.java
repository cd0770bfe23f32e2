package org.grad4j.kernels;

/**
 * The one intra-op thread pool of grad4j (like ATen's intra-op pool). Kernels split a range
 * {@code [0, n)} into at most {@link #numThreads()} chunks, run one on the calling thread and the
 * others on the pool's workers, which poll briefly for the next region before parking. Three
 * rules keep it cheap:
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
    private static volatile Worker[] workers;
    private static final ThreadLocal<boolean[]> IN_REGION = ThreadLocal.withInitial(() -> new boolean[1]);
    /**
     * How long an idle worker keeps polling for the next region before it parks. Training steps
     * start a region every few dozen microseconds; a parked thread takes tens of microseconds to
     * wake on a busy VM, and the region's caller would wait for it (OpenMP runtimes spin for the
     * same reason). {@code -Dgrad4j.spinMicros=0} parks at once.
     */
    private static final long SPIN_NANOS = 1000L * Long.getLong("grad4j.spinMicros", 50L);

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
        Worker[] old = workers;
        workers = null;
        if (old != null) for (Worker w : old) w.retire();
    }

    private static Worker[] workers() {
        Worker[] ws = workers;
        if (ws != null) return ws;
        synchronized (Parallel.class) {
            if (workers == null) {
                Worker[] created = new Worker[Math.max(0, threads - 1)];
                for (int i = 0; i < created.length; i++) {
                    created[i] = new Worker(i);
                    created[i].start();
                }
                workers = created;
            }
            return workers;
        }
    }

    /**
     * A pool thread with a one-region mailbox. A region is offered to idle workers only (a busy
     * one is skipped: the region's caller claims the chunks nobody took), so concurrent callers
     * never queue behind each other.
     */
    private static final class Worker extends Thread {
        private final java.util.concurrent.atomic.AtomicReference<Region> mailbox = new java.util.concurrent.atomic.AtomicReference<>();
        private volatile boolean parked, retired;

        Worker(int index) {
            super("grad4j-intraop-" + index);
            setDaemon(true);
        }

        /** Hands r to this worker if it is idle; false if it is busy with another region. */
        boolean offer(Region r) {
            if (!mailbox.compareAndSet(null, r)) return false;
            if (parked) java.util.concurrent.locks.LockSupport.unpark(this);
            return true;
        }

        void retire() {
            retired = true;
            java.util.concurrent.locks.LockSupport.unpark(this);
        }

        @Override
        public void run() {
            IN_REGION.get()[0] = true;     // a region started from a chunk runs inline
            while (!retired) {
                Region r = await();
                if (r == null) continue;
                try {
                    r.work();
                } finally {
                    mailbox.set(null);
                }
            }
        }

        private Region await() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            Region r;
            while ((r = mailbox.get()) == null && !retired && System.nanoTime() < deadline) Thread.onSpinWait();
            while (r == null && !retired) {
                parked = true;
                if ((r = mailbox.get()) == null) java.util.concurrent.locks.LockSupport.park(this);
                parked = false;
                r = mailbox.get();
            }
            return r;
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
        Worker[] ws = workers();
        for (int i = 0, helpers = Math.min(count, threads) - 1; i < ws.length && helpers > 0; i++) {
            if (ws[i].offer(r)) helpers--;
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
