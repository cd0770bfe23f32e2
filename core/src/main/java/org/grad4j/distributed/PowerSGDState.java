package org.grad4j.distributed;

import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * PowerSGD gradient compression ({@code powerSGD_hook.PowerSGDState} and {@code powerSGD_hook}):
 * each gradient matrix M (n x m, a parameter viewed as {@code [shape[0], -1]}) is sent as two thin
 * factors P = M Q (n x r) and Q = M^T P (m x r) with r = {@code matrixApproximationRank}; matrices
 * too small to gain ({@code (n + m) r * minCompressionRate >= n m}) and vectors are all-reduced as
 * they are. With error feedback the part the approximation lost is added to the next step's
 * gradient; with warm start Q is reused from the previous step. The first
 * {@code startPowerSGDIter} iterations use plain all-reduce.
 *
 * <p>Differences from PyTorch, said plainly: Q's random start draws from grad4j's generator
 * (seeded, as PyTorch does, from a NumPy-compatible Mersenne Twister stream of {@code randomSeed})
 * so it matches torch only as far as {@code Grad4j.randn} matches {@code torch.randn}; every rank
 * orthogonalises with Gram-Schmidt (PyTorch uses QR above rank 2); and the hook's three collectives
 * run in order on the backward thread, so a compressed bucket does not overlap with backward.
 *
 * <pre>{@code
 * ddp.registerCommHook(CommHooks.powerSGD(new PowerSGDState().matrixApproximationRank(1).startPowerSGDIter(2)));
 * }</pre>
 */
public final class PowerSGDState {
    private int matrixApproximationRank = 1, startPowerSGDIter = 1_000;
    private double minCompressionRate = 2, orthogonalizationEpsilon = 0;
    private boolean useErrorFeedback = true, warmStart = true;
    private long randomSeed = 0;
    private Generator rng = new Generator().manualSeed(0);
    private int iter;
    private final Map<Integer, Tensor> errors = new HashMap<>(), pMemory = new HashMap<>(), qMemory = new HashMap<>();

    public PowerSGDState matrixApproximationRank(int r) {
        if (r < 1) throw new IllegalArgumentException("matrix_approximation_rank must be at least 1, got " + r);
        matrixApproximationRank = r;
        return this;
    }

    /** Plain all-reduce for this many iterations first (PyTorch's default 1000; error feedback needs a warm model). */
    public PowerSGDState startPowerSGDIter(int it) { startPowerSGDIter = it; return this; }

    public PowerSGDState minCompressionRate(double r) { minCompressionRate = r; return this; }

    public PowerSGDState useErrorFeedback(boolean b) { useErrorFeedback = b; return this; }

    public PowerSGDState warmStart(boolean b) { warmStart = b; return this; }

    public PowerSGDState orthogonalizationEpsilon(double e) { orthogonalizationEpsilon = e; return this; }

    public PowerSGDState randomSeed(long seed) {
        randomSeed = seed;
        rng = new Generator().manualSeed(seed);
        return this;
    }

    /** Iterations seen so far (counted on each backward's last bucket). */
    public int iteration() { return iter; }

    private void maybeIncreaseIter(GradBucket bucket) {
        if (bucket.isLast()) iter++;
    }

    /** NumPy's legacy {@code RandomState.randint(1_000_000_000)}: masked rejection on 32-bit draws. */
    private long nextSeed() {
        long bound = 999_999_999L, mask = (1L << 30) - 1;
        long v;
        do v = (rng.nextInt32() & 0xFFFFFFFFL) & mask; while (v > bound);
        return v;
    }

