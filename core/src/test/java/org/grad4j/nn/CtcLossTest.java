package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** CTC loss against a brute-force sum over every alignment, plus gradcheck. */
class CtcLossTest {
    private static final Generator GEN = new Generator().manualSeed(41);

    /** Collapses an alignment: merge repeats, drop blanks. */
    static List<Integer> collapse(int[] path, int blank) {
        List<Integer> out = new ArrayList<>();
        int prev = -1;
        for (int p : path) {
            if (p != prev && p != blank) out.add(p);
            prev = p;
        }
        return out;
    }

    /** -log sum over all paths of length t that collapse to target, by enumeration. */
    static double bruteForce(double[][] lp, int t, int c, List<Integer> target) {
        double total = 0;
        int[] path = new int[t];
        int count = (int) Math.pow(c, t);
        for (int k = 0; k < count; k++) {
            int v = k;
            double logp = 0;
            for (int i = 0; i < t; i++) {
                path[i] = v % c;
                v /= c;
                logp += lp[i][path[i]];
            }
            if (collapse(path, 0).equals(target)) total += Math.exp(logp);
        }
        return -Math.log(total);
    }

    @Test
    void matchesEnumerationOfAlignments() {
        int t = 5, c = 3;
        Tensor logits = Grad4j.randn(new int[]{t, 2, c}, DType.FLOAT64, GEN);
        Tensor lp = F.logSoftmax(logits, 2);
        Tensor targets = Grad4j.tensor(new long[][]{{1, 1, 0}, {2, 1, 2}});
        long[] inLen = {5, 4}, tgtLen = {2, 3};
        Tensor none = F.ctcLoss(lp, targets, inLen, tgtLen, 0, "none", false);
        double[][][] v = new double[2][t][c];
        for (int b = 0; b < 2; b++) for (int i = 0; i < t; i++) for (int k = 0; k < c; k++) v[b][i][k] = lp.getDouble(i, b, k);
        double l0 = bruteForce(v[0], 5, c, List.of(1, 1)), l1 = bruteForce(v[1], 4, c, List.of(2, 1, 2));
        assertArrayEquals(new double[]{l0, l1}, none.toDoubleArray(), 1e-10);
        assertEquals((l0 / 2 + l1 / 3) / 2, F.ctcLoss(lp, targets, inLen, tgtLen, 0, "mean", false).item(), 1e-10);
        Tensor concat = Grad4j.tensor(new long[]{1, 1, 2, 1, 2});
        assertArrayEquals(none.toDoubleArray(), F.ctcLoss(lp, concat, inLen, tgtLen, 0, "none", false).toDoubleArray(), 1e-12,
                "1-d concatenated targets");
    }

    @Test
    void impossibleAlignmentsAndGradients() {
        Tensor lp = F.logSoftmax(Grad4j.randn(new int[]{2, 1, 3}, DType.FLOAT64, GEN), 2);
        Tensor tg = Grad4j.tensor(new long[][]{{1, 1}});
        // "1 1" needs a blank between the repeats: at least 3 steps
        assertEquals(Double.POSITIVE_INFINITY, F.ctcLoss(lp, tg, new long[]{2}, new long[]{2}, 0, "sum", false).item());
        assertEquals(0.0, F.ctcLoss(lp, tg, new long[]{2}, new long[]{2}, 0, "sum", true).item());
        Tensor logits = Grad4j.randn(new int[]{4, 2, 3}, DType.FLOAT64, GEN).requiresGrad_();
        Tensor targets = Grad4j.tensor(new long[][]{{1, 2}, {2, 0}});
        assertTrue(GradCheck.gradcheck(in -> F.ctcLoss(F.logSoftmax(in[0], 2), targets, new long[]{4, 3}, new long[]{2, 1}, 0, "mean", false),
                logits));
    }
}
