package org.grad4j.data;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A batch size larger than the dataset (up to Integer.MAX_VALUE: "all in one batch") must not overflow or allocate it. */
class HugeBatchSizeTest {
    static TensorDataset range(int n) {
        return new TensorDataset(Grad4j.arange(n).toDouble().reshape(n, 1), Grad4j.arange(n));
    }

    static List<int[]> shapes(Iterable<Tensor[]> loader) {
        List<int[]> out = new ArrayList<>();
        for (Tensor[] b : loader) out.add(b[0].shape());
        return out;
    }

    @Test
    void batchSizeIntegerMaxValueGivesOneBatchOfEverythingNotSizeZeroAndOutOfMemory() {
        for (int bs : new int[]{Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1 << 30}) {
            var loader = DataLoader.builder(range(10)).batchSize(bs).build();
            assertEquals(1, loader.size(), "len(loader) for batch size " + bs);
            List<int[]> s = shapes(loader);
            assertEquals(1, s.size());
            assertArrayEquals(new int[]{10, 1}, s.get(0));
            var shuffled = DataLoader.builder(range(10)).batchSize(bs).shuffle(true).seed(1).numWorkers(2).build();
            assertEquals(1, shapes(shuffled).size());
        }
    }

    @Test
    void hugeBatchWithDropLastGivesNoBatches() {
        var loader = DataLoader.builder(range(10)).batchSize(Integer.MAX_VALUE).dropLast(true).build();
        assertEquals(0, loader.size());
        assertTrue(shapes(loader).isEmpty());
    }

    @Test
    void batchSamplerSizeDoesNotOverflowForHugeSamplersAndBatches() {
        Sampler huge = new Sampler() {
            public java.util.Iterator<Integer> iterator() { throw new UnsupportedOperationException(); }
            public int size() { return Integer.MAX_VALUE; }
        };
        assertEquals(1, new BatchSampler(huge, Integer.MAX_VALUE, false).size());
        assertEquals(1, new BatchSampler(huge, Integer.MAX_VALUE, true).size());
        assertEquals(2, new BatchSampler(huge, Integer.MAX_VALUE - 1, false).size());
        assertEquals(1, new BatchSampler(huge, Integer.MAX_VALUE - 1, true).size());
        assertEquals(1 << 30, new BatchSampler(huge, 2, false).size());
        List<int[]> batches = new ArrayList<>();
        for (int[] b : new BatchSampler(new SequentialSampler(3000), Integer.MAX_VALUE, false)) batches.add(b);
        assertEquals(1, batches.size());
        assertEquals(3000, batches.get(0).length);
        assertEquals(2999, batches.get(0)[2999]);
    }

    @Test
    void anIterableDatasetWithAHugeBatchSizeIsOneBatch() {
        IterableDataset<Tensor> it = () -> List.of(Grad4j.ones(2), Grad4j.zeros(2), Grad4j.ones(2)).iterator();
        List<Tensor> got = new ArrayList<>();
        for (Tensor b : DataLoader.builder(it).batchSize(Integer.MAX_VALUE).build()) got.add(b);
        assertEquals(1, got.size());
        assertArrayEquals(new int[]{3, 2}, got.get(0).shape());
    }
}
