package app;

import org.grad4j.Tensor;
import org.grad4j.data.DataLoader;
import org.grad4j.data.MNIST;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;

import static org.grad4j.Grad4j.*;

/**
 * A user's first program: the shipped digits from the jar, an MLP whose layers are plain fields (registered by
 * grad4j as PyTorch's self.fc1 = nn.Linear(...) is), a few SGD steps; exits 1 if it does not learn.
 */
public class Main {
    static final class Mlp extends Module {
        final Linear fc1 = new Linear(784, 64);
        final ReLU relu = new ReLU();
        final Linear fc2 = new Linear(64, 10);

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(relu.forward(fc1.forward(x.flatten(1, -1))));
        }
    }

    public static void main(String[] args) throws Exception {
        manualSeed(0);
        MNIST train = MNIST.shipped(true, MNIST.normalize(MNIST.MEAN, MNIST.STD));
        Module model = new Mlp();
        if (model.parameters().size() != 4) {
            System.out.println("FAIL: field-declared layers were not registered: " + model.namedParameters().keySet());
            System.exit(1);
        }
        SGD opt = new SGD(model.parameters(), new SGD.Options().lr(0.1));
        var loader = DataLoader.builder(train).batchSize(100).shuffle(true).seed(0).build();
        double first = Double.NaN, last = Double.NaN;
        int step = 0;
        for (Tensor[] batch : loader) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(batch[0]), batch[1]);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
            if (++step == 30) break;
        }
        System.out.printf("digits %d, loss %.3f -> %.3f after %d SGD steps%n", train.size(), first, last, step);
        if (!(last < first * 0.7)) {
            System.out.println("FAIL: the loss did not fall");
            System.exit(1);
        }
        System.out.println("OK");
    }
}
