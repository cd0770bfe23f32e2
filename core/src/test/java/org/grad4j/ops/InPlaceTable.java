package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.op;

/** In-place variants: applied to a non-leaf copy so that gradients flow through the in-place op. */
final class InPlaceTable {
    private InPlaceTable() {}

    private static final String I = "In-place";

    private static OpInfo ip(String name, OpTable.F1 f, DoubleUnaryOperator ref, double lo, double hi) {
        OpInfo o = op(I, name, "x." + name + (name.equals("pow_") ? "(2.5)" : name.equals("leakyRelu_") ? "(0.1)" : "()"),
                in -> f.f(in[0].mul(1.0)), "Tensor." + name.replace("leakyRelu_", "leaky_relu_"), "torch." + name.replace("leakyRelu_", "leaky_relu_"))
                .samples(Samples.unary()).ref(ref).domain(lo, hi).node("CopyBackwards");
        if (name.equals("relu_") || name.equals("leakyRelu_")) {
            o.torch("F." + (name.equals("relu_") ? "relu" : "leaky_relu") + "(inplace=True)");
        }
        return o;
    }

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        l.add(ip("relu_", Tensor::relu_, v -> Math.max(v, 0), -2, 2));
        l.add(ip("sigmoid_", Tensor::sigmoid_, v -> 1 / (1 + Math.exp(-v)), -2, 2));
        l.add(ip("tanh_", Tensor::tanh_, Math::tanh, -2, 2));
        l.add(ip("exp_", Tensor::exp_, Math::exp, -2, 2));
        l.add(ip("log_", Tensor::log_, Math::log, 0.2, 3));
        l.add(ip("sqrt_", Tensor::sqrt_, Math::sqrt, 0.2, 3));
        l.add(ip("abs_", Tensor::abs_, Math::abs, -2, 2));
        l.add(ip("neg_", Tensor::neg_, v -> -v, -2, 2));
        l.add(ip("sin_", Tensor::sin_, Math::sin, -2, 2));
        l.add(ip("cos_", Tensor::cos_, Math::cos, -2, 2));
        l.add(ip("reciprocal_", Tensor::reciprocal_, v -> 1 / v, 0.5, 2));
        l.add(ip("square_", Tensor::square_, v -> v * v, -2, 2));
        l.add(ip("pow_", x -> x.pow_(2.5), v -> Math.pow(v, 2.5), 0.5, 2));
        l.add(ip("floor_", Tensor::floor_, Math::floor, -3, 3));
        l.add(ip("round_", Tensor::round_, Math::rint, -3, 3));
        l.add(ip("leakyRelu_", x -> x.leakyRelu_(0.1), v -> v > 0 ? v : 0.1 * v, -2, 2));
        l.get(l.size() - 1)
                .error("leaf that requires grad", () -> f64(1).requiresGrad_().relu_(), "leaf Variable")
                .error("int result into a long tensor", () -> Grad4j.tensor(new long[]{1}).exp_(), "can't be cast");
        return l;
    }
}
