package org.grad4j.distributed;

import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.Tanh;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistributedDataParallelTest {

    static Module mlp(long seed) {
        Grad4j.manualSeed(seed);
        return new Sequential(new Linear(6, 8), new Tanh(), new Linear(8, 3));
    }

    /** Models made one after another in this thread (the global generator is not per rank). */
    static List<Module> models(int world) {
        List<Module> ms = new ArrayList<>();
        for (int r = 0; r < world; r++) ms.add(mlp(100 + r));
        return ms;
    }

    /** Micro-batch {@code r} of step {@code step}: inputs [4, 6] and targets [4, 3]. */
    static Tensor[] batch(int step, int r) {
        Generator g = new Generator().manualSeed(1000L * step + r);
        return new Tensor[]{Grad4j.randn(new int[]{4, 6}, g), Grad4j.randn(new int[]{4, 3}, g)};
    }

    static Tensor loss(Module m, Tensor[] b) { return F.mseLoss(m.call(b[0]), b[1]); }

    /**
     * Single-process gradient accumulation that DDP must reproduce: each micro-batch's gradient,
     * scaled by 1/world as DDP's reducer does, summed in rank order.
     */
    static List<Tensor> accumulatedGrads(Module m, int step, int world) {
        List<Tensor> acc = null;
        for (int r = 0; r < world; r++) {
            m.zeroGrad();
            loss(m, batch(step, r)).backward();
            List<Tensor> g = new ArrayList<>();
            for (Tensor p : m.parameters()) g.add(world > 1 ? p.grad().mul(1.0 / world) : p.grad().clone());
            if (acc == null) acc = g;
            else for (int i = 0; i < g.size(); i++) acc.set(i, acc.get(i).add(g.get(i)));
        }
        return acc;
    }

    @Test
    void constructionBroadcastsRankZerosParametersToEveryRank() {
        List<Module> ms = models(3);
        float[] want = ms.get(0).parameters().get(0).toFloatArray();
        List<float[]> got = LocalRanks.run(ProcessGroup.loopback(3, LocalRanks.opts(false)), pg -> {
            new DistributedDataParallel(ms.get(pg.rank()), pg, new DistributedDataParallel.Options());
            return ms.get(pg.rank()).parameters().get(0).toFloatArray();
        });
        for (float[] g : got) assertArrayEquals(want, g);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void ddpEqualsSingleProcessGradientAccumulationBitForBitInDeterministicMode(int world) {
        List<Module> ms = models(world);
        Module ref = mlp(999);
        ref.loadStateDict(ms.get(0).stateDict());
        SGD refOpt = new SGD(ref.parameters(), new SGD.Options().lr(0.1).momentum(0.9));
        List<List<float[]>> refParams = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            List<Tensor> g = accumulatedGrads(ref, step, world);
            List<Tensor> ps = ref.parameters();
            for (int i = 0; i < ps.size(); i++) ps.get(i).setGrad(g.get(i));
            refOpt.step();
            List<float[]> snap = new ArrayList<>();
            for (Tensor p : ps) snap.add(p.toFloatArray());
            refParams.add(snap);
        }
        List<List<List<float[]>>> got = LocalRanks.run(ProcessGroup.loopback(world, LocalRanks.opts(true)), pg -> {
            Module m = ms.get(pg.rank());
            var ddp = new DistributedDataParallel(m, pg, new DistributedDataParallel.Options());
            SGD opt = new SGD(ddp.parameters(), new SGD.Options().lr(0.1).momentum(0.9));
            List<List<float[]>> steps = new ArrayList<>();
            for (int step = 0; step < 3; step++) {
                opt.zeroGrad();
                loss(ddp, batch(step, pg.rank())).backward();
                opt.step();
                List<float[]> snap = new ArrayList<>();
                for (Tensor p : m.parameters()) snap.add(p.toFloatArray());
                steps.add(snap);
            }
            return steps;
        });
        for (int r = 0; r < world; r++) {
            for (int step = 0; step < 3; step++) {
                for (int i = 0; i < refParams.get(step).size(); i++) {
                    assertArrayEquals(refParams.get(step).get(i), got.get(r).get(step).get(i), "rank " + r + " step " + step + " param " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void ringModeGradientsMatchAccumulationWithin1e6Relative(int world) {
        List<Module> ms = models(world);
        Module ref = mlp(999);
        ref.loadStateDict(ms.get(0).stateDict());
        List<Tensor> want = accumulatedGrads(ref, 0, world);
        List<List<Tensor>> got = LocalRanks.run(ProcessGroup.loopback(world, LocalRanks.opts(false)), pg -> {
            var ddp = new DistributedDataParallel(ms.get(pg.rank()), pg, new DistributedDataParallel.Options());
            loss(ddp, batch(0, pg.rank())).backward();
            List<Tensor> g = new ArrayList<>();
            for (Tensor p : ddp.parameters()) g.add(p.grad());
            return g;
        });
        for (List<Tensor> g : got) {
            for (int i = 0; i < want.size(); i++) assertClose(want.get(i), g.get(i), 1e-6);
            for (int i = 0; i < want.size(); i++) assertArrayEquals(got.get(0).get(i).toFloatArray(), g.get(i).toFloatArray(), "ranks agree bit for bit");
        }
    }

    static void assertClose(Tensor want, Tensor got, double rel) {
        float[] w = want.toFloatArray(), g = got.toFloatArray();
        double scale = 0;
        for (float v : w) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], rel * Math.max(scale, 1e-30) + 1e-12, "element " + i);
        }
    }

    @Test
    void noSyncAccumulatesLocallyAndTheNextSyncedBackwardReducesTheSum() {
        int world = 2;
        List<Module> ms = models(world);
        Module ref = mlp(999);
        ref.loadStateDict(ms.get(0).stateDict());
        // reference: each rank's local sum of two micro-batches, then halved and summed in rank order
        List<Tensor> want = null;
        for (int r = 0; r < world; r++) {
            ref.zeroGrad();
            loss(ref, batch(0, r)).backward();
            loss(ref, batch(1, r)).backward();
            List<Tensor> g = new ArrayList<>();
            for (Tensor p : ref.parameters()) g.add(p.grad().mul(0.5));
            if (want == null) want = g;
            else for (int i = 0; i < g.size(); i++) want.set(i, want.get(i).add(g.get(i)));
        }
        List<List<Tensor>> got = LocalRanks.run(ProcessGroup.loopback(world, LocalRanks.opts(true)), pg -> {
            var ddp = new DistributedDataParallel(ms.get(pg.rank()), pg, new DistributedDataParallel.Options());
            List<Tensor> local = new ArrayList<>();
            try (var s = ddp.noSync()) {
                loss(ddp, batch(0, pg.rank())).backward();
                for (Tensor p : ddp.parameters()) local.add(p.grad().clone());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            loss(ddp, batch(1, pg.rank())).backward();
            List<Tensor> g = new ArrayList<>(local);      // first the unsynced gradients, then the synced ones
            for (Tensor p : ddp.parameters()) g.add(p.grad());
            return g;
        });
        int n = want.size();
        Module solo = mlp(999);
        solo.loadStateDict(ms.get(0).stateDict());
        loss(solo, batch(0, 1)).backward();
        assertArrayEquals(solo.parameters().get(0).grad().toFloatArray(), got.get(1).get(0).toFloatArray(),
                "under noSync rank 1 keeps its own gradient");
        for (List<Tensor> g : got) for (int i = 0; i < n; i++) assertArrayEquals(want.get(i).toFloatArray(), g.get(n + i).toFloatArray());
    }

    /** Two heads; the second is used only when {@code useB}. */
    static final class TwoHeads extends Module {
        final Linear a = registerModule("a", new Linear(4, 2)), b = registerModule("b", new Linear(4, 2));
        boolean useB;

        @Override
        public Tensor forward(Tensor x) { return useB ? a.call(x).add(b.call(x)) : a.call(x); }
    }

    @Test
    void findUnusedParametersLeavesGloballyUnusedGradsAloneAndReducesLocallyUnusedOnes() {
        List<TwoHeads> ms = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Grad4j.manualSeed(7);
            ms.add(new TwoHeads());
        }
        Tensor x = Grad4j.ones(3, 4);
        List<Tensor[]> got = LocalRanks.run(ProcessGroup.loopback(2, LocalRanks.opts(true)), pg -> {
            TwoHeads m = ms.get(pg.rank());
            var ddp = new DistributedDataParallel(m, pg, new DistributedDataParallel.Options().findUnusedParameters(true));
            ddp.call(x).sum().backward();                 // b unused on both ranks
            Tensor bGradAfterFirst = m.b.weight().gradNoWarn();
            m.useB = pg.rank() == 0;                       // b used on rank 0 only
            ddp.zeroGrad();
            ddp.call(x).sum().backward();
            return new Tensor[]{bGradAfterFirst, m.b.weight().grad(), m.a.weight().grad()};
        });
        for (Tensor[] g : got) {
            assertNull(g[0], "a parameter unused on every rank keeps .grad == null");
            // rank 0's gradient of sum(b(x)) wrt b.weight is 3 per element (3 rows of ones); rank 1 contributes 0
            for (float v : g[1].toFloatArray()) assertEquals(1.5f, v);
            for (float v : g[2].toFloatArray()) assertEquals(3f, v);
        }
    }

    @Test
    void anUnusedParameterWithoutFindUnusedParametersFailsTheNextForwardWithPyTorchsMessage() {
        Grad4j.manualSeed(7);
        TwoHeads m = new TwoHeads();
        try (ProcessGroup pg = ProcessGroup.single()) {
            var ddp = new DistributedDataParallel(m, pg, new DistributedDataParallel.Options());
            ddp.call(Grad4j.ones(1, 4)).sum().backward();
            var e = assertThrows(IllegalStateException.class, () -> ddp.call(Grad4j.ones(1, 4)));
            assertTrue(e.getMessage().startsWith("Expected to have finished reduction in the prior iteration before starting a new one."), e.getMessage());
            assertTrue(e.getMessage().contains("findUnusedParameters(true)"), e.getMessage());
        }
    }

    @Test
    void bucketsFollowReverseParameterOrderWithASmallFirstBucket() {
        Grad4j.manualSeed(1);
        // parameters: 0 w[64,64] (16 KB), 1 b[64], 2 w[64,64], 3 b[64], 4 w[64,64], 5 b[64]
        Module m = new Sequential(new Linear(64, 64), new Linear(64, 64), new Linear(64, 64));
        try (ProcessGroup pg = ProcessGroup.single()) {
            var ddp = new DistributedDataParallel(m, pg, new DistributedDataParallel.Options()
                    .firstBucketCapMb(1.0 / 1024).bucketCapMb(30.0 / 1024));
            // first bucket closes at >= 1 KB: b5 (256 B) then w4 (16 KB); the next ones at >= 30 KB
            assertEquals(List.of(List.of(5, 4), List.of(3, 2, 1, 0)), ddp.bucketIndices());
        }
    }

    @Test
    void theFirstBucketIsReducedWhileBackwardStillComputesEarlierLayers() {
        Grad4j.manualSeed(1);
        Module m = new Sequential(new Linear(64, 64), new Tanh(), new Linear(64, 64), new Tanh(), new Linear(64, 64));
        try (ProcessGroup pg = ProcessGroup.single()) {
            var ddp = new DistributedDataParallel(m, pg, new DistributedDataParallel.Options().firstBucketCapMb(1.0 / 1024).bucketCapMb(1.0 / 1024));
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            ddp.registerCommHook((group, bucket) -> {
                events.add("bucket " + bucket.index());
                return CommHooks.allreduce().apply(group, bucket);
            });
            m.parameters().get(0).registerPostAccumulateGradHook(p -> events.add("first layer's weight ready"));
            ddp.call(Grad4j.ones(2, 64)).sum().backward();
            assertEquals("bucket 0", events.get(0), "events: " + events);
            assertTrue(events.indexOf("bucket 0") < events.indexOf("first layer's weight ready"), "events: " + events);
        }
    }

    @Test
    void gradientsStayOutOfSyncInEvalForwardsUnderNoGrad() {
        Module m = mlp(3);
        try (ProcessGroup pg = ProcessGroup.single(); var ng = org.grad4j.autograd.Autograd.noGrad()) {
            var ddp = new DistributedDataParallel(m, pg, new DistributedDataParallel.Options());
            assertNotNull(ddp.call(Grad4j.ones(1, 6)));
            assertNotNull(ddp.call(Grad4j.ones(1, 6)));        // no pending reduction: no error
        }
    }

    @Test
    void stateDictKeysCarryTheModulePrefixAsPyTorchs() {
        Module m = mlp(3);
        try (ProcessGroup pg = ProcessGroup.single()) {
            Map<String, Tensor> sd = new DistributedDataParallel(m, pg, new DistributedDataParallel.Options()).stateDict();
            assertTrue(sd.containsKey("module.0.weight"), sd.keySet().toString());
        }
    }
}
