package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.ops.OpTable.bool;
import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.i64;
import static org.grad4j.ops.OpTable.in;
import static org.grad4j.ops.OpTable.op;

/** Casts, Java array conversions and integer/bool semantics (type promotion). */
final class CastTable {
    private CastTable() {}

    private static final String C = "Casts, conversions and integer semantics";

    private static OpInfo c(String name, String call, org.grad4j.autograd.GradCheck.Fn fn, String... torch) {
        return op(C, name, call, fn, torch).samples(Samples.unary()).keepsFloatDtype(false);
    }

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        l.add(c("to_float32", "x.toFloat() / x.to(DType.FLOAT32)", in -> in[0].toFloat(), "Tensor.float", "Tensor.to(torch.float32)")
                .grad(OpInfo.Grad.NONE).dtypes(OpInfo.ALL).known(in(() -> i64(1, -2)), Grad4j.tensor(new double[]{1, -2})));
        l.add(c("to_long", "x.toLong()", in -> in[0].toLong(), "Tensor.long", "Tensor.to(torch.int64)").grad(OpInfo.Grad.NONE).dtypes(OpInfo.ALL)
                .known(in(() -> f64(-1.7, 2.9, -0.2)), i64(-1, 2, 0)));
        l.add(c("to_int", "x.toInt()", in -> in[0].toInt(), "Tensor.int", "Tensor.to(torch.int32)").grad(OpInfo.Grad.NONE).dtypes(OpInfo.ALL)
                .known(in(() -> f64(-1.7, 2.9)), Grad4j.tensor(new long[]{-1, 2}).toInt()));
        l.add(c("to_bool", "x.toBool()", in -> in[0].toBool(), "Tensor.bool", "Tensor.to(torch.bool)").grad(OpInfo.Grad.NONE).dtypes(OpInfo.ALL)
                .known(in(() -> f64(0, 0.5, -1, Double.NaN)), bool(false, true, true, true)));
        l.add(c("to_float64_grad", "x.to(DType.FLOAT64)", in -> in[0].toFloat().toDouble(), "Tensor.double").node("ToCopyBackward0").f32Tol(1e-6)
                .gradOptions(org.grad4j.autograd.GradCheck.Options.defaults().eps(1e-2).atol(1e-3).rtol(1e-2))
                .known(in(() -> f64(1.5)), f64(1.5)));
        l.add(c("to_java_array", "x.toDoubleArray() / toFloatArray() / toLongArray()", in -> Grad4j.fromArray(in[0].toDoubleArray(), in[0].shape()),
                "Tensor.tolist", "Tensor.numpy").grad(OpInfo.Grad.NONE).dtypes(OpInfo.ALL).ref(v -> v));
        l.add(c("from_java_array", "Grad4j.tensor(double[][]) / fromArray(data, shape)", in -> Grad4j.tensor(new double[][]{{1, 2}, {3, 4}}, in[0].dtype()).sum()
                .add(in[0].sum().mul(0)), "torch.tensor", "torch.from_numpy").grad(OpInfo.Grad.NONE).known(in(() -> f64(1)), OpTable.sc(10)));
        l.add(op(C, "int_true_division", "a.div(b) on integers", in -> in[0].div(in[1]), "int / int").grad(OpInfo.Grad.NONE).sample(Samples.s(Samples.a(3), Samples.a(3)))
                .dtypes(OpInfo.NUMERIC).known(in(() -> i64(7, -7, 1), () -> i64(2, 2, 3)), Grad4j.tensor(new double[]{3.5, -3.5, 1.0 / 3})));
        l.add(op(C, "int_floor_division", "a.floorDivide(b)", in -> in[0].floorDivide(in[1]), "int // int", "torch.floor_divide").grad(OpInfo.Grad.NONE)
                .sample(Samples.s(Samples.a(3), Samples.a(3))).dtypes(OpInfo.NUMERIC).keepsFloatDtype(false)
                .known(in(() -> i64(7, -7, 1), () -> i64(2, 2, 3)), i64(3, -4, 0))
                .error("division by zero", () -> i64(1).floorDivide(i64(0)), "ZeroDivisionError"));
        l.add(op(C, "int_plus_float_scalar", "a.add(0.5) on integers", in -> in[0].add(0.5), "int_tensor + 0.5").grad(OpInfo.Grad.NONE)
                .sample(Samples.s(Samples.a(3))).dtypes(OpInfo.NUMERIC).keepsFloatDtype(false)
                .known(in(() -> i64(1, 2)), Grad4j.tensor(new double[]{1.5, 2.5})));
        l.add(op(C, "bool_plus_int", "a.add(b) for bool and int64", in -> in[0].add(in[1]), "bool_tensor + int_tensor").grad(OpInfo.Grad.NONE)
                .sample(Samples.s(Samples.a(3), Samples.a(3))).dtypes(OpInfo.ALL).keepsFloatDtype(false)
                .known(in(() -> bool(true, false), () -> i64(2, 2)), i64(3, 2))
                .known(in(() -> bool(true, false), () -> Grad4j.tensor(true)), bool(true, true)));
        l.add(op(C, "int_pow", "a.pow(b) on integers", in -> in[0].pow(in[1]), "int ** int").grad(OpInfo.Grad.NONE)
                .sample(Samples.s(Samples.a(3), Samples.a(3))).dtypes(OpInfo.FLOATS).domain(0.5, 2)
                .known(in(() -> i64(2, -3), () -> i64(10, 3)), i64(1024, -27))
                // a negative tensor exponent gives 0 (1 and -1 bases excepted), as libtorch's powi; a scalar one raises
                .known(in(() -> i64(2, -1, 1, -1), () -> i64(-1, -3, -5, -2)), i64(0, -1, 1, 1))
                .error("negative scalar exponent", () -> i64(2).pow(-1L), "negative integer powers"));
        l.add(op(C, "int_sum_dtype", "x.sum() on int32 / bool", in -> in[0].sum(), "torch.sum(int)").grad(OpInfo.Grad.NONE).sample(Samples.s(Samples.a(3)))
                .dtypes(OpInfo.ALL).keepsFloatDtype(false)
                .known(in(() -> bool(true, true, false)), Grad4j.tensor(2L)).known(in(() -> i64(1, 2).toInt()), Grad4j.tensor(3L)));
        return l;
    }
}
