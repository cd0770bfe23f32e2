package org.grad4j.examples;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.nn.Embedding;
import org.grad4j.nn.LSTM;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.RNNBase;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.utils.Utils;
import org.grad4j.optim.Adam;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.TreeSet;

import static org.grad4j.Grad4j.fromArray;
import static org.grad4j.Grad4j.manualSeed;

/**
 * A character-level LSTM language model (embedding -> LSTM -> linear) trained with truncated
 * backpropagation through time on {@code essays.txt}, about 24 KB of English prose shipped with
 * the examples. The loss is reported in bits per character next to the text's unigram entropy
 * (what a model that only counts letters can reach); a model that has learned spelling and common
 * words goes well below it. After training it samples a continuation of a prompt.
 *
 * <pre>
 * emb = nn.Embedding(V, 32); lstm = nn.LSTM(32, H, batch_first=True); head = nn.Linear(H, V)
 * out, (h, c) = lstm(emb(x), (h, c))                # h, c carried over from the previous chunk
 * loss = F.cross_entropy(head(out).reshape(-1, V), y.reshape(-1))
 * h, c = h.detach(), c.detach()                     # truncated BPTT
 * </pre>
 *
 * Run: {@code ./grad4j example CharLstm [steps [hidden]]} (default 500 steps, 128 hidden units).
 */
public final class CharLstm {
    /** Chunk length of truncated BPTT and the number of parallel streams through the text. */
    static final int SEQ = 32, BATCH = 32, EMBED = 32;

    final String vocab;
    final Embedding embedding;
    final LSTM lstm;
    final Linear head;
    final Model model;

    /** The three layers in one module, so that parameters() and train()/eval() see all of them. */
    static final class Model extends Module {
        final Embedding embedding;      // fields register themselves, as self.embedding = ... does
        final LSTM lstm;
        final Linear head;

        Model(Embedding e, LSTM l, Linear h) {
            embedding = e;
            lstm = l;
            head = h;
        }
    }

    CharLstm(String vocab, int hidden) {
        this.vocab = vocab;
        embedding = new Embedding(vocab.length(), EMBED);
        lstm = new LSTM(EMBED, hidden, 1, true, true, 0.0, false);
        head = new Linear(hidden, vocab.length());
        model = new Model(embedding, lstm, head);
    }

    /** Logits [N, L, V] for character ids x [N, L] and the new state (h, c); state may be null. */
    RNNBase.Output forward(Tensor x, Tensor h, Tensor c) {
        RNNBase.Output o = lstm.run(embedding.call(x), h, c);
        return new RNNBase.Output(head.call(o.output()), o.h(), o.c());
    }

