package org.grad4j.nn.functional;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import java.util.Arrays;

/** Normalization layers' functions and dropout, composed of differentiable ops (twice differentiable). */
final class Normalization {
    private Normalization() {}

    static int[] allBut(int rank, int keep) {
        int[] d = new int[rank - 1];
        for (int i = 0, j = 0; i < rank; i++) if (i != keep) d[j++] = i;
        return d;
    }

    static int[] lastDims(int rank, int k) {
        int[] d = new int[k];
        for (int i = 0; i < k; i++) d[i] = rank - k + i;
        return d;
    }

    /** Shape [1, C, 1, ...] that broadcasts a per-channel vector against an input of this rank. */
    static int[] channelShape(int rank, int c) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[1] = c;
        return s;
    }

    /** Biased variance over dims, kept. */
    static Tensor varKeep(Tensor x, Tensor mean, int[] dims) {
        Tensor d = x.sub(mean);
        return d.mul(d).mean(dims, true);
    }

    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                            double momentum, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected an input of at least 2 dims [N, C, *], got shape "
                    + Arrays.toString(x.shape()));
        }
        org.grad4j.internal.Devices.common("batch_norm", x, runningMean, runningVar, weight, bias);
        int c = x.size(1);
        int[] cs = channelShape(x.dim(), c);
        for (Tensor t : new Tensor[]{runningMean, runningVar, weight, bias}) {
            if (t != null && t.numel() != c) {
                throw new IllegalArgumentException("batch_norm: running_mean/var, weight and bias should have " + c
                        + " elements (the input's channel dim), got shape " + Arrays.toString(t.shape()));
            }
        }
        if (training ? x.numel() / Math.max(1, c) > 1 : runningMean != null && runningVar != null) {
            Tensor fast = org.grad4j.internal.NnOps.batchNormF32(x, runningMean, runningVar, weight, bias, training, momentum, eps);
            if (fast != null) return fast;
        }
        Tensor mean, var;
        if (training) {
            int n = x.numel() / c;
            if (n <= 1) {
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                        + Arrays.toString(x.shape()));
            }
            int[] dims = allBut(x.dim(), 1);
            mean = x.mean(dims, true);
            var = varKeep(x, mean, dims);
            if (runningMean != null || runningVar != null) {
                try (var ng = Autograd.noGrad()) {
                    if (runningMean != null) {
                        runningMean.mul_(1 - momentum).add_(mean.detach().reshape(c).to(runningMean.dtype()), momentum);
                    }
                    if (runningVar != null) {
                        Tensor unbiased = var.detach().reshape(c).mul((double) n / (n - 1)).to(runningVar.dtype());
                        runningVar.mul_(1 - momentum).add_(unbiased, momentum);
                    }
                }
            }
        } else {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batch_norm: running_mean and running_var must be defined in evaluation mode");
            }
            mean = runningMean.reshape(cs);
            var = runningVar.reshape(cs);
        }
        Tensor y = x.sub(mean).div(var.add(eps).sqrt());
        if (weight != null) y = y.mul(weight.reshape(cs));
        if (bias != null) y = y.add(bias.reshape(cs));
        return y;
    }

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length, r = x.dim();
        int[] tail = r >= k ? Arrays.copyOfRange(x.shape(), r - k, r) : null;
        if (tail == null || !Arrays.equals(tail, normalizedShape)) {
            throw new IllegalArgumentException("layer_norm: Given normalized_shape=" + Arrays.toString(normalizedShape)
                    + ", expected input with shape [*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                    + "], but got input of size" + Arrays.toString(x.shape()));
        }
        int[] dims = lastDims(r, k);
        Tensor mean = x.mean(dims, true);
        Tensor y = x.sub(mean).div(varKeep(x, mean, dims).add(eps).sqrt());
        if (weight != null) y = y.mul(weight);
        if (bias != null) y = y.add(bias);
        return y;
    }

    static Tensor rmsNorm(Tensor x, int[] normalizedShape, Tensor weight, Double eps) {
        int k = normalizedShape.length, r = x.dim();
        if (r < k || !Arrays.equals(Arrays.copyOfRange(x.shape(), r - k, r), normalizedShape)) {
            throw new IllegalArgumentException("rms_norm: Given normalized_shape=" + Arrays.toString(normalizedShape)
                    + ", expected input with shape [*, ...normalized_shape], but got input of size" + Arrays.toString(x.shape()));
        }
        double e = eps != null ? eps : x.dtype() == DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
        Tensor y = x.div(x.mul(x).mean(lastDims(r, k), true).add(e).sqrt());
        return weight != null ? y.mul(weight) : y;
    }

    static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        if (x.dim() < 2 || x.size(1) % groups != 0) {
            throw new IllegalArgumentException("group_norm: Expected number of channels in input to be divisible by num_groups, "
                    + "but got input of shape " + Arrays.toString(x.shape()) + " and num_groups=" + groups);
        }
        int n = x.size(0), c = x.size(1);
        Tensor g = x.reshape(n, groups, -1);
        Tensor mean = g.mean(2, true);
        Tensor y = g.sub(mean).div(varKeep(g, mean, new int[]{2}).add(eps).sqrt()).reshape(x.shape());
        int[] cs = channelShape(x.dim(), c);
        if (weight != null) y = y.mul(weight.reshape(cs));
        if (bias != null) y = y.add(bias.reshape(cs));
        return y;
    }

    static Tensor instanceNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                               boolean useInputStats, double momentum, double eps) {
        if (x.dim() < 3) {
            throw new IllegalArgumentException("instance_norm: expected an input [N, C, *spatial] with at least 3 dims, got "
                    + Arrays.toString(x.shape()));
        }
        int n = x.size(0), c = x.size(1);
        // instance norm is batch norm of the input seen as [1, N*C, *]
        Tensor xr = x.reshape(concat(new int[]{1, n * c}, Arrays.copyOfRange(x.shape(), 2, x.dim())));
        Tensor rm = runningMean == null ? null : runningMean.detach().reshape(1, c).expand(n, c).clone().reshape(n * c);
        Tensor rv = runningVar == null ? null : runningVar.detach().reshape(1, c).expand(n, c).clone().reshape(n * c);
        Tensor y = batchNorm(xr, rm, rv, null, null, useInputStats, momentum, eps).reshape(x.shape());
        if (useInputStats && runningMean != null) {
            try (var ng = Autograd.noGrad()) {
                runningMean.copy_(rm.reshape(n, c).mean(0));
                runningVar.copy_(rv.reshape(n, c).mean(0));
            }
        }
        int[] cs = channelShape(x.dim(), c);
        if (weight != null) y = y.mul(weight.reshape(cs));
        if (bias != null) y = y.add(bias.reshape(cs));
        return y;
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Zeroes elements with probability p and scales the rest by 1/(1-p); mask drawn from {@code gen}. */
    static Tensor dropout(Tensor x, double p, boolean training, Generator gen, int[] maskShape) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        Tensor keep = Grad4j.rand(maskShape, x.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32,
                gen == null ? Grad4j.defaultGenerator() : gen, x.device()).lt(1 - p);
        Tensor scale = keep.to(x.dtype()).div(1 - p);
        return x.mul(scale);
    }
}
