package org.grad4j.data;

import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {
    static TensorDataset range(int n) {
        return new TensorDataset(Grad4j.arange(n).toDouble().reshape(n, 1), Grad4j.arange(n));
    }

    static List<Long> labels(Iterable<Tensor[]> loader) {
        List<Long> out = new ArrayList<>();
        for (Tensor[] b : loader) for (long v : b[1].toLongArray()) out.add(v);
        return out;
    }

    @Test
    void sequentialBatchesAndDropLast() {
        var loader = DataLoader.builder(range(10)).batchSize(4).build();
        assertEquals(3, loader.size());
        List<int[]> shapes = new ArrayList<>();
        for (Tensor[] b : loader) shapes.add(b[0].shape());
        assertArrayEquals(new int[]{4, 1}, shapes.get(0));
        assertArrayEquals(new int[]{2, 1}, shapes.get(2));
        assertEquals(LongStreamRange.of(10), labels(loader));
        var dl = DataLoader.builder(range(10)).batchSize(4).dropLast(true).build();
        assertEquals(2, dl.size());
        assertEquals(8, labels(dl).size());
    }

    @Test
    void shuffleIsSeededAndChangesEveryEpoch() {
        var l1 = DataLoader.builder(range(20)).batchSize(5).shuffle(true).seed(7).build();
        var l2 = DataLoader.builder(range(20)).batchSize(5).shuffle(true).seed(7).build();
        List<Long> e1 = labels(l1), e2 = labels(l1);
        assertEquals(e1, labels(l2));
        assertEquals(e2, labels(l2));
        assertNotEquals(e1, e2);
        assertEquals(new HashSet<>(LongStreamRange.of(20)), new HashSet<>(e1));
    }

    @Test
    void workersDeliverTheSameBatchesInOrder() {
        var ds = range(103);
        List<Long> serial = labels(DataLoader.builder(ds).batchSize(8).shuffle(true).seed(3).build());
        for (int w : new int[]{1, 2, 4}) {
            var loader = DataLoader.builder(slow(ds)).batchSize(8).shuffle(true).seed(3).numWorkers(w).prefetchFactor(1).build();
            assertEquals(serial, labels(loader), "workers " + w);
        }
    }

    /** Samples take a random short time, so workers finish out of order. */
    static Dataset<Tensor[]> slow(Dataset<Tensor[]> ds) {
        return new Dataset<>() {
            @Override
            public Tensor[] get(int i) {
                try {
                    Thread.sleep((i * 7) % 3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ds.get(i);
            }

            @Override
            public int size() { return ds.size(); }
        };
    }

    @Test
    void workersActuallyRunInParallelThreads() {
        Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Dataset<Tensor> ds = new Dataset<>() {
            @Override
            public Tensor get(int i) {
                threads.add(Thread.currentThread().getName());
                return Grad4j.tensor((double) i);
            }

            @Override
            public int size() { return 40; }
        };
        var loader = DataLoader.builder(ds).batchSize(2).numWorkers(3).build();
        int n = 0;
        for (Tensor b : loader) n += b.numel();
        assertEquals(40, n);
        assertEquals(Set.of("grad4j-dataloader-worker-0", "grad4j-dataloader-worker-1", "grad4j-dataloader-worker-2"), threads);
    }

    @Test
    void workerExceptionReachesCallerWithCause() {
        Dataset<Tensor> ds = new Dataset<>() {
            @Override
            public Tensor get(int i) {
                if (i == 13) throw new IllegalStateException("bad sample 13");
                return Grad4j.tensor((double) i);
            }

            @Override
            public int size() { return 30; }
        };
        var loader = DataLoader.builder(ds).batchSize(4).numWorkers(2).build();
        var it = loader.iterator();
        var e = assertThrows(DataLoaderException.class, () -> { while (it.hasNext()) it.next(); });
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("bad sample 13", e.getCause().getMessage());
        assertEquals(3, e.batchIndex());
        assertEquals(1, e.workerId());
        assertTrue(e.getMessage().contains("worker 1"), e.getMessage());
        assertFalse(it.hasNext(), "the epoch ends after a worker error");
        // without workers the exception propagates unchanged
        var serial = DataLoader.builder(ds).batchSize(4).build();
        assertThrows(IllegalStateException.class, () -> { for (Tensor t : serial) t.sum(); });
    }

    static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("grad4j-dataloader-worker") && t.isAlive()).count();
    }

    @Test
    void closingMidEpochStopsThreadsNoLeakAfterAThousandLoaders() throws Exception {
        long before = workerThreads();
        var ds = range(200);
        for (int i = 0; i < 1000; i++) {
            var loader = DataLoader.builder(ds).batchSize(4).numWorkers(2).build();
            try (var it = loader.iterator()) {
                it.next();
                it.next();
            }
        }
        assertEquals(before, workerThreads(), "worker threads left running");
        // a finished epoch stops its workers by itself
        var loader = DataLoader.builder(ds).batchSize(50).numWorkers(2).build();
        assertEquals(200, labels(loader).size());
        assertEquals(before, workerThreads());
    }

    @Test
    void perWorkerStreamsAreReproducibleAndDistinct() {
        // each sample draws one number from its worker's generator
        Dataset<Tensor> ds = new Dataset<>() {
            @Override
            public Tensor get(int i) {
                WorkerInfo w = WorkerInfo.get();
                return Grad4j.tensor(new double[]{w.generator().nextDouble(), w.id()});
            }

            @Override
            public int size() { return 24; }
        };
        var a = DataLoader.builder(ds).batchSize(3).numWorkers(4).seed(11).build();
        var b = DataLoader.builder(ds).batchSize(3).numWorkers(4).seed(11).build();
        List<Double> ea1 = draws(a), ea2 = draws(a), eb1 = draws(b);
        assertEquals(ea1, eb1, "same seed, same draws");
        assertNotEquals(ea1, ea2, "a new epoch gets new streams");
        Set<Double> all = new HashSet<>(ea1);
        all.addAll(ea2);
        assertEquals(48, all.size(), "no draw repeats across workers or epochs");
        assertNull(WorkerInfo.get(), "no worker info in the caller");
    }

    static List<Double> draws(DataLoader<Tensor, Tensor> l) {
        List<Double> out = new ArrayList<>();
        for (Tensor b : l) for (int i = 0; i < b.size(0); i++) out.add(b.getDouble(i, 0));
        return out;
    }

    @Test
    void customCollateSamplerAndBatchSampler() {
        var ds = range(6);
        var loader = DataLoader.builder(ds).batchSize(2).collate(samples -> samples.size()).build();
        int total = 0;
        for (int n : loader) total += n;
        assertEquals(6, total);

        var sampled = DataLoader.builder(ds).sampler(new Sampler() {
            public java.util.Iterator<Integer> iterator() { return List.of(5, 4).iterator(); }
            public int size() { return 2; }
        }).batchSize(2).build();
        assertEquals(List.of(5L, 4L), labels(sampled));

        var bs = DataLoader.builder(ds).batchSampler(List.of(new int[]{0, 5}, new int[]{2})).build();
        assertEquals(List.of(0L, 5L, 2L), labels(bs));

        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).shuffle(true).sampler(new SequentialSampler(6)).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).batchSize(2).batchSampler(List.of()).build());
    }

    @Test
    void iterableDataset() {
        IterableDataset<Tensor> ds = () -> IntStream.range(0, 7).mapToObj(i -> Grad4j.tensor((double) i)).iterator();
        var loader = DataLoader.builder(ds).batchSize(3).build();
        List<Integer> sizes = new ArrayList<>();
        for (Tensor b : loader) sizes.add(b.size(0));
        assertEquals(List.of(3, 3, 1), sizes);
        var dl = DataLoader.builder(ds).batchSize(3).dropLast(true).build();
        sizes.clear();
        for (Tensor b : dl) sizes.add(b.size(0));
        assertEquals(List.of(3, 3), sizes);
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).shuffle(true).build());
    }

    @Test
    void shuffleWithoutGeneratorFollowsGlobalSeed() {
        Grad4j.manualSeed(5);
        List<Long> a = labels(DataLoader.builder(range(10)).batchSize(10).shuffle(true).build());
        Grad4j.manualSeed(5);
        List<Long> b = labels(DataLoader.builder(range(10)).batchSize(10).shuffle(true).build());
        assertEquals(a, b);
        // the seed is drawn from the global generator when an epoch starts, as in PyTorch
        var loader = DataLoader.builder(range(10)).batchSize(10).shuffle(true).build();
        Grad4j.manualSeed(5);
        assertEquals(a, labels(loader));
        assertNotEquals(a, labels(loader));
    }

    static final class LongStreamRange {
        static List<Long> of(int n) {
            List<Long> l = new ArrayList<>();
            for (long i = 0; i < n; i++) l.add(i);
            return l;
        }
    }

    @Test
    void generatorIsUsedForShuffle() {
        var g = new Generator().manualSeed(9);
        var l = DataLoader.builder(range(8)).batchSize(8).shuffle(true).generator(g).build();
        List<Long> e = labels(l);
        // PyTorch: the iterator first draws its base seed (one random64) from the loader's generator,
        // then the sampler draws its permutation from the same generator
        Generator g2 = new Generator().manualSeed(9);
        g2.nextLong64();
        long[] perm = Grad4j.randperm(8, g2).toLongArray();
        List<Long> expected = new ArrayList<>();
        for (long v : perm) expected.add(v);
        assertEquals(expected, e, "the sampler draws a permutation from the loader's generator after the base seed");
    }

    @Test
    void abandonedIteratorsAreStoppedByTheGarbageCollector() throws Exception {
        long before = workerThreads();
        var ds = range(400);
        for (int i = 0; i < 20; i++) {
            var it = DataLoader.builder(ds).batchSize(2).numWorkers(2).build().iterator();
            it.next();      // left without close(), as after a `break` out of a for-each loop
        }
        for (int i = 0; i < 100 && workerThreads() > before; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(before, workerThreads(), "unreachable iterators must not keep worker threads alive");
    }
}
