package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/** The whole op table: every family's entries, in documentation order. */
public final class OpTable {
    private OpTable() {}

    private static List<OpInfo> all;

    public static synchronized List<OpInfo> all() {
        if (all == null) {
            List<OpInfo> ops = new ArrayList<>();
            ops.addAll(UnaryTable.ops());
            ops.addAll(BinaryTable.ops());
            ops.addAll(ReduceTable.ops());
            ops.addAll(ShapeTable.ops());
            ops.addAll(LinalgTable.ops());
            ops.addAll(InPlaceTable.ops());
            ops.addAll(CastTable.ops());
            ops.addAll(NnTable.ops());
            ops.addAll(LossTable.ops());
            all = Collections.unmodifiableList(ops);
        }
        return all;
    }

    /** An elementwise op of the table, for random programs: its call (in terms of {@code x}), function and domain. */
    public record Elementwise(String name, String call, GradCheck.Fn fn, double lo, double hi) {}

    /**
     * The table's twice-differentiable one-input elementwise ops (those with a scalar reference),
     * which the property-based tests chain into random programs.
     */
    public static synchronized List<Elementwise> smoothElementwise() {
        List<Elementwise> out = new ArrayList<>();
        for (OpInfo op : all()) {
            if (op.ref1 == null || op.grad != OpInfo.Grad.TWICE || !op.dtypes.contains(DType.FLOAT64)) continue;
            out.add(new Elementwise(op.name, op.call, op.fn, op.lo, op.hi));
        }
        return Collections.unmodifiableList(out);
    }

    // ------------------------------------------------------------------ helpers for the family tables

    /** A one-argument function written as {@code x -> x.exp()}. */
    interface F1 { Tensor f(Tensor x); }

    interface F2 { Tensor f(Tensor x, Tensor y); }

    static OpInfo op(String family, String name, String call, GradCheck.Fn fn, String... torch) {
        return new OpInfo(family, name).call(call).fn(fn).torch(torch);
    }

    static OpInfo op1(String family, String name, String call, F1 f, String... torch) {
        return op(family, name, call, in -> f.f(in[0]), torch);
    }

    static OpInfo op2(String family, String name, String call, F2 f, String... torch) {
        return op(family, name, call, in -> f.f(in[0], in[1]), torch);
    }

    static Tensor sc(double v) { return Grad4j.scalarTensor(v, DType.FLOAT64); }

    static Tensor f64(double... v) { return Grad4j.tensor(v, DType.FLOAT64); }

    static Tensor f64(double[][] v) { return Grad4j.tensor(v, DType.FLOAT64); }

    static Tensor i64(long... v) { return Grad4j.tensor(v); }

    static Tensor bool(boolean... v) { return Grad4j.tensor(v); }

    static Supplier<Tensor[]> in(Supplier<Tensor> a) { return () -> new Tensor[]{a.get()}; }

    static Supplier<Tensor[]> in(Supplier<Tensor> a, Supplier<Tensor> b) { return () -> new Tensor[]{a.get(), b.get()}; }

    static Supplier<Tensor[]> in(Supplier<Tensor> a, Supplier<Tensor> b, Supplier<Tensor> c) {
        return () -> new Tensor[]{a.get(), b.get(), c.get()};
    }
}
