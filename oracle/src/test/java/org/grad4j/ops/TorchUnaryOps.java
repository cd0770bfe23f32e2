package org.grad4j.ops;

import org.bytedeco.pytorch.Tensor;

import java.util.Map;

import static org.bytedeco.pytorch.global.torch.*;
import static org.grad4j.ops.Torch.s;
import static org.grad4j.ops.Torch.so;

/** libtorch spellings of the Unary and In-place families. */
final class TorchUnaryOps {
    private TorchUnaryOps() {}

    static void register(Map<String, TorchFn> m) {
        m.put("neg", in -> neg(in[0]));
        m.put("abs", in -> abs(in[0]));
        m.put("sign", in -> sign(in[0]));
        m.put("exp", in -> exp(in[0]));
        m.put("exp2", in -> exp2(in[0]));
        m.put("expm1", in -> expm1(in[0]));
        m.put("log", in -> log(in[0]));
        m.put("log1p", in -> log1p(in[0]));
        m.put("log2", in -> log2(in[0]));
        m.put("log10", in -> log10(in[0]));
        m.put("sqrt", in -> sqrt(in[0]));
        m.put("rsqrt", in -> rsqrt(in[0]));
        m.put("square", in -> square(in[0]));
        m.put("reciprocal", in -> reciprocal(in[0]));
        m.put("sin", in -> sin(in[0]));
        m.put("cos", in -> cos(in[0]));
        m.put("tan", in -> tan(in[0]));
        m.put("asin", in -> asin(in[0]));
        m.put("acos", in -> acos(in[0]));
        m.put("atan", in -> atan(in[0]));
        m.put("sinh", in -> sinh(in[0]));
        m.put("cosh", in -> cosh(in[0]));
        m.put("tanh", in -> tanh(in[0]));
        m.put("asinh", in -> asinh(in[0]));
        m.put("acosh", in -> acosh(in[0]));
        m.put("atanh", in -> atanh(in[0]));
        m.put("erf", in -> erf(in[0]));
        m.put("erfc", in -> erfc(in[0]));
        m.put("sigmoid", in -> sigmoid(in[0]));
        m.put("logsigmoid", in -> log_sigmoid(in[0]));
        m.put("relu", in -> relu(in[0]));
        m.put("relu6", in -> hardtanh(in[0], s(0.0), s(6.0)));
        m.put("leaky_relu", in -> leaky_relu(in[0], s(0.01)));
        m.put("elu", in -> elu(in[0], s(1.5), s(1.0), s(1.0)));
        m.put("selu", in -> selu(in[0]));
        m.put("celu", in -> celu(in[0], s(2.0)));
        m.put("gelu", in -> gelu(in[0]));
        m.put("gelu_tanh", in -> gelu(in[0], "tanh"));
        m.put("silu", in -> silu(in[0]));
        m.put("mish", in -> mish(in[0]));
        m.put("softplus", in -> softplus(in[0], s(2.0), s(3.0)));
        // F.softsign is Python: input / (input.abs() + 1)
        m.put("softsign", in -> in[0].div(abs(in[0]).add(s(1.0))));
        m.put("hardtanh", in -> hardtanh(in[0], s(-1.0), s(1.0)));
        m.put("hardsigmoid", in -> hardsigmoid(in[0]));
        m.put("hardswish", in -> hardswish(in[0]));
        m.put("floor", in -> floor(in[0]));
        m.put("ceil", in -> ceil(in[0]));
        m.put("round", in -> round(in[0]));
        m.put("trunc", in -> trunc(in[0]));
        m.put("frac", in -> frac(in[0]));
        m.put("clamp", in -> clamp(in[0], so(-0.5), so(1.0)));
        m.put("clamp_min", in -> clamp_min(in[0], s(0.2)));
        m.put("nan_to_num", in -> nan_to_num(in[0]));
        m.put("logical_not", in -> logical_not(in[0]));
        m.put("isnan", in -> isnan(in[0]));
        m.put("isinf", in -> isinf(in[0]));
        m.put("isfinite", in -> isfinite(in[0]));
        inPlace(m);
    }

    /** The In-place rows: the op applied in place to {@code in[0] * 1} (a non-leaf), as the table does. */
    private static void inPlace(Map<String, TorchFn> m) {
        m.put("relu_", in -> relu_(in[0].mul(s(1.0))));
        m.put("sigmoid_", in -> sigmoid_(in[0].mul(s(1.0))));
        m.put("tanh_", in -> tanh_(in[0].mul(s(1.0))));
        m.put("exp_", in -> exp_(in[0].mul(s(1.0))));
        m.put("log_", in -> log_(in[0].mul(s(1.0))));
        m.put("sqrt_", in -> sqrt_(in[0].mul(s(1.0))));
        m.put("abs_", in -> abs_(in[0].mul(s(1.0))));
        m.put("neg_", in -> neg_(in[0].mul(s(1.0))));
        m.put("sin_", in -> sin_(in[0].mul(s(1.0))));
        m.put("cos_", in -> cos_(in[0].mul(s(1.0))));
        m.put("reciprocal_", in -> reciprocal_(in[0].mul(s(1.0))));
        m.put("square_", in -> in[0].mul(s(1.0)).pow_(s(2L)));
        m.put("pow_", in -> in[0].mul(s(1.0)).pow_(s(2.5)));
        m.put("floor_", in -> floor_(in[0].mul(s(1.0))));
        m.put("round_", in -> round_(in[0].mul(s(1.0))));
        m.put("leakyRelu_", in -> leaky_relu_(in[0].mul(s(1.0)), s(0.1)));
    }
}
