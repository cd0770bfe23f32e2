package org.grad4j.bench;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import java.util.Set;
import java.util.function.Consumer;

import static org.bytedeco.pytorch.global.torch.*;

/**
 * The peer: the same workloads on real libtorch 2.5.1 (CPU) through the JavaCPP presets, as the
 * harness in ../shared/peers/libtorch defines them. Every temporary is freed deterministically
 * (PointerScope or close()), and the JVM runs with -Dorg.bytedeco.javacpp.nopointergc=true, so
 * per-op figures do not include JavaCPP's GC bookkeeping.
 */
final class TorchSide {
    private final Timing timing;
    private final String config;
    private final Consumer<Result> sink;

    /** {@code cfg}: "1", "2", "2b1" (torch 2 threads, OpenBLAS 1) or "1b2". */
    TorchSide(Timing timing, String cfg, Consumer<Result> sink) throws Throwable {
        this.timing = timing;
        this.sink = sink;
        Loader.load(org.bytedeco.pytorch.global.torch.class);
        String[] p = cfg.split("b");
        int torch = Integer.parseInt(p[0]), blas = p.length > 1 ? Integer.parseInt(p[1]) : torch;
        set_num_threads(torch);
        BlasThreads.set(blas);
        this.config = torch == blas ? "T=" + torch : "T=" + torch + ",BLAS=" + blas;
    }

    private void emit(String w, double value, String unit, Timing.Stats st) {
        sink.accept(new Result(w, "libtorch", config, value, unit, st.median(), st.min(), st.max(), ""));
    }

    void run(Set<String> only) throws Exception {
        if (only.contains("overhead-fwdbwd") || only.contains("overhead-nograd")) perOp(only);
        for (int n : Workloads.MATMUL_SIZES) if (only.contains("matmul-" + n)) matmul(n);
        for (int n : new int[]{Workloads.M1, Workloads.M16}) elementwise(n, only);
        for (int n : new int[]{Workloads.M1, Workloads.M16}) {
            if (!only.contains("sum-" + Workloads.sizeName(n))) continue;
            try (NoGradGuard g = new NoGradGuard()) {
                manual_seed(6);
                Tensor a = randn(n);
                Timing.Stats st = timing.measure(() -> a.sum().close());
                emit("sum-" + Workloads.sizeName(n), 4.0 * n / st.median() / 1e9, "GB/s", st);
                a.close();
            }
        }
        if (only.contains("mlp")) mlp();
        if (only.contains("lenet")) lenet();
    }

    private static void chain(Tensor x, Tensor w, Tensor b, boolean backward) {
        try (PointerScope s = new PointerScope()) {
            Tensor y = x;
            for (int k = 0; k < Workloads.CHAIN_BLOCKS; k++) y = y.mul(w).add(b).tanh();
            Tensor sum = y.sum();
            if (backward) {
                sum.backward();
                x.mutable_grad().reset();
                w.mutable_grad().reset();
                b.mutable_grad().reset();
            }
        }
    }

    private void perOp(Set<String> only) throws Exception {
        manual_seed(1);
        Tensor x = randn(16), w = randn(16).mul(new Scalar(0.5)), b = randn(16).mul(new Scalar(0.1));
        x.set_requires_grad(true);
        w.set_requires_grad(true);
        b.set_requires_grad(true);
        if (only.contains("overhead-fwdbwd")) {
            Timing.Stats st = timing.measure(() -> chain(x, w, b, true));
            emit("overhead-fwdbwd", st.median() / Workloads.CHAIN_OPS * 1e6, "us/op", st);
        }
        if (only.contains("overhead-nograd")) {
            Timing.Stats st;
            try (NoGradGuard g = new NoGradGuard()) {
                st = timing.measure(() -> chain(x, w, b, false));
            }
            emit("overhead-nograd", st.median() / Workloads.CHAIN_OPS * 1e6, "us/op", st);
        }
    }

    private void matmul(int n) throws Exception {
        try (NoGradGuard g = new NoGradGuard()) {
            manual_seed(2);
            Tensor a = randn(n, n), b = randn(n, n);
            Timing.Stats st = timing.measure(() -> a.mm(b).close());
            emit("matmul-" + n, 2.0 * n * n * n / st.median() / 1e9, "GFLOP/s", st);
            a.close();
            b.close();
        }
    }