    /** The training text shipped with the examples. */
    public static String text() throws IOException {
        try (InputStream in = CharLstm.class.getResourceAsStream("text/essays.txt")) {
            if (in == null) throw new IOException("resource org/grad4j/examples/text/essays.txt is missing");
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Entropy in bits per character of the text's character frequencies. */
    public static double unigramEntropyBits(String s) {
        int[] counts = new int[128];
        for (int i = 0; i < s.length(); i++) counts[s.charAt(i)]++;
        double h = 0;
        for (int n : counts) {
            if (n > 0) {
                double p = (double) n / s.length();
                h -= p * Math.log(p) / Math.log(2);
            }
        }
        return h;
    }

    long[] encode(String s) {
        long[] ids = new long[s.length()];
        for (int i = 0; i < ids.length; i++) ids[i] = vocab.indexOf(s.charAt(i));
        return ids;
    }

    /** Losses in bits per character: unigram entropy of the training part, and the model's on both parts. */
    public record Result(double unigramBits, double trainBits, double validBits, String sample) {}

    /**
     * Trains for {@code steps} chunks of truncated BPTT on the first 90% of the text and measures the
     * loss on the last 10%.
     */
    public static Result run(int steps, int hidden, long seed, boolean print) throws IOException {
        manualSeed(seed);
        String text = text();
        TreeSet<Character> chars = new TreeSet<>();
        for (char ch : text.toCharArray()) chars.add(ch);
        StringBuilder v = new StringBuilder();
        chars.forEach(v::append);
        CharLstm m = new CharLstm(v.toString(), hidden);

        int split = text.length() * 9 / 10;
        long[] train = m.encode(text.substring(0, split)), valid = m.encode(text.substring(split));
        double unigram = unigramEntropyBits(text.substring(0, split));
        if (print) {
            System.out.printf("text: %,d characters, %d distinct; unigram entropy %.3f bits/char%n", text.length(),
                    v.length(), unigram);
            System.out.println(m.model);
        }

        // BATCH streams, each a contiguous stretch of the training text, read SEQ characters at a time.
        int streamLen = (train.length - 1) / BATCH, chunks = streamLen / SEQ;
        var opt = new Adam(m.model.parameters(), 3e-3);
        Tensor h = null, c = null;
        double recent = 0;
        int recentN = 0;
        long t0 = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            int chunk = step % chunks;
            if (chunk == 0) { h = null; c = null; }   // back to the start of every stream
            long[] xs = new long[BATCH * SEQ], ys = new long[BATCH * SEQ];
            for (int b = 0; b < BATCH; b++) {
                int start = b * streamLen + chunk * SEQ;
                System.arraycopy(train, start, xs, b * SEQ, SEQ);
                System.arraycopy(train, start + 1, ys, b * SEQ, SEQ);
            }
            m.model.train();
            opt.zeroGrad();
            RNNBase.Output out = m.forward(fromArray(xs, BATCH, SEQ), h, c);
            Tensor loss = F.crossEntropy(out.output().reshape(-1, m.vocab.length()), fromArray(ys, BATCH * SEQ));
            loss.backward();
            Utils.clipGradNorm_(m.model.parameters(), 1.0);
            opt.step();
            h = out.h().detach();   // truncated BPTT: keep the state, drop its history
            c = out.c().detach();
            double bits = loss.item() / Math.log(2);
            if (step >= steps - chunks) { recent += bits; recentN++; }
            if (print && (step % 50 == 0 || step == steps - 1)) {
                System.out.printf("step %4d  loss %.3f bits/char  (%.1f s)%n", step, bits, (System.nanoTime() - t0) / 1e9);
            }
        }
        double validBits = m.evaluate(valid);
        String sample = m.sample("The ", 400, 0.8, new Random(seed));
        if (print) {
            System.out.printf("unigram entropy %.3f bits/char; model: train %.3f, held-out %.3f bits/char%n", unigram,
                    recent / recentN, validBits);
            System.out.println("--- sample (temperature 0.8) ---");
            System.out.println(sample);
        }
        return new Result(unigram, recent / recentN, validBits, sample);
    }

    /** Mean loss in bits per character over a text, read in one stream with the state carried along. */
    double evaluate(long[] ids) {
        model.eval();
        double nats = 0;
        int n = 0;
        Tensor h = null, c = null;
        try (var ng = Autograd.noGrad()) {
            for (int start = 0; start + 1 < ids.length; start += SEQ) {
                int len = Math.min(SEQ, ids.length - 1 - start);
                long[] xs = java.util.Arrays.copyOfRange(ids, start, start + len);
                long[] ys = java.util.Arrays.copyOfRange(ids, start + 1, start + 1 + len);
                RNNBase.Output out = forward(fromArray(xs, 1, len), h, c);
                nats += F.crossEntropy(out.output().reshape(len, vocab.length()), fromArray(ys, len), "sum").item();
                n += len;
                h = out.h();
                c = out.c();
            }
        }
        return nats / n / Math.log(2);
    }

    /** Feeds the prompt, then draws {@code length} characters from softmax(logits / temperature). */
    String sample(String prompt, int length, double temperature, Random random) {
        model.eval();
        StringBuilder out = new StringBuilder(prompt);
        try (var ng = Autograd.noGrad()) {
            RNNBase.Output o = forward(fromArray(encode(prompt), 1, prompt.length()), null, null);
            for (int i = 0; i < length; i++) {
                Tensor logits = o.output().select(1, -1).reshape(-1);
                float[] p = F.softmax(logits.div(temperature), 0).toFloatArray();
                double u = random.nextDouble(), acc = 0;
                int next = p.length - 1;
                for (int k = 0; k < p.length; k++) {
                    acc += p[k];
                    if (u < acc) { next = k; break; }
                }
                out.append(vocab.charAt(next));
                o = forward(fromArray(new long[]{next}, 1, 1), o.h(), o.c());
            }
        }
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        long t0 = System.nanoTime();
        run(steps, hidden, 0, true);
        System.out.printf("%.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
