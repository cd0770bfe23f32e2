package org.grad4j.distributed;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessGroupTest {

    /** Rank r's test data: n floats that differ per rank (odd sizes exercise uneven ring chunks). */
    static float[] data(int rank, int n) {
        Random rnd = new Random(1234 + rank);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void allReduceSumAvgMaxAgreeWithTheSerialReductionOnEveryRank(int world) {
        int n = 1003;
        float[] sum = new float[n], max = new float[n];
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < world; r++) {
            float[] d = data(r, n);
            for (int i = 0; i < n; i++) {
                sum[i] += d[i];
                max[i] = Math.max(max[i], d[i]);
            }
        }
        List<float[][]> res = LocalRanks.run(world, false, pg -> {
            Tensor s = Grad4j.fromArray(data(pg.rank(), n), n), a = s.clone(), m = s.clone();
            pg.allReduce(s, ReduceOp.SUM);
            pg.allReduce(a, ReduceOp.AVG);
            pg.allReduce(m, ReduceOp.MAX);
            return new float[][]{s.toFloatArray(), a.toFloatArray(), m.toFloatArray()};
        });
        for (float[][] r : res) {
            assertArrayEquals(res.get(0)[0], r[0], "every rank holds the same bits");
            assertArrayEquals(max, r[2]);
            for (int i = 0; i < n; i++) {
                assertEquals(sum[i], r[0][i], 1e-5f * (1 + Math.abs(sum[i])));
                assertEquals(sum[i] / world, r[1][i], 1e-5f * (1 + Math.abs(sum[i])));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void deterministicAllReduceSumsInRankOrderBitForBit(int world) {
        int n = 517;
        float[] want = data(0, n).clone();
        for (int r = 1; r < world; r++) {
            float[] d = data(r, n);
            for (int i = 0; i < n; i++) want[i] += d[i];
        }
        List<float[]> res = LocalRanks.run(world, true, pg -> {
            Tensor s = Grad4j.fromArray(data(pg.rank(), n), n);
            pg.allReduce(s, ReduceOp.SUM);
            return s.toFloatArray();
        });
        for (float[] r : res) assertArrayEquals(want, r);
    }

    @Test
    void allReduceOfALargeTensorCrossesManyStagingBuffers() {
        int n = 3_000_001;          // ~12 MB: many 1 MB staging rounds per ring step
        List<Float> res = LocalRanks.run(3, false, pg -> {
            Tensor t = Grad4j.full(new int[]{n}, pg.rank() + 1.0);
            pg.allReduce(t, ReduceOp.SUM);
            float[] a = t.toFloatArray();
            for (float v : a) if (v != 6f) return v;
            return 6f;
        });
        for (float v : res) assertEquals(6f, v);
    }

    @Test
    void backToBackLargeAllReducesKeepTheStreamAligned() {
        // a read that ended inside an element once let the next read take bytes of the next collective
        for (int rep = 0; rep < 3; rep++) {
            List<Float> res = LocalRanks.run(2, false, pg -> {
                Tensor x = Grad4j.full(new int[]{1 << 22}, 1.0);
                for (int i = 0; i < 7; i++) pg.allReduce(x, ReduceOp.SUM);
                return x.toFloatArray()[(1 << 22) - 1];
            });
            for (float v : res) assertEquals(128f, v);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void broadcastCopiesTheSourceRanksTensorEverywhere(int world) {
        int n = 300_000;         // several pipelined segments
        List<double[]> res = LocalRanks.run(world, false, pg -> {
            Tensor t = Grad4j.full(new int[]{n}, pg.rank()).to(DType.FLOAT64);
            t.storage().setDouble(7, 100 + pg.rank());
            pg.broadcast(t, world - 1);
            return t.toDoubleArray();
        });
        for (double[] r : res) {
            assertEquals(world - 1, r[0]);
            assertEquals(world - 1, r[n - 1]);
            assertEquals(100 + world - 1, r[7]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void allGatherStacksEveryRanksTensorInRankOrder(int world) {
        List<Tensor> res = LocalRanks.run(world, false, pg -> pg.allGather(Grad4j.tensor(new long[]{pg.rank(), 10L * pg.rank()})));
        for (Tensor t : res) {
            assertArrayEquals(new int[]{world, 2}, t.shape());
            for (int r = 0; r < world; r++) {
                assertEquals(r, t.getLong(r, 0));
                assertEquals(10L * r, t.getLong(r, 1));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reduceScatterGivesRankRTheReducedBlockR(boolean deterministic) {
        int world = 3, block = 5;
        List<float[]> res = LocalRanks.run(world, deterministic, pg -> {
            float[] in = new float[world * block];
            for (int i = 0; i < in.length; i++) in[i] = i + 100 * pg.rank();
            Tensor out = Grad4j.zeros(block);
            pg.reduceScatter(out, Grad4j.fromArray(in, in.length), ReduceOp.SUM);
            return out.toFloatArray();
        });
        for (int r = 0; r < world; r++) {
            for (int j = 0; j < block; j++) assertEquals(3 * (r * block + j) + 300, res.get(r)[j]);
        }
    }

    @Test
    void barrierWaitsForTheSlowestRank() {
        long t0 = System.nanoTime();
        List<Long> res = LocalRanks.run(3, false, pg -> {
            if (pg.rank() == 2) sleep(300);
            pg.barrier();
            return (System.nanoTime() - t0) / 1_000_000;
        });
        for (long ms : res) assertTrue(ms >= 290, "every rank left the barrier after the slow one arrived, got " + ms + " ms");
    }

    @Test
    void asyncWorkOverlapsAndCompletesInIssueOrder() {
        List<float[]> res = LocalRanks.run(2, false, pg -> {
            Tensor a = Grad4j.full(new int[]{1000}, 1.0), b = Grad4j.full(new int[]{10}, 2.0);
            Work wa = pg.allReduceAsync(a, ReduceOp.SUM), wb = pg.allReduceAsync(b, ReduceOp.MAX);
            wb.await();
            assertTrue(wa.isDone(), "collectives complete in the order they were issued");
            return new float[]{a.toFloatArray()[999], b.toFloatArray()[0]};
        });
        for (float[] r : res) assertArrayEquals(new float[]{2f, 2f}, r);
    }

    @Test
    void mismatchedCollectivesFailWithBothSidesNamed() {
        var e = assertThrows(DistributedException.class, () -> LocalRanks.run(2, false, pg -> {
            if (pg.rank() == 0) pg.allReduce(Grad4j.zeros(4), ReduceOp.SUM);
            else pg.broadcast(Grad4j.zeros(4), 0);
            return null;
        }));
        assertTrue(e.getMessage().contains("does not match rank"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void aRankThatStopsCallingCollectivesMakesTheOthersTimeOutNamingRankAndCollective() {
        var groups = ProcessGroup.loopback(2, new ProcessGroup.Options().timeout(Duration.ofMillis(500)));
        long t0 = System.nanoTime();
        var e = assertThrows(DistributedException.class, () -> LocalRanks.run(groups, pg -> {
            if (pg.rank() == 0) pg.allReduce(Grad4j.zeros(4), ReduceOp.SUM);
            else sleep(2000);       // hangs: never joins the collective
            return null;
        }));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("rank 0 of 2: allReduce"), e.getMessage());
        assertTrue(e.getMessage().contains("timed out waiting for rank 1"), e.getMessage());
        assertTrue(ms < 2500, "failed within the timeout, not at the end of the hang: " + ms);
    }

    @Test
    void afterAFailureTheGroupIsBrokenAndSaysWhy() {
        var groups = ProcessGroup.loopback(2, new ProcessGroup.Options().timeout(Duration.ofMillis(300)));
        try (ProcessGroup g0 = groups.get(0); ProcessGroup g1 = groups.get(1)) {
            assertThrows(DistributedException.class, () -> g0.allReduce(Grad4j.zeros(4), ReduceOp.SUM));
            var e = assertThrows(DistributedException.class, () -> g0.allReduce(Grad4j.zeros(4), ReduceOp.SUM));
            assertTrue(e.getMessage().contains("broken by an earlier failure"), e.getMessage());
        }
    }

    @Test
    void aClosedPeerFailsTheOtherAtOnceNotAfterTheTimeout() {
        var groups = ProcessGroup.loopback(2, new ProcessGroup.Options().timeout(Duration.ofSeconds(30)));
        groups.get(1).close();
        long t0 = System.nanoTime();
        var e = assertThrows(DistributedException.class, () -> groups.get(0).allReduce(Grad4j.zeros(4), ReduceOp.SUM));
        groups.get(0).close();
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
        assertTrue(e.getMessage().contains("rank 1"), e.getMessage());
    }

    @Test
    void aRankThatNeverJoinsFailsTheRendezvousWithinTheTimeout() throws Exception {
        var l0 = ProcessGroup.listen("127.0.0.1");
        var l1 = ProcessGroup.listen("127.0.0.1");
        List<String> peers = List.of(l0.address(), l1.address());
        l1.close();             // rank 1 never shows up
        long t0 = System.nanoTime();
        var e = assertThrows(DistributedException.class, () -> ProcessGroup.fromPeers(0, peers, l0,
                new ProcessGroup.Options().timeout(Duration.ofMillis(700))));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
        assertTrue(e.getMessage().contains("rank 0 of 2: rendezvous timed out"), e.getMessage());
    }

    @Test
    void aGroupOfOneReducesNothingAndGathersItself() {
        try (ProcessGroup pg = ProcessGroup.single()) {
            Tensor t = Grad4j.tensor(new float[]{1, 2});
            pg.allReduce(t, ReduceOp.AVG);
            assertArrayEquals(new float[]{1, 2}, t.toFloatArray());
            assertArrayEquals(new int[]{1, 2}, pg.allGather(t).shape());
            pg.barrier();
        }
    }

    @Test
    void nonContiguousTensorsAreRejectedWithAFix() {
        try (ProcessGroup pg = ProcessGroup.single()) {
            var e = assertThrows(IllegalArgumentException.class, () -> pg.allReduce(Grad4j.zeros(3, 4).t(), ReduceOp.SUM));
            assertTrue(e.getMessage().startsWith("allReduce: Tensors must be contiguous"), e.getMessage());
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }
}
