package org.grad4j.rng;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.data.RandomSampler;
import org.grad4j.data.WeightedRandomSampler;
import org.grad4j.nn.Dropout;
import org.grad4j.nn.Linear;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.Init;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/** Generator.getState/setState and Grad4j.getRngState/setRngState/forkRng (torch.get_rng_state and friends). */
class GeneratorStateTest {

    /** Every op that draws from the default generator, as a list of its results' values. */
    static Map<String, Supplier<List<Object>>> randomOps() {
        Map<String, Supplier<List<Object>>> ops = new LinkedHashMap<>();
        ops.put("rand", () -> values(Grad4j.rand(5)));
        ops.put("rand f64", () -> values(Grad4j.rand(new int[]{5}, DType.FLOAT64, Grad4j.defaultGenerator())));
        ops.put("randn small (Box-Muller spare)", () -> values(Grad4j.randn(3)));
        ops.put("randn f64 small", () -> values(Grad4j.randn(new int[]{3}, DType.FLOAT64, Grad4j.defaultGenerator())));
        ops.put("randn large", () -> values(Grad4j.randn(37)));
        ops.put("randint", () -> values(Grad4j.randint(0, 1000, 7)));
        ops.put("randperm", () -> values(Grad4j.randperm(9)));
        ops.put("randnLike", () -> values(Grad4j.randnLike(Grad4j.zeros(4))));
        ops.put("dropout", () -> values(F.dropout(Grad4j.ones(20), 0.5, true)));
        ops.put("Dropout module", () -> values(new Dropout(0.3).call(Grad4j.ones(20))));
        ops.put("uniform_", () -> values(Init.uniform_(Grad4j.zeros(6), -1, 1)));
        ops.put("normal_", () -> values(Init.normal_(Grad4j.zeros(6), 0, 2)));
        ops.put("truncNormal_", () -> values(Init.truncNormal_(Grad4j.zeros(6))));
        ops.put("kaimingUniform_", () -> values(Init.kaimingUniform_(Grad4j.zeros(3, 4))));
        ops.put("xavierNormal_", () -> values(Init.xavierNormal_(Grad4j.zeros(3, 4))));
        ops.put("orthogonal_", () -> values(Init.orthogonal_(Grad4j.zeros(3, 3))));
        ops.put("Linear init", () -> values(new Linear(3, 2).weight()));
        ops.put("RandomSampler", () -> new ArrayList<>(toList(new RandomSampler(10, null))));
        ops.put("RandomSampler with replacement", () -> new ArrayList<>(toList(new RandomSampler(10, true, 40, null))));
        ops.put("WeightedRandomSampler", () -> new ArrayList<>(toList(new WeightedRandomSampler(new double[]{1, 2, 3}, 8, true, null))));
        ops.put("randomSplit", () -> {
            var parts = org.grad4j.data.Datasets.randomSplit(new org.grad4j.data.TensorDataset(Grad4j.arange(10)), new int[]{7, 3}, null);
            List<Object> out = new ArrayList<>();
            for (var p : parts) for (int i : p.indices()) out.add(i);
            return out;
        });
        return ops;
    }

    static List<Object> values(Tensor t) {
        List<Object> out = new ArrayList<>();
        if (t.dtype().isFloatingPoint()) for (double d : t.toDoubleArray()) out.add(Double.doubleToRawLongBits(d));
        else for (long v : t.toLongArray()) out.add(v);
        return out;
    }

    static List<Integer> toList(Iterable<Integer> it) {
        List<Integer> l = new ArrayList<>();
        it.forEach(l::add);
        return l;
    }

    @Test
    void restoringTheRngStateReplaysEveryRandomOpExactly() {
        for (var op : randomOps().entrySet()) {
            Grad4j.manualSeed(123);
            Grad4j.randn(1);                        // leaves a cached Box-Muller normal: it must be in the state
            Tensor state = Grad4j.getRngState();
            List<Object> first = op.getValue().get();
            List<Object> after = values(Grad4j.rand(3));
            Grad4j.setRngState(state);
            assertEquals(first, op.getValue().get(), op.getKey() + ": same numbers after restoring the state");
            assertEquals(after, values(Grad4j.rand(3)), op.getKey() + ": and the stream continues the same");
        }
    }

    @Test
    void cachedSpareNormalIsPartOfTheState() {
        Generator g = new Generator().manualSeed(7);
        g.nextGaussian();                            // the second Box-Muller value is now cached
        Tensor s = g.getState();
        double spare = g.nextGaussian();
        Generator h = new Generator().manualSeed(999).setState(s);
        assertEquals(spare, h.nextGaussian(), 0.0, "the spare normal travels with the state");
        assertEquals(g.nextInt32(), h.nextInt32());
    }

