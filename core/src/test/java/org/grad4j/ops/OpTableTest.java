package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** The generic tests, run over every entry of {@link OpTable}. */
class OpTableTest {
    private static final long SEED = 7;

    private static Stream<DynamicNode> perOp(java.util.function.Predicate<OpInfo> applies, Consumer<OpInfo> check) {
        return OpTable.all().stream().filter(applies).map(op -> dynamicTest(op.name, () -> {
            try {
                check.accept(op);
            } catch (RuntimeException e) {
                throw new AssertionError(op.name + ": " + e, e);
            }
        }));
    }

    /** Marks the sample's differentiable float inputs as requiring grad (targets and other no-grad args stay plain). */
    private static Tensor[] withGrad(Samples.Sample s, Tensor[] in) {
        for (int i = 0; i < in.length; i++) {
            Tensor t = in[i];
            if (t.isFloatingPoint() && !t.requiresGrad() && Samples.differentiable(s, i)) t.requiresGrad_();
        }
        return in;
    }

    private static Tensor[] make(OpInfo op, Samples.Sample s, DType dt) {
        return Samples.make(s, dt, op.lo, op.hi, SEED);
    }

    @Test
    void tableIsWellFormed() {
        Set<String> names = new HashSet<>();
        for (OpInfo op : OpTable.all()) {
            assertTrue(names.add(op.name), "duplicate op " + op.name);
            assertNotNull(op.fn, op.name);
            assertNotNull(op.call, op.name);
            assertFalse(op.torchNames.isEmpty(), op.name);
            assertFalse(op.samples.isEmpty(), op.name + " has no samples");
            assertTrue(op.ref1 != null || op.ref2 != null || !op.known.isEmpty(), op.name + " has no forward reference");
        }
    }

    /** Every public function of {@code F} has a row, so docs/ops.md maps each {@code F.xxx} a porter meets. */
    @Test
    void everyNnFunctionalIsInTheTable() {
        Set<String> torch = new HashSet<>();
        for (OpInfo op : OpTable.all()) for (String n : op.torchNames) torch.add(n.replaceAll("\\(.*", ""));
        List<String> missing = new ArrayList<>();
        for (java.lang.reflect.Method m : org.grad4j.nn.functional.F.class.getMethods()) {
            if (!java.lang.reflect.Modifier.isStatic(m.getModifiers())) continue;
            String snake = m.getName().replace("WithIndices", "").replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
            if (!torch.contains("F." + snake) && !missing.contains(snake)) missing.add(snake);
        }
        assertTrue(missing.isEmpty(), "nn.functional functions without an op-table row: " + missing);
    }

    @TestFactory
    Stream<DynamicNode> forwardMatchesReference() {
        return perOp(op -> true, op -> {
            for (OpInfo.Known k : op.known) {
                Tensor out = op.fn.apply(k.inputs().get());
                assertEquals(k.expected().dtype(), out.dtype(), op.name + " known value: dtype");
                Check.close(out, k.expected(), 1e-6, 1e-7, op.name + " known value");
            }
            if (op.ref1 == null && op.ref2 == null) return;
            for (Samples.Sample s : op.samples) {
                Tensor[] in = make(op, s, DType.FLOAT64);
                Tensor out = op.fn.apply(in);
                int[] shape = out.shape();
                double[] a = in[0].expand(shape).contiguous().toDoubleArray();
                double[] b = op.ref2 != null ? in[1].expand(shape).contiguous().toDoubleArray() : null;
                double[] exp = new double[a.length];
                for (int i = 0; i < a.length; i++) exp[i] = op.ref2 != null ? op.ref2.applyAsDouble(a[i], b[i]) : op.ref1.applyAsDouble(a[i]);
                Check.close(out, org.grad4j.Grad4j.fromArray(exp, shape), 1e-9, 1e-12, op.name + " on " + s.desc());
            }
        });
    }

    @TestFactory
    Stream<DynamicNode> gradcheckFloat64() {
        return perOp(op -> op.grad != OpInfo.Grad.NONE, op -> {
            for (Samples.Sample s : op.samples) {
                Tensor[] in = withGrad(s, make(op, s, DType.FLOAT64));
                try {
                    GradCheck.gradcheck(op.fn, op.gradOptions, in);
                } catch (GradCheck.GradcheckError e) {
                    fail(op.name + " on " + s.desc() + ": " + e.getMessage());
                }
            }
        });
    }

