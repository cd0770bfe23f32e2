package org.grad4j.nn.functional;

import org.grad4j.NnOps;
import org.grad4j.Tensor;

/** Activation functions, composed from differentiable ops with PyTorch's subgradients at kinks. */
final class Activations {
    private Activations() {}

    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;

    static Tensor leakyRelu(Tensor x, double slope) {
        return x.where(x.gt(0.0), x.mul(slope));
    }

    /** alpha * (exp(x) - 1) for x <= 0; the exponent is clamped so the unused branch cannot overflow. */
    static Tensor elu(Tensor x, double alpha, double scale, double inputScale) {
        Tensor neg = NnOps.expm1(x.clampMax(0.0).mul(inputScale)).mul(alpha);
        return x.where(x.gt(0.0), neg).mul(scale);
    }

    static Tensor celu(Tensor x, double alpha) {
        if (alpha == 0) throw new IllegalArgumentException("celu: ZeroDivisionError, alpha cannot be 0");
        return elu(x, alpha, 1.0, 1.0 / alpha);
    }

    static Tensor gelu(Tensor x, String approximate) {
        if ("tanh".equals(approximate)) {
            Tensor inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
            return x.mul(0.5).mul(inner.tanh().add(1.0));
        }
        if (!"none".equals(approximate)) {
            throw new IllegalArgumentException("gelu: approximate argument must be either none or tanh, got '" + approximate + "'");
        }
        return x.mul(0.5).mul(NnOps.erf(x.mul(Math.sqrt(0.5))).add(1.0));
    }

    /** log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (PyTorch's linear regime). */
    static Tensor softplus(Tensor x, double beta, double threshold) {
        Tensor bx = x.mul(beta);
        Tensor soft = NnOps.log1p(bx.clampMax(threshold).exp()).div(beta);
        return x.where(bx.gt(threshold), soft);
    }

    /** log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable for large |x|. */
    static Tensor logsigmoid(Tensor x) {
        return x.clampMax(0.0).sub(NnOps.log1p(x.abs().neg().exp()));
    }

    /** Gradient 1 strictly inside (min, max) and 0 elsewhere, as PyTorch's hardtanh_backward. */
    static Tensor hardtanh(Tensor x, double min, double max) {
        if (min > max) throw new IllegalArgumentException("hardtanh: min_val cannot be greater than max_val");
        Tensor inside = x.gt(min).logicalAnd(x.lt(max));
        return x.where(inside, x.detach().clamp(min, max));
    }

    static Tensor hardsigmoid(Tensor x) {
        return hardtanh(x, -3.0, 3.0).add(3.0).div(6.0);
    }

    /** x * relu6(x + 3) / 6 with PyTorch's gradient: 0 below -3, x/3 + 1/2 on [-3, 3], 1 above. */
    static Tensor hardswish(Tensor x) {
        Tensor mid = x.mul(x.add(3.0)).div(6.0);
        Tensor below = x.mul(0.0);
        return x.where(x.gt(3.0), mid.where(x.ge(-3.0), below));
    }

    static Tensor mish(Tensor x) {
        return x.mul(softplus(x, 1.0, 20.0).tanh());
    }

    static Tensor softsign(Tensor x) {
        return x.div(x.abs().add(1.0));
    }
}
