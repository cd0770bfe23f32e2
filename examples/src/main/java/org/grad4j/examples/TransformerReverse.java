package org.grad4j.examples;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.nn.Embedding;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.Parameter;
import org.grad4j.nn.TransformerEncoder;
import org.grad4j.nn.TransformerEncoderLayer;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.Init;
import org.grad4j.optim.Adam;

import static org.grad4j.Grad4j.manualSeed;
import static org.grad4j.Grad4j.randint;

/**
 * A small Transformer encoder that learns to reverse sequences of digits: input
 * {@code 3 1 4 1 5 9 2 6}, target {@code 6 2 9 5 1 4 1 3}. Every output position must attend to the
 * mirrored input position, which the model can only find through its (learned) positional
 * embeddings; the task is solved when the attention heads have learned that pattern. Token
 * embedding plus positional embedding, an {@code nn.TransformerEncoder} of two post-norm
 * {@code nn.TransformerEncoderLayer}s (multi-head self-attention and a ReLU feed-forward block),
 * a linear head; cross_entropy and Adam.
 *
 * <pre>
 * layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, dropout=0.0, batch_first=True)
 * encoder = nn.TransformerEncoder(layer, num_layers=2)
 * h = encoder(tok(x) + pos)
 * loss = F.cross_entropy(head(h).reshape(-1, 10), x.flip(1).reshape(-1))
 * </pre>
 *
 * Run: {@code ./grad4j example TransformerReverse [steps]} (default 400).
 */
public final class TransformerReverse extends Module {
    public static final int VOCAB = 10, LEN = 8, D_MODEL = 64, HEADS = 4, FF = 128, LAYERS = 2, BATCH = 64;

    // Fields register themselves (self.tok = nn.Embedding(...)); initialisers run in this order, as __init__'s lines do.
    private final Embedding tok = new Embedding(VOCAB, D_MODEL);
    private final Tensor pos = Parameter.of(Init.normal_(Grad4j.empty(LEN, D_MODEL), 0.0, 1.0));
    private final TransformerEncoder encoder = new TransformerEncoder(
            new TransformerEncoderLayer(D_MODEL, HEADS, FF, 0.0, "relu", 1e-5, true, false), LAYERS);
    private final Linear head = new Linear(D_MODEL, VOCAB);

    /** Logits [N, L, VOCAB] for digit sequences [N, L] (int64). */
    @Override
    public Tensor forward(Tensor x) {
        return head.call(encoder.call(tok.call(x).add(pos)));
    }

    /** The targets: each row reversed. */
    static Tensor reversed(Tensor x) { return x.flip(1); }

    /** Token and whole-sequence accuracy on fresh random sequences. */
    public record Result(double tokenAccuracy, double sequenceAccuracy, double lastLoss) {}

    /** Token and sequence accuracy on n fresh sequences, under no_grad in eval mode. */
    public Result evaluate(int n) {
        eval();
        try (var ng = Autograd.noGrad()) {
            Tensor x = randint(0, VOCAB, n, LEN);
            Tensor correct = call(x).argmax(2, false).eq(reversed(x));
            double tokens = correct.toFloat().mean().item();
            double seqs = correct.toFloat().sum(1).eq(Grad4j.tensor((double) LEN)).toFloat().mean().item();
            return new Result(tokens, seqs, Double.NaN);
        }
    }

    public static Result run(int steps, long seed, boolean print) {
        manualSeed(seed);
        TransformerReverse model = new TransformerReverse();
        if (print) System.out.println(model);
        var opt = new Adam(model.parameters(), 1e-3);
        long t0 = System.nanoTime();
        double loss = Double.NaN;
        for (int step = 1; step <= steps; step++) {
            model.train();
            Tensor x = randint(0, VOCAB, BATCH, LEN);   // fresh data every step: the model cannot memorise
            opt.zeroGrad();
            Tensor l = F.crossEntropy(model.call(x).reshape(-1, VOCAB), reversed(x).reshape(-1));
            l.backward();
            opt.step();
            loss = l.item();
            if (print && (step % 100 == 0 || step == 1)) {
                Result r = model.evaluate(500);
                System.out.printf("step %4d  loss %.4f  token accuracy %.2f%%  sequence accuracy %.2f%%  (%.1f s)%n", step,
                        loss, 100 * r.tokenAccuracy(), 100 * r.sequenceAccuracy(), (System.nanoTime() - t0) / 1e9);
            }
        }
        Result r = model.evaluate(2000);
        return new Result(r.tokenAccuracy(), r.sequenceAccuracy(), loss);
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        long t0 = System.nanoTime();
        Result r = run(steps, 0, true);
        System.out.printf("on 2,000 fresh sequences: token accuracy %.2f%%, whole sequences reversed %.2f%%; %.1f s%n",
                100 * r.tokenAccuracy(), 100 * r.sequenceAccuracy(), (System.nanoTime() - t0) / 1e9);
    }
}
