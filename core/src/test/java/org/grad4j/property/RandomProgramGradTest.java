package org.grad4j.property;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.GradCheck;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradients are right for programs nobody wrote by hand: random programs of 1-30 ops with
 * broadcasting, views and in-place ops, in float64, checked against finite differences
 * (gradcheck: 3,000 programs) and second derivatives (gradgradcheck: 1,000 programs); float32 runs of
 * the same programs agree with float64 (1,000 programs). A failure shrinks to
 * a minimal program that jqwik prints as Java code ({@link RandomProgram#toString()}).
 */
class RandomProgramGradTest {
    private static final GradCheck.Options OPTS = GradCheck.Options.defaults().atol(1e-4).rtol(2e-3);

    @Provide
    Arbitrary<RandomProgram> programs() {
        Arbitrary<int[]> base = Arbitraries.integers().between(0, 3).flatMap(r -> Arbitraries.integers().between(1, 3).array(int[].class).ofSize(r));
        return base.flatMap(shape -> {
            Arbitrary<int[]> inputShape = Arbitraries.integers().between(0, 1).array(int[].class)
                    .ofSize(shape.length).map(ones -> {
                        int[] s = shape.clone();
                        for (int i = 0; i < s.length; i++) if (ones[i] == 1) s[i] = 1;
                        return s;
                    });
            Arbitrary<List<int[]>> inputs = inputShape.list().ofMinSize(1).ofMaxSize(3);
            Arbitrary<RandomProgram.Step> step = Combinators.combine(
                    Arbitraries.of(RandomProgram.Op.class),
                    Arbitraries.integers().between(0, 40),
                    Arbitraries.integers().between(0, 40),
                    Arbitraries.integers().between(0, 3 * RandomProgram.TABLE.size())).as(RandomProgram.Step::new);
            Arbitrary<List<RandomProgram.Step>> steps = Arbitraries.integers().between(1, 30).withDistribution(RandomDistribution.uniform()).flatMap(n -> step.list().ofSize(n));
            Arbitrary<Long> seed = Arbitraries.longs().between(0, 1_000_000);
            return Combinators.combine(inputs, steps, seed).as((in, st, sd) -> new RandomProgram(shape, in, st, sd));
        });
    }

    /**
     * Rejects programs where any value overflows or grows past 100 in magnitude: there (sin of
     * exp of exp, say) derivatives are so large and oscillating that finite differences with
     * eps = 1e-6 lose their meaning, whatever the analytical gradient.
     */
    private static boolean wellConditioned(RandomProgram p) {
        try (var g = Autograd.noGrad()) {
            for (Tensor t : p.values(p.inputs(DType.FLOAT64))) {
                for (double x : t.toDoubleArray()) if (!Double.isFinite(x) || Math.abs(x) > 100) return false;
            }
            return true;
        }
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED, maxDiscardRatio = 10, edgeCases = EdgeCasesMode.NONE, seed = "20261123")
    void gradientsMatchFiniteDifferences(@ForAll("programs") RandomProgram p) {
        Assume.that(wellConditioned(p));
        net.jqwik.api.statistics.Statistics.label("steps").collect(p.steps().size() / 10 * 10);
        net.jqwik.api.statistics.Statistics.label("rank").collect(p.rank());
        Tensor w = p.weights(DType.FLOAT64);
        assertTrue(GradCheck.gradcheck(in -> p.scalar(w, in), OPTS, p.inputs(DType.FLOAT64)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED, maxDiscardRatio = 10, edgeCases = EdgeCasesMode.NONE, seed = "20261123")
    void secondDerivativesMatchFiniteDifferences(@ForAll("programs") RandomProgram p) {
        Assume.that(wellConditioned(p));
        Tensor w = p.weights(DType.FLOAT64);
        assertTrue(GradCheck.gradgradcheck(in -> p.scalar(w, in), OPTS, p.inputs(DType.FLOAT64)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED, maxDiscardRatio = 10, edgeCases = EdgeCasesMode.NONE, seed = "20261123")
    void float32AgreesWithFloat64(@ForAll("programs") RandomProgram p) {
        Assume.that(wellConditioned(p));
        Tensor[] in64 = p.inputs(DType.FLOAT64), in32 = p.inputs(DType.FLOAT32);
        Tensor out64 = p.scalar(p.weights(DType.FLOAT64), in64);
        Tensor out32 = p.scalar(p.weights(DType.FLOAT32), in32);
        out64.backward();
        out32.backward();
        assertClose(out64.toDoubleArray(), out32.toDoubleArray(), "value");
        for (int i = 0; i < in64.length; i++) {
            if (in64[i].grad() == null) continue;
            assertClose(in64[i].grad().toDoubleArray(), in32[i].grad().toDoubleArray(), "grad of input " + i);
        }
    }

    /** float32 tolerance relative to the largest magnitude involved (errors add up over 30 ops). */
    private static void assertClose(double[] ref, double[] f32, String what) {
        double scale = 1;
        for (double v : ref) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < ref.length; i++) {
            double err = Math.abs(ref[i] - f32[i]);
            assertTrue(err <= 1e-3 * scale, () -> what + " differs between float32 and float64: "
                    + Arrays.toString(ref) + " vs " + Arrays.toString(f32));
        }
    }
}
