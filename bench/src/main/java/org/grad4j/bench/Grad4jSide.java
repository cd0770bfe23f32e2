package org.grad4j.bench;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.CpuKernels;
import org.grad4j.kernels.UnaryOp;
import org.grad4j.nn.*;
import org.grad4j.nn.Module;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.grad4j.Grad4j.*;

/** The workloads of the peer harness written with grad4j, same shapes and same timed bodies. */
final class Grad4jSide {
    private final Timing timing;
    private final String config;
    private final Consumer<Result> sink;

    Grad4jSide(Timing timing, int threads, Consumer<Result> sink) {
        this.timing = timing;
        this.config = "threads=" + threads;
        this.sink = sink;
        setNumThreads(threads);
    }

    private void emit(String w, double value, String unit, Timing.Stats st, String extra) {
        sink.accept(new Result(w, "grad4j", config, value, unit, st.median(), st.min(), st.max(), extra));
    }

    void run(Set<String> only) throws Exception {
        if (only.contains("overhead-fwdbwd") || only.contains("overhead-nograd") || only.contains("overhead-fwdbwd-checked")) {
            perOp(only);
        }
        for (int n : Workloads.MATMUL_SIZES) if (only.contains("matmul-" + n)) matmul(n);
        for (int n : new int[]{Workloads.M1, Workloads.M16}) elementwise(n, only);
        for (int n : new int[]{Workloads.M1, Workloads.M16}) {
            if (!only.contains("sum-" + Workloads.sizeName(n))) continue;
            manualSeed(6);
            Tensor a = randn(n);
            Timing.Stats st = timing.measure(() -> a.sum());
            emit("sum-" + Workloads.sizeName(n), 4.0 * n / st.median() / 1e9, "GB/s", st, "");
        }
        if (only.contains("mlp")) mlp("mlp");
        if (only.contains("mlp-checked")) {
            double base = mlp(null);
            checked(() -> mlp("mlp-checked unchecked=" + String.format(java.util.Locale.ROOT, "%.6g", base)));
        }
        if (only.contains("lenet")) lenet();
        if (DdpBench.any(only)) new DdpBench(timing, config, sink).run(only);
        if (LoadBench.any(only)) new LoadBench(timing, config, sink).run(only);
    }

    private static Tensor chain(Tensor x, Tensor w, Tensor b) {
        Tensor y = x;
        for (int k = 0; k < Workloads.CHAIN_BLOCKS; k++) y = y.mul(w).add(b).tanh();
        return y.sum();
    }

    private void perOp(Set<String> only) throws Exception {
        manualSeed(1);
        Tensor x = randn(16).requiresGrad_();
        Tensor w = randn(16).mul(0.5).detach().requiresGrad_();
        Tensor b = randn(16).mul(0.1).detach().requiresGrad_();
        Timing.Body fwdBwd = () -> {
            chain(x, w, b).backward();
            x.setGrad(null);
            w.setGrad(null);
            b.setGrad(null);
        };
        if (only.contains("overhead-fwdbwd")) {
            Timing.Stats st = timing.measure(fwdBwd);
            emit("overhead-fwdbwd", st.median() / Workloads.CHAIN_OPS * 1e6, "us/op", st, "");
        }
        if (only.contains("overhead-fwdbwd-checked")) {
            // the unchecked figure is taken again right before, so that load drift and JIT state do not skew the ratio
            double base = timing.measure(fwdBwd).median() / Workloads.CHAIN_OPS * 1e6;
            checked(() -> {
                Timing.Stats st = timing.measure(fwdBwd);
                emit("overhead-fwdbwd-checked", st.median() / Workloads.CHAIN_OPS * 1e6, "us/op", st,
                        String.format(java.util.Locale.ROOT, "unchecked=%.6g", base));
            });
        }
        if (only.contains("overhead-nograd")) {
            Timing.Stats st;
            try (var g = Autograd.noGrad()) {
                st = timing.measure(() -> chain(x, w, b));
            }
            emit("overhead-nograd", st.median() / Workloads.CHAIN_OPS * 1e6, "us/op", st, "");
        }
    }