    @Test
    void stateIsAUint8TensorInPyTorchsLayout() {
        Generator g = new Generator().manualSeed(42);
        Tensor s = g.getState();
        assertEquals(DType.UINT8, s.dtype());
        assertArrayEquals(new int[]{5056}, s.shape());
        ByteBuffer b = bytes(s);
        assertEquals(42, b.getLong(0), "the_initial_seed");
        assertEquals(1, b.getInt(8), "left after seeding");
        assertEquals(1, b.getInt(12), "seeded");
        assertEquals(0, b.getLong(16), "next");
        assertEquals(42, b.getLong(24), "state[0] is the seed's low 32 bits");
        assertEquals(0, b.getInt(5040), "no cached normal");
        g.nextInt32();
        ByteBuffer b2 = bytes(g.getState());
        assertEquals(624, b2.getInt(8), "left after the first twist and one draw");
        assertEquals(1, b2.getLong(16), "next");
        g.nextGaussian();
        assertEquals(1, bytes(g.getState()).getInt(5040), "normal_is_valid once a spare normal is cached");
        assertEquals(42, g.initialSeed());
        assertEquals(42, new Generator().setState(s).initialSeed(), "the initial seed is restored too");
    }

    static ByteBuffer bytes(Tensor s) {
        byte[] a = new byte[s.numel()];
        long[] v = s.toLongArray();
        for (int i = 0; i < a.length; i++) a[i] = (byte) v[i];
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void getStateIsACopy() {
        Generator g = new Generator().manualSeed(3);
        Tensor s = g.getState();
        List<Object> before = values(s);
        g.nextLong64();
        assertEquals(before, values(s), "drawing does not change a captured state");
        Generator c = g.copy();
        assertEquals(g.nextLong64(), c.nextLong64(), "a copy continues the same stream");
    }

    @Test
    void wrongStateTensorIsRejectedWithAClearError() {
        Generator g = new Generator();
        var e1 = assertThrows(IllegalArgumentException.class, () -> g.setState(Grad4j.zeros(5056)));
        assertTrue(e1.getMessage().contains("RNG state must be a torch.ByteTensor") && e1.getMessage().contains("Fix:"), e1.getMessage());
        Tensor shortState = g.getState().slice(0, 0, 100).contiguous();
        var e2 = assertThrows(IllegalArgumentException.class, () -> g.setState(shortState));
        assertTrue(e2.getMessage().contains("Expected a CPUGeneratorImplState of size 5056 but found the input RNG state size to be 100"),
                e2.getMessage());
        Tensor zeros = Grad4j.zeros(new int[]{5056}, DType.UINT8);
        var e3 = assertThrows(IllegalArgumentException.class, () -> g.setState(zeros));
        assertTrue(e3.getMessage().contains("Invalid mt19937 state"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> Grad4j.setRngState(Grad4j.zeros(new int[]{5056}, DType.INT8)));
        assertTrue(e4.getMessage().contains("torch.ByteTensor"), e4.getMessage());
        // a failed setState leaves the generator as it was
        Generator h = new Generator().manualSeed(5);
        long expected = new Generator().manualSeed(5).nextLong64();
        assertThrows(IllegalArgumentException.class, () -> h.setState(zeros));
        assertEquals(expected, h.nextLong64());
    }

    @Test
    void forkRngRestoresTheCallersStream() {
        Grad4j.manualSeed(11);
        List<Object> expected = values(Grad4j.randn(5));
        Grad4j.manualSeed(11);
        try (var fork = Grad4j.forkRng()) {
            Grad4j.randn(100);
            Grad4j.manualSeed(0);
            Grad4j.rand(3);
        }
        assertEquals(expected, values(Grad4j.randn(5)), "draws after the fork continue as if it had not run");
        assertEquals(11, Grad4j.initialSeed());
    }

    @Test
    void seedPicksAFreshSeedThatReplays() {
        Generator g = new Generator();
        long s = g.seed();
        assertEquals(s, g.initialSeed());
        long first = g.nextLong64();
        assertEquals(first, new Generator().manualSeed(s).nextLong64());
        long t = Grad4j.seed();
        assertEquals(t, Grad4j.initialSeed());
    }

    @Test
    void threadGeneratorReplacesTheDefaultOnlyInItsThread() throws Exception {
        Generator mine = new Generator().manualSeed(1);
        Generator global = Grad4j.defaultGenerator();
        try (var scope = Grad4j.useThreadGenerator(mine)) {
            assertSame(mine, Grad4j.defaultGenerator());
            Generator[] seen = new Generator[1];
            Thread t = new Thread(() -> seen[0] = Grad4j.defaultGenerator());
            t.start();
            t.join();
            assertSame(global, seen[0], "other threads keep the global generator");
            List<Object> a = values(Grad4j.randn(4));
            assertEquals(values(Grad4j.randn(new int[]{4}, new Generator().manualSeed(1))), a);
        }
        assertSame(global, Grad4j.defaultGenerator());
    }
}