    CompletableFuture<Tensor> hook(ProcessGroup group, GradBucket bucket) {
        Tensor input = bucket.buffer();
        if (iter < startPowerSGDIter) {
            maybeIncreaseIter(bucket);
            return CommHooks.allreduceFuture(group, input);
        }
        try (var ng = Autograd.noGrad()) {
            return CompletableFuture.completedFuture(compress(group, bucket, input));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Tensor compress(ProcessGroup group, GradBucket bucket, Tensor input) {
        int ws = group.worldSize(), idx = bucket.index();
        Tensor inputCopy = null;
        if (useErrorFeedback) {
            Tensor err = errors.get(idx);
            if (err != null) input.add_(err);
            else errors.put(idx, Grad4j.zeros(new int[]{input.numel()}, input.dtype(), input.device()));
            inputCopy = input.clone();
        }
        // Step I: which gradients are worth compressing
        List<Tensor> toCompress = new ArrayList<>(), uncompressed = new ArrayList<>();
        int totalP = 0, totalQ = 0;
        for (Tensor t : bucket.gradients()) {
            int n = t.dim() == 0 ? 1 : t.size(0), m = n == 0 ? 0 : t.numel() / n;
            int r = Math.min(Math.min(n, m), matrixApproximationRank);
            if ((long) (n + m) * r * minCompressionRate < (long) n * m) {
                toCompress.add(t.view(n, m));
                totalP += n * r;
                totalQ += m * r;
            } else {
                uncompressed.add(t);
            }
        }
        // Step II: one contiguous buffer for the rest
        Tensor rest = uncompressed.isEmpty() ? Grad4j.zeros(new int[]{0}, input.dtype(), input.device())
                : Grad4j.cat(uncompressed.stream().map(Tensor::flatten).toList(), 0);
        // Step III: P and Q memories (kept across steps for warm start)
        boolean randomize = false;
        if (!warmStart || !pMemory.containsKey(idx)) {
            randomize = true;
            pMemory.put(idx, Grad4j.zeros(new int[]{totalP}, input.dtype(), input.device()));
            qMemory.put(idx, Grad4j.zeros(new int[]{totalQ}, input.dtype(), input.device()));
        }
        Tensor pMem = pMemory.get(idx), qMem = qMemory.get(idx);
        List<Tensor> ps = new ArrayList<>(), qs = new ArrayList<>();
        int pi = 0, qi = 0;
        for (Tensor mat : toCompress) {
            int n = mat.size(0), m = mat.size(1), r = Math.min(Math.min(n, m), matrixApproximationRank);
            ps.add(pMem.narrow(0, pi, n * r).view(n, r));
            qs.add(qMem.narrow(0, qi, m * r).view(m, r));
            pi += n * r;
            qi += m * r;
        }
        if (!randomize) {
            for (Tensor q : qs) orthogonalize(q);
        } else {
            // the same seed on every rank, a different one every step (PyTorch forks torch's RNG for this)
            Generator g = new Generator().manualSeed(nextSeed());
            for (Tensor q : qs) {
                q.copy_(Grad4j.randn(q.shape(), q.dtype(), g));
                orthogonalize(q);
            }
        }
        for (int k = 0; k < toCompress.size(); k++) ps.get(k).copy_(toCompress.get(k).mm(qs.get(k)));
        // the uncompressed part, averaged
        group.allReduce(rest, ReduceOp.SUM);
        rest.div_(ws);
        int at = 0;
        for (Tensor t : uncompressed) {
            t.copy_(rest.narrow(0, at, t.numel()).view(t.shape()));
            at += t.numel();
        }
        // P summed (no division: it is orthogonalised next), then Q = M^T P summed and averaged
        group.allReduce(pMem, ReduceOp.SUM);
        for (Tensor p : ps) orthogonalize(p);
        for (int k = 0; k < toCompress.size(); k++) qs.get(k).copy_(toCompress.get(k).t().mm(ps.get(k)));
        group.allReduce(qMem, ReduceOp.SUM);
        qMem.div_(ws);
        for (int k = 0; k < toCompress.size(); k++) toCompress.get(k).copy_(ps.get(k).mm(qs.get(k).t()));
        if (useErrorFeedback) errors.put(idx, inputCopy.sub(input));
        if (!warmStart) {
            pMemory.clear();
            qMemory.clear();
        }
        maybeIncreaseIter(bucket);
        return input;
    }

    /** Gram-Schmidt on the columns of a contiguous [n, r] matrix, in place (PyTorch's _orthogonalize_gram_schmidt). */
    void orthogonalize(Tensor mat) {
        int n = mat.size(0), r = mat.size(1);
        var s = mat.storage();
        int off = mat.storageOffset();
        for (int i = 0; i < r; i++) {
            double norm = 0;
            for (int row = 0; row < n; row++) {
                double v = s.getDouble(off + row * r + i);
                norm += v * v;
            }
            double div = Math.sqrt(norm) + orthogonalizationEpsilon;
            for (int row = 0; row < n; row++) s.setDouble(off + row * r + i, s.getDouble(off + row * r + i) / div);
            for (int j = i + 1; j < r; j++) {
                double dot = 0;
                for (int row = 0; row < n; row++) dot += s.getDouble(off + row * r + i) * s.getDouble(off + row * r + j);
                for (int row = 0; row < n; row++) {
                    s.setDouble(off + row * r + j, s.getDouble(off + row * r + j) - dot * s.getDouble(off + row * r + i));
                }
            }
        }
    }
}
