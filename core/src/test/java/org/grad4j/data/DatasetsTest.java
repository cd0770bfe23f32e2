package org.grad4j.data;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class DatasetsTest {
    static TensorDataset range(int n) {
        return new TensorDataset(Grad4j.arange(n).toDouble().reshape(n, 1), Grad4j.arange(n));
    }

    @Test
    void tensorDatasetSlicesFirstDimension() {
        var ds = range(5);
        assertEquals(5, ds.size());
        Tensor[] s = ds.get(3);
        assertArrayEquals(new int[]{1}, s[0].shape());
        assertEquals(3.0, s[0].item());
        assertEquals(3L, s[1].itemLong());
        var e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Grad4j.zeros(3), Grad4j.zeros(4)));
        assertTrue(e.getMessage().contains("Size mismatch"));
    }

    @Test
    void subsetAndConcat() {
        var a = range(3);
        var b = range(4);
        var sub = new Subset<>(b, new int[]{3, 1});
        assertEquals(3L, sub.get(0)[1].itemLong());
        var cat = new ConcatDataset<>(List.of(a, sub, b));
        assertEquals(9, cat.size());
        long[] got = new long[9];
        for (int i = 0; i < 9; i++) got[i] = cat.get(i)[1].itemLong();
        assertArrayEquals(new long[]{0, 1, 2, 3, 1, 0, 1, 2, 3}, got);
        assertEquals(3L, cat.get(-1)[1].itemLong());
        assertThrows(IndexOutOfBoundsException.class, () -> cat.get(9));
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(a, new int[]{3}));
    }

    @Test
    void randomSplitIsSeededAndPartitions() {
        var ds = range(10);
        var parts = Datasets.randomSplit(ds, new int[]{7, 3}, new Generator().manualSeed(42));
        var again = Datasets.randomSplit(ds, new int[]{7, 3}, new Generator().manualSeed(42));
        assertArrayEquals(parts.get(0).indices(), again.get(0).indices());
        Set<Integer> all = new HashSet<>();
        for (var p : parts) for (int i : p.indices()) all.add(i);
        assertEquals(10, all.size());
        assertEquals(7, parts.get(0).size());
        var other = Datasets.randomSplit(ds, new int[]{7, 3}, new Generator().manualSeed(43));
        assertFalse(Arrays.equals(parts.get(0).indices(), other.get(0).indices()));
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(ds, new int[]{5, 3}, new Generator()));
    }

    @Test
    void randomSplitFractionsDistributeRemainderFromTheFirst() {
        var parts = Datasets.randomSplit(range(11), new double[]{0.3, 0.3, 0.4}, new Generator().manualSeed(0));
        // floor: 3, 3, 4 = 10; the remaining 1 goes to the first part
        assertEquals(List.of(4, 3, 4), parts.stream().map(Subset::size).toList());
    }

    @Test
    void samplers() {
        List<Integer> seq = new ArrayList<>();
        new SequentialSampler(4).forEach(seq::add);
        assertEquals(List.of(0, 1, 2, 3), seq);

        var g = new Generator().manualSeed(1);
        var rs = new RandomSampler(5, false, 12, g);
        List<Integer> r = new ArrayList<>();
        rs.forEach(r::add);
        assertEquals(12, r.size());
        assertEquals(Set.of(0, 1, 2, 3, 4), new HashSet<>(r.subList(0, 5)), "first 5 are a permutation");
        assertEquals(Set.of(0, 1, 2, 3, 4), new HashSet<>(r.subList(5, 10)));
        List<Integer> r2 = new ArrayList<>();
        rs.forEach(r2::add);
        assertNotEquals(r, r2, "a new epoch draws new indices");

        var wr = new RandomSampler(3, true, 100, new Generator().manualSeed(0));
        int c = 0;
        for (int i : wr) { assertTrue(i >= 0 && i < 3); c++; }
        assertEquals(100, c);
    }

    @Test
    void weightedRandomSampler() {
        var s = new WeightedRandomSampler(new double[]{1, 0, 3}, 4000, true, new Generator().manualSeed(0));
        int[] counts = new int[3];
        for (int i : s) counts[i]++;
        assertEquals(0, counts[1], "zero weight never drawn");
        assertEquals(0.75, counts[2] / 4000.0, 0.03);
        var nr = new WeightedRandomSampler(new double[]{1, 2, 3, 0}, 3, false, new Generator().manualSeed(0));
        List<Integer> got = new ArrayList<>();
        nr.forEach(got::add);
        assertEquals(Set.of(0, 1, 2), new HashSet<>(got), "without replacement: each index once");
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[]{1, 0}, 2, false, null));
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[]{1, -1}, 2, true, null));
    }

    @Test
    void batchSampler() {
        List<String> b = new ArrayList<>();
        for (int[] x : new BatchSampler(new SequentialSampler(10), 3, false)) b.add(Arrays.toString(x));
        assertEquals(List.of("[0, 1, 2]", "[3, 4, 5]", "[6, 7, 8]", "[9]"), b);
        assertEquals(4, new BatchSampler(new SequentialSampler(10), 3, false).size());
        int n = 0;
        for (int[] x : new BatchSampler(new SequentialSampler(10), 3, true)) { assertEquals(3, x.length); n++; }
        assertEquals(3, n);
        assertEquals(3, new BatchSampler(new SequentialSampler(10), 3, true).size());
    }

    @Test
    void collateStacksTensorsArraysNumbersMaps() {
        Tensor a = Grad4j.tensor(new double[]{1, 2}), b = Grad4j.tensor(new double[]{3, 4});
        Tensor s = Collate.stack(List.of(a, b));
        assertArrayEquals(new int[]{2, 2}, s.shape());
        assertArrayEquals(new double[]{1, 2, 3, 4}, s.toDoubleArray());
        assertEquals(DType.INT64, ((Tensor) Collate.defaultCollate(List.of(1, 2, 3))).dtype());
        assertEquals(DType.FLOAT64, ((Tensor) Collate.defaultCollate(List.of(1.5, 2.0))).dtype());
        var m = (java.util.Map<?, ?>) Collate.defaultCollate(List.of(java.util.Map.of("x", a), java.util.Map.of("x", b)));
        assertArrayEquals(new int[]{2, 2}, ((Tensor) m.get("x")).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> Collate.stack(List.of(a, Grad4j.zeros(3))));
        assertTrue(e.getMessage().contains("equal size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of(new Object())));
    }
}
