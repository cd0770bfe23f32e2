package org.grad4j.examples;

import org.grad4j.Device;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.data.DataLoader;
import org.grad4j.data.MNIST;
import org.grad4j.io.AtomicFiles;
import org.grad4j.io.Checkpoints;
import org.grad4j.io.SafeTensors;
import org.grad4j.nn.Conv2d;
import org.grad4j.nn.Flatten;
import org.grad4j.nn.Linear;
import org.grad4j.nn.MaxPool2d;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.Adam;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.SGD;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The main job, {@code ./grad4j demo}: trains a LeNet-5-style CNN on the MNIST digits shipped in
 * {@code data/mnist-10k} (8,000 train / 2,000 test) the way seed 004's workflow does it - Dataset,
 * DataLoader, model, loss, optimizer, train loop (zero_grad, forward, backward, step), evaluation
 * under no_grad, metrics - with a progress bar per epoch, then reports test accuracy and per-class
 * precision and recall, saves the model (its state dict alone, as PyTorch loads it) and a
 * training checkpoint beside it (model, optimizer, epoch), and a PNG of the loss/accuracy curves.
 *
 * <pre>
 * ./grad4j demo                       # defaults: 12 epochs, batch 64, SGD lr 0.01 momentum 0.9
 * ./grad4j demo --epochs 3 --optimizer adam --lr 1e-3 --out /tmp/run1
 * ./grad4j demo --help
 * </pre>
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a LeNet-5-style CNN on the shipped MNIST digits and report test metrics.")
public final class Demo implements Callable<Integer> {

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 12;

    @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 64;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 0.01;

    /** The optimizers the demo offers. */
    enum OptimizerKind { sgd, adam }

