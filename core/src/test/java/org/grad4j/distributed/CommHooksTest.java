package org.grad4j.distributed;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommHooksTest {

    static Module net() {
        Grad4j.manualSeed(5);
        return new Sequential(new Linear(12, 10), new Linear(10, 4));
    }

    /** Each rank's gradients after one DDP backward with the hook (built per rank by {@code hook}). */
    static List<List<float[]>> run(int world, Supplier<CommHook> hook, int steps) {
        List<Module> ms = new ArrayList<>();
        for (int r = 0; r < world; r++) ms.add(net());
        return LocalRanks.run(ProcessGroup.loopback(world, LocalRanks.opts(false)), pg -> {
            var ddp = new DistributedDataParallel(ms.get(pg.rank()), pg, new DistributedDataParallel.Options());
            if (hook != null) ddp.registerCommHook(hook.get());
            List<float[]> out = new ArrayList<>();
            for (int s = 0; s < steps; s++) {
                ddp.zeroGrad();
                org.grad4j.Generator g = new org.grad4j.Generator().manualSeed(31L * s + pg.rank());
                Tensor x = Grad4j.randn(new int[]{6, 12}, g), y = Grad4j.randn(new int[]{6, 4}, g);
                org.grad4j.nn.functional.F.mseLoss(ddp.call(x), y).backward();
                for (Tensor p : ddp.parameters()) out.add(p.grad().toFloatArray());
            }
            return out;
        });
    }

    @Test
    void theAllreduceHookAveragesLikeTheDefaultReducer() {
        List<List<float[]>> def = run(2, null, 1), hooked = run(2, CommHooks::allreduce, 1);
        for (int i = 0; i < def.get(0).size(); i++) assertArrayEquals(def.get(0).get(i), hooked.get(1).get(i));
    }

    static void assertNear(float[] want, float[] got, double tol, String what) {
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), what + " element " + i);
    }

    @Test
    void fp16CompressionAveragesWithinHalfPrecisionAndRoundsToFloat16() {
        List<List<float[]>> def = run(3, null, 1), half = run(3, CommHooks::fp16Compress, 1);
        for (int i = 0; i < def.get(0).size(); i++) {
            assertNear(def.get(0).get(i), half.get(2).get(i), 3e-3, "param " + i);
            for (float v : half.get(0).get(i)) assertEquals(v, Float.float16ToFloat(Float.floatToFloat16(v)), "a float16 value");
            assertArrayEquals(half.get(0).get(i), half.get(1).get(i), "ranks agree");
        }
    }

    @Test
    void bf16CompressionAveragesWithinBfloat16AndRoundsToIt() {
        List<List<float[]>> def = run(2, null, 1), bf = run(2, CommHooks::bf16Compress, 1);
        for (int i = 0; i < def.get(0).size(); i++) {
            assertNear(def.get(0).get(i), bf.get(1).get(i), 2e-2, "param " + i);
            for (float v : bf.get(0).get(i)) assertEquals(0, Float.floatToRawIntBits(v) & 0xFFFF, "low 16 bits of a bfloat16 are zero");
        }
    }

    @Test
    void bf16RoundsToNearestEvenAsC10() {
        assertEquals((short) 0x3F80, Flat.Half.fromFloat(1.0f, true));
        assertEquals((short) 0x3F80, Flat.Half.fromFloat(Float.intBitsToFloat(0x3F808000), true), "a tie rounds to even (down)");
        assertEquals((short) 0x3F82, Flat.Half.fromFloat(Float.intBitsToFloat(0x3F818000), true), "a tie rounds to even (up)");
    }

    @Test
    void powerSGDRunsPlainAllreduceBeforeStartIter() {
        List<List<float[]>> def = run(2, null, 2);
        List<List<float[]>> p = run(2, () -> CommHooks.powerSGD(new PowerSGDState().startPowerSGDIter(5)), 2);
        for (int i = 0; i < def.get(0).size(); i++) assertNear(def.get(0).get(i), p.get(0).get(i), 1e-6, "param " + i);
    }

    @Test
    void powerSGDWithFullRankRecoversTheExactAverage() {
        // rank 4 >= min(n, m) of every weight; minCompressionRate 0.01 forces compression of the weights
        List<List<float[]>> def = run(2, null, 1);
        List<List<float[]>> p = run(2, () -> CommHooks.powerSGD(new PowerSGDState().startPowerSGDIter(0)
                .matrixApproximationRank(12).minCompressionRate(0.01)), 1);
        // the second weight [4, 10] has full row rank (4); the first one's gradient has rank <= 8 < 10 here
        // (it flows through the 4 outputs), where Gram-Schmidt on a rank-deficient P cannot recover M
        for (int i = 2; i < def.get(0).size(); i++) assertNear(def.get(0).get(i), p.get(1).get(i), 2e-4, "param " + i);
    }

    @Test
    void powerSGDWithFullRankReproducesAFullRankMatrixInOneProcess() {
        Grad4j.manualSeed(3);
        Tensor buf = Grad4j.randn(120);
        float[] orig = buf.toFloatArray();
        var st = new PowerSGDState().startPowerSGDIter(0).matrixApproximationRank(12).minCompressionRate(0.01);
        try (var pg = ProcessGroup.single()) {
            Tensor m = buf.view(10, 12);
            float[] got = st.hook(pg, new GradBucket(0, buf, List.of(m), List.of(m), true)).join().toFloatArray();
            assertNear(orig, got, 1e-4, "M = P Q^T");
            assertEquals(1, st.iteration());
        }
    }

    @Test
    void powerSGDRankOneSendsARankOneApproximationAndFeedsTheErrorBack() {
        List<List<float[]>> def = run(2, null, 2);
        List<List<float[]>> p = run(2, () -> CommHooks.powerSGD(new PowerSGDState().startPowerSGDIter(0)), 2);
        // param 2 is the second weight [4, 10]: compressed ((4 + 10) * 1 * 2 < 40)
        float[] w = p.get(0).get(2);
        for (int a = 1; a < 4; a++) {
            for (int j = 1; j < 10; j++) {
                double minor = (double) w[0] * w[a * 10 + j] - (double) w[j] * w[a * 10];
                assertEquals(0, minor, 1e-6, "2x2 minors of a rank-1 matrix vanish");
            }
        }
        assertArrayEquals(p.get(0).get(2), p.get(1).get(2), "every rank applies the same approximation");
        // the bias [4] is not compressed: exactly the average
        assertNear(def.get(0).get(3), p.get(0).get(3), 1e-6, "uncompressed bias");
        // error feedback: step 2's gradient carries step 1's error, so it differs from a fresh approximation
        List<List<float[]>> noEf = run(2, () -> CommHooks.powerSGD(new PowerSGDState().startPowerSGDIter(0).useErrorFeedback(false)), 2);
        assertArrayEquals(noEf.get(0).get(2), p.get(0).get(2), "step 1 is the same with or without error feedback");
        assertNotEquals(noEf.get(0).get(6).length, 0);
        boolean differs = false;
        for (int i = 0; i < noEf.get(0).get(6).length; i++) differs |= noEf.get(0).get(6)[i] != p.get(0).get(6)[i];
        assertTrue(differs, "step 2 differs once the first step's error is fed back");
    }
}