    @TestFactory
    Stream<DynamicNode> gradgradcheckFloat64() {
        return perOp(op -> op.grad == OpInfo.Grad.TWICE, op -> {
            int done = 0;
            for (Samples.Sample s : op.samples) {
                if (s.hasEmpty() || done >= op.gradgradSamples) continue;
                done++;
                Tensor[] in = withGrad(s, make(op, s, DType.FLOAT64));
                try {
                    GradCheck.gradgradcheck(op.fn, op.gradOptions, in);
                } catch (GradCheck.GradcheckError e) {
                    fail(op.name + " on " + s.desc() + ": " + e.getMessage());
                }
            }
        });
    }

    @TestFactory
    Stream<DynamicNode> knownGradients() {
        return perOp(op -> !op.knownGrads.isEmpty(), op -> {
            for (OpInfo.KnownGrad k : op.knownGrads) {
                Tensor[] in = k.inputs().get();
                in[0].requiresGrad_();
                op.fn.apply(in).sum().backward();
                Check.close(in[0].grad(), k.expected(), 1e-9, 1e-12, op.name + " gradient");
            }
        });
    }

    @TestFactory
    Stream<DynamicNode> float32AgreesWithFloat64() {
        return perOp(op -> op.dtypes.contains(DType.FLOAT32), op -> {
            for (Samples.Sample s : op.samples) {
                Tensor o32 = op.fn.apply(make(op, s, DType.FLOAT32));
                Tensor o64 = op.fn.apply(make(op, s, DType.FLOAT64));
                if (o32.isFloatingPoint() && op.keepsFloatDtype) assertEquals(DType.FLOAT32, o32.dtype(), op.name + ": float32 in, float32 out");
                Check.close(o32.to(DType.FLOAT64), o64.to(DType.FLOAT64), op.f32Tol, op.f32Tol, op.name + " float32 vs float64 on " + s.desc());
            }
        });
    }

    @TestFactory
    Stream<DynamicNode> nonContiguousInputsGiveTheSameResult() {
        return perOp(op -> op.samples.stream().anyMatch(Samples.Sample::nonContiguous), op -> {
            for (Samples.Sample s : op.samples) {
                if (!s.nonContiguous()) continue;
                Tensor[] in = make(op, s, DType.FLOAT64);
                boolean anyNonContig = Arrays.stream(in).anyMatch(t -> !t.isContiguous());
                assertTrue(anyNonContig, op.name + ": sample " + s.desc() + " should be non-contiguous");
                Check.close(op.fn.apply(in), op.fn.apply(Samples.contiguous(in)), 1e-12, 1e-12, op.name + " on " + s.desc());
            }
        });
    }

    @TestFactory
    Stream<DynamicNode> otherDtypesRun() {
        return perOp(op -> op.dtypes.stream().anyMatch(d -> !d.isFloatingPoint()), op -> {
            for (DType d : op.dtypes) {
                if (d.isFloatingPoint()) continue;
                Tensor out = op.fn.apply(make(op, op.samples.get(0), d));
                assertNotNull(out, op.name + " " + d);
                assertFalse(out.requiresGrad());
            }
        });
    }

    @TestFactory
    Stream<DynamicNode> badInputsFailClearly() {
        return perOp(op -> !op.errors.isEmpty(), op -> {
            for (OpInfo.ErrorCase e : op.errors) {
                RuntimeException ex = assertThrows(RuntimeException.class, e.call()::run, op.name + ": " + e.description());
                assertNotNull(ex.getMessage(), op.name + ": " + e.description());
                assertTrue(ex.getMessage().contains(e.messagePart()),
                        op.name + ": " + e.description() + ": message should mention '" + e.messagePart() + "': " + ex.getMessage());
            }
        });
    }

    @TestFactory
    Stream<DynamicNode> nodeNamesArePyTorchs() {
        return perOp(op -> op.node != null, op -> {
            Samples.Sample s = op.samples.stream().filter(x -> !x.hasEmpty()).findFirst().orElseThrow();
            Tensor out = op.fn.apply(withGrad(s, make(op, s, DType.FLOAT64)));
            assertNotNull(out.gradFn(), op.name + " records no node");
            assertEquals(op.node, out.gradFn().name(), op.name);
        });
    }

    /** Comparison helper shared by the table tests. */
    static final class Check {
        static void close(Tensor actual, Tensor expected, double rtol, double atol, String what) {
            assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
            double[] a = actual.detach().toDoubleArray(), e = expected.detach().toDoubleArray();
            List<String> bad = new ArrayList<>();
            for (int i = 0; i < a.length; i++) {
                boolean ok = a[i] == e[i] || (Double.isNaN(a[i]) && Double.isNaN(e[i]))
                        || Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
                if (!ok && bad.size() < 5) bad.add("[" + i + "] " + a[i] + " vs expected " + e[i]);
            }
            assertTrue(bad.isEmpty(), what + ": " + bad);
        }
    }
}
