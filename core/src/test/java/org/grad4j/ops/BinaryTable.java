package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.i64;
import static org.grad4j.ops.OpTable.in;
import static org.grad4j.ops.OpTable.op;
import static org.grad4j.ops.OpTable.op2;
import static org.grad4j.ops.Samples.a;
import static org.grad4j.ops.Samples.fixed;
import static org.grad4j.ops.Samples.s;

/** Elementwise binary ops, comparisons and logical ops. */
final class BinaryTable {
    private BinaryTable() {}

    private static final String B = "Binary";

    private static OpInfo b(String name, String call, OpTable.F2 f, DoubleBinaryOperator ref, String... torch) {
        OpInfo op = op2(B, name, call, f, torch).samples(Samples.binary())
                .error("shapes that do not broadcast", () -> f.f(Grad4j.zeros(2, 3), Grad4j.zeros(4)), "cannot be broadcast together");
        return ref == null ? op : op.ref(ref);
    }

    private static OpInfo cmp(String name, String call, OpTable.F2 f, DoubleBinaryOperator ref, String... torch) {
        return b(name, call, f, ref, torch).grad(OpInfo.Grad.NONE).dtypes(OpInfo.ALL);
    }

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        l.add(b("add", "a.add(b)", Tensor::add, Double::sum, "torch.add", "Tensor.add", "a + b").node("AddBackward0").dtypes(OpInfo.NUMERIC)
                .known(in(() -> OpTable.bool(true, false), () -> OpTable.bool(true, true)), OpTable.bool(true, true)));
        l.add(b("add_alpha", "a.add(b, alpha)", (x, y) -> x.add(y, 2.5), (x, y) -> x + 2.5 * y, "torch.add(alpha=)").node("AddBackward0"));
        l.add(b("sub", "a.sub(b)", Tensor::sub, (x, y) -> x - y, "torch.sub", "torch.subtract", "Tensor.sub", "a - b").node("SubBackward0").dtypes(OpInfo.NUMERIC));
        l.add(b("rsub", "x.rsub(s)", (x, y) -> x.rsub(3.0).add(y), (x, y) -> 3 - x + y, "torch.rsub", "s - x"));
        l.add(b("mul", "a.mul(b)", Tensor::mul, (x, y) -> x * y, "torch.mul", "torch.multiply", "Tensor.mul", "a * b").node("MulBackward0").dtypes(OpInfo.NUMERIC));
        l.add(b("div", "a.div(b)", Tensor::div, (x, y) -> x / y, "torch.div", "torch.true_divide", "Tensor.div", "a / b").node("DivBackward0")
                .domain(0.5, 2).dtypes(OpInfo.NUMERIC)
                .known(in(() -> i64(7, -7), () -> i64(2, 2)), Grad4j.tensor(new double[]{3.5, -3.5})));
        l.add(b("div_trunc", "a.div(b, \"trunc\")", (x, y) -> x.div(y, "trunc"), (x, y) -> { double q = x / y; return q < 0 ? Math.ceil(q) : Math.floor(q); },
                "torch.div(rounding_mode='trunc')").domain(-3, 3).dtypes(OpInfo.NUMERIC).node("DivBackward2")
                .known(in(() -> i64(7, -7), () -> i64(2, 2)), i64(3, -3)));
        l.add(b("div_floor", "a.div(b, \"floor\")", (x, y) -> x.div(y, "floor"), (x, y) -> Math.floor(x / y),
                "torch.div(rounding_mode='floor')", "torch.floor_divide", "a // b").domain(-3, 3).dtypes(OpInfo.NUMERIC)
                .known(in(() -> i64(7, -7), () -> i64(2, 2)), i64(3, -4)));
        l.add(b("pow", "a.pow(b)", Tensor::pow, Math::pow, "torch.pow", "Tensor.pow", "a ** b").node("PowBackward1").domain(0.5, 2)
                .known(in(() -> i64(2, 3), () -> i64(3, 2)), i64(8, 9)).dtypes(OpInfo.NUMERIC));
        l.add(op(B, "pow_scalar", "x.pow(2.5)", in -> in[0].pow(2.5), "torch.pow(x, scalar)", "x ** s").samples(Samples.unary()).domain(0.5, 2)
                .ref(v -> Math.pow(v, 2.5)).node("PowBackward0"));
        l.add(op(B, "rpow", "x.rpow(base)", in -> in[0].rpow(1.5), "torch.pow(scalar, x)", "s ** x").samples(Samples.unary())
                .ref(v -> Math.pow(1.5, v)).node("PowBackward2"));
        l.add(b("atan2", "a.atan2(b)", Tensor::atan2, Math::atan2, "torch.atan2", "torch.arctan2", "Tensor.atan2").node("Atan2Backward0"));
        l.add(b("logaddexp", "a.logaddexp(b)", Tensor::logaddexp, (x, y) -> Math.max(x, y) + Math.log1p(Math.exp(-Math.abs(x - y))),
                "torch.logaddexp", "Tensor.logaddexp").node("LogaddexpBackward0")
                .known(in(() -> f64(1000, Double.NEGATIVE_INFINITY), () -> f64(1000, Double.NEGATIVE_INFINITY)),
                        f64(1000 + Math.log(2), Double.NEGATIVE_INFINITY)));
        l.add(b("maximum", "a.maximum(b)", Tensor::maximum, Math::max, "torch.maximum", "torch.max(a, b)", "Tensor.maximum").node("MaximumBackward0")
                .knownGrad(in(() -> f64(1, 2, 3), () -> f64(2, 2, 2)), f64(0, 0.5, 1)).dtypes(OpInfo.NUMERIC));
        l.add(b("minimum", "a.minimum(b)", Tensor::minimum, Math::min, "torch.minimum", "torch.min(a, b)", "Tensor.minimum").node("MinimumBackward0")
                .knownGrad(in(() -> f64(1, 2, 3), () -> f64(2, 2, 2)), f64(1, 0.5, 0)).dtypes(OpInfo.NUMERIC));
        l.add(b("fmod", "a.fmod(b)", Tensor::fmod, (x, y) -> x % y, "torch.fmod", "Tensor.fmod").node("FmodBackward1").domain(0.3, 3)
                .known(in(() -> i64(-7, 7), () -> i64(3, -3)), i64(-1, 1)).dtypes(OpInfo.NUMERIC));
        l.add(b("remainder", "a.remainder(b)", Tensor::remainder, (x, y) -> x - Math.floor(x / y) * y, "torch.remainder", "Tensor.remainder", "a % b")
                .node("RemainderBackward1").domain(0.3, 3).known(in(() -> i64(-7, 7), () -> i64(3, -3)), i64(2, -2)).dtypes(OpInfo.NUMERIC));
        l.add(b("lerp", "a.lerp(b, weight)", (x, y) -> x.lerp(y, 0.3), (x, y) -> x + 0.3 * (y - x), "torch.lerp", "Tensor.lerp").node("LerpBackward0"));
        l.add(op(B, "lerp_tensor", "a.lerp(b, w)", in -> in[0].lerp(in[1], in[2]), "torch.lerp(weight=Tensor)").node("LerpBackward1")
                .sample(s(a(2, 3), a(3), a(2, 1))).sample(s(a(), a(2), a()))
                .known(() -> new Tensor[]{f64(1, 2), f64(3, 6), f64(0.5, 0.25)}, f64(2, 3)));
        l.add(op(B, "clamp_tensor", "x.clamp(min, max)", in -> in[0].mul(3.0).clamp(in[1].sub(2.5), in[2].add(2.5)), "torch.clamp(min=Tensor, max=Tensor)")
                .node("ClampBackward0").sample(s(a(2, 3), a(3), a(2, 1))).sample(s(a(3), a(), a(3)))
                .known(() -> new Tensor[]{f64(-1, 0.5, 3), f64(-2.5, -2.5, -2.5), f64(-1.5, -1.5, -1.5)}, f64(-3, 1, 1)));
        l.add(op(B, "where", "Grad4j.where(cond, a, b)", in -> Grad4j.where(in[0], in[1], in[2]), "torch.where", "Tensor.where")
                .node("WhereBackward0")
                .sample(s(fixed(() -> OpTable.bool(true, false, true)), a(2, 3), a(3)))
                .sample(s(fixed(() -> Grad4j.tensor(true)), a(), a(2)))
                .known(() -> new Tensor[]{OpTable.bool(true, false), f64(1, 2), f64(3, 4)}, f64(1, 4))
                .error("non-bool condition", () -> Grad4j.where(f64(1), f64(1), f64(2)), "boolean"));
        l.add(cmp("eq", "a.eq(b)", Tensor::eq, (x, y) -> x == y ? 1 : 0, "torch.eq", "Tensor.eq", "a == b"));
        l.add(cmp("ne", "a.ne(b)", Tensor::ne, (x, y) -> x != y ? 1 : 0, "torch.ne", "Tensor.ne", "a != b"));
        l.add(cmp("lt", "a.lt(b)", Tensor::lt, (x, y) -> x < y ? 1 : 0, "torch.lt", "torch.less", "Tensor.lt", "a < b"));
        l.add(cmp("le", "a.le(b)", Tensor::le, (x, y) -> x <= y ? 1 : 0, "torch.le", "torch.less_equal", "Tensor.le", "a <= b"));
        l.add(cmp("gt", "a.gt(b)", Tensor::gt, (x, y) -> x > y ? 1 : 0, "torch.gt", "torch.greater", "Tensor.gt", "a > b"));
        l.add(cmp("ge", "a.ge(b)", Tensor::ge, (x, y) -> x >= y ? 1 : 0, "torch.ge", "torch.greater_equal", "Tensor.ge", "a >= b"));
        l.add(cmp("logical_and", "a.logicalAnd(b)", Tensor::logicalAnd, (x, y) -> x != 0 && y != 0 ? 1 : 0, "torch.logical_and", "Tensor.logical_and"));
        l.add(cmp("logical_or", "a.logicalOr(b)", Tensor::logicalOr, (x, y) -> x != 0 || y != 0 ? 1 : 0, "torch.logical_or", "Tensor.logical_or"));
        l.add(cmp("logical_xor", "a.logicalXor(b)", Tensor::logicalXor, (x, y) -> (x != 0) != (y != 0) ? 1 : 0, "torch.logical_xor", "Tensor.logical_xor"));
        l.add(op(B, "allclose", "a.allclose(b, rtol, atol)", in -> Grad4j.tensor(in[0].allclose(in[1], 1e-5, 1e-8)), "torch.allclose", "Tensor.allclose")
                .grad(OpInfo.Grad.NONE).sample(s(a(2, 3), a(2, 3)))
                .known(() -> new Tensor[]{f64(1, 2), f64(1, 2 + 1e-6)}, Grad4j.tensor(true))
                .known(() -> new Tensor[]{f64(1, 2), f64(1, 2.1)}, Grad4j.tensor(false)));
        l.add(op(B, "equal", "a.equal(b)", in -> Grad4j.tensor(in[0].equal(in[1])), "torch.equal", "Tensor.equal")
                .grad(OpInfo.Grad.NONE).sample(s(a(2, 3), a(2, 3)))
                .known(() -> new Tensor[]{f64(1, 2), f64(1, 2)}, Grad4j.tensor(true))
                .known(() -> new Tensor[]{f64(1, 2), f64(1, 2, 3)}, Grad4j.tensor(false)));
        l.add(op(B, "to_dtype", "x.to(DType.FLOAT64)", in -> in[0].to(DType.FLOAT64), "Tensor.to(dtype)", "Tensor.double", "Tensor.float")
                .samples(Samples.unary()).ref(v -> v).dtypes(OpInfo.ALL).keepsFloatDtype(false)
                .known(() -> new Tensor[]{Grad4j.tensor(new double[]{-1.7, 2.9}).toLong().toDouble()}, f64(-1, 2)));
        return l;
    }
}
