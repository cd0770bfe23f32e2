package org.grad4j.cuda;

import org.grad4j.Device;
import org.grad4j.Tensor;
import org.grad4j.kernels.Backend;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.ReduceKernels;
import org.grad4j.kernels.UnaryOp;
import org.grad4j.nn.Module;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;
import org.grad4j.storage.CudaStorage;
import org.grad4j.storage.DType;
import org.grad4j.storage.Strided;
import org.grad4j.storage.internal.CudaMemoryAccess;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.grad4j.Grad4j.*;

/**
 * {@code ./grad4j bench --device cuda[:i] [--quick] [--no-torch]}: grad4j's GPU rows against the device's
 * physical limits measured in the same run (cuBLAS SGEMM GFLOP/s with TF32 off, device-to-device copy GB/s
 * counting bytes read and written) and, when {@code python3 -c 'import torch'} works there, against torch on
 * the same device in the same run ({@code torch_cuda_bench.py}, a subprocess printing the same rows):
 * <pre>
 * LIMIT cuda-sgemm-8192 device=cuda:0 value=51234.5 unit=GFLOP/s
 * RATIO cuda-add-16M device=cuda:0 grad4j=3512.2 limit=3901.0 ratio=0.900 unit=GB/s
 * RATIO cuda-add-16M device=cuda:0 grad4j=3512.2 torch=3498.7 speedup=1.004 unit=GB/s
 * </pre>
 * It lives in org.grad4j.cuda (in the bench jar, on the class path) to time the kernel families and the
 * driver directly, below the tensor API, without making them public in core. Written, never run on a GPU.
 */
public final class GpuBench {
    private GpuBench() {}

    /** The rows' workloads, in report order. */
    public static List<String> workloads(boolean quick) {
        List<String> w = new ArrayList<>();
        for (int n : quick ? new int[]{1024, 4096} : new int[]{1024, 2048, 4096, 8192}) w.add("cuda-matmul-" + n);
        for (int n : quick ? new int[]{1024} : new int[]{1024, 4096}) w.add("cuda-matmul-own-" + n);
        for (String op : new String[]{"add", "exp", "sum"}) for (String s : quick ? new String[]{"16M"} : new String[]{"16M", "64M", "256M"}) w.add("cuda-" + op + "-" + s);
        for (String m : new String[]{"mlp", "lenet"}) for (int b : new int[]{64, 1024}) w.add("cuda-" + m + "-" + b);
        return w;
    }

    /** Runs the GPU bench on {@code spec} ("cuda" or "cuda:i"); returns the exit code (1 without a device). */
    public static int run(String spec, boolean quick, boolean torch, PrintStream out, PrintStream err) {
        Device dev;
        try {
            dev = Device.of(spec);
        } catch (IllegalArgumentException e) {
            err.println("bench: --device " + spec + ": " + e.getMessage());
            return 1;
        }
        if (dev.isCpu()) throw new IllegalArgumentException("GpuBench runs on cuda devices; the CPU bench is BenchMain's");
        if (!Cuda.isAvailable()) {
            err.println("bench: --device " + spec + ": no CUDA device or driver was found (" + firstLine(Cuda.describe())
                    + "). Fix: run on a machine with an NVIDIA GPU and its driver, or drop --device for the CPU bench");
            return 1;
        }
        if (dev.index() >= Cuda.deviceCount()) {
            err.println("bench: --device " + spec + ": the driver reports " + Cuda.deviceCount() + " device(s). Fix: use cuda:0");
            return 1;
        }
        int d = dev.index();
        double budget = quick ? 0.1 : 0.4;
        err.println("bench: " + Cuda.deviceName(d) + ", " + Cuda.describe());
        double peak = sgemmPeak(d, budget), copy = copyBandwidth(d, budget);
        out.println(limitLine("cuda-sgemm-8192", dev, peak, "GFLOP/s"));
        out.println(limitLine("cuda-d2d-copy-1G", dev, copy, "GB/s"));
        Map<String, Double> mine = new LinkedHashMap<>();
        for (String w : workloads(quick)) {
            try {
                mine.put(w, measure(w, d, budget));
            } catch (RuntimeException | Error e) {
                out.println("SKIP " + w + " device=" + dev + ": " + firstLine(String.valueOf(e.getMessage())));
            }
        }
        Map<String, Double> theirs = torch ? TorchCuda.run(dev.toString(), quick, err) : Map.of();
        for (var e : mine.entrySet()) {
            String w = e.getKey();
            out.println(ratioLine(w, dev, e.getValue(), "limit", limit(w, peak, copy), "ratio", unit(w)));
            if (theirs.containsKey(w)) out.println(ratioLine(w, dev, e.getValue(), "torch", theirs.get(w), "speedup", unit(w)));
        }
        if (torch && theirs.isEmpty()) out.println("NOTE no torch rows: " + TorchCuda.lastReason);
        return 0;
    }

