package org.grad4j.bench;

import org.grad4j.Tensor;
import org.grad4j.nn.Module;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;

import static org.grad4j.Grad4j.*;

/** Runs one training workload in a loop for a profiler: {@code ProfileStep lenet|mlp seconds}. */
final class ProfileStep {
    static void time(String name, Runnable r) {
        for (int i = 0; i < 200; i++) r.run();
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < 1_000_000_000L) { r.run(); n++; }
        System.out.printf("%-20s %8.1f us%n", name, (System.nanoTime() - t0) / 1e3 / n);
    }

    static void ops() {
        Tensor x = randn(64, 6, 28, 28), g = randn(64, 6, 28, 28);
        Tensor xr = x.relu();
        time("relu", () -> x.relu());
        time("reluBackward", () -> org.grad4j.nn.functional.F.relu(x.detach().requiresGrad_()).backward(g));
        time("maxpool", () -> F.maxPool2d(x, 2));
        Tensor xg = x.detach().requiresGrad_();
        Tensor gp = randn(64, 6, 14, 14);
        time("maxpool fwd+bwd", () -> F.maxPool2d(xg, 2).backward(gp));
        time("add", () -> x.add(g));
        Tensor img = randn(64, 1, 28, 28), w1 = randn(6, 1, 5, 5), b1 = randn(6);
        Tensor h = randn(64, 6, 14, 14), w2 = randn(16, 6, 5, 5), b2 = randn(16);
        try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
            time("conv1 fwd", () -> F.conv2d(img, w1, b1, 1, 2));
            time("conv2 fwd", () -> F.conv2d(h, w2, b2, 1, 0));
        }
        time("empty", () -> empty(64, 6, 28, 28));
    }

    public static void main(String[] a) {
        setNumThreads(1);
        if (a[0].equals("ops")) { ops(); return; }
        if (a[0].equals("mm")) {
            Tensor x = randn(512, 512), y = randn(512, 512);
            try (var g = org.grad4j.autograd.Autograd.noGrad()) {
                for (int r = 0; r < 3; r++) {
                    long t0 = System.nanoTime();
                    int n = 0;
                    while (System.nanoTime() - t0 < 1_500_000_000L) { x.mm(y); n++; }
                    System.out.printf("mm-512 %.1f GFLOP/s%n", 2.0 * 512 * 512 * 512 * n / (System.nanoTime() - t0));
                }
            }
            return;
        }
        boolean lenet = a[0].equals("lenet");
        manualSeed(4);
        Module net = lenet ? Grad4jSide.lenetNet() : Grad4jSide.mlpNet();
        Tensor x = lenet ? randn(64, 1, 28, 28) : randn(64, 784), y = randint(0, 10, 64);
        SGD opt = new SGD(net.parameters(), new SGD.Options().lr(0.01).momentum(0.9));
        long end = System.nanoTime() + (long) (Double.parseDouble(a[1]) * 1e9);
        int steps = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() < end) {
            opt.zeroGrad(true);
            F.crossEntropy(net.call(x), y).backward();
            opt.step();
            if (++steps == 50) t0 = System.nanoTime();
        }
        System.out.printf("%s %.1f steps/s%n", a[0], (steps - 50) / ((System.nanoTime() - t0) / 1e9));
    }
}
