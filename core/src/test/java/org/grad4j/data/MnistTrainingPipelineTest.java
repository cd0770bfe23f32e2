package org.grad4j.data;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.io.Checkpoints;
import org.grad4j.optim.SGD;
import org.grad4j.optim.lr.StepLR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The pieces together on the shipped digits: MNIST + DataLoader (2 workers) + SGD with momentum +
 * StepLR train a softmax regression; a checkpoint restores the same test accuracy.
 */
class MnistTrainingPipelineTest {
    @TempDir
    Path tmp;

    static Tensor logits(Tensor x, Tensor w, Tensor b) {
        return x.reshape(x.size(0), 784).matmul(w).add(b);
    }

    static Tensor crossEntropy(Tensor logits, Tensor y) {
        Tensor logp = logits.sub(logits.exp().sum(1, true).log());
        Tensor onehot = Grad4j.arange(10).unsqueeze(0).eq(y.unsqueeze(1)).toFloat();
        return logp.mul(onehot).sum(1).mean().neg();
    }

    static double accuracy(MNIST test, Tensor w, Tensor b) {
        long correct = 0;
        try (var g = Autograd.noGrad()) {
            for (Tensor[] batch : DataLoader.builder(test).batchSize(500).build()) {
                Tensor pred = logits(batch[0], w, b).argmax(1, false);
                correct += (long) pred.eq(batch[1]).toLong().sum().item();
            }
        }
        return correct / (double) test.size();
    }

    @Test
    void softmaxRegressionLearnsTheDigits() throws Exception {
        Path dir = MNIST.shippedDirectory();
        var train = new MNIST(dir, true, MNIST.normalize(MNIST.MEAN, MNIST.STD));
        var test = new MNIST(dir, false, MNIST.normalize(MNIST.MEAN, MNIST.STD));
        Grad4j.manualSeed(0);
        Tensor w = Grad4j.zeros(784, 10).requiresGrad_(), b = Grad4j.zeros(10).requiresGrad_();
        var opt = new SGD(List.of(w, b), new SGD.Options().lr(0.01).momentum(0.9));
        var sched = new StepLR(opt, 1, 0.5);
        var loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).numWorkers(2).build();
        double first = 0, last = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            int k = 0;
            for (Tensor[] batch : loader) {
                opt.zeroGrad();
                Tensor loss = crossEntropy(logits(batch[0], w, b), batch[1]);
                loss.backward();
                opt.step();
                if (epoch == 0 && k == 0) first = loss.item();
                last = loss.item();
                k++;
            }
            sched.step();
        }
        assertEquals(0.0025, opt.paramGroups().get(0).lr(), 1e-12);
        assertTrue(last < first / 3, "loss fell from " + first + " to " + last);
        double acc = accuracy(test, w, b);
        assertTrue(acc > 0.85, "test accuracy " + acc);

        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("linear.weight", w);
        state.put("linear.bias", b);
        Path f = tmp.resolve("softmax.safetensors");
        Checkpoints.save(f, new Checkpoints.Checkpoint(state, opt.stateDict(), 2, Map.of("accuracy", Double.toString(acc))));
        var ck = Checkpoints.load(f);
        assertEquals(acc, accuracy(test, ck.model().get("linear.weight"), ck.model().get("linear.bias")));
        assertEquals(2, ck.epoch());
    }
}
