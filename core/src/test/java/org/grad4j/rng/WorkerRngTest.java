package org.grad4j.rng;

import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.data.DataLoader;
import org.grad4j.data.DataLoaderException;
import org.grad4j.data.Dataset;
import org.grad4j.data.WorkerInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;

/** DataLoader workers: each has its own default generator seeded baseSeed + id (PyTorch's worker seeding). */
class WorkerRngTest {
    /** Each sample is global randn(2), after a random pause so workers finish in any order. */
    static final Dataset<Tensor> NOISY = new Dataset<>() {
        @Override
        public Tensor get(int i) {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            return Grad4j.randn(2);
        }

        @Override
        public int size() { return 24; }
    };

    static List<Double> epoch(DataLoader<Tensor, Tensor> loader) {
        List<Double> out = new ArrayList<>();
        for (Tensor b : loader) for (double d : b.toDoubleArray()) out.add(d);
        return out;
    }

    static long baseSeed(long loaderSeed) {
        return new Generator().manualSeed(loaderSeed).nextLong64() & Long.MAX_VALUE;
    }

    @Test
    void globalRandnInsideWorkersIsReproducibleWhateverTheScheduling() {
        int workers = 2, batch = 3;
        var loader = DataLoader.builder(NOISY).batchSize(batch).numWorkers(workers).seed(5).build();
        List<Double> a = epoch(loader);
        Grad4j.manualSeed(999);    // the global generator plays no part in the workers' draws
        List<Double> b = epoch(DataLoader.builder(NOISY).batchSize(batch).numWorkers(workers).seed(5).build());
        assertEquals(a, b, "same loader seed, same samples");
        // expected: batch k is loaded by worker k % 2, whose default generator is seeded baseSeed + id
        long base = baseSeed(5);
        Generator[] g = {new Generator().manualSeed(base), new Generator().manualSeed(base + 1)};
        List<Double> expected = new ArrayList<>();
        for (int k = 0; k < 24 / batch; k++) {
            for (int s = 0; s < batch; s++) {
                for (double d : Grad4j.randn(new int[]{2}, g[k % workers]).toDoubleArray()) expected.add(d);
            }
        }
        assertEquals(expected, a);
        assertNotEquals(a, epoch(loader), "the next epoch draws a new base seed");
    }

    @Test
    void workerInfoSeedIsBaseSeedPlusIdAndIsTheWorkersDefaultGenerator() {
        Map<Integer, Long> seeds = new ConcurrentHashMap<>();
        Map<Integer, Boolean> same = new ConcurrentHashMap<>();
        Dataset<Tensor> ds = new Dataset<>() {
            @Override
            public Tensor get(int i) {
                WorkerInfo w = WorkerInfo.get();
                seeds.put(w.id(), w.seed());
                same.put(w.id(), w.generator() == Grad4j.defaultGenerator());
                return Grad4j.zeros(1);
            }

            @Override
            public int size() { return 8; }
        };
        epoch(DataLoader.builder(ds).batchSize(2).numWorkers(3).seed(17).build());
        long base = baseSeed(17);
        assertTrue(base >= 0);
        assertEquals(Map.of(0, base, 1, base + 1, 2, base + 2), seeds);
        assertEquals(Map.of(0, true, 1, true, 2, true), same);
    }

    @Test
    void baseSeedIsDrawnOncePerIteratorEvenWithoutWorkers() {
        Generator g = new Generator().manualSeed(4);
        Generator ref = new Generator().manualSeed(4);
        var loader = DataLoader.builder(NOISY).batchSize(8).generator(g).build();
        epoch(loader);
        ref.nextLong64();
        assertEquals(ref.nextLong64(), g.copy().nextLong64(), "one random64 drawn from the loader's generator per epoch");
        // without a loader generator it comes from the global one
        Grad4j.manualSeed(8);
        var it = DataLoader.builder(NOISY).batchSize(24).numWorkers(0).build().iterator();
        Generator expected = new Generator().manualSeed(8);
        expected.nextLong64();
        assertEquals(expected.nextLong64(), Grad4j.defaultGenerator().copy().nextLong64());
        it.close();
    }

    @Test
    void workerInitFnRunsOncePerWorkerPerEpochAfterSeeding() {
        Map<Integer, Long> initSeeds = new ConcurrentHashMap<>();
        List<Integer> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        var loader = DataLoader.builder(NOISY).batchSize(2).numWorkers(2).seed(21).workerInitFn(id -> {
            calls.add(id);
            initSeeds.put(id, Grad4j.initialSeed());
        }).build();
        epoch(loader);
        long base = baseSeed(21);
        assertEquals(Map.of(0, base, 1, base + 1), initSeeds);
        epoch(loader);
        assertEquals(4, calls.size(), "once per worker per epoch: " + calls);
        var failing = DataLoader.builder(NOISY).batchSize(2).numWorkers(2).workerInitFn(id -> {
            if (id == 1) throw new IllegalStateException("init failed");
        }).build();
        var e = assertThrows(DataLoaderException.class, () -> epoch(failing));
        assertEquals(1, e.workerId());
        assertTrue(e.getMessage().contains("init failed"), e.getMessage());
    }
}
