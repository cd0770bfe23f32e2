package org.grad4j.bench;

import org.grad4j.Tensor;
import org.grad4j.distributed.DistributedDataParallel;
import org.grad4j.distributed.ProcessGroup;
import org.grad4j.distributed.ReduceOp;
import org.grad4j.nn.Module;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.grad4j.Grad4j.*;

/**
 * The data-parallel rows ({@code --only ddp}), grad4j only (no libtorch peer): two ranks as threads
 * of this JVM over loopback TCP.
 * <ul>
 *   <li>{@code ddp-memcpy-4M}: System.arraycopy of 4M floats, bytes copied per second (the ceiling);</li>
 *   <li>{@code ddp-allreduce-4M}: ring all-reduce of 4M floats, NCCL's bus bandwidth
 *       {@code size * 2(n-1)/n / time};</li>
 *   <li>{@code ddp-lenet}: steps/s of the demo's LeNet-5 under DistributedDataParallel, each rank
 *       batch 32 (global 64), against {@code ddp-lenet-nocomm}: the same two ranks stepping without
 *       communication. Their ratio is what the all-reduce costs beyond what backward hides.</li>
 * </ul>
 */
final class DdpBench {
    static final int N4M = 1 << 22;
    private static final int WORLD = 2;

    private final Timing timing;
    private final String config;
    private final Consumer<Result> sink;

    DdpBench(Timing timing, String config, Consumer<Result> sink) {
        this.timing = timing;
        this.config = config;
        this.sink = sink;
    }

    static boolean any(Set<String> only) {
        for (String w : only) if (w.startsWith("ddp-")) return true;
        return false;
    }

    void run(Set<String> only) throws Exception {
        if (only.contains("ddp-memcpy-4M")) {
            float[] a = new float[N4M], b = new float[N4M];
            Arrays.fill(a, 1f);
            Timing.Stats st = timing.measure(() -> System.arraycopy(a, 0, b, 0, N4M));
            emit("ddp-memcpy-4M", 4.0 * N4M / st.median() / 1e9, "GB/s", st, "");
        }
        if (only.contains("ddp-allreduce-4M")) allReduce();
        if (only.contains("ddp-lenet")) lenet(true);
        if (only.contains("ddp-lenet-nocomm")) lenet(false);
    }

    private void emit(String w, double value, String unit, Timing.Stats st, String extra) {
        sink.accept(new Result(w, "grad4j", config, value, unit, st.median(), st.min(), st.max(), extra));
    }

    /** Runs body(rank, group) on every rank's thread; returns rank 0's per-iteration times. */
    private static double[] onRanks(boolean communicate, int warmup, int reps, int perRep, RankBody body) throws Exception {
        List<ProcessGroup> groups = ProcessGroup.loopback(WORLD, new ProcessGroup.Options().timeout(Duration.ofMinutes(2)));
        ExecutorService ex = Executors.newFixedThreadPool(WORLD);
        try {
            List<Future<double[]>> fs = new ArrayList<>();
            for (ProcessGroup g : groups) {
                Callable<double[]> c = () -> {
                    try (g) {
                        Runnable step = body.prepare(g.rank(), communicate ? g : null);
                        for (int i = 0; i < warmup; i++) step.run();
                        double[] t = new double[reps];
                        for (int r = 0; r < reps; r++) {
                            if (communicate) g.barrier();
                            long s = System.nanoTime();
                            for (int i = 0; i < perRep; i++) step.run();
                            t[r] = (System.nanoTime() - s) / 1e9 / perRep;
                        }
                        return t;
                    }
                };
                fs.add(ex.submit(c));
            }
            double[] t0 = null;
            Exception first = null;
            for (Future<double[]> f : fs) {
                try {
                    double[] t = f.get();
                    if (t0 == null) t0 = t;
                } catch (Exception e) {
                    if (first == null) first = e;
                    else first.addSuppressed(e);      // every rank's failure in the report
                }
            }
            if (first != null) throw first;
            return t0;
        } finally {
            ex.shutdownNow();
        }
    }

    interface RankBody {
        /** The step to time on one rank; group null: no communication. */
        Runnable prepare(int rank, ProcessGroup group) throws Exception;
    }

    private static Timing.Stats stats(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return new Timing.Stats(s[s.length / 2], s[0], s[s.length - 1], 1);
    }

    private void allReduce() throws Exception {
        double[] t = onRanks(true, 3, timing.reps, 3, (rank, g) -> {
            Tensor x = full(new int[]{N4M}, 1.0);
            return () -> g.allReduce(x, ReduceOp.SUM);
        });
        Timing.Stats st = stats(t);
        double bus = 4.0 * N4M * 2 * (WORLD - 1) / WORLD / st.median() / 1e9;
        emit("ddp-allreduce-4M", bus, "GB/s", st, String.format(Locale.ROOT, "ranks=%d ms=%.2f", WORLD, st.median() * 1e3));
    }

    private void lenet(boolean communicate) throws Exception {
        double[] t = onRanks(communicate, 5, timing.reps, 5, (rank, g) -> {
            Module net;
            synchronized (DdpBench.class) {
                manualSeed(4);
                net = Grad4jSide.lenetNet();
            }
            Module model = g == null ? net : new DistributedDataParallel(net, g, new DistributedDataParallel.Options());
            SGD opt = new SGD(model.parameters(), new SGD.Options().lr(0.01).momentum(0.9));
            Tensor x = randn(new int[]{32, 1, 28, 28}, new org.grad4j.Generator().manualSeed(rank));
            Tensor y = randint(0, 10, new int[]{32}, new org.grad4j.Generator().manualSeed(rank + 10));
            return () -> {
                opt.zeroGrad();
                F.crossEntropy(model.call(x), y).backward();
                opt.step();
            };
        });
        Timing.Stats st = stats(t);
        emit(communicate ? "ddp-lenet" : "ddp-lenet-nocomm", 1 / st.median(), "steps/s", st,
                String.format(Locale.ROOT, "ranks=%d batch/rank=32 ms/step=%.2f", WORLD, st.median() * 1e3));
    }
}
