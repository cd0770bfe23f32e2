package org.grad4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./grad4j bench [--quick] [--only w1,w2] [--threads 1,2] [--out file.json] [--no-torch]}:
 * measures grad4j and libtorch on the same workloads in one invocation, one fresh JVM per
 * (library, thread configuration), and prints one line per workload and thread count:
 * <pre>RATIO matmul-512 threads=1 grad4j=95.1 libtorch=94.0 speedup=1.012</pre>
 * speedup &gt; 1 means grad4j is faster (for us/op figures it is libtorch/grad4j). At 2 threads
 * libtorch is measured in its three 2-core configurations (torch 2 + OpenBLAS 2, torch 2 +
 * OpenBLAS 1, torch 1 + OpenBLAS 2) and the best one per workload is the reference, as the peer
 * harness recommends.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Throwable {
        boolean quick = false, torch = true;
        String only = null, child = null, cfg = null, threadsArg = "1,2", device = "cpu";
        Path part = null, out = Path.of("bench/results/latest.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = args[++i];
                case "--threads" -> threadsArg = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--no-torch" -> torch = false;
                case "--child" -> child = args[++i];
                case "--cfg" -> cfg = args[++i];
                case "--part" -> part = Path.of(args[++i]);
                case "--device" -> device = args[++i];
                case "-h", "--help" -> {
                    System.out.println("usage: ./grad4j bench [--quick] [--only w1,w2,...] [--threads 1,2] [--out file.json] [--no-torch]\n"
                            + "       ./grad4j bench --device cuda[:i] [--quick] [--no-torch]   (GPU rows: docs/cuda.md)\n"
                            + "workloads: " + Workloads.all() + "\ncuda workloads: " + org.grad4j.cuda.GpuBench.workloads(false));
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
            }
        }
        if (!device.equalsIgnoreCase("cpu")) {   // the GPU rows run in this JVM, against the device's limits and python torch
            System.exit(org.grad4j.cuda.GpuBench.run(device, quick, torch, System.out, System.err));
        }
        Set<String> selected = Workloads.select(only);
        Timing timing = quick ? Timing.quick() : Timing.full();
        if (child != null) {
            runChild(child, cfg, timing, selected, part);
            return;
        }
        long t0 = System.nanoTime();
        List<Result> results = new ArrayList<>();
        List<Integer> threadCounts = new ArrayList<>();
        for (String t : threadsArg.split(",")) threadCounts.add(Integer.parseInt(t.trim()));
        // grad4j and libtorch back to back per thread count: on a shared machine the load drifts, and
        // measurements close in time make fairer ratios
        for (int t : threadCounts) {
            results.addAll(spawn("grad4j", Integer.toString(t), quick, only));
            boolean torchWork = selected.stream().anyMatch(w -> !w.startsWith("ddp-") && !w.startsWith("load-") && !Workloads.isChecked(w));
            if (torch && torchWork) for (String c : torchConfigs(t, quick)) results.addAll(spawn("torch", c, quick, only));
        }
        List<Row> rows = merge(results, selected, threadCounts);
        for (Row r : rows) System.out.println(r.line());
        writeJson(out, rows, results, quick, (System.nanoTime() - t0) / 1e9);
        System.err.println("bench: wrote " + out.toAbsolutePath());
    }

    /**
     * libtorch configurations that use {@code t} cores (see the peer harness's README). {@code --quick}
     * skips torch 2 + OpenBLAS 2, whose two spinning pools fight on 2 vCPUs (never the best for the
     * training steps; the mixed configurations reach the same GEMM speed).
     */
    static List<String> torchConfigs(int t, boolean quick) {
        if (t == 1) return List.of("1");
        if (t == 2) return quick ? List.of("2b1", "1b2") : List.of("2", "2b1", "1b2");
        return List.of(Integer.toString(t));
    }

    private static void runChild(String side, String cfg, Timing timing, Set<String> selected, Path part) throws Throwable {
        List<Result> got = new ArrayList<>();
        java.util.function.Consumer<Result> sink = r -> {
            got.add(r);
            System.err.printf(Locale.ROOT, "  [%s %s] %-16s %10s %-8s %s%n", r.side(), r.config(), r.workload(),
                    Result.fmt(r.value()), r.unit(), r.extra());
        };
        if (side.equals("grad4j")) {
            // One unmeasured pass first: C2 compiles the Vector API kernels slowly on a busy 2-vCPU box
            // (seconds, not the 0.3 s of one workload's warm-up), and later workloads reuse those kernels.
            new Grad4jSide(Timing.jitWarmup(), Integer.parseInt(cfg), r -> { })
                    .run(selected.stream().filter(w -> !w.startsWith("load-")).collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
            awaitJitQuiet();
            new Grad4jSide(timing, Integer.parseInt(cfg), sink).run(selected);
        }
        else {
            new TorchSide(timing, cfg, sink).run(selected);
        }
        StringBuilder sb = new StringBuilder();
        for (Result r : got) sb.append(r.toLine()).append('\n');
        org.grad4j.io.AtomicFiles.writeString(part, sb.toString());
    }

    /** Waits (at most 8 s) until the JIT compiler has been idle for 300 ms, so it does not share the cores with a measurement. */
    private static void awaitJitQuiet() throws InterruptedException {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long deadline = System.nanoTime() + 8_000_000_000L, last = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(300);
            long now = jit.getTotalCompilationTime();
            if (now == last) return;
            last = now;
        }
    }

    private static List<Result> spawn(String side, String cfg, boolean quick, String only) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        if (side.equals("grad4j")) {
            // the flags ./grad4j uses for grad4j programs; the last one drops the Vector API's per-load
            // bounds checks, which C2 does not hoist out of the GEMM micro-kernel (2.5x slower with them)
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xms3g", "-Xmx3g", "-Xmn1536m", "-XX:+AlwaysPreTouch", "-Xss4m",
                    "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"));
            // with the pre-touched fixed heap, huge pages make fresh (zeroed) tensor memory cheaper to
            // touch (add-1M with a new output 28 -> 33 GB/s); the flag exists on Linux only
            if (System.getProperty("os.name", "").startsWith("Linux")) cmd.add("-XX:+UseTransparentHugePages");
        } else {
            cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Dorg.bytedeco.javacpp.nopointergc=true", "-Xmx2g"));
        }
        Path part = Files.createTempFile("grad4j-bench-" + side + "-" + cfg, ".tsv");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchMain.class.getName(),
                "--child", side, "--cfg", cfg, "--part", part.toString()));
        if (quick) cmd.add("--quick");
        if (only != null) cmd.addAll(List.of("--only", only));
        System.err.println("bench: " + side + " " + cfg + " (fresh JVM)");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int rc = p.waitFor();
        List<Result> rs = new ArrayList<>();
        if (rc != 0) {
            System.err.println("bench: " + side + " " + cfg + " failed with exit code " + rc + "; its figures are NA");
        } else {
            for (String line : Files.readAllLines(part)) if (!line.isBlank()) rs.add(Result.parse(line));
        }
        Files.deleteIfExists(part);
        return rs;
    }

    /** One output line: grad4j and the (best) libtorch figure for a workload at a thread count. */
    record Row(String workload, int threads, String unit, double grad4j, double libtorch, String torchConfig,
               String grad4jExtra, double unchecked) {
        double speedup() {
            if (Double.isNaN(grad4j) || Double.isNaN(libtorch)) return Double.NaN;
            return unit.startsWith("us/") ? libtorch / grad4j : grad4j / libtorch;
        }

        /** Checked workloads: time with the NaN/Inf check over time without it. */
        double overhead() {
            if (Double.isNaN(grad4j) || Double.isNaN(unchecked)) return Double.NaN;
            return unit.startsWith("us/") ? grad4j / unchecked : unchecked / grad4j;
        }

        String line() {
            if (workload.startsWith("load-")) {
                return String.format(Locale.ROOT, "LOAD %s grad4j=%s %s %s", workload, Result.fmt(grad4j), unit, grad4jExtra).trim();
            }
            if (workload.startsWith("ddp-")) {
                return String.format(Locale.ROOT, "DDP %s threads=%d grad4j=%s %s %s", workload, threads, Result.fmt(grad4j), unit,
                        grad4jExtra).trim();
            }
            if (Workloads.isChecked(workload)) {
                return String.format(Locale.ROOT, "CHECK %s threads=%d grad4j=%s unchecked=%s overhead=%s", workload, threads,
                        Result.fmt(grad4j), Result.fmt(unchecked),
                        Double.isNaN(overhead()) ? "NA" : String.format(Locale.ROOT, "%.3f", overhead()));
            }
            return String.format(Locale.ROOT, "RATIO %s threads=%d grad4j=%s libtorch=%s speedup=%s", workload, threads,
                    Result.fmt(grad4j), Result.fmt(libtorch), Double.isNaN(speedup()) ? "NA"
                            : String.format(Locale.ROOT, "%.3f", speedup()));
        }
    }

    static List<Row> merge(List<Result> results, Set<String> selected, List<Integer> threadCounts) {
        List<Row> rows = new ArrayList<>();
        for (String w : selected) {
            for (int t : threadCounts) {
                Result g = null, best = null;
                for (Result r : results) {
                    if (!r.workload().equals(w)) continue;
                    if (r.side().equals("grad4j") && r.config().equals("threads=" + t)) g = r;
                    if (r.side().equals("libtorch") && usesThreads(r.config(), t)) {
                        boolean better = best == null
                                || (r.lowerIsBetter() ? r.value() < best.value() : r.value() > best.value());
                        if (better) best = r;
                    }
                }
                String unit = g != null ? g.unit() : best != null ? best.unit() : "";
                double unchecked = Double.NaN;
                java.util.regex.Matcher um = g == null ? null : java.util.regex.Pattern.compile("unchecked=([0-9.eE+-]+)").matcher(g.extra());
                if (um != null && um.find()) {
                    unchecked = Double.parseDouble(um.group(1));     // measured in the same run, just before
                } else if (Workloads.isChecked(w)) {
                    String base = w.substring(0, w.length() - Workloads.CHECKED.length());
                    for (Result r : results) {
                        if (r.workload().equals(base) && r.side().equals("grad4j") && r.config().equals("threads=" + t)) {
                            unchecked = r.value();
                        }
                    }
                }
                rows.add(new Row(w, t, unit, g == null ? Double.NaN : g.value(), best == null ? Double.NaN : best.value(),
                        best == null ? "" : best.config(), g == null ? "" : g.extra(), unchecked));
            }
        }
        return rows;
    }

    private static boolean usesThreads(String torchConfig, int t) {
        if (t == 1) return torchConfig.equals("T=1");
        return !torchConfig.equals("T=1");
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.6g", v);
    }

    static void writeJson(Path out, List<Row> rows, List<Result> results, boolean quick, double wallSec) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("mode", quick ? "quick" : "full");
        env.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("cpu", cpuModel());
        env.put("libtorch", "org.bytedeco:pytorch:2.5.1-1.5.11 (CPU, linux-x86_64)");
        env.put("wall_seconds", String.format(Locale.ROOT, "%.1f", wallSec));
        StringBuilder sb = new StringBuilder("{\n  \"environment\": {");
        int i = 0;
        for (var e : env.entrySet()) sb.append(i++ == 0 ? "\n" : ",\n").append("    ").append(q(e.getKey())).append(": ").append(q(e.getValue()));
        sb.append("\n  },\n  \"ratios\": [");
        i = 0;
        for (Row r : rows) {
            sb.append(i++ == 0 ? "\n" : ",\n").append("    {\"workload\": ").append(q(r.workload()))
                    .append(", \"threads\": ").append(r.threads()).append(", \"unit\": ").append(q(r.unit()))
                    .append(", \"grad4j\": ").append(num(r.grad4j())).append(", \"libtorch\": ").append(num(r.libtorch()))
                    .append(", \"libtorch_config\": ").append(q(r.torchConfig()))
                    .append(", \"speedup\": ").append(num(r.speedup()))
                    .append(", \"grad4j_extra\": ").append(q(r.grad4jExtra())).append("}");
        }
        sb.append("\n  ],\n  \"measurements\": [");
        i = 0;
        for (Result r : results) {
            sb.append(i++ == 0 ? "\n" : ",\n").append("    {\"workload\": ").append(q(r.workload()))
                    .append(", \"side\": ").append(q(r.side())).append(", \"config\": ").append(q(r.config()))
                    .append(", \"value\": ").append(num(r.value())).append(", \"unit\": ").append(q(r.unit()))
                    .append(", \"median_s\": ").append(num(r.medianSec())).append(", \"min_s\": ").append(num(r.minSec()))
                    .append(", \"max_s\": ").append(num(r.maxSec())).append(", \"extra\": ").append(q(r.extra())).append("}");
        }
        sb.append("\n  ]\n}\n");
        if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
        org.grad4j.io.AtomicFiles.writeString(out, sb.toString());
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.split(":", 2)[1].trim();
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "?";
    }
}