    @Option(names = "--optimizer", description = "sgd (with --momentum) or adam (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer = OptimizerKind.sgd;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum = 0.9;

    @Option(names = "--threads", description = "Intra-op threads, like torch.set_num_threads (default: all cores).")
    Integer threads;

    @Option(names = "--workers", description = "DataLoader worker threads (default: ${DEFAULT-VALUE}).")
    int workers = 1;

    @Option(names = "--seed", description = "Random seed for init, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--data", description = "MNIST directory with the four IDX files (default: the shipped digits of data/mnist-10k).")
    Path data;

    @Option(names = "--out", description = "Output folder for the model file and the curves (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("demo-output");

    @Option(names = "--device", description = "cpu, or cuda:N where a GPU backend exists (default: ${DEFAULT-VALUE}).")
    String device = "cpu";

    @Option(names = "--no-progress", description = "Print one line per epoch instead of a progress bar.")
    boolean noProgress;

    @Option(names = "--nproc", description = "Data-parallel over N processes on this machine (the launcher starts them: ./grad4j demo --nproc N).")
    Integer nproc;

    @Option(names = "--accumulate", description = "One process, gradient accumulation over the N micro-batches N ranks would see per step.")
    Integer accumulate;

    @Option(names = "--resume", description = "With --nproc/--accumulate: continue from <out>/checkpoint.safetensors (any number of processes).")
    boolean resume;

    /** What a run produced, for callers and tests. */
    public record Report(double testAccuracy, double[] precision, double[] recall, List<Double> epochLoss,
                         List<Double> epochTrainAccuracy, List<Double> epochTestAccuracy, Path modelFile, Path checkpointFile,
                         Path curveFile, double seconds) {}

    private Report report;

    public Report report() { return report; }

    /** The model of the peer benchmark and the issue: LeNet-5 with ReLU and max pooling. */
    public static Sequential lenet5() {
        return new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, 120), new ReLU(),
                new Linear(120, 84), new ReLU(),
                new Linear(84, 10));
    }

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        if (epochs < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--epochs must be at least 1, got " + epochs);
        if (batchSize < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        if (!(lr > 0)) throw new CommandLine.ParameterException(spec.commandLine(), "--lr must be positive, got " + lr);
        if (threads != null) Grad4j.setNumThreads(threads);
        if (nproc != null || accumulate != null || System.getenv("WORLD_SIZE") != null) return dataParallel(o);
        Device dev = device();
        String deviceProblem = deviceProblem(dev);
        if (deviceProblem != null) {
            System.err.println("grad4j demo: --device " + device + ": " + deviceProblem);
            return 1;
        }
        Grad4j.manualSeed(seed);
        var norm = MNIST.normalize(MNIST.MEAN, MNIST.STD);
        MNIST train = data != null ? new MNIST(data, true, norm) : MNIST.shipped(true, norm);
        MNIST test = data != null ? new MNIST(data, false, norm) : MNIST.shipped(false, norm);
        String dir = data != null ? data.toString() : "the shipped MNIST digits (data/mnist-10k, in grad4j-core's jar)";
        var trainLoader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(seed).numWorkers(workers)
                .pinMemory(dev.isCuda()).build();
        var testLoader = DataLoader.builder(test).batchSize(500).build();

        Module model = lenet5().to(dev);
        Optimizer opt = switch (optimizer) {
            case sgd -> new SGD(model.parameters(), new SGD.Options().lr(lr).momentum(momentum));
            case adam -> new Adam(model.parameters(), new Adam.Options().lr(lr));
        };
        o.printf(Locale.ROOT, "grad4j demo: LeNet-5 on %d training / %d test digits from %s%n", train.size(), test.size(), dir);
        o.printf(Locale.ROOT, "epochs %d, batch %d, %s lr %s, %d intra-op threads, %d loader workers, seed %d, device %s%n",
                epochs, batchSize, optimizer, lr, Grad4j.getNumThreads(), workers, seed, dev);
        o.println(model);

        List<Double> lossCurve = new ArrayList<>(), trainAcc = new ArrayList<>(), testAcc = new ArrayList<>();
        long start = System.nanoTime();
        int[][] confusion = null;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            double lossSum = 0;
            long correct = 0, seen = 0;
            long epochStart = System.nanoTime();
            try (ProgressLine bar = progressLine(epoch, train.size(), epochStart)) {
                for (Tensor[] batch : trainLoader) {
                    Tensor x = batch[0].to(dev), y = batch[1].to(dev);
                    opt.zeroGrad();
                    Tensor logits = model.forward(x);
                    Tensor loss = F.crossEntropy(logits, y);
                    loss.backward();
                    opt.step();
                    int b = y.size(0);
                    lossSum += loss.item() * b;
                    correct += logits.detach().argmax(1, false).eq(y).sum().itemLong();
                    seen += b;
                    bar.step(b, lossSum / seen, (double) correct / seen);
                }
            }
            confusion = evaluate(model, testLoader, dev);
            double acc = accuracy(confusion);
            lossCurve.add(lossSum / seen);
            trainAcc.add((double) correct / seen);
            testAcc.add(acc);
            double secs = (System.nanoTime() - epochStart) / 1e9;
            o.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f  train acc %.2f%%  test acc %.2f%%  %.1f s  %.0f samples/s%n",
                    epoch, epochs, lossSum / seen, 100.0 * correct / seen, 100 * acc, secs, seen / secs);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        double[] precision = new double[10], recall = new double[10];
        o.printf(Locale.ROOT, "%ntest accuracy %.2f%% on %d digits (%.1f s training)%n", 100 * accuracy(confusion), test.size(), seconds);
        o.println("class  precision  recall");
        for (int c = 0; c < 10; c++) {
            long tp = confusion[c][c], predicted = 0, actual = 0;
            for (int k = 0; k < 10; k++) {
                predicted += confusion[k][c];
                actual += confusion[c][k];
            }
            precision[c] = predicted == 0 ? 0 : (double) tp / predicted;
            recall[c] = actual == 0 ? 0 : (double) tp / actual;
            o.printf(Locale.ROOT, "  %d    %6.2f%%    %6.2f%%%n", c, 100 * precision[c], 100 * recall[c]);
        }

        Files.createDirectories(out);
        Path[] files = saveOutputs(o, model, opt, accuracy(confusion), lossCurve, trainAcc, testAcc);
        report = new Report(accuracy(confusion), precision, recall, lossCurve, trainAcc, testAcc, files[0], files[1], files[2], seconds);
        return 0;
    }

    /** --nproc (in each process the launcher started) and --accumulate: see {@link DataParallelDemo}. */
    private int dataParallel(PrintStream o) throws IOException {
        var cfg = new DataParallelDemo.Config(epochs, batchSize, lr, momentum, seed, data, out, resume, workers);
        if (accumulate != null) {
            // one intra-op thread as each launched rank has (torchrun's OMP_NUM_THREADS=1): grad4j's
            // convolution splits its weight gradient by thread count, so the bits depend on it
            if (threads == null) Grad4j.setNumThreads(1);
            DataParallelDemo.trainAccumulate(cfg, accumulate, o);
            return 0;
        }
        if (System.getenv("WORLD_SIZE") == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nproc needs the launcher: ./grad4j demo --nproc " + nproc);
        }
        try (var pg = DataParallelDemo.groupFromEnvironment()) {
            DataParallelDemo.train(pg, cfg, o);
        }
        return 0;
    }

