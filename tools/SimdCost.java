import org.grad4j.Tensor;
import org.grad4j.kernels.Simd;
import org.grad4j.nn.Conv2d;
import org.grad4j.nn.Flatten;
import org.grad4j.nn.Linear;
import org.grad4j.nn.MaxPool2d;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;

import static org.grad4j.Grad4j.*;

/**
 * What running without the Vector API costs (the figures of README.md and of the warning grad4j
 * prints then): float32 matmul 512x512, a LeNet-5 training step (batch 64, SGD with momentum) and
 * exp over 1M floats, at 1 thread, best of 5 rounds. Run it both ways after a build:
 * <pre>
 * ./grad4j run tools/SimdCost.java                                         # with the Vector API
 * java -cp core/target/classes tools/SimdCost.java                         # a plain JVM: no SIMD
 * </pre>
 */
public class SimdCost {
    static double millis(Runnable r, int reps) {
        for (int i = 0; i < Math.max(3, reps / 3); i++) r.run();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) r.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e6 / reps);
        }
        return best;
    }

    public static void main(String[] args) {
        setNumThreads(1);
        manualSeed(0);
        System.out.println("SIMD " + (Simd.ENABLED ? "on" : "off"));
        Tensor a = randn(512, 512), b = randn(512, 512);
        System.out.printf("matmul-512    %8.2f ms%n", millis(() -> a.matmul(b), 20));
        Module lenet = new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
        SGD opt = new SGD(lenet.parameters(), new SGD.Options().lr(0.01).momentum(0.9));
        Tensor x = randn(64, 1, 28, 28), y = randint(0, 10, 64);
        System.out.printf("lenet-step    %8.2f ms%n", millis(() -> {
            opt.zeroGrad();
            F.crossEntropy(lenet.forward(x), y).backward();
            opt.step();
        }, 20));
        Tensor big = randn(1 << 20);
        System.out.printf("exp-1M        %8.3f ms%n", millis(big::exp, 50));
    }
}
