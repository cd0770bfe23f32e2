package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.storage.Storage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The random family called directly: heap and off-heap draw the same numbers as the public factories. */
class RandomKernelsTest {
    private static final RandomKernels K = Backend.cpu().random();

    private static RandomSource source(Generator g) {
        return new RandomSource() {
            @Override public float nextFloat() { return g.nextFloat(); }
            @Override public double nextDouble() { return g.nextDouble(); }
            @Override public double nextGaussian() { return g.nextGaussian(); }
            @Override public long nextBounded(long range) { return g.nextBounded(range); }
        };
    }

    /** Runs {@code fill} on a heap and an off-heap storage, each from a generator seeded alike; checks they agree. */
    private static Storage[] both(DType t, int n, java.util.function.BiConsumer<Storage, RandomSource> fill) {
        Storage[] s = BothStorages.empty(t, n);
        for (Storage st : s) fill.accept(st, source(new Generator().manualSeed(123)));
        BothStorages.assertSame(s[0], s[1], t + " n=" + n);
        return s;
    }

    @Test
    void heapAndOffHeapDrawTheSameNumbersAsTheFactories() {
        for (int n : new int[]{0, 5, 16, 37}) {
            Storage[] u32 = both(DType.FLOAT32, n, K::uniform);
            assertArrayEquals(Grad4j.rand(new int[]{n}, new Generator().manualSeed(123)).toFloatArray(), (float[]) Staging.copyRange(u32[1], 0, n));
            Storage[] g32 = both(DType.FLOAT32, n, K::normal);
            assertArrayEquals(Grad4j.randn(new int[]{n}, new Generator().manualSeed(123)).toFloatArray(), (float[]) Staging.copyRange(g32[1], 0, n));
            Storage[] g64 = both(DType.FLOAT64, n, K::normal);
            assertArrayEquals(Grad4j.randn(new int[]{n}, DType.FLOAT64, new Generator().manualSeed(123)).toDoubleArray(),
                    (double[]) Staging.copyRange(g64[1], 0, n));
            both(DType.FLOAT64, n, K::uniform);
            Storage[] ri = both(DType.INT64, n, (s, g) -> K.randint(s, -5, 9, g));
            assertArrayEquals(Grad4j.randint(-5, 9, new int[]{n}, new Generator().manualSeed(123)).toLongArray(), (long[]) Staging.copyRange(ri[1], 0, n));
            Storage[] rp = both(DType.INT64, n, K::randperm);
            assertArrayEquals(Grad4j.randperm(n, new Generator().manualSeed(123)).toLongArray(), (long[]) Staging.copyRange(rp[1], 0, n));
        }
    }

    @Test
    void randpermIsAPermutation() {
        Storage[] s = both(DType.INT64, 50, K::randperm);
        boolean[] seen = new boolean[50];
        for (int i = 0; i < 50; i++) seen[(int) s[1].getLong(i)] = true;
        for (int i = 0; i < 50; i++) assertEquals(true, seen[i], "value " + i);
    }
}
