package org.grad4j.nn.init;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import java.util.Arrays;

/**
 * Weight initialisation, like {@code torch.nn.init}: every function fills the tensor in place
 * (without recording a graph) and returns it. Draws come from the default generator unless one is
 * passed.
 *
 * <pre>{@code
 * Init.kaimingUniform_(conv.weight(), Math.sqrt(5));       // nn.init.kaiming_uniform_(w, a=math.sqrt(5))
 * Init.xavierNormal_(linear.weight(), Init.calculateGain("tanh"));
 * Init.zeros_(linear.bias());
 * }</pre>
 */
public final class Init {
    private Init() {}

    private static Generator gen(Generator g) { return g == null ? Grad4j.defaultGenerator() : g; }

    private static Tensor fill(Tensor t, Tensor values) {
        try (var ng = Autograd.noGrad()) {
            t.copy_(values);
        }
        return t;
    }

    private static DType drawType(Tensor t) { return t.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32; }

    /** Recommended gain for a nonlinearity: linear/conv/sigmoid 1, tanh 5/3, relu sqrt(2), leaky_relu sqrt(2/(1+slope^2)), selu 3/4. */
    public static double calculateGain(String nonlinearity, Double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        };
    }

    public static double calculateGain(String nonlinearity) { return calculateGain(nonlinearity, null); }

    /** {fan_in, fan_out} of a weight: dim 1 (times the receptive field) and dim 0 (times it). */
    public static int[] calculateFanInAndFanOut(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions "
                    + "(shape " + Arrays.toString(t.shape()) + ")");
        }
        int receptive = 1;
        for (int i = 2; i < t.dim(); i++) receptive *= t.size(i);
        return new int[]{t.size(1) * receptive, t.size(0) * receptive};
    }

    public static Tensor uniform_(Tensor t, double a, double b, Generator g) {
        return fill(t, Grad4j.rand(t.shape(), drawType(t), gen(g)).mul(b - a).add(a));
    }

    public static Tensor uniform_(Tensor t, double a, double b) { return uniform_(t, a, b, null); }

    public static Tensor uniform_(Tensor t) { return uniform_(t, 0.0, 1.0, null); }

    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        return fill(t, Grad4j.randn(t.shape(), drawType(t), gen(g)).mul(std).add(mean));
    }

    public static Tensor normal_(Tensor t, double mean, double std) { return normal_(t, mean, std, null); }

    public static Tensor normal_(Tensor t) { return normal_(t, 0.0, 1.0, null); }

    /**
     * Normal(mean, std) truncated to [a, b], by inverting the normal CDF of a uniform draw
     * between CDF(a) and CDF(b), as PyTorch does.
     */
    public static Tensor truncNormal_(Tensor t, double mean, double std, double a, double b, Generator g) {
        double lo = normCdf((a - mean) / std), hi = normCdf((b - mean) / std);
        double[] u = Grad4j.rand(t.shape(), DType.FLOAT64, gen(g)).toDoubleArray();
        for (int i = 0; i < u.length; i++) {
            double p = 2 * (lo + u[i] * (hi - lo)) - 1;
            double v = erfinv(Math.max(-1 + 1e-16, Math.min(1 - 1e-16, p))) * std * Math.sqrt(2) + mean;
            u[i] = Math.max(a, Math.min(b, v));
        }
        return fill(t, Grad4j.fromArray(u, t.shape()));
    }

    public static Tensor truncNormal_(Tensor t, double mean, double std, double a, double b) {
        return truncNormal_(t, mean, std, a, b, null);
    }

    public static Tensor truncNormal_(Tensor t) { return truncNormal_(t, 0.0, 1.0, -2.0, 2.0, null); }

    public static Tensor constant_(Tensor t, double value) {
        try (var ng = Autograd.noGrad()) {
            t.fill_(value);
        }
        return t;
    }

    public static Tensor zeros_(Tensor t) { return constant_(t, 0.0); }

    public static Tensor ones_(Tensor t) { return constant_(t, 1.0); }

    /** Identity matrix into a 2-d tensor. */
    public static Tensor eye_(Tensor t) {
        if (t.dim() != 2) throw new IllegalArgumentException("Only tensors with 2 dimensions are supported (got shape " + Arrays.toString(t.shape()) + ")");
        return fill(t, Grad4j.eye(t.size(0), t.size(1)));
    }

    /** Dirac delta for conv weights [out, in, k...]: preserves the identity of the inputs. */
    public static Tensor dirac_(Tensor t) {
        if (t.dim() < 3 || t.dim() > 5) throw new IllegalArgumentException("Only tensors with 3, 4, or 5 dimensions are supported");
        double[] v = new double[t.numel()];
        int[] s = t.shape();
        int inner = 1;
        for (int i = 2; i < s.length; i++) inner *= s[i];
        int center = 0, stride = inner;
        for (int i = 2; i < s.length; i++) {
            stride /= s[i];
            center += (s[i] / 2) * stride;
        }
        for (int d = 0; d < Math.min(s[0], s[1]); d++) v[(d * s[1] + d) * inner + center] = 1;
        return fill(t, Grad4j.fromArray(v, s));
    }

    public static Tensor xavierUniform_(Tensor t, double gain, Generator g) {
        int[] f = calculateFanInAndFanOut(t);
        double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform_(t, -a, a, g);
    }

    public static Tensor xavierUniform_(Tensor t, double gain) { return xavierUniform_(t, gain, null); }

    public static Tensor xavierUniform_(Tensor t) { return xavierUniform_(t, 1.0, null); }

    public static Tensor xavierNormal_(Tensor t, double gain, Generator g) {
        int[] f = calculateFanInAndFanOut(t);
        return normal_(t, 0.0, gain * Math.sqrt(2.0 / (f[0] + f[1])), g);
    }

    public static Tensor xavierNormal_(Tensor t, double gain) { return xavierNormal_(t, gain, null); }

    public static Tensor xavierNormal_(Tensor t) { return xavierNormal_(t, 1.0, null); }

    private static double kaimingStd(Tensor t, double a, String mode, String nonlinearity) {
        int[] f = calculateFanInAndFanOut(t);
        int fan = switch (mode) {
            case "fan_in" -> f[0];
            case "fan_out" -> f[1];
            default -> throw new IllegalArgumentException("Mode " + mode + " not supported, please use one of fan_in, fan_out");
        };
        if (fan == 0) throw new IllegalArgumentException("Initializing zero-element tensors is a no-op");
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    /** {@code kaiming_uniform_(t, a, mode, nonlinearity)}: U(-b, b) with b = gain * sqrt(3 / fan). */
    public static Tensor kaimingUniform_(Tensor t, double a, String mode, String nonlinearity, Generator g) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform_(t, -bound, bound, g);
    }

    public static Tensor kaimingUniform_(Tensor t, double a, String mode, String nonlinearity) {
        return kaimingUniform_(t, a, mode, nonlinearity, null);
    }

    /** With PyTorch's defaults mode="fan_in", nonlinearity="leaky_relu". */
    public static Tensor kaimingUniform_(Tensor t, double a) { return kaimingUniform_(t, a, "fan_in", "leaky_relu", null); }

    public static Tensor kaimingUniform_(Tensor t) { return kaimingUniform_(t, 0.0); }

    public static Tensor kaimingNormal_(Tensor t, double a, String mode, String nonlinearity, Generator g) {
        return normal_(t, 0.0, kaimingStd(t, a, mode, nonlinearity), g);
    }

    public static Tensor kaimingNormal_(Tensor t, double a, String mode, String nonlinearity) {
        return kaimingNormal_(t, a, mode, nonlinearity, null);
    }

    public static Tensor kaimingNormal_(Tensor t) { return kaimingNormal_(t, 0.0, "fan_in", "leaky_relu", null); }

    /**
     * A (semi-)orthogonal matrix times gain: QR of a normal draw (Householder), with Q's columns
     * signed by diag(R) as PyTorch does. Dims after the first are flattened.
     */
    public static Tensor orthogonal_(Tensor t, double gain, Generator g) {
        if (t.dim() < 2) throw new IllegalArgumentException("Only tensors with 2 or more dimensions are supported");
        int rows = t.size(0), cols = t.numel() / rows;
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols;      // m >= n
        double[] a = Grad4j.randn(new int[]{m, n}, DType.FLOAT64, gen(g)).toDoubleArray();
        double[] q = Householder.thinQ(a, m, n);                           // [m, n], columns signed by diag(R)
        double[] out = new double[rows * cols];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double v = q[i * n + j] * gain;
                if (transpose) out[j * cols + i] = v;
                else out[i * cols + j] = v;
            }
        return fill(t, Grad4j.fromArray(out, t.shape()));
    }

    public static Tensor orthogonal_(Tensor t, double gain) { return orthogonal_(t, gain, null); }

    public static Tensor orthogonal_(Tensor t) { return orthogonal_(t, 1.0, null); }

    static double normCdf(double x) { return 0.5 * (1 + org.grad4j.kernels.MathFns.erf(x / Math.sqrt(2))); }

    /** Inverse error function: Giles' approximation refined by Newton steps on erf. */
    static double erfinv(double y) {
        double w = -Math.log((1 - y) * (1 + y)), x;
        if (w < 5) {
            w -= 2.5;
            double p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w; p = -3.5233877e-06 + p * w; p = -4.39150654e-06 + p * w; p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w; p = -0.00417768164 + p * w; p = 0.246640727 + p * w; p = 1.50140941 + p * w;
            x = p * y;
        } else {
            w = Math.sqrt(w) - 3;
            double p = -0.000200214257;
            p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w; p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w; p = 0.00943887047 + p * w; p = 1.00167406 + p * w; p = 2.83297682 + p * w;
            x = p * y;
        }
        for (int i = 0; i < 2; i++) {
            double err = org.grad4j.kernels.MathFns.erf(x) - y;
            x -= err / (2 / Math.sqrt(Math.PI) * Math.exp(-x * x));
        }
        return x;
    }
}
