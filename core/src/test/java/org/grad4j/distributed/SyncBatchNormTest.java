package org.grad4j.distributed;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;
import org.grad4j.nn.BatchNorm2d;
import org.grad4j.nn.Conv2d;
import org.grad4j.nn.Module;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.SyncBatchNorm;
import org.grad4j.nn.SyncBatchNormAccess;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncBatchNormTest {

    /** Rank r's part [2, 3, 4, 4] of a combined float64 batch [2 * world, 3, 4, 4]. */
    static Tensor part(Tensor all, int r) { return all.narrow(0, 2 * r, 2); }

    @Test
    void syncBatchNormEqualsBatchNormOverTheCombinedBatchForwardBackwardAndRunningStats() {
        int world = 3;
        Tensor all = Grad4j.randn(new int[]{2 * world, 3, 4, 4}, DType.FLOAT64, new Generator().manualSeed(2)).mul(2).add(1);
        Tensor upstream = Grad4j.randn(new int[]{2 * world, 3, 4, 4}, DType.FLOAT64, new Generator().manualSeed(3));
        BatchNorm2d ref = new BatchNorm2d(3);
        ref.toDouble();
        Tensor x = all.clone().requiresGrad_(true);
        Tensor refY = ref.call(x);
        refY.mul(upstream).sum().backward();
        List<Tensor[]> got = LocalRanks.run(world, false, pg -> {
            BatchNorm2d bn = new BatchNorm2d(3);
            bn.toDouble();
            SyncBatchNorm s = (SyncBatchNorm) SyncBatchNorm.convert(bn, pg);
            Tensor xr = part(all, pg.rank()).clone().requiresGrad_(true);
            Tensor y = s.call(xr);
            y.mul(part(upstream, pg.rank())).sum().backward();
            return new Tensor[]{y.detach(), xr.grad(), s.weight().grad(), s.runningMean(), s.runningVar()};
        });
        Tensor gw = Grad4j.zeros(new int[]{3}, DType.FLOAT64);
        for (int r = 0; r < world; r++) {
            Tensor[] g = got.get(r);
            assertClose(part(refY.detach(), r), g[0]);
            assertClose(part(x.grad(), r), g[1]);
            assertClose(ref.runningMean(), g[3]);
            assertClose(ref.runningVar(), g[4]);
            gw = gw.add(g[2]);
        }
        // weight gradients stay per rank (DDP averages them): their sum is the combined batch's
        assertClose(ref.weight().grad(), gw);
    }

    static void assertClose(Tensor want, Tensor got) {
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        assertEquals(w.length, g.length);
        for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], 1e-10 * (1 + Math.abs(w[i])), "element " + i);
    }

    @Test
    void theSynchronisedPathPassesGradcheckAndGradgradcheck() {
        try (ProcessGroup pg = ProcessGroup.single()) {
            SyncBatchNorm s = new SyncBatchNorm(2, pg);
            s.toDouble();
            SyncBatchNormAccess.forceSync(s);
            Tensor x = Grad4j.randn(new int[]{3, 2, 2}, DType.FLOAT64, new Generator().manualSeed(4)).requiresGrad_(true);
            Tensor w = s.weight(), b = s.bias();
            assertTrue(GradCheck.gradcheck(in -> s.call(in[0]).mul(in[0].add(1)), x));
            assertTrue(GradCheck.gradgradcheck(in -> s.call(in[0]), x));
            assertTrue(GradCheck.gradcheck(in -> s.call(x.detach()).mul(in[0].sum()), w));
            assertSame(b, s.bias());
        }
    }

    @Test
    void convertReplacesNestedBatchNormsKeepingParametersAndStats() {
        Grad4j.manualSeed(0);
        BatchNorm2d bn = new BatchNorm2d(4);
        bn.runningMean().fill_(0.5);
        Module m = new Sequential(new Conv2d(1, 4, 3), new Sequential(bn));
        Tensor w = bn.weight();
        SyncBatchNorm.convert(m);
        Module inner = m.getSubmodule("1.0");
        assertTrue(inner instanceof SyncBatchNorm, inner.toString());
        assertSame(w, ((SyncBatchNorm) inner).weight());
        assertEquals(0.5, ((SyncBatchNorm) inner).runningMean().getDouble(0));
    }
}