    private void elementwise(int n, Set<String> only) throws Exception {
        String sz = Workloads.sizeName(n);
        try (NoGradGuard g = new NoGradGuard()) {
            manual_seed(5);
            Tensor a = randn(n), b = randn(n), c = empty(n);
            if (only.contains("add-" + sz + "-out")) {
                Timing.Stats st = timing.measure(() -> add_out(c, a, b));
                emit("add-" + sz + "-out", 12.0 * n / st.median() / 1e9, "GB/s", st);
            }
            if (only.contains("add-" + sz)) {
                Timing.Stats st = timing.measure(() -> a.add(b).close());
                emit("add-" + sz, 12.0 * n / st.median() / 1e9, "GB/s", st);
            }
            if (only.contains("exp-" + sz + "-out")) {
                Timing.Stats st = timing.measure(() -> exp_out(c, a));
                emit("exp-" + sz + "-out", 8.0 * n / st.median() / 1e9, "GB/s", st);
            }
            if (only.contains("exp-" + sz)) {
                Timing.Stats st = timing.measure(() -> a.exp().close());
                emit("exp-" + sz, 8.0 * n / st.median() / 1e9, "GB/s", st);
            }
            a.close();
            b.close();
            c.close();
        }
    }

    static final class Mlp extends Module {
        final LinearImpl fc1, fc2, fc3;

        Mlp() {
            fc1 = register_module("fc1", new LinearImpl(784, 256));
            fc2 = register_module("fc2", new LinearImpl(256, 128));
            fc3 = register_module("fc3", new LinearImpl(128, 10));
        }

        Tensor forward(Tensor x) {
            return fc3.forward(relu(fc2.forward(relu(fc1.forward(x)))));
        }
    }

    static final class LeNet extends Module {
        final Conv2dImpl c1, c2;
        final LinearImpl f1, f2, f3;

        LeNet() {
            Conv2dOptions o1 = new Conv2dOptions(1, 6, new LongPointer(5L, 5L));
            o1.padding().put(new LongPointer(2L, 2L));
            c1 = register_module("c1", new Conv2dImpl(o1));
            c2 = register_module("c2", new Conv2dImpl(new Conv2dOptions(6, 16, new LongPointer(5L, 5L))));
            f1 = register_module("f1", new LinearImpl(400, 120));
            f2 = register_module("f2", new LinearImpl(120, 84));
            f3 = register_module("f3", new LinearImpl(84, 10));
        }

        Tensor forward(Tensor x) {
            x = max_pool2d(relu(c1.forward(x)), 2, 2);
            x = max_pool2d(relu(c2.forward(x)), 2, 2);
            x = x.flatten(1, -1);
            x = relu(f1.forward(x));
            x = relu(f2.forward(x));
            return f3.forward(x);
        }
    }

    private static SGD sgd(Module m) {
        SGDOptions o = new SGDOptions(0.01);
        o.momentum().put(0.9);
        return new SGD(m.parameters(), o);
    }

    private void step(String name, Module net, java.util.function.UnaryOperator<Tensor> fwd, Tensor x, Tensor y)
            throws Exception {
        SGD opt = sgd(net);
        Timing.Stats st = timing.measure(() -> {
            try (PointerScope s = new PointerScope()) {
                opt.zero_grad();
                Tensor loss = cross_entropy_loss(fwd.apply(x), y);
                loss.backward();
                opt.step();
            }
        });
        emit(name, 1.0 / st.median(), "steps/s", st);
    }

    private void mlp() throws Exception {
        manual_seed(3);
        Mlp net = new Mlp();
        step("mlp", net, net::forward, randn(64, 784), randint(0L, 10L, new long[]{64}));
    }

    private void lenet() throws Exception {
        manual_seed(4);
        LeNet net = new LeNet();
        step("lenet", net, net::forward, randn(64, 1, 28, 28), randint(0L, 10L, new long[]{64}));
    }
}