    static String limitLine(String name, Device dev, double v, String unit) {
        return String.format(Locale.ROOT, "LIMIT %s device=%s value=%s unit=%s", name, dev, fmt(v), unit);
    }

    /** One RATIO line: grad4j's figure against a reference (all figures: higher is better). */
    static String ratioLine(String w, Device dev, double mine, String refName, double ref, String ratioName, String unit) {
        String r = Double.isFinite(mine) && Double.isFinite(ref) && ref > 0 ? String.format(Locale.ROOT, "%.3f", mine / ref) : "NA";
        return String.format(Locale.ROOT, "RATIO %s device=%s grad4j=%s %s=%s %s=%s unit=%s", w, dev, fmt(mine), refName, fmt(ref),
                ratioName, r, unit);
    }

    static String fmt(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "NA"; }

    static String unit(String w) {
        if (w.startsWith("cuda-matmul")) return "GFLOP/s";
        if (w.startsWith("cuda-mlp") || w.startsWith("cuda-lenet")) return "steps/s";
        return "GB/s";
    }

    /** The physical limit a workload is held against: SGEMM peak, copy bandwidth, or steps/s at SGEMM peak. */
    static double limit(String w, double peakGflops, double copyGbps) {
        if (w.startsWith("cuda-matmul")) return peakGflops;
        if (w.startsWith("cuda-mlp") || w.startsWith("cuda-lenet")) return peakGflops * 1e9 / stepFlops(w);
        return copyGbps;
    }

    /** FLOPs of one training step: forward + backward = 3 x the forward's 2 x multiply-adds per sample. */
    static double stepFlops(String w) {
        int batch = Integer.parseInt(w.substring(w.lastIndexOf('-') + 1));
        // MLP 784-256-128-10; LeNet-5: conv 1-6 5x5 on 28x28 (pad 2), conv 6-16 5x5 on 14x14 -> 10x10, fc 400-120-84-10
        double macs = w.startsWith("cuda-mlp") ? 784 * 256 + 256 * 128 + 128 * 10
                : 6 * 28 * 28 * 25 + 16 * 10 * 10 * 150 + 400 * 120 + 120 * 84 + 84 * 10;
        return 6 * macs * batch;
    }

    static long elements(String w) {
        String s = w.substring(w.lastIndexOf('-') + 1);
        return Long.parseLong(s.substring(0, s.length() - 1)) << 20;
    }

    /** Bytes a memory-bound workload reads and writes per run. */
    static double bytesMoved(String w) {
        long n = elements(w);
        if (w.startsWith("cuda-add")) return 12.0 * n;
        if (w.startsWith("cuda-exp")) return 8.0 * n;
        return 4.0 * n;   // sum reads once
    }

    // ---------------------------------------------------------------- measurements

    /** The best of three timed batches of {@code body}, in seconds per run (the device synchronized around each batch). */
    static double seconds(int d, double budget, Runnable body) {
        body.run();
        Cuda.synchronize(d);
        long t0 = System.nanoTime();
        body.run();
        Cuda.synchronize(d);
        double one = Math.max((System.nanoTime() - t0) / 1e9, 1e-6);
        int reps = (int) Math.max(1, Math.min(1000, budget / one));
        double best = Double.MAX_VALUE;
        for (int b = 0; b < 3; b++) {
            long s = System.nanoTime();
            for (int i = 0; i < reps; i++) body.run();
            Cuda.synchronize(d);
            best = Math.min(best, (System.nanoTime() - s) / 1e9 / reps);
        }
        return best;
    }

    static double measure(String w, int d, double budget) {
        if (w.startsWith("cuda-matmul-own-")) return matmul(d, Integer.parseInt(w.substring(16)), budget, false);
        if (w.startsWith("cuda-matmul-")) return matmul(d, Integer.parseInt(w.substring(12)), budget, true);
        if (w.startsWith("cuda-mlp") || w.startsWith("cuda-lenet")) return steps(w, d, budget);
        long n = elements(w);
        var ew = new CudaElementwiseKernels(d, Backend.cpu().elementwise());
        var rd = new CudaReduceKernels(d, Backend.cpu().reduce());
        CudaStorage a = CudaStorage.allocate(DType.FLOAT32, n, d), b = CudaStorage.allocate(DType.FLOAT32, n, d);
        CudaStorage o = CudaStorage.empty(DType.FLOAT32, w.startsWith("cuda-sum") ? 1 : n, d);
        try {
            int[] s = {(int) n}, st = {1};
            Strided va = new Strided(a, s, st, 0), vb = new Strided(b, s, st, 0), vo = new Strided(o, s, st, 0);
            Runnable body = switch (w.substring(5, 8)) {
                case "add" -> () -> ew.binary(BinaryOp.ADD, va, vb, vo);
                case "exp" -> () -> ew.unary(UnaryOp.EXP, va, vo);
                default -> () -> rd.reduce(ReduceKernels.Kind.SUM, va, new boolean[]{true}, o);
            };
            return bytesMoved(w) / seconds(d, budget, body) / 1e9;
        } finally {
            a.release();
            b.release();
            o.release();
        }
    }

