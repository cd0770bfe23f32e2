package org.grad4j.ops;

import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.in;
import static org.grad4j.ops.OpTable.op1;

/** Elementwise unary math and activations. */
final class UnaryTable {
    private UnaryTable() {}

    private static final String U = "Unary";

    private static OpInfo u(String name, String call, OpTable.F1 f, DoubleUnaryOperator ref, String... torch) {
        OpInfo op = op1(U, name, call, f, torch).samples(Samples.unary());
        return ref == null ? op : op.ref(ref);
    }

    private static double sig(double x) { return 1 / (1 + Math.exp(-x)); }

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        l.add(u("neg", "x.neg()", Tensor::neg, v -> -v, "torch.neg", "torch.negative", "Tensor.neg").node("NegBackward0").dtypes(OpInfo.NUMERIC)
                .error("bool", () -> OpTable.bool(true).neg(), "bool"));
        l.add(u("abs", "x.abs()", Tensor::abs, Math::abs, "torch.abs", "Tensor.abs").node("AbsBackward0").dtypes(OpInfo.NUMERIC)
                .knownGrad(in(() -> f64(-1, 0, 2)), f64(-1, 0, 1)));
        l.add(u("sign", "x.sign()", Tensor::sign, Math::signum, "torch.sign", "Tensor.sign").node("SignBackward0").dtypes(OpInfo.NUMERIC));
        l.add(u("exp", "x.exp()", Tensor::exp, Math::exp, "torch.exp", "Tensor.exp").node("ExpBackward0").dtypes(OpInfo.NUMERIC));
        l.add(u("exp2", "x.exp2()", Tensor::exp2, v -> Math.pow(2, v), "torch.exp2", "Tensor.exp2").node("Exp2Backward0").dtypes(OpInfo.NUMERIC));
        l.add(u("expm1", "x.expm1()", Tensor::expm1, Math::expm1, "torch.expm1", "Tensor.expm1").node("Expm1Backward0"));
        l.add(u("log", "x.log()", Tensor::log, Math::log, "torch.log", "Tensor.log").node("LogBackward0").domain(0.2, 3).dtypes(OpInfo.NUMERIC));
        l.add(u("log1p", "x.log1p()", Tensor::log1p, Math::log1p, "torch.log1p", "Tensor.log1p").node("Log1PBackward0").domain(-0.5, 3));
        l.add(u("log2", "x.log2()", Tensor::log2, v -> Math.log(v) / Math.log(2), "torch.log2", "Tensor.log2").node("Log2Backward0").domain(0.2, 3));
        l.add(u("log10", "x.log10()", Tensor::log10, Math::log10, "torch.log10", "Tensor.log10").node("Log10Backward0").domain(0.2, 3));
        l.add(u("sqrt", "x.sqrt()", Tensor::sqrt, Math::sqrt, "torch.sqrt", "Tensor.sqrt").node("SqrtBackward0").domain(0.2, 3));
        l.add(u("rsqrt", "x.rsqrt()", Tensor::rsqrt, v -> 1 / Math.sqrt(v), "torch.rsqrt", "Tensor.rsqrt").node("RsqrtBackward0").domain(0.2, 3));
        l.add(u("square", "x.square()", Tensor::square, v -> v * v, "torch.square", "Tensor.square").node("PowBackward0").dtypes(OpInfo.NUMERIC));
        l.add(u("reciprocal", "x.reciprocal()", Tensor::reciprocal, v -> 1 / v, "torch.reciprocal", "Tensor.reciprocal").node("ReciprocalBackward0").domain(0.5, 2));
        l.add(u("sin", "x.sin()", Tensor::sin, Math::sin, "torch.sin", "Tensor.sin").node("SinBackward0"));
        l.add(u("cos", "x.cos()", Tensor::cos, Math::cos, "torch.cos", "Tensor.cos").node("CosBackward0"));
        l.add(u("tan", "x.tan()", Tensor::tan, Math::tan, "torch.tan", "Tensor.tan").node("TanBackward0").domain(-1, 1));
        l.add(u("asin", "x.asin()", Tensor::asin, Math::asin, "torch.asin", "torch.arcsin", "Tensor.asin").node("AsinBackward0").domain(-0.9, 0.9));
        l.add(u("acos", "x.acos()", Tensor::acos, Math::acos, "torch.acos", "torch.arccos", "Tensor.acos").node("AcosBackward0").domain(-0.9, 0.9));
        l.add(u("atan", "x.atan()", Tensor::atan, Math::atan, "torch.atan", "torch.arctan", "Tensor.atan").node("AtanBackward0"));
        l.add(u("sinh", "x.sinh()", Tensor::sinh, Math::sinh, "torch.sinh", "Tensor.sinh").node("SinhBackward0"));
        l.add(u("cosh", "x.cosh()", Tensor::cosh, Math::cosh, "torch.cosh", "Tensor.cosh").node("CoshBackward0"));
        l.add(u("tanh", "x.tanh()", Tensor::tanh, Math::tanh, "torch.tanh", "Tensor.tanh", "F.tanh").node("TanhBackward0"));
        l.add(u("asinh", "x.asinh()", Tensor::asinh, v -> Math.log(v + Math.sqrt(v * v + 1)), "torch.asinh", "torch.arcsinh", "Tensor.asinh").node("AsinhBackward0"));
        l.add(u("acosh", "x.acosh()", Tensor::acosh, v -> Math.log(v + Math.sqrt(v * v - 1)), "torch.acosh", "torch.arccosh", "Tensor.acosh").node("AcoshBackward0").domain(1.2, 3));
        l.add(u("atanh", "x.atanh()", Tensor::atanh, v -> 0.5 * Math.log((1 + v) / (1 - v)), "torch.atanh", "torch.arctanh", "Tensor.atanh").node("AtanhBackward0").domain(-0.9, 0.9));
        l.add(u("erf", "x.erf()", Tensor::erf, null, "torch.erf", "torch.special.erf", "Tensor.erf").node("ErfBackward0")
                .known(in(() -> f64(0, 0.5, 1, -2, 3)), f64(0.0, 0.5204998778130465, 0.8427007929497149, -0.9953222650189527, 0.9999779095030014)));
        l.add(u("erfc", "x.erfc()", Tensor::erfc, null, "torch.erfc", "torch.special.erfc", "Tensor.erfc").node("ErfcBackward0")
                .known(in(() -> f64(3, -1, 0.5, 5, 0)), f64(2.2090496998585438e-05, 1.842700792949715, 0.4795001221869535, 1.5374597944280351e-12, 1.0)));
        l.add(u("sigmoid", "x.sigmoid()", Tensor::sigmoid, UnaryTable::sig, "torch.sigmoid", "Tensor.sigmoid", "F.sigmoid").node("SigmoidBackward0")
                .known(in(() -> f64(-1000, 1000)), f64(0, 1)));
        l.add(u("logsigmoid", "x.logsigmoid()", Tensor::logsigmoid, v -> Math.log(sig(v)), "F.logsigmoid").node("LogSigmoidBackward0")
                .known(in(() -> f64(-1000, 1000)), f64(-1000, 0)));
        l.add(u("relu", "x.relu()", Tensor::relu, v -> Math.max(v, 0), "torch.relu", "Tensor.relu", "F.relu").node("ReluBackward0")
                .knownGrad(in(() -> f64(-1, 0, 2)), f64(0, 0, 1)).dtypes(OpInfo.NUMERIC));
        l.add(u("relu6", "x.relu6()", Tensor::relu6, v -> Math.min(Math.max(v, 0), 6), "F.relu6").node("HardtanhBackward0").domain(-2, 8)
                .knownGrad(in(() -> f64(0, 3, 6)), f64(0, 1, 0)));
        l.add(u("leaky_relu", "x.leakyRelu(0.01)", x -> x.leakyRelu(0.01), v -> v > 0 ? v : 0.01 * v, "F.leaky_relu").node("LeakyReluBackward0")
                .knownGrad(in(() -> f64(-1, 0, 2)), f64(0.01, 0.01, 1)));
        l.add(u("elu", "x.elu(alpha)", x -> x.elu(1.5), v -> v > 0 ? v : 1.5 * Math.expm1(v), "F.elu").node("EluBackward0"));
        l.add(u("selu", "x.selu()", Tensor::selu, v -> 1.0507009873554804934 * (v > 0 ? v : 1.6732632423543772848 * Math.expm1(v)), "F.selu", "torch.selu"));
        l.add(u("celu", "x.celu(alpha)", x -> x.celu(2.0), v -> v > 0 ? v : 2.0 * Math.expm1(v / 2.0), "F.celu", "torch.celu").node("CeluBackward0"));
        l.add(u("gelu", "x.gelu()", Tensor::gelu, null, "F.gelu").node("GeluBackward0")
                .known(in(() -> f64(1, -1, 2, -3, 0)), f64(0.8413447460685429, -0.15865525393145707, 1.9544997361036416, -0.00404969409489031, 0.0)));
        l.add(u("gelu_tanh", "x.gelu(\"tanh\")", x -> x.gelu("tanh"), null, "F.gelu(approximate='tanh')").node("GeluBackward0")
                .known(in(() -> f64(1, -1, 2, -3, 0)), f64(0.8411919906082768, -0.15880800939172324, 1.954597694087775, -0.0036373920817729943, 0.0)));
        l.add(u("silu", "x.silu()", Tensor::silu, v -> v * sig(v), "F.silu").node("SiluBackward0"));
        l.add(u("mish", "x.mish()", Tensor::mish, v -> v * Math.tanh(Math.log1p(Math.exp(v))), "F.mish").node("MishBackward0"));
        l.add(u("softplus", "x.softplus(beta, threshold)", x -> x.softplus(2.0, 3.0), v -> 2 * v > 3 ? v : Math.log1p(Math.exp(2 * v)) / 2,
                "F.softplus").node("SoftplusBackward0").known(in(() -> f64(100, -100)), f64(100, 0)));
        l.add(u("softsign", "x.softsign()", Tensor::softsign, v -> v / (1 + Math.abs(v)), "F.softsign"));
        l.add(u("hardtanh", "x.hardtanh(min, max)", x -> x.hardtanh(-1, 1), v -> Math.max(-1, Math.min(1, v)), "F.hardtanh").node("HardtanhBackward0")
                .error("min > max", () -> f64(1).hardtanh(2, 1), "hardtanh"));
        l.add(u("hardsigmoid", "x.hardsigmoid()", Tensor::hardsigmoid, v -> Math.min(Math.max(v + 3, 0), 6) / 6, "F.hardsigmoid")
                .node("HardsigmoidBackward0").domain(-4, 4));
        l.add(u("hardswish", "x.hardswish()", Tensor::hardswish, v -> v * Math.min(Math.max(v + 3, 0), 6) / 6, "F.hardswish")
                .node("HardswishBackward0").domain(-4, 4));
        l.add(u("floor", "x.floor()", Tensor::floor, Math::floor, "torch.floor", "Tensor.floor").node("FloorBackward0").domain(-3, 3).dtypes(OpInfo.NUMERIC));
        l.add(u("ceil", "x.ceil()", Tensor::ceil, Math::ceil, "torch.ceil", "Tensor.ceil").node("CeilBackward0").domain(-3, 3).dtypes(OpInfo.NUMERIC));
        l.add(u("round", "x.round()", Tensor::round, Math::rint, "torch.round", "Tensor.round").node("RoundBackward0").domain(-3, 3)
                .known(in(() -> f64(0.5, 1.5, 2.5, -0.5)), f64(0, 2, 2, -0.0)));
        l.add(u("trunc", "x.trunc()", Tensor::trunc, v -> v < 0 ? Math.ceil(v) : Math.floor(v), "torch.trunc", "torch.fix", "Tensor.trunc")
                .node("TruncBackward0").domain(-3, 3));
        l.add(u("frac", "x.frac()", Tensor::frac, v -> v - (v < 0 ? Math.ceil(v) : Math.floor(v)), "torch.frac", "Tensor.frac").node("FracBackward0").domain(-3, 3));
        l.add(u("clamp", "x.clamp(min, max)", x -> x.clamp(-0.5, 1.0), v -> Math.max(-0.5, Math.min(1.0, v)), "torch.clamp", "torch.clip", "Tensor.clamp")
                .node("ClampBackward1").knownGrad(in(() -> f64(-0.5, 1, 2)), f64(1, 1, 0))
                .error("no bounds", () -> f64(1).clamp((Double) null, null), "At least one"));
        l.add(u("clamp_min", "x.clampMin(min)", x -> x.clampMin(0.2), v -> Math.max(0.2, v), "torch.clamp_min", "Tensor.clamp_min").node("ClampMinBackward0"));
        l.add(u("nan_to_num", "x.nanToNum()", Tensor::nanToNum, v -> v, "torch.nan_to_num", "Tensor.nan_to_num").node("NanToNumBackward0")
                .known(in(() -> f64(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1)), f64(0, Double.MAX_VALUE, -Double.MAX_VALUE, 1)));
        l.add(u("logical_not", "x.logicalNot()", Tensor::logicalNot, v -> v == 0 ? 1 : 0, "torch.logical_not", "Tensor.logical_not")
                .grad(OpInfo.Grad.NONE).dtypes(OpInfo.ALL));
        l.add(u("isnan", "x.isnan()", Tensor::isnan, v -> Double.isNaN(v) ? 1 : 0, "torch.isnan", "Tensor.isnan").grad(OpInfo.Grad.NONE)
                .known(in(() -> f64(Double.NaN, 1, Double.POSITIVE_INFINITY)), OpTable.bool(true, false, false)));
        l.add(u("isinf", "x.isinf()", Tensor::isinf, v -> Double.isInfinite(v) ? 1 : 0, "torch.isinf", "Tensor.isinf").grad(OpInfo.Grad.NONE)
                .known(in(() -> f64(Double.NaN, 1, Double.NEGATIVE_INFINITY)), OpTable.bool(false, false, true)).dtypes(OpInfo.NUMERIC));
        l.add(u("isfinite", "x.isfinite()", Tensor::isfinite, v -> Double.isFinite(v) ? 1 : 0, "torch.isfinite", "Tensor.isfinite").grad(OpInfo.Grad.NONE)
                .known(in(() -> f64(Double.NaN, 1, Double.NEGATIVE_INFINITY)), OpTable.bool(false, true, false)).dtypes(OpInfo.NUMERIC));
        return l;
    }
}
