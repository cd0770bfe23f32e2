package org.grad4j.nn.utils;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.nn.utils}: gradient clipping and flattening parameters to one vector.
 *
 * <pre>{@code
 * loss.backward();
 * double norm = Utils.clipGradNorm_(model.parameters(), 1.0);   // clip_grad_norm_(params, max_norm=1.0)
 * optimizer.step();
 * }</pre>
 */
public final class Utils {
    private Utils() {}

    private static List<Tensor> withGrad(Iterable<Tensor> params) {
        List<Tensor> r = new ArrayList<>();
        for (Tensor p : params) if (p.gradNoWarn() != null) r.add(p);
        return r;
    }

    /**
     * Scales all gradients in place so their total norm (over all of them, as one vector) is at
     * most maxNorm; returns the total norm before clipping. normType may be infinite.
     */
    public static double clipGradNorm_(Iterable<Tensor> parameters, double maxNorm, double normType, boolean errorIfNonfinite) {
        List<Tensor> ps = withGrad(parameters);
        if (ps.isEmpty()) return 0.0;
        double total;
        try (var ng = Autograd.noGrad()) {
            if (Double.isInfinite(normType)) {
                total = 0;
                for (Tensor p : ps) total = Math.max(total, p.gradNoWarn().abs().max().item());
            } else {
                double s = 0;
                for (Tensor p : ps) s += Math.pow(p.gradNoWarn().toDouble().norm(normType).item(), normType);
                total = Math.pow(s, 1.0 / normType);
            }
            if (errorIfNonfinite && !Double.isFinite(total)) {
                throw new IllegalStateException("The total norm of order " + normType + " for gradients from `parameters` is "
                        + "non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                        + "norm anyway, set `error_if_nonfinite=False`");
            }
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) for (Tensor p : ps) p.gradNoWarn().mul_(coef);
        }
        return total;
    }

    public static double clipGradNorm_(Iterable<Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2.0, false);
    }

    /** Clamps every gradient element into [-clipValue, clipValue], in place. */
    public static void clipGradValue_(Iterable<Tensor> parameters, double clipValue) {
        try (var ng = Autograd.noGrad()) {
            for (Tensor p : withGrad(parameters)) p.gradNoWarn().clamp_(-clipValue, clipValue);
        }
    }

    /** All parameters flattened and concatenated into one 1-d tensor (differentiable). */
    public static Tensor parametersToVector(Iterable<Tensor> parameters) {
        List<Tensor> flat = new ArrayList<>();
        for (Tensor p : parameters) flat.add(p.reshape(-1));
        if (flat.isEmpty()) return Grad4j.zeros(new int[]{0}, DType.FLOAT32);
        return Grad4j.cat(flat, 0);
    }

    /** Copies consecutive slices of {@code vec} into the parameters, in place. */
    public static void vectorToParameters(Tensor vec, Iterable<Tensor> parameters) {
        if (vec.dim() != 1) throw new IllegalArgumentException("expected torch.Tensor, but got: a tensor of " + vec.dim() + " dims");
        int off = 0;
        try (var ng = Autograd.noGrad()) {
            for (Tensor p : parameters) {
                int n = p.numel();
                if (off + n > vec.numel()) {
                    throw new IllegalArgumentException("vectorToParameters: the vector has " + vec.numel() + " elements, fewer than the parameters need");
                }
                p.copy_(vec.slice(0, off, off + n).reshape(p.shape()));
                off += n;
            }
        }
    }
}