    /**
     * Writes the plain model file (the state dict alone, PyTorch's key names: what
     * {@code model.load_state_dict(safetensors.torch.load_file(...))} takes as is), the training
     * checkpoint beside it, and the curves, saying which file is which. Returns the three paths.
     */
    private Path[] saveOutputs(PrintStream o, Module model, Optimizer opt, double testAccuracy, List<Double> lossCurve,
                               List<Double> trainAcc, List<Double> testAcc) throws IOException {
        Path modelFile = out.resolve("lenet5.safetensors"), checkpointFile = out.resolve("lenet5-checkpoint.safetensors");
        Path curveFile = out.resolve("curves.png");
        SafeTensors.save(model.stateDict(), modelFile);
        Checkpoints.save(checkpointFile, new Checkpoints.Checkpoint(model.stateDict(), opt.stateDict(), epochs,
                Map.of("model", "LeNet-5", "test_accuracy", String.format(Locale.ROOT, "%.4f", testAccuracy))));
        boolean desktop = ModuleLayer.boot().findModule("java.desktop").isPresent();
        if (desktop) Curves.write(curveFile, lossCurve, trainAcc, testAcc);
        o.println("model:      " + modelFile + "  (the weights alone; PyTorch: model.load_state_dict("
                + "safetensors.torch.load_file(\"" + modelFile.getFileName() + "\")); grad4j: model.loadStateDict(SafeTensors.load(path)))");
        o.println("checkpoint: " + checkpointFile + "  (weights + optimizer state + epoch, to resume training: Checkpoints.load(path))");
        if (desktop) o.println("curves:     " + curveFile + "  (loss, and train/test accuracy in %, per epoch)");
        else o.println("curves:     not written: this Java runtime has no java.desktop module (the PNG needs it)");
        return new Path[]{modelFile, checkpointFile, desktop ? curveFile : null};
    }

    /** The progress bar of one epoch: drawn only on a terminal and without --no-progress. */
    private ProgressLine progressLine(int epoch, int total, long startNanos) {
        boolean draw = !noProgress && ProgressLine.terminal();
        return new ProgressLine(String.format(Locale.ROOT, "epoch %2d/%d", epoch, epochs), total, draw ? System.out : null, startNanos);
    }

    /** --device as a Device; a malformed one is a usage error (picocli prints it with the usage). */
    private Device device() {
        try {
            return Device.of(device);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--device: " + e.getMessage());
        }
    }

    /** Why the demo cannot run on {@code dev} (one line, with the fix), or null when it can. */
    static String deviceProblem(Device dev) {
        if (dev.isCpu()) return null;
        if (!Device.cudaIsAvailable()) {
            return "no CUDA device or driver was found (libcuda.so.1 could not be loaded, or it reports no device). Fix: run on a"
                    + " machine with an NVIDIA GPU and its driver installed, or use --device cpu";
        }
        if (dev.index() >= Device.cudaDeviceCount()) {
            return "there is no " + dev + ": the driver reports " + Device.cudaDeviceCount() + " CUDA device(s). Fix: use --device cuda:0";
        }
        return null;
    }

    /** Confusion matrix [true class][predicted class] on a loader, under no_grad in eval mode. */
    static int[][] evaluate(Module model, DataLoader<Tensor[], Tensor[]> loader, Device dev) {
        model.eval();
        int[][] m = new int[10][10];
        try (var g = Autograd.noGrad()) {
            for (Tensor[] batch : loader) {
                long[] pred = model.forward(batch[0].to(dev)).argmax(1, false).toLongArray();
                long[] y = batch[1].toLongArray();
                for (int i = 0; i < y.length; i++) m[(int) y[i]][(int) pred[i]]++;
            }
        }
        return m;
    }

    static double accuracy(int[][] m) {
        long ok = 0, all = 0;
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m[i].length; j++) {
            all += m[i][j];
            if (i == j) ok += m[i][j];
        }
        return all == 0 ? 0 : (double) ok / all;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Demo()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
