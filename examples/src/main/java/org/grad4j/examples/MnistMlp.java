package org.grad4j.examples;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.data.DataLoader;
import org.grad4j.data.MNIST;
import org.grad4j.nn.Flatten;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;

import java.io.IOException;

import static org.grad4j.Grad4j.manualSeed;

/**
 * A multi-layer perceptron (784-256-128-10) on the MNIST digits shipped with grad4j, the way the
 * PyTorch tutorials write it:
 *
 * <pre>
 * model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
 * opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
 * for x, y in loader:
 *     opt.zero_grad(); loss = F.cross_entropy(model(x), y); loss.backward(); opt.step()
 * with torch.no_grad(): acc = (model(x_test).argmax(1) == y_test).float().mean()
 * </pre>
 *
 * Run: {@code ./grad4j example MnistMlp [epochs]} (default 5).
 */
public final class MnistMlp {
    private MnistMlp() {}

    /** Test accuracy after each epoch (fractions in [0, 1]) and the last epoch's mean training loss. */
    public record Result(double[] testAccuracy, double lastTrainLoss) {
        public double finalAccuracy() { return testAccuracy[testAccuracy.length - 1]; }
    }

    /** The model: {@code Flatten -> Linear(784, 256) -> ReLU -> Linear(256, 128) -> ReLU -> Linear(128, 10)}. */
    public static Sequential model() {
        return new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(),
                new Linear(128, 10));
    }

    /** Trains for {@code epochs} epochs from seed {@code seed}; prints progress when {@code print}. */
    public static Result run(int epochs, long seed, boolean print) throws IOException {
        manualSeed(seed);
        var transform = MNIST.normalize(MNIST.MEAN, MNIST.STD);
        var train = MNIST.shipped(true, transform);   // the shipped digits, from the grad4j-core jar
        var test = MNIST.shipped(false, transform);
        var trainLoader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(seed).build();
        var testLoader = DataLoader.builder(test).batchSize(500).build();

        Sequential model = model();
        var opt = new SGD(model.parameters(), new SGD.Options().lr(0.05).momentum(0.9));
        if (print) System.out.println(model);

        double[] acc = new double[epochs];
        double lastLoss = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            model.train();
            double lossSum = 0;
            int batches = 0;
            for (Tensor[] batch : trainLoader) {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(model.call(batch[0]), batch[1]);
                loss.backward();
                opt.step();
                lossSum += loss.item();
                batches++;
            }
            lastLoss = lossSum / batches;
            acc[epoch - 1] = accuracy(model, testLoader);
            if (print) {
                System.out.printf("epoch %d  train loss %.4f  test accuracy %.2f%%  (%.1f s)%n", epoch, lastLoss,
                        100 * acc[epoch - 1], (System.nanoTime() - t0) / 1e9);
            }
        }
        return new Result(acc, lastLoss);
    }

    /** Fraction of correctly classified samples, evaluated in eval mode under no_grad. */
    public static double accuracy(Module model, DataLoader<Tensor[], Tensor[]> loader) {
        model.eval();
        long correct = 0, total = 0;
        try (var ng = Autograd.noGrad()) {
            for (Tensor[] batch : loader) {
                Tensor pred = model.call(batch[0]).argmax(1, false);
                correct += (long) pred.eq(batch[1]).sum().item();
                total += batch[1].numel();
            }
        }
        return (double) correct / total;
    }

    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long t0 = System.nanoTime();
        Result r = run(epochs, 0, true);
        System.out.printf("final test accuracy %.2f%% on the 2,000 held-out digits in %.1f s%n", 100 * r.finalAccuracy(),
                (System.nanoTime() - t0) / 1e9);
    }
}
