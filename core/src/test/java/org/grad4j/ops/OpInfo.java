package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;

/**
 * One op of the table (like PyTorch's OpInfo): its PyTorch names, the grad4j call, sample inputs,
 * dtypes, differentiability and forward references. The generic tests in {@link OpTableTest} run
 * over every entry; {@link OpsDoc} renders the table as docs/ops.md.
 */
public final class OpInfo {
    /** How far an op is differentiable. */
    public enum Grad { NONE, ONCE, TWICE }

    /** A known result: inputs and the expected output (compared with tolerance 1e-6 relative). */
    public record Known(Supplier<Tensor[]> inputs, Tensor expected) {}

    /** A known gradient of {@code fn(inputs).sum()} with respect to input 0. */
    public record KnownGrad(Supplier<Tensor[]> inputs, Tensor expected) {}

    /** A call that must fail with a clear message naming the op. */
    public record ErrorCase(String description, Runnable call, String messagePart) {}

    public static final Set<DType> FLOATS = EnumSet.of(DType.FLOAT32, DType.FLOAT64);
    public static final Set<DType> NUMERIC = EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32);
    public static final Set<DType> ALL = EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.BOOL);

    final String family;
    final String name;
    final List<String> torchNames = new ArrayList<>();
    String call;
    GradCheck.Fn fn;
    List<Samples.Sample> samples = new ArrayList<>();
    Set<DType> dtypes = FLOATS;
    Grad grad = Grad.TWICE;
    DoubleUnaryOperator ref1;
    DoubleBinaryOperator ref2;
    final List<Known> known = new ArrayList<>();
    final List<KnownGrad> knownGrads = new ArrayList<>();
    final List<ErrorCase> errors = new ArrayList<>();
    String node;
    double lo = -2, hi = 2;
    double f32Tol = 1e-4;
    int gradgradSamples = 2;
    String note = "";
    boolean keepsFloatDtype = true;
    GradCheck.Options gradOptions = GradCheck.Options.defaults();

    OpInfo(String family, String name) {
        this.family = family;
        this.name = name;
    }

    /** PyTorch spellings, e.g. "torch.exp", "Tensor.exp", "F.gelu". */
    OpInfo torch(String... names) { torchNames.addAll(List.of(names)); return this; }

    OpInfo call(String c) { call = c; return this; }

    OpInfo fn(GradCheck.Fn f) { fn = f; return this; }

    OpInfo samples(List<Samples.Sample> s) { samples = new ArrayList<>(s); return this; }

    OpInfo sample(Samples.Sample s) { samples.add(s); return this; }

    OpInfo dtypes(Set<DType> d) { dtypes = d; return this; }

    OpInfo grad(Grad g) { grad = g; return this; }

    OpInfo ref(DoubleUnaryOperator r) { ref1 = r; return this; }

    OpInfo ref(DoubleBinaryOperator r) { ref2 = r; return this; }

    OpInfo known(Supplier<Tensor[]> in, Tensor expected) { known.add(new Known(in, expected)); return this; }

    OpInfo knownGrad(Supplier<Tensor[]> in, Tensor expected) { knownGrads.add(new KnownGrad(in, expected)); return this; }

    OpInfo error(String desc, Runnable r, String part) { errors.add(new ErrorCase(desc, r, part)); return this; }

    OpInfo node(String n) { node = n; return this; }

    OpInfo domain(double l, double h) { lo = l; hi = h; return this; }

    OpInfo f32Tol(double t) { f32Tol = t; return this; }

    OpInfo note(String n) { note = n; return this; }

    /** Looser finite-difference settings, for ops that round through float32. */
    OpInfo gradOptions(GradCheck.Options o) { gradOptions = o; return this; }

    /** False for casts: a float32 input need not give a float32 output. */
    OpInfo keepsFloatDtype(boolean k) { keepsFloatDtype = k; return this; }

    OpInfo gradgradSamples(int n) { gradgradSamples = n; return this; }

    @Override
    public String toString() { return name; }
}
