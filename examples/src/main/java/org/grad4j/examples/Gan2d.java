package org.grad4j.examples;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.nn.LeakyReLU;
import org.grad4j.nn.Linear;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.optim.Adam;

import static org.grad4j.Grad4j.fromArray;
import static org.grad4j.Grad4j.manualSeed;
import static org.grad4j.Grad4j.onesLike;
import static org.grad4j.Grad4j.randint;
import static org.grad4j.Grad4j.randn;
import static org.grad4j.Grad4j.zerosLike;
import static org.grad4j.nn.functional.F.binaryCrossEntropyWithLogits;

/**
 * A generative adversarial network on a 2-D mixture of eight Gaussians placed on a circle. The
 * generator maps noise to points, the discriminator tells real points from generated ones; both
 * are small MLPs trained with BCE-with-logits and Adam (the non-saturating GAN loss). A generator
 * that has learned the mixture puts its samples near all eight modes instead of collapsing onto a
 * few of them; {@link #modeCounts} measures that.
 *
 * <pre>
 * d_loss = F.binary_cross_entropy_with_logits(D(x), ones) + F.binary_cross_entropy_with_logits(D(G(z).detach()), zeros)
 * g_loss = F.binary_cross_entropy_with_logits(D(G(z)), ones)
 * </pre>
 *
 * Run: {@code ./grad4j example Gan2d [steps]} (default 3000).
 */
public final class Gan2d {
    private Gan2d() {}

    public static final int MODES = 8, NOISE = 2, HIDDEN = 128, BATCH = 256;
    public static final double RADIUS = 2.0, STD = 0.05;
    /** A sample counts for a mode when it lies within this distance of the mode's centre (5 standard deviations). */
    public static final double NEAR = 5 * STD;

    /** Centre of mode k: angle 2 pi k / 8 on the circle of radius 2. */
    static double[] centre(int k) {
        double a = 2 * Math.PI * k / MODES;
        return new double[]{RADIUS * Math.cos(a), RADIUS * Math.sin(a)};
    }

    /** n real samples [n, 2]: a random mode plus Gaussian noise of standard deviation STD. */
    public static Tensor realSamples(int n) {
        long[] k = randint(0, MODES, n).toLongArray();
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double[] c = centre((int) k[i]);
            xy[2 * i] = c[0];
            xy[2 * i + 1] = c[1];
        }
        return fromArray(xy, n, 2).toFloat().add(randn(n, 2).mul(STD));
    }

    public static Sequential generator() {
        return new Sequential(new Linear(NOISE, HIDDEN), new ReLU(), new Linear(HIDDEN, HIDDEN), new ReLU(),
                new Linear(HIDDEN, 2));
    }

    public static Sequential discriminator() {
        return new Sequential(new Linear(2, HIDDEN), new LeakyReLU(0.2), new Linear(HIDDEN, HIDDEN), new LeakyReLU(0.2),
                new Linear(HIDDEN, 1));
    }

    /**
     * For samples [n, 2]: how many lie near each mode (index 0-7), and at index 8 how many lie near
     * none of them.
     */
    public static int[] modeCounts(Tensor samples) {
        float[] p = samples.contiguous().toFloatArray();
        int[] counts = new int[MODES + 1];
        for (int i = 0; i < p.length / 2; i++) {
            int hit = MODES;
            for (int k = 0; k < MODES; k++) {
                double[] c = centre(k);
                if (Math.hypot(p[2 * i] - c[0], p[2 * i + 1] - c[1]) < NEAR) hit = k;
            }
            counts[hit]++;
        }
        return counts;
    }

    /** 2,000 samples [2000, 2] generated after training, their mode counts and the number of modes covered. */
    public record Result(Tensor samples, int[] counts, int modesCovered) {}

    /**
     * Trains for {@code steps} steps (one discriminator and one generator update each). A mode is
     * covered when it gets at least 5% of 2,000 generated samples (a fair share is 12.5%).
     */
    public static Result run(int steps, long seed, boolean print) {
        manualSeed(seed);
        Sequential g = generator(), d = discriminator();
        var optG = new Adam(g.parameters(), new Adam.Options().lr(1e-3).betas(0.5, 0.999));
        var optD = new Adam(d.parameters(), new Adam.Options().lr(1e-3).betas(0.5, 0.999));
        long t0 = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            Tensor real = realSamples(BATCH);
            Tensor fake = g.call(randn(BATCH, NOISE));

            optD.zeroGrad();
            Tensor dReal = d.call(real), dFake = d.call(fake.detach());
            Tensor lossD = binaryCrossEntropyWithLogits(dReal, onesLike(dReal))
                    .add(binaryCrossEntropyWithLogits(dFake, zerosLike(dFake)));
            lossD.backward();
            optD.step();

            optG.zeroGrad();
            Tensor dOnFake = d.call(fake);
            Tensor lossG = binaryCrossEntropyWithLogits(dOnFake, onesLike(dOnFake));   // non-saturating loss
            lossG.backward();
            optG.step();

            if (print && (step % 500 == 0 || step == 1)) {
                System.out.printf("step %5d  D loss %.3f  G loss %.3f  modes %s  (%.1f s)%n", step, lossD.item(),
                        lossG.item(), java.util.Arrays.toString(evaluate(g)), (System.nanoTime() - t0) / 1e9);
            }
        }
        Tensor samples = generate(g, 2000);
        int[] counts = modeCounts(samples);
        int covered = 0;
        for (int k = 0; k < MODES; k++) if (counts[k] >= 0.05 * 2000) covered++;
        return new Result(samples, counts, covered);
    }

    static Tensor generate(Sequential g, int n) {
        try (var ng = Autograd.noGrad()) {
            return g.call(randn(n, NOISE));
        }
    }

    static int[] evaluate(Sequential g) { return modeCounts(generate(g, 2000)); }

    /** A text picture of samples [n, 2] in the square [-3, 3]^2: darker characters for more samples. */
    public static String asciiPlot(Tensor samples) {
        int w = 61, h = 25;
        int[][] grid = new int[h][w];
        float[] p = samples.contiguous().toFloatArray();
        for (int i = 0; i < p.length / 2; i++) {
            int col = (int) Math.round((p[2 * i] + 3) / 6 * (w - 1)), row = (int) Math.round((3 - p[2 * i + 1]) / 6 * (h - 1));
            if (col >= 0 && col < w && row >= 0 && row < h) grid[row][col]++;
        }
        String shades = " .:+*#";
        StringBuilder sb = new StringBuilder();
        for (int[] line : grid) {
            for (int c : line) sb.append(shades.charAt(Math.min(shades.length() - 1, (c + 3) / 4)));
            sb.append('\n');
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        long t0 = System.nanoTime();
        Result r = run(steps, 0, true);
        System.out.println("generated samples:");
        System.out.print(asciiPlot(r.samples()));
        manualSeed(1);
        System.out.println("real samples:");
        System.out.print(asciiPlot(realSamples(2000)));
        System.out.printf("samples near each of the 8 modes (last: near none) of 2,000: %s%n",
                java.util.Arrays.toString(r.counts()));
        System.out.printf("%d of 8 modes covered (>= 5%% of the samples each) in %.1f s%n", r.modesCovered(),
                (System.nanoTime() - t0) / 1e9);
    }
}
