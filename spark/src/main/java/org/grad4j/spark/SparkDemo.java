package org.grad4j.spark;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.grad4j.examples.DataParallelDemo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo's data-parallel training launched by Spark: {@code ./grad4j demo --spark 'local[2]' --epochs 1}
 * trains LeNet-5 on {@code local[2]}'s two task slots through {@link Grad4jDistributor} and writes the same
 * plain model file, bit for bit, as {@code ./grad4j demo --nproc 2} and {@code --accumulate 2}. On a cluster:
 * {@code spark-submit --class org.grad4j.spark.SparkDemo ... --num-processes 4} (docs/distributed.md).
 */
@Command(name = "demo --spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the demo's LeNet-5 data-parallel as a Spark barrier stage (Grad4jDistributor).")
public final class SparkDemo implements Callable<Integer> {
    @Option(names = "--spark", description = "Spark master, e.g. local[2]; empty under spark-submit (its --master counts).")
    String master = "";

    @Option(names = "--num-processes", description = "Ranks (barrier tasks); default: N of local[N], else 2.")
    Integer numProcesses;

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 12;

    @Option(names = "--batch-size", description = "Global mini-batch size, split over the ranks (default: ${DEFAULT-VALUE}).")
    int batchSize = 64;

    @Option(names = "--lr", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 0.01;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum = 0.9;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--workers", description = "DataLoader worker threads per rank (default: ${DEFAULT-VALUE}).")
    int workers = 1;

    @Option(names = "--data", description = "MNIST directory (default: the shipped digits); must exist on every executor.")
    String data;

    @Option(names = "--out", description = "Output folder, written by rank 0's executor (default: ${DEFAULT-VALUE}).")
    String out = "demo-output";

    @Option(names = "--resume", description = "Continue from <out>/checkpoint.safetensors.")
    boolean resume;

    private static final Pattern LOCAL_N = Pattern.compile("local\\[(\\d+)(,\\d+)?]");

    @Override
    public Integer call() {
        var builder = SparkSession.builder().appName("grad4j demo");
        if (!master.isEmpty()) builder.master(master);
        SparkSession spark = builder.getOrCreate();
        try {
            int n = numProcesses != null ? numProcesses : defaultRanks(spark.sparkContext().master());
            // Path is not serializable: the closure carries plain values and rebuilds the config per rank
            int e = epochs, b = batchSize, w = workers;
            double l = lr, m = momentum;
            long s = seed;
            String d = data, o = out;
            boolean r = resume;
            Double acc = Grad4jDistributor.run(spark, n, pg -> DataParallelDemo.train(pg, new DataParallelDemo.Config(
                    e, b, l, m, s, d == null ? null : Path.of(d), Path.of(o), r, w), System.out).testAccuracy());
            System.out.printf(Locale.ROOT, "spark (%s, %d ranks): rank 0's test accuracy %.2f%%%n", spark.sparkContext().master(), n, 100 * acc);
            return 0;
        } finally {
            spark.stop();
        }
    }

    static int defaultRanks(String master) {
        Matcher mm = LOCAL_N.matcher(master);
        return mm.matches() ? Integer.parseInt(mm.group(1)) : 2;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkDemo()).execute(args));
    }
}