    private void matmul(int n) throws Exception {
        manualSeed(2);
        Tensor a = randn(n, n), b = randn(n, n);
        Timing.Stats st;
        try (var g = Autograd.noGrad()) {
            st = timing.measure(() -> a.mm(b));
        }
        emit("matmul-" + n, 2.0 * n * n * n / st.median() / 1e9, "GFLOP/s", st, "");
    }

    private void elementwise(int n, Set<String> only) throws Exception {
        String sz = Workloads.sizeName(n);
        manualSeed(5);
        Tensor a = randn(n), b = randn(n), c = empty(n);
        int[] shape = {n}, st1 = {1};
        try (var g = Autograd.noGrad()) {
            if (only.contains("add-" + sz + "-out")) {
                // grad4j has no out= overloads yet: the kernel call is what add(a, b, out=c) would run
                Timing.Stats st = timing.measure(() -> CpuKernels.binary(BinaryOp.ADD, shape, a.storage(), st1, 0,
                        b.storage(), st1, 0, c.storage(), st1, 0));
                emit("add-" + sz + "-out", 12.0 * n / st.median() / 1e9, "GB/s", st, "");
            }
            if (only.contains("add-" + sz)) {
                Timing.Stats st = timing.measure(() -> a.add(b));
                emit("add-" + sz, 12.0 * n / st.median() / 1e9, "GB/s", st, "");
            }
            if (only.contains("exp-" + sz + "-out")) {
                Timing.Stats st = timing.measure(() -> CpuKernels.unary(UnaryOp.EXP, shape, a.storage(), st1, 0,
                        c.storage(), st1, 0));
                emit("exp-" + sz + "-out", 8.0 * n / st.median() / 1e9, "GB/s", st, "");
            }
            if (only.contains("exp-" + sz)) {
                Timing.Stats st = timing.measure(() -> a.exp());
                emit("exp-" + sz, 8.0 * n / st.median() / 1e9, "GB/s", st, "");
            }
        }
    }

    /** Bytes allocated by this thread per body, over {@code iters} bodies after warm-up. */
    private static double allocPerBody(Timing.Body body, int iters) throws Exception {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long a0 = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < iters; i++) body.run();
        return (double) (mx.getThreadAllocatedBytes(tid) - a0) / iters;
    }

    private double trainStep(String name, Tensor x, Tensor y, Module net) throws Exception {
        SGD opt = new SGD(net.parameters(), new SGD.Options().lr(0.01).momentum(0.9));
        Timing.Body step = () -> {
            opt.zeroGrad(true);
            Tensor loss = F.crossEntropy(net.call(x), y);
            loss.backward();
            opt.step();
        };
        Timing.Stats st = timing.measure(step);
        double bytes = allocPerBody(step, 20);
        double loss = F.crossEntropy(net.call(x), y).item();
        if (!Double.isFinite(loss)) throw new IllegalStateException("training step loss is not finite: " + loss);
        if (name != null) {
            String[] ne = name.split(" ", 2);
            emit(ne[0], 1.0 / st.median(), "steps/s", st, (ne.length > 1 ? ne[1] + " " : "")
                    + String.format(java.util.Locale.ROOT, "alloc_bytes_per_step=%.0f", bytes));
        }
        return 1.0 / st.median();
    }

    /** The peer's MLP: 784-256-128-10 with ReLU, batch 64. */
    static Module mlpNet() {
        return new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
    }

    /** The peer's LeNet-5: conv(1-6, 5, pad 2)-relu-pool-conv(6-16, 5)-relu-pool-400-120-84-10. */
    static Module lenetNet() {
        return new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
    }

    /** The MLP step; name null: measured, not reported ("name extra": the extra goes to the result). */
    private double mlp(String name) throws Exception {
        manualSeed(3);
        Module net = mlpNet();
        return trainStep(name, randn(64, 784), randint(0, 10, 64), net);
    }

    /** Runs a measurement with the NaN/Inf check mode (Autograd.setDetectNonFinite) on. */
    private static void checked(Timing.Body body) throws Exception {
        Autograd.setDetectNonFinite(true);
        try {
            body.run();
        } finally {
            Autograd.setDetectNonFinite(false);
        }
    }

    private void lenet() throws Exception {
        manualSeed(4);
        Module net = lenetNet();
        trainStep("lenet", randn(64, 1, 28, 28), randint(0, 10, 64), net);
    }
}
