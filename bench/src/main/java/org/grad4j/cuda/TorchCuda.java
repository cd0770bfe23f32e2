package org.grad4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * torch on the same GPU, in the same run: runs {@code torch_cuda_bench.py} (a resource of the bench jar) with
 * {@code python3} when {@code import torch} works and torch sees CUDA, and reads its {@code TORCH <workload> <value>}
 * lines (the same workloads and units as {@link GpuBench}). No python or no torch: no rows, and
 * {@link #lastReason} says why.
 */
final class TorchCuda {
    private TorchCuda() {}

    static volatile String lastReason = "not run";

    static Map<String, Double> run(String device, boolean quick, PrintStream err) {
        try {
            Path script = Files.createTempFile("grad4j-torch-cuda-bench", ".py");
            try (InputStream in = TorchCuda.class.getResourceAsStream("torch_cuda_bench.py")) {
                if (in == null) { lastReason = "torch_cuda_bench.py is missing from the bench jar"; return Map.of(); }
                Files.write(script, in.readAllBytes());
            }
            try {
                ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), "--device", device);
                if (quick) pb.command().add("--quick");
                pb.redirectError(ProcessBuilder.Redirect.INHERIT);
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(600, TimeUnit.SECONDS)) p.destroyForcibly();
                Map<String, Double> rows = parse(out);
                if (rows.isEmpty()) lastReason = out.lines().filter(l -> l.startsWith("NOTORCH")).findFirst()
                        .orElse("python3 " + script.getFileName() + " exited " + p.exitValue() + " without rows");
                return rows;
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            lastReason = "cannot run python3: " + e.getMessage();
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastReason = "interrupted";
            return Map.of();
        }
    }

    /** {@code TORCH <workload> <value>} lines into a map; other lines are ignored. */
    static Map<String, Double> parse(String out) {
        Map<String, Double> rows = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals("TORCH")) {
                try {
                    rows.put(f[1], Double.parseDouble(f[2]));
                } catch (NumberFormatException ignored) {
                    // a malformed row is left out, not fatal
                }
            }
        }
        return rows;
    }
}
