package org.grad4j.examples;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.data.DataLoader;
import org.grad4j.data.Dataset;
import org.grad4j.data.Subset;
import org.grad4j.data.DistributedSampler;
import org.grad4j.data.MNIST;
import org.grad4j.distributed.DistributedDataParallel;
import org.grad4j.distributed.ProcessGroup;
import org.grad4j.io.Checkpoints;
import org.grad4j.io.SafeTensors;
import org.grad4j.nn.Module;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's LeNet-5 training, data-parallel: {@link #train} runs one rank of a process group
 * (every rank calls it with its own {@link ProcessGroup}: {@code ./grad4j demo --nproc N}, or a
 * Spark barrier task later), {@link #trainAccumulate} runs the same steps in one process with
 * gradient accumulation over the micro-batches the ranks would see. The global batch is split in
 * {@code parts} micro-batches of equal size; part r of each step comes from a
 * {@link DistributedSampler} for rank r of {@code parts}. With a deterministic group both write
 * bit-identical weights: DDP sums {@code grad_r * (1/n)} in rank order, and so does the accumulation.
 * Rank 0 writes {@code checkpoint.safetensors} after each epoch (atomically) and, at the end,
 * {@code model.safetensors} (the plain state dict); {@code resume} continues from the checkpoint,
 * with any number of processes.
 *
 * <pre>{@code
 * var cfg = new DataParallelDemo.Config(1, 64, 0.01, 0.9, 0, null, Path.of("out"), false, 1);
 * try (var pg = ProcessGroup.fromEnvironment(new ProcessGroup.Options().deterministic(true))) {
 *     DataParallelDemo.train(pg, cfg, System.out);
 * }
 * }</pre>
 */
public final class DataParallelDemo {
    private DataParallelDemo() {}

    /** The run's settings; {@code data} null: the shipped digits. */
    public record Config(int epochs, int globalBatch, double lr, double momentum, long seed, Path data, Path out,
                         boolean resume, int workers, int limit) {
        /** All training digits ({@code limit} 0). */
        public Config(int epochs, int globalBatch, double lr, double momentum, long seed, Path data, Path out, boolean resume, int workers) {
            this(epochs, globalBatch, lr, momentum, seed, data, out, resume, workers, 0);
        }
    }

    /** What the run produced: per-epoch mean loss (rank 0's view), final test accuracy, the files. */
    public record Result(List<Double> epochLoss, double testAccuracy, Path modelFile, Path checkpointFile) {}

    /** The group a process of {@code ./grad4j run --nproc N} joins: deterministic, timeout from GRAD4J_DIST_TIMEOUT_S. */
    public static ProcessGroup groupFromEnvironment() {
        String t = System.getenv("GRAD4J_DIST_TIMEOUT_S");
        var opts = new ProcessGroup.Options().deterministic(true);
        if (t != null && !t.isBlank()) opts.timeout(Duration.ofMillis((long) (Double.parseDouble(t) * 1000)));
        return ProcessGroup.fromEnvironment(opts);
    }

    private record Setup(Dataset<Tensor[]> train, MNIST test, Module model, SGD opt, int startEpoch) {}

    /** Ranks that are threads of one JVM share the global generator: one seeds and initialises at a time. */
    private static final Object INIT_LOCK = new Object();

    private static Setup setup(Config c, PrintStream o) throws IOException {
        synchronized (INIT_LOCK) {
            return setupLocked(c, o);
        }
    }

    private static Setup setupLocked(Config c, PrintStream o) throws IOException {
        Grad4j.manualSeed(c.seed());
        Path dir = c.data() != null ? c.data() : MNIST.shippedDirectory();
        var norm = MNIST.normalize(MNIST.MEAN, MNIST.STD);
        MNIST all = new MNIST(dir, true, norm), test = new MNIST(dir, false, norm);
        Dataset<Tensor[]> train = all;
        if (c.limit() > 0 && c.limit() < all.size()) {
            int[] first = new int[c.limit()];
            for (int i = 0; i < first.length; i++) first[i] = i;
            train = new Subset<>(all, first);
        }
        Module model = Demo.lenet5();
        SGD opt = new SGD(model.parameters(), new SGD.Options().lr(c.lr()).momentum(c.momentum()));
        int start = 0;
        Path ck = c.out().resolve("checkpoint.safetensors");
        if (c.resume() && Files.exists(ck)) {
            var loaded = Checkpoints.load(ck);
            model.loadStateDict(loaded.model());
            opt.loadStateDict(loaded.optimizer());
            start = (int) loaded.epoch();
            if (o != null) o.printf(Locale.ROOT, "resumed from %s after epoch %d%n", ck, start);
        }
        return new Setup(train, test, model, opt, start);
    }

    private static DataLoader<Tensor[], Tensor[]> loader(Dataset<Tensor[]> train, DistributedSampler s, int batch, int workers) {
        return DataLoader.builder(train).batchSize(batch).sampler(s).numWorkers(workers).build();
    }

    private static int microBatch(Config c, int parts) {
        if (c.globalBatch() % parts != 0) {
            throw new IllegalArgumentException("the batch size " + c.globalBatch() + " must divide into " + parts
                    + " equal micro-batches. Fix: --batch-size a multiple of " + parts);
        }
        return c.globalBatch() / parts;
    }

    /** One rank's training; every rank of {@code pg} calls it. Rank 0 prints ({@code o}) and writes the files. */
    public static Result train(ProcessGroup pg, Config c, PrintStream o) throws IOException {
        int n = pg.worldSize(), rank = pg.rank();
        PrintStream out = rank == 0 ? o : null;
        Setup s = setup(c, out);
        var ddp = new DistributedDataParallel(s.model(), pg, new DistributedDataParallel.Options());
        var sampler = new DistributedSampler(s.train().size(), n, rank, true, c.seed(), false);
        var loader = loader(s.train(), sampler, microBatch(c, n), c.workers());
        if (out != null) out.printf(Locale.ROOT, "data-parallel: %d ranks x batch %d (global %d), deterministic reduction%n", n, c.globalBatch() / n, c.globalBatch());
        List<Double> losses = new ArrayList<>();
        for (int epoch = s.startEpoch(); epoch < c.epochs(); epoch++) {
            sampler.setEpoch(epoch);
            ddp.train();
            double lossSum = 0;
            long seen = 0;
            long t0 = System.nanoTime();
            int step = 0;
            for (Tensor[] b : loader) {
                Faults.maybeInject(rank, epoch, step++);
                s.opt().zeroGrad();
                Tensor loss = F.crossEntropy(ddp.call(b[0]), b[1]);
                loss.backward();
                s.opt().step();
                lossSum += loss.item() * b[1].size(0);
                seen += b[1].size(0);
            }
            losses.add(lossSum / seen);
            endOfEpoch(pg, s, c, epoch, lossSum / seen, t0, out);
        }
        return finish(pg, s, c, losses, out);
    }

    /** The same steps in one process: {@code parts} micro-batches per step, gradients accumulated as DDP reduces them. */
    public static Result trainAccumulate(Config c, int parts, PrintStream o) throws IOException {
        Setup s = setup(c, o);
        int micro = microBatch(c, parts);
        List<DistributedSampler> samplers = new ArrayList<>();
        List<DataLoader<Tensor[], Tensor[]>> loaders = new ArrayList<>();
        for (int r = 0; r < parts; r++) {
            samplers.add(new DistributedSampler(s.train().size(), parts, r, true, c.seed(), false));
            loaders.add(loader(s.train(), samplers.get(r), micro, c.workers()));
        }
        if (o != null) o.printf(Locale.ROOT, "gradient accumulation: %d micro-batches of %d per step (global %d)%n", parts, micro, c.globalBatch());
        List<Tensor> params = s.model().parameters();
        List<Double> losses = new ArrayList<>();
        try (ProcessGroup single = ProcessGroup.single()) {
            for (int epoch = s.startEpoch(); epoch < c.epochs(); epoch++) {
                List<Iterator<Tensor[]>> its = new ArrayList<>();
                for (int r = 0; r < parts; r++) {
                    samplers.get(r).setEpoch(epoch);
                    its.add(loaders.get(r).iterator());
                }
                s.model().train();
                double lossSum = 0;
                long seen = 0;
                long t0 = System.nanoTime();
                while (its.get(0).hasNext()) {
                    Tensor[] acc = new Tensor[params.size()];
                    for (int r = 0; r < parts; r++) {
                        Tensor[] b = its.get(r).next();
                        s.opt().zeroGrad();
                        Tensor loss = F.crossEntropy(s.model().call(b[0]), b[1]);
                        loss.backward();
                        for (int i = 0; i < acc.length; i++) {
                            // what DDP's reducer does: grad * (1 / n), summed in rank order
                            Tensor g = parts > 1 ? params.get(i).grad().mul(1.0 / parts) : params.get(i).grad();
                            acc[i] = r == 0 ? g : acc[i].add(g);
                        }
                        if (r == 0) {
                            lossSum += loss.item() * b[1].size(0);
                            seen += b[1].size(0);
                        }
                    }
                    for (int i = 0; i < acc.length; i++) params.get(i).setGrad(acc[i]);
                    s.opt().step();
                }
                losses.add(lossSum / seen);
                endOfEpoch(single, s, c, epoch, lossSum / seen, t0, o);
            }
            return finish(single, s, c, losses, o);
        }
    }

    private static void endOfEpoch(ProcessGroup pg, Setup s, Config c, int epoch, double loss, long t0, PrintStream out) throws IOException {
        if (pg.rank() != 0) return;
        Files.createDirectories(c.out());
        Checkpoints.save(c.out().resolve("checkpoint.safetensors"), new Checkpoints.Checkpoint(s.model().stateDict(),
                s.opt().stateDict(), epoch + 1, Map.of("model", "LeNet-5", "world_size", Integer.toString(pg.worldSize()))));
        if (out != null) {
            out.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f (rank 0's part)  %.1f s%n", epoch + 1, c.epochs(), loss,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    private static Result finish(ProcessGroup pg, Setup s, Config c, List<Double> losses, PrintStream out) throws IOException {
        Path model = c.out().resolve("model.safetensors"), ck = c.out().resolve("checkpoint.safetensors");
        double acc = Double.NaN;
        if (pg.rank() == 0) {
            Files.createDirectories(c.out());
            SafeTensors.save(s.model().stateDict(), model);
            var testLoader = DataLoader.builder(s.test()).batchSize(500).build();
            acc = Demo.accuracy(Demo.evaluate(s.model(), testLoader, org.grad4j.Device.CPU));
            if (out != null) {
                out.printf(Locale.ROOT, "test accuracy %.2f%% on %d digits%n", 100 * acc, s.test().size());
                out.println("weights saved to " + model + " (plain state dict), checkpoint " + ck);
            }
        }
        pg.barrier();            // nobody leaves (and closes its connections) before rank 0 is done
        return new Result(losses, acc, model, ck);
    }

    /**
     * {@code ./grad4j run --nproc N DataParallelDemo [--epochs E] [--batch-size B] [--limit L] [--out DIR] [--resume]
     * [--accumulate K]}: the demo's data-parallel training without the rest of the demo.
     */
    public static void main(String[] args) throws IOException {
        int epochs = 1, batch = 64, limit = 0, accumulate = 0;
        Path out = Path.of("demo-output");
        boolean resume = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--batch-size" -> batch = Integer.parseInt(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--resume" -> resume = true;
                case "--accumulate" -> accumulate = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + ". Fix: --epochs E --batch-size B --limit L --out DIR --resume --accumulate K");
            }
        }
        var cfg = new Config(epochs, batch, 0.01, 0.9, 0, null, out, resume, 1, limit);
        if (accumulate > 0) {
            trainAccumulate(cfg, accumulate, System.out);
            return;
        }
        try (var pg = groupFromEnvironment()) {
            train(pg, cfg, System.out);
        }
    }

    /**
     * Fault injection for the fault tests: {@code GRAD4J_FAULT=rank:step:die} halts that rank (as a
     * kill -9 would) at that step of the first epoch, {@code rank:step:hang} makes it sleep for good.
     */
    static final class Faults {
        private static final String SPEC = System.getenv("GRAD4J_FAULT");

        static void maybeInject(int rank, int epoch, int step) {
            if (SPEC == null || epoch != 0) return;
            String[] p = SPEC.split(":");
            if (Integer.parseInt(p[0]) != rank || Integer.parseInt(p[1]) != step) return;
            System.out.println("fault injected: rank " + rank + " " + p[2] + "s at step " + step);
            System.out.flush();
            if (p[2].equals("die")) Runtime.getRuntime().halt(137);
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