    /** GFLOP/s of an n x n float32 product: through the matmul family (cuBLAS when found) or grad4j's own kernel. */
    static double matmul(int d, int n, double budget, boolean family) {
        CudaStorage a = CudaStorage.allocate(DType.FLOAT32, (long) n * n, d), b = CudaStorage.allocate(DType.FLOAT32, (long) n * n, d),
                c = CudaStorage.empty(DType.FLOAT32, (long) n * n, d);
        try {
            Runnable body;
            if (family) {
                var mm = new CudaMatmulKernels(d, Backend.cpu().matmul());
                Strided va = new Strided(a, new int[]{n, n}, new int[]{n, 1}, 0), vb = new Strided(b, new int[]{n, n}, new int[]{n, 1}, 0);
                body = () -> mm.gemm(va, vb, c);
            } else {
                KernelLaunch l = KernelCatalog.gemm(DType.FLOAT32, c.pointer(), a.pointer(), b.pointer(), n, n, n, n, n, n, 0, 0, 0, 1,
                        false, false, 1, 0);
                body = () -> Kernels.launch(d, l.name(), l.gridX(), l.blockX(), l.sharedBytes(), l.args());
            }
            return 2.0 * n * n * n / seconds(d, budget, body) / 1e9;
        } finally {
            a.release();
            b.release();
            c.release();
        }
    }

    /** cuBLAS SGEMM at 8192 (TF32 off): the device's float32 matmul limit; grad4j's own kernel without cuBLAS. */
    static double sgemmPeak(int d, double budget) {
        boolean tf32 = Cuda.allowTf32();
        Cuda.setAllowTf32(false);
        try {
            if (!CuBlas.available()) return matmul(d, 8192, budget, false);
            int n = 8192;
            CudaStorage a = CudaStorage.allocate(DType.FLOAT32, (long) n * n, d), b = CudaStorage.allocate(DType.FLOAT32, (long) n * n, d),
                    c = CudaStorage.empty(DType.FLOAT32, (long) n * n, d);
            try {
                return 2.0 * n * n * n / seconds(d, budget, () -> CuBlas.gemm(d, false, false, n, n, n, 1, a.pointer(), n,
                        b.pointer(), n, 0, c.pointer(), n, DType.FLOAT32)) / 1e9;
            } finally {
                a.release();
                b.release();
                c.release();
            }
        } finally {
            Cuda.setAllowTf32(tf32);
        }
    }

    /** cuMemcpyDtoDAsync of 1 GiB, counting the bytes read and written (as CUDA's bandwidthTest). */
    static double copyBandwidth(int d, double budget) {
        long bytes = 1L << 30;
        CudaStorage a = CudaStorage.allocate(DType.FLOAT32, bytes / 4, d), b = CudaStorage.empty(DType.FLOAT32, bytes / 4, d);
        try {
            CudaMemoryAccess m = CudaMemoryAccess.get();
            return 2.0 * bytes / seconds(d, budget, () -> m.copyDeviceToDevice(d, b.pointer(), a.pointer(), bytes)) / 1e9;
        } finally {
            a.release();
            b.release();
        }
    }

    /** Training steps per second of the bench's MLP or LeNet-5 on the device, through the tensor API (.to(device)). */
    static double steps(String w, int d, double budget) {
        int batch = Integer.parseInt(w.substring(w.lastIndexOf('-') + 1));
        boolean mlp = w.startsWith("cuda-mlp");
        manualSeed(mlp ? 3 : 4);
        Device dev = Device.cuda(d);
        Module net = (mlp ? org.grad4j.bench.BenchModels.mlp() : org.grad4j.bench.BenchModels.lenet()).to(dev);
        Tensor x = (mlp ? randn(batch, 784) : randn(batch, 1, 28, 28)).to(dev), y = randint(0, 10, batch).to(dev);
        SGD opt = new SGD(net.parameters(), new SGD.Options().lr(0.01).momentum(0.9));
        double s = seconds(d, budget, () -> {
            opt.zeroGrad(true);
            F.crossEntropy(net.call(x), y).backward();
            opt.step();
        });
        double loss = F.crossEntropy(net.call(x), y).item();
        if (!Double.isFinite(loss)) throw new IllegalStateException("training step loss is not finite on " + dev + ": " + loss);
        return 1 / s;
    }

    static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

}
