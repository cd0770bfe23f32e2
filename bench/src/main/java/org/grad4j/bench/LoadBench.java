package org.grad4j.bench;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.io.SafeTensors;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The model-file rows ({@code --only load}), grad4j only: a 1 GiB safetensors file (16 float32
 * tensors of 64 MiB) read by {@code SafeTensors.load} (into tensors of the default storage) and
 * mapped by {@code SafeTensors.loadMapped}. Each reports the time to return, the Java heap it
 * grew by, and the resident memory the process grew by (the bench JVM pre-touches its heap, so
 * resident growth is native memory: copies off the heap, or mapped pages once touched). The mapped
 * row also reports the time and resident growth of touching one tensor ({@code sum()}).
 */
final class LoadBench {
    private static final int TENSORS = 16, ELEMENTS = 1 << 24;   // 16 x 64 MiB of float32 = 1 GiB

    private final Timing timing;
    private final String config;
    private final Consumer<Result> sink;

    LoadBench(Timing timing, String config, Consumer<Result> sink) {
        this.timing = timing;
        this.config = config;
        this.sink = sink;
    }

    static boolean any(Set<String> only) {
        for (String w : only) if (w.startsWith("load-")) return true;
        return false;
    }

    void run(Set<String> only) throws Exception {
        Path dir = Files.createTempDirectory("grad4j-load-bench");
        Path file = dir.resolve("model-1g.safetensors");
        try {
            write(file);
            int reps = Math.max(2, timing.reps);
            if (only.contains("load-mapped-1G")) measure("load-mapped-1G", file, reps, true);
            if (only.contains("load-heap-1G")) measure("load-heap-1G", file, reps, false);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static void write(Path file) throws Exception {
        Map<String, Tensor> m = new LinkedHashMap<>();
        float[] data = new float[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) data[i] = i % 1000;
        Tensor t = Grad4j.fromArray(data, ELEMENTS);
        for (int i = 0; i < TENSORS; i++) m.put("layer" + i + ".weight", t);
        SafeTensors.save(m, file);
    }

    private void measure(String workload, Path file, int reps, boolean mapped) throws Exception {
        double[] ms = new double[reps], heapMb = new double[reps], rssMb = new double[reps];
        double touchMs = 0, touchRssMb = 0;
        for (int r = 0; r < reps; r++) {
            settle();
            long heap0 = usedHeap(), rss0 = rssBytes();
            long t0 = System.nanoTime();
            Map<String, Tensor> loaded = mapped ? SafeTensors.loadMapped(file) : SafeTensors.load(file);
            ms[r] = (System.nanoTime() - t0) / 1e6;
            heapMb[r] = (usedHeap() - heap0) / 1048576.0;
            rssMb[r] = (rssBytes() - rss0) / 1048576.0;
            if (mapped) {
                long rss1 = rssBytes(), t1 = System.nanoTime();
                double s = loaded.get("layer0.weight").sum().item();
                touchMs = (System.nanoTime() - t1) / 1e6;
                touchRssMb = (rssBytes() - rss1) / 1048576.0;
                if (s <= 0) throw new IllegalStateException("mapped tensor reads as zeros");
            }
            loaded = null;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        String extra = String.format(Locale.ROOT, "heap=+%.1fMB rss=+%.1fMB", median(heapMb), median(rssMb))
                + (mapped ? String.format(Locale.ROOT, " touch-one-64MB=%.1fms rss=+%.1fMB", touchMs, touchRssMb) : "");
        sink.accept(new Result(workload, "grad4j", config, median(ms), "ms", median(ms) / 1e3, sorted[0] / 1e3,
                sorted[reps - 1] / 1e3, extra));
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Lets earlier repetitions' tensors (and their mappings or native copies) go before measuring. */
    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    private static long usedHeap() { return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(); }

    /** Resident set size from /proc/self/status (Linux); 0 elsewhere. */
    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
