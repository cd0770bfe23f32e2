package org.grad4j.bench;

import java.util.Arrays;

/**
 * The timing protocol of the libtorch peer harness (../shared/peers/libtorch/README.md): warm up,
 * pick k bodies per repetition so that a repetition lasts about {@code repSec}, time
 * {@code reps} repetitions with one clock read around each, report the median per-body time.
 */
final class Timing {
    final double warmupSec;
    final int warmupMin;
    final double repSec;
    final int reps;

    private Timing(double warmupSec, int warmupMin, double repSec, int reps) {
        this.warmupSec = warmupSec;
        this.warmupMin = warmupMin;
        this.repSec = repSec;
        this.reps = reps;
    }

    /**
     * The harness protocol (0.15 s repetitions, 9 repetitions, median) with a 1 s warm-up instead of
     * 0.3 s: on this shared 2-vCPU box C2 needs longer than 0.3 s to compile the SIMD kernels. Both
     * libraries get the same protocol (libtorch is native code: a longer warm-up does not change it).
     */
    static Timing full() { return new Timing(1.0, 3, 0.15, 9); }

    /** A JIT warm-up pass over every workload before the measured pass (its figures are dropped). */
    static Timing jitWarmup() { return new Timing(0.4, 2, 0.01, 1); }

    /** A shorter protocol for {@code --quick}: 0.6 s warm-up, 0.05 s repetitions, 5 repetitions. */
    static Timing quick() { return new Timing(0.6, 2, 0.05, 5); }

    interface Body {
        void run() throws Exception;
    }

    /** Per-body seconds over the repetitions. */
    record Stats(double median, double min, double max, int itersPerRep) {}

    Stats measure(Body body) throws Exception {
        long t0 = System.nanoTime();
        int warm = 0;
        while (warm < warmupMin || System.nanoTime() - t0 < warmupSec * 1e9) {
            body.run();
            warm++;
        }
        int probe = Math.max(1, warm / 4);
        long p0 = System.nanoTime();
        for (int i = 0; i < probe; i++) body.run();
        double perBody = (System.nanoTime() - p0) / 1e9 / probe;
        int k = (int) Math.max(1, Math.round(repSec / Math.max(perBody, 1e-9)));
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
            long s = System.nanoTime();
            for (int i = 0; i < k; i++) body.run();
            t[r] = (System.nanoTime() - s) / 1e9 / k;
        }
        Arrays.sort(t);
        return new Stats(t[reps / 2], t[0], t[reps - 1], k);
    }
}
