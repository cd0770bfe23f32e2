package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** Sample inputs: argument specs (shape and memory layout, or a fixed tensor) materialised per dtype. */
public final class Samples {
    private Samples() {}

    /** CONTIG: row-major; T: the given shape as a transposed view of the swapped shape; STEP: every other element of a wider tensor. */
    public enum Layout { CONTIG, T, STEP }

    /**
     * One argument: random values of a shape and layout, or a fixed tensor such as an index or
     * chosen values (a fixed float tensor is cast to the sample's float dtype). A no-grad argument
     * (a target, a mask, running statistics) never requires grad in the generic tests.
     */
    public record Arg(int[] shape, Layout layout, Supplier<Tensor> fixed, boolean noGrad) {
        Arg(int[] shape, Layout layout, Supplier<Tensor> fixed) { this(shape, layout, fixed, false); }

        boolean isFixed() { return fixed != null; }

        String describe() {
            if (fixed != null) return noGrad ? "constant" : "fixed";
            return Arrays.toString(shape) + (layout == Layout.CONTIG ? "" : layout == Layout.T ? "^T" : "[::2]") + (noGrad ? " (no grad)" : "");
        }
    }

    public record Sample(String desc, Arg... args) {
        boolean nonContiguous() {
            for (Arg a : args) if (a.fixed == null && a.layout != Layout.CONTIG) return true;
            return false;
        }

        boolean hasEmpty() {
            for (Arg a : args) if (a.fixed == null && Arrays.stream(a.shape).anyMatch(d -> d == 0)) return true;
            return false;
        }
    }

    public static Arg a(int... shape) { return new Arg(shape, Layout.CONTIG, null); }

    public static Arg t(int... shape) { return new Arg(shape, Layout.T, null); }

    public static Arg step(int... shape) { return new Arg(shape, Layout.STEP, null); }

    public static Arg fixed(Supplier<Tensor> t) { return new Arg(null, null, t); }

    /** A fixed, non-differentiable input (a target, weights of a loss). */
    public static Arg constant(Supplier<Tensor> t) { return new Arg(null, null, t, true); }

    /** Random values like {@code a}, but not differentiated (e.g. a loss target in PyTorch's no-grad position). */
    public static Arg noGrad(Arg a) { return new Arg(a.shape, a.layout, a.fixed, true); }

    public static Sample s(Arg... args) {
        StringBuilder sb = new StringBuilder();
        for (Arg a : args) sb.append(sb.isEmpty() ? "" : ", ").append(a.describe());
        return new Sample(sb.toString(), args);
    }

    /** Elementwise unary: matrix, 0-d, empty, transposed, strided. */
    public static List<Sample> unary() {
        return List.of(s(a(2, 3)), s(a()), s(a(0, 3)), s(t(3, 2)), s(step(2, 3)));
    }

    /** Elementwise binary: same shape, broadcasts, 0-d, empty, non-contiguous. */
    public static List<Sample> binary() {
        return List.of(s(a(2, 3), a(2, 3)), s(a(2, 3), a(3)), s(a(2, 1, 3), a(2, 1)), s(a(), a(2, 3)),
                s(a(0, 3), a(3)), s(t(2, 3), step(2, 3)));
    }

    /**
     * Materialises a sample: values uniform in [lo, hi), rounded to float32 (so float32 and float64
     * runs see the same numbers), integers rounded for integral dtypes.
     */
    public static Tensor[] make(Sample s, DType dtype, double lo, double hi, long seed) {
        Generator g = new Generator().manualSeed(seed);
        Tensor[] out = new Tensor[s.args.length];
        for (int i = 0; i < out.length; i++) {
            Arg arg = s.args[i];
            if (arg.isFixed()) {
                Tensor f = arg.fixed.get();
                out[i] = f.isFloatingPoint() && dtype.isFloatingPoint() ? f.to(dtype) : f;
                continue;
            }
            int[] shape = arg.shape.clone();
            int r = shape.length;
            if (arg.layout == Layout.T && r >= 2) { int tmp = shape[r - 1]; shape[r - 1] = shape[r - 2]; shape[r - 2] = tmp; }
            if (arg.layout == Layout.STEP && r >= 1) shape[r - 1] *= 2;
            Tensor v = Grad4j.rand(shape, DType.FLOAT64, g).mul(hi - lo).add(lo).to(DType.FLOAT32).to(DType.FLOAT64);
            // integers avoid 0 so that division-like ops do not raise ZeroDivisionError on random samples
            if (!dtype.isFloatingPoint()) v = dtype == DType.BOOL ? v.gt(0.0) : v.round().maskedFill(v.round().eq(0.0), 1.0).to(dtype);
            else v = v.to(dtype);
            if (arg.layout == Layout.T && r >= 2) v = v.transpose(-1, -2);
            if (arg.layout == Layout.STEP && r >= 1) v = v.slice(-1, 0, shape[r - 1], 2);
            out[i] = v;
        }
        return out;
    }

    /** Whether argument {@code i} of the sample may be differentiated. */
    static boolean differentiable(Sample s, int i) { return i >= s.args.length || !s.args[i].noGrad; }

    /** The same values as {@code in}, each made contiguous (fixed args untouched). */
    public static Tensor[] contiguous(Tensor[] in) {
        Tensor[] out = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) out[i] = in[i].contiguous();
        return out;
    }

    static List<Sample> list(Sample... s) { return new ArrayList<>(List.of(s)); }
}
