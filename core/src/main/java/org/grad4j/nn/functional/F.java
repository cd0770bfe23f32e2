package org.grad4j.nn.functional;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.internal.NnOps;

import java.util.Arrays;

/**
 * The functions of {@code torch.nn.functional}, with PyTorch's names in camelCase and its
 * defaults; Python's keyword arguments become overloads, in PyTorch's argument order.
 *
 * <pre>{@code
 * import org.grad4j.nn.functional.F;
 *
 * Tensor h = F.relu(F.conv2d(x, w, b, 1, 2));       // F.relu(F.conv2d(x, w, b, stride=1, padding=2))
 * h = F.maxPool2d(h, 2);                             // F.max_pool2d(h, 2)
 * Tensor loss = F.crossEntropy(logits, target);      // F.cross_entropy(logits, target)
 * }</pre>
 *
 * Every function is differentiable (float64 gradcheck-tested); most are twice differentiable.
 */
public final class F {
    private F() {}

    static final long IGNORE_INDEX = -100;

    private static int[] ints(int v) { return new int[]{v}; }

    // ================================================================== linear

    /** {@code y = x W^T + b}; weight [out, in], bias [out] or null. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (input.dim() == 0 || weight.dim() == 0) {
            throw new IllegalArgumentException("linear: both arguments to linear need to be at least 1D, but they are " + input.dim()
                    + "D and " + weight.dim() + "D. Fix: give the input a feature dimension, e.g. x.reshape(1, -1)");
        }
        if (input.dtype() != weight.dtype()) {
            throw new IllegalArgumentException("linear: mat1 and mat2 must have the same dtype, but got " + input.dtype() + " and "
                    + weight.dtype() + ". Fix: convert the input to the weight's dtype (x.to(DType." + weight.dtype().name() + "))"
                    + (input.dtype().isFloatingPoint() ? " or the module to the input's (module.to(DType." + input.dtype().name() + "))" : ""));
        }
        if (input.size(-1) != weight.size(-1)) {
            throw new IllegalArgumentException("linear: mat1 and mat2 shapes cannot be multiplied (input " + Arrays.toString(input.shape())
                    + " and weight^T " + weight.size(-1) + "x" + weight.size(0) + "). Fix: the input's last dim must equal "
                    + "in_features=" + weight.size(-1));
        }
        Tensor y = input.matmul(weight.t());
        if (bias == null) return y;
        try {
            return y.add(bias);
        } catch (IllegalArgumentException e) {
            throw OpErrors.renamed("linear", e);   // a bias of the wrong size: name the user's call, not add
        }
    }

    public static Tensor linear(Tensor input, Tensor weight) { return linear(input, weight, null); }

    /** {@code y_k = x1^T W_k x2 + b_k}; weight [out, in1, in2]. */
    public static Tensor bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor bias) {
        int o = weight.size(0), in1 = weight.size(1), in2 = weight.size(2);
        if (input1.dim() == 0 || input2.dim() == 0
                || !Arrays.equals(Arrays.copyOf(input1.shape(), input1.dim() - 1), Arrays.copyOf(input2.shape(), input2.dim() - 1))) {
            throw new IllegalArgumentException("bilinear: input batch dimensions do not match: got " + Arrays.toString(input1.shape())
                    + " and " + Arrays.toString(input2.shape()) + ". Fix: both inputs need the same leading dimensions and a feature dimension");
        }
        if (input1.size(-1) != in1 || input2.size(-1) != in2) {
            throw new IllegalArgumentException("bilinear: input1 last dim (" + input1.size(-1) + ") and input2 last dim ("
                    + input2.size(-1) + ") must match weight " + Arrays.toString(weight.shape()));
        }
        int[] lead = Arrays.copyOf(input1.shape(), input1.dim() - 1);
        Tensor a = input1.reshape(-1, in1), b = input2.reshape(-1, in2);
        Tensor t = a.matmul(weight.permute(1, 0, 2).reshape(in1, o * in2)).reshape(-1, o, in2);
        Tensor y = t.mul(b.unsqueeze(1)).sum(2);
        if (bias != null) {
            try {
                y = y.add(bias);
            } catch (IllegalArgumentException e) {
                throw OpErrors.renamed("bilinear", e);
            }
        }
        int[] os = Arrays.copyOf(lead, lead.length + 1);
        os[lead.length] = o;
        return y.reshape(os);
    }

    // ================================================================== convolution

    /** {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)}; bias may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolutions.conv(input, weight, bias, stride, padding, null, dilation, groups, 2);
    }

    /** conv2d with padding "same" or "valid". */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return Convolutions.conv(input, weight, bias, stride, null, padding, dilation, groups, 2);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, ints(stride), ints(padding), ints(1), 1);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) { return conv2d(input, weight, bias, 1, 0); }

    public static Tensor conv2d(Tensor input, Tensor weight) { return conv2d(input, weight, null, 1, 0); }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolutions.conv(input, weight, bias, stride, padding, null, dilation, groups, 1);
    }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return Convolutions.conv(input, weight, bias, stride, null, padding, dilation, groups, 1);
    }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv1d(input, weight, bias, ints(stride), ints(padding), ints(1), 1);
    }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) { return conv1d(input, weight, bias, 1, 0); }

    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolutions.conv(input, weight, bias, stride, padding, null, dilation, groups, 3);
    }

    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return Convolutions.conv(input, weight, bias, stride, null, padding, dilation, groups, 3);
    }

    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias) {
        return conv3d(input, weight, bias, ints(1), ints(0), ints(1), 1);
    }

    /** {@code F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)}; weight [in, out/groups, kh, kw]. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        return Convolutions.convTranspose(input, weight, bias, stride, padding, outputPadding, groups, dilation, 2);
    }

    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return convTranspose2d(input, weight, bias, ints(stride), ints(padding), ints(0), 1, ints(1));
    }

    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        return Convolutions.convTranspose(input, weight, bias, stride, padding, outputPadding, groups, dilation, 1);
    }

    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return convTranspose1d(input, weight, bias, ints(stride), ints(padding), ints(0), 1, ints(1));
    }

    /** {@code F.unfold(input, kernel_size, dilation, padding, stride)}: [N, C, H, W] to [N, C*kh*kw, L]. */
    public static Tensor unfold(Tensor input, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return Convolutions.unfold(input, kernelSize, dilation, padding, stride);
    }

    public static Tensor unfold(Tensor input, int kernelSize) { return unfold(input, ints(kernelSize), ints(1), ints(0), ints(1)); }

    /** {@code F.fold(input, output_size, kernel_size, dilation, padding, stride)}: the adjoint of unfold. */
    public static Tensor fold(Tensor input, int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return Convolutions.fold(input, outputSize, kernelSize, dilation, padding, stride);
    }

    public static Tensor fold(Tensor input, int[] outputSize, int kernelSize) {
        return fold(input, outputSize, ints(kernelSize), ints(1), ints(0), ints(1));
    }

    /** Constant padding, {@code F.pad(input, pad, value=value)}: pads lists (left, right) pairs from the last dim. */
    public static Tensor pad(Tensor input, int[] pad, double value) {
        Tensor out = NnOps.padZeros(input, pad);
        if (value == 0) return out;
        Tensor inside = NnOps.padZeros(Grad4j.onesLike(input.detach()), pad);
        return out.add(inside.rsub(1.0).mul(value));
    }

    public static Tensor pad(Tensor input, int... pad) { return pad(input, pad, 0.0); }

    // ================================================================== pooling

    /** {@code F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)}; stride null means kernel_size. */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode)[0];
    }

    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return maxPool2d(input, ints(kernelSize), ints(stride), ints(padding), ints(1), false);
    }

    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride) { return maxPool2d(input, kernelSize, stride, 0); }

    public static Tensor maxPool2d(Tensor input, int kernelSize) { return maxPool2d(input, kernelSize, kernelSize, 0); }

    /** max_pool2d with return_indices=True: {values, indices}. */
    public static Tensor[] maxPool2dWithIndices(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                                boolean ceilMode) {
        return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** {@code F.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)}; stride 0 means kernel_size. */
    public static Tensor maxPool1d(Tensor input, int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        return Pooling.maxPool1d(input, kernelSize, stride, padding, dilation, ceilMode)[0];
    }

    public static Tensor maxPool1d(Tensor input, int kernelSize) { return maxPool1d(input, kernelSize, kernelSize, 0, 1, false); }

    public static Tensor[] maxPool1dWithIndices(Tensor input, int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        return Pooling.maxPool1d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** {@code F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)}. */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        return Pooling.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return avgPool2d(input, ints(kernelSize), ints(stride), ints(padding), false, true, null);
    }

    public static Tensor avgPool2d(Tensor input, int kernelSize) { return avgPool2d(input, kernelSize, kernelSize, 0); }

    public static Tensor avgPool1d(Tensor input, int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return Pooling.avgPool1d(input, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    public static Tensor avgPool1d(Tensor input, int kernelSize) { return avgPool1d(input, kernelSize, kernelSize, 0, false, true); }

    /** {@code F.adaptive_avg_pool2d(input, (oh, ow))}; a size of 0 or less keeps the input size (None). */
    public static Tensor adaptiveAvgPool2d(Tensor input, int oh, int ow) { return Pooling.adaptiveAvgPool2d(input, oh, ow); }

    public static Tensor adaptiveAvgPool2d(Tensor input, int size) { return adaptiveAvgPool2d(input, size, size); }

    public static Tensor adaptiveAvgPool1d(Tensor input, int size) { return Pooling.adaptiveAvgPool1d(input, size); }

    public static Tensor adaptiveMaxPool2d(Tensor input, int oh, int ow) { return Pooling.adaptiveMaxPool2d(input, oh, ow)[0]; }

    public static Tensor adaptiveMaxPool2d(Tensor input, int size) { return adaptiveMaxPool2d(input, size, size); }

    public static Tensor[] adaptiveMaxPool2dWithIndices(Tensor input, int oh, int ow) { return Pooling.adaptiveMaxPool2d(input, oh, ow); }

    // ================================================================== resampling

    /**
     * {@code F.interpolate(input, size=..., mode=...)}: modes nearest, nearest-exact, linear (3-D), bilinear (4-D);
     * alignCorners null for the default.
     */
    public static Tensor interpolate(Tensor input, int[] size, String mode, Boolean alignCorners) {
        return Pooling.interpolate(input, size, null, mode, alignCorners);
    }

    /** {@code F.interpolate(input, scale_factor=..., mode=...)}. */
    public static Tensor interpolate(Tensor input, double scaleFactor, String mode, Boolean alignCorners) {
        return Pooling.interpolate(input, null, new double[]{scaleFactor}, mode, alignCorners);
    }

    public static Tensor interpolate(Tensor input, double[] scaleFactor, String mode, Boolean alignCorners) {
        return Pooling.interpolate(input, null, scaleFactor, mode, alignCorners);
    }

    public static Tensor pixelShuffle(Tensor input, int upscaleFactor) { return Pooling.pixelShuffle(input, upscaleFactor); }

    public static Tensor pixelUnshuffle(Tensor input, int downscaleFactor) { return Pooling.pixelUnshuffle(input, downscaleFactor); }

    // ================================================================== normalization and dropout

    /**
     * {@code F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)}. In
     * training, the running stats (if given) are updated in place with the unbiased batch variance.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, boolean training) {
        return batchNorm(input, runningMean, runningVar, null, null, training, 0.1, 1e-5);
    }

    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias) {
        return layerNorm(input, normalizedShape, weight, bias, 1e-5);
    }

    public static Tensor layerNorm(Tensor input, int... normalizedShape) { return layerNorm(input, normalizedShape, null, null, 1e-5); }

    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        return Normalization.groupNorm(input, numGroups, weight, bias, eps);
    }

    public static Tensor groupNorm(Tensor input, int numGroups) { return groupNorm(input, numGroups, null, null, 1e-5); }

    /** {@code F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)}. */
    public static Tensor instanceNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                      boolean useInputStats, double momentum, double eps) {
        return Normalization.instanceNorm(input, runningMean, runningVar, weight, bias, useInputStats, momentum, eps);
    }

    public static Tensor instanceNorm(Tensor input) { return instanceNorm(input, null, null, null, null, true, 0.1, 1e-5); }

    /** {@code F.rms_norm(input, normalized_shape, weight, eps)}; eps null means the dtype's machine epsilon. */
    public static Tensor rmsNorm(Tensor input, int[] normalizedShape, Tensor weight, Double eps) {
        return Normalization.rmsNorm(input, normalizedShape, weight, eps);
    }

    public static Tensor rmsNorm(Tensor input, int... normalizedShape) { return rmsNorm(input, normalizedShape, null, null); }

    /** {@code F.normalize(input, p, dim, eps)}: x / max(||x||_p, eps) along dim. */
    public static Tensor normalize(Tensor input, double p, int dim, double eps) {
        return input.div(input.norm(p, new int[]{dim}, true).clampMin(eps));
    }

    public static Tensor normalize(Tensor input) { return normalize(input, 2.0, 1, 1e-12); }

    /** {@code F.dropout(input, p, training)} with the default generator. */
    public static Tensor dropout(Tensor input, double p, boolean training) { return dropout(input, p, training, null); }

    /** Dropout with masks drawn from {@code generator} (null: the default generator). */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        return Normalization.dropout(input, p, training, generator, input.shape());
    }

    public static Tensor dropout(Tensor input) { return dropout(input, 0.5, true, null); }

    /** {@code F.dropout2d}: zeroes whole channels of [N, C, H, W] (or [C, H, W]). */
    public static Tensor dropout2d(Tensor input, double p, boolean training, Generator generator) {
        int[] ms = input.shape();
        for (int i = input.dim() == 3 ? 1 : 2; i < ms.length; i++) ms[i] = 1;
        return Normalization.dropout(input, p, training, generator, ms);
    }

    public static Tensor dropout2d(Tensor input, double p, boolean training) { return dropout2d(input, p, training, null); }

    // ================================================================== embedding, attention, distances

    /** {@code F.embedding(input, weight, padding_idx)}: paddingIdx null for none. */
    public static Tensor embedding(Tensor input, Tensor weight, Integer paddingIdx) {
        if (paddingIdx != null && weight.dim() > 0 && (paddingIdx >= weight.size(0) || paddingIdx < -weight.size(0))) {
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings (got padding_idx " + paddingIdx + " for "
                    + weight.size(0) + " embeddings). Fix: a padding_idx in [-" + weight.size(0) + ", " + weight.size(0) + ")");
        }
        return NnOps.embedding(input, weight, paddingIdx == null ? Long.MIN_VALUE : paddingIdx);
    }

    public static Tensor embedding(Tensor input, Tensor weight) { return embedding(input, weight, null); }

    /** {@code F.one_hot(tensor, num_classes)} as int64; -1 infers num_classes from the max. */
    public static Tensor oneHot(Tensor indices, int numClasses) { return indices.oneHot(numClasses); }

    /**
     * {@code F.scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal, scale)}:
     * softmax(q k^T * scale + mask) v. A bool mask marks the positions that may be attended to; a float
     * mask is added. scale null means 1/sqrt(E).
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
                                                   boolean isCausal, Double scale, Generator generator) {
        int l = query.size(-2), s = key.size(-2);
        double sc = scale != null ? scale : 1.0 / Math.sqrt(query.size(-1));
        Tensor attn = query.matmul(key.transpose(-2, -1)).mul(sc);
        if (isCausal) {
            if (attnMask != null) throw new IllegalArgumentException("scaled_dot_product_attention: pass either attn_mask or is_causal, not both");
            Tensor future = Grad4j.ones(new int[]{l, s}, DType.BOOL, query.device()).triu(1);        // key j > query i
            attn = attn.maskedFill(future, Double.NEGATIVE_INFINITY);
        } else if (attnMask != null) {
            attn = attnMask.dtype() == DType.BOOL ? attn.maskedFill(attnMask.logicalNot(), Double.NEGATIVE_INFINITY)
                    : attn.add(attnMask);
        }
        attn = softmax(attn, -1);
        if (dropoutP > 0) attn = dropout(attn, dropoutP, true, generator);
        return attn.matmul(value);
    }

    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value) {
        return scaledDotProductAttention(query, key, value, null, 0.0, false, null, null);
    }

    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, boolean isCausal) {
        return scaledDotProductAttention(query, key, value, attnMask, 0.0, isCausal, null, null);
    }

    /** {@code F.cosine_similarity(x1, x2, dim, eps)}: sum(x1/max(|x1|, eps) * x2/max(|x2|, eps)) along dim. */
    public static Tensor cosineSimilarity(Tensor x1, Tensor x2, int dim, double eps) {
        Tensor a = x1.div(x1.norm(2, new int[]{dim}, true).clampMin(eps));
        Tensor b = x2.div(x2.norm(2, new int[]{dim}, true).clampMin(eps));
        return a.mul(b).sum(dim, false);
    }

    public static Tensor cosineSimilarity(Tensor x1, Tensor x2) { return cosineSimilarity(x1, x2, 1, 1e-8); }

    /** {@code F.pairwise_distance(x1, x2, p, eps, keepdim)}: ||x1 - x2 + eps||_p over the last dim. */
    public static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps, boolean keepdim) {
        return Losses.pairwiseDistance(x1, x2, p, eps, keepdim);
    }

    public static Tensor pairwiseDistance(Tensor x1, Tensor x2) { return pairwiseDistance(x1, x2, 2.0, 1e-6, false); }

    // ================================================================== softmax family

    /** Softmax along dim, stable (max subtracted) with a dedicated backward (SoftmaxBackward0); same as {@code input.softmax(dim)}. */
    public static Tensor softmax(Tensor input, int dim) { return input.softmax(dim); }

    /** log_softmax along dim, via logsumexp (LogSoftmaxBackward0). */
    public static Tensor logSoftmax(Tensor input, int dim) { return input.logSoftmax(dim); }

    public static Tensor softmin(Tensor input, int dim) { return input.neg().softmax(dim); }

    // ================================================================== activations

    public static Tensor relu(Tensor input) { return input.relu(); }

    public static Tensor relu6(Tensor input) { return input.relu6(); }

    public static Tensor leakyRelu(Tensor input, double negativeSlope) { return input.leakyRelu(negativeSlope); }

    public static Tensor leakyRelu(Tensor input) { return leakyRelu(input, 0.01); }

    public static Tensor elu(Tensor input, double alpha) { return input.elu(alpha); }

    public static Tensor elu(Tensor input) { return elu(input, 1.0); }

    public static Tensor selu(Tensor input) { return input.selu(); }

    public static Tensor celu(Tensor input, double alpha) { return input.celu(alpha); }

    public static Tensor celu(Tensor input) { return celu(input, 1.0); }

    /** Exact GELU, x * Phi(x). */
    public static Tensor gelu(Tensor input) { return input.gelu(); }

    /** {@code F.gelu(input, approximate)}: "none" (exact, erf) or "tanh". */
    public static Tensor gelu(Tensor input, String approximate) { return input.gelu(approximate); }

    public static Tensor silu(Tensor input) { return input.silu(); }

    public static Tensor mish(Tensor input) { return input.mish(); }

    /** {@code F.softplus(input, beta, threshold)}: linear where beta*x > threshold. */
    public static Tensor softplus(Tensor input, double beta, double threshold) { return input.softplus(beta, threshold); }

    public static Tensor softplus(Tensor input) { return softplus(input, 1.0, 20.0); }

    public static Tensor softsign(Tensor input) { return input.softsign(); }

    public static Tensor hardtanh(Tensor input, double minVal, double maxVal) { return input.hardtanh(minVal, maxVal); }

    public static Tensor hardtanh(Tensor input) { return hardtanh(input, -1.0, 1.0); }

    public static Tensor hardsigmoid(Tensor input) { return input.hardsigmoid(); }

    public static Tensor hardswish(Tensor input) { return input.hardswish(); }

    public static Tensor logsigmoid(Tensor input) { return input.logsigmoid(); }

    public static Tensor tanh(Tensor input) { return input.tanh(); }

    public static Tensor sigmoid(Tensor input) { return input.sigmoid(); }

    /** {@code F.glu(input, dim)}: first half times sigmoid of the second half. */
    public static Tensor glu(Tensor input, int dim) {
        int n = input.size(dim);
        if (n % 2 != 0) throw new IllegalArgumentException("glu: Halving dimension must be even, but dimension " + dim + " is size " + n);
        return input.narrow(dim, 0, n / 2).mul(input.narrow(dim, n / 2, n / 2).sigmoid());
    }

    // ================================================================== losses

    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) { return OpErrors.named("mse_loss", () -> Losses.mse(input, target, reduction)); }

    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, "mean"); }

    public static Tensor l1Loss(Tensor input, Tensor target, String reduction) { return OpErrors.named("l1_loss", () -> Losses.l1(input, target, reduction)); }

    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, "mean"); }

    public static Tensor smoothL1Loss(Tensor input, Tensor target, String reduction, double beta) {
        return OpErrors.named("smooth_l1_loss", () -> Losses.smoothL1(input, target, reduction, beta));
    }

    public static Tensor smoothL1Loss(Tensor input, Tensor target) { return smoothL1Loss(input, target, "mean", 1.0); }

    public static Tensor huberLoss(Tensor input, Tensor target, String reduction, double delta) {
        return OpErrors.named("huber_loss", () -> Losses.huber(input, target, reduction, delta));
    }

    public static Tensor huberLoss(Tensor input, Tensor target) { return huberLoss(input, target, "mean", 1.0); }

    /**
     * {@code F.cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing)}: target holds
     * class indices (int64, shape of input without the class dim) or class probabilities (input's shape).
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction,
                                      double labelSmoothing) {
        return OpErrors.named("cross_entropy", () -> Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing));
    }

    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, null, IGNORE_INDEX, "mean", 0.0); }

    public static Tensor crossEntropy(Tensor input, Tensor target, String reduction) {
        return crossEntropy(input, target, null, IGNORE_INDEX, reduction, 0.0);
    }

    /** {@code F.nll_loss(input, target, weight, ignore_index, reduction)} on log-probabilities. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction) {
        return OpErrors.named("nll_loss", () -> Losses.nll(input, target, weight, ignoreIndex, reduction));
    }

    public static Tensor nllLoss(Tensor input, Tensor target) { return nllLoss(input, target, null, IGNORE_INDEX, "mean"); }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, String reduction) {
        return OpErrors.named("binary_cross_entropy", () -> Losses.binaryCrossEntropy(input, target, weight, reduction));
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) { return binaryCrossEntropy(input, target, null, "mean"); }

    /** Stable BCE on logits; posWeight (per class, broadcast over the last dim) weighs positive examples. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, String reduction, Tensor posWeight) {
        return OpErrors.named("binary_cross_entropy_with_logits", () -> Losses.bceWithLogits(input, target, weight, posWeight, reduction));
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, "mean", null);
    }

    /** {@code F.kl_div(input, target, reduction, log_target)}: input holds log-probabilities; reduction may be "batchmean". */
    public static Tensor klDiv(Tensor input, Tensor target, String reduction, boolean logTarget) {
        return OpErrors.named("kl_div", () -> Losses.klDiv(input, target, reduction, logTarget));
    }

    public static Tensor klDiv(Tensor input, Tensor target) { return klDiv(input, target, "mean", false); }

    public static Tensor marginRankingLoss(Tensor input1, Tensor input2, Tensor target, double margin, String reduction) {
        return OpErrors.named("margin_ranking_loss", () -> Losses.marginRanking(input1, input2, target, margin, reduction));
    }

    public static Tensor marginRankingLoss(Tensor input1, Tensor input2, Tensor target) {
        return marginRankingLoss(input1, input2, target, 0.0, "mean");
    }

    public static Tensor hingeEmbeddingLoss(Tensor input, Tensor target, double margin, String reduction) {
        return OpErrors.named("hinge_embedding_loss", () -> Losses.hingeEmbedding(input, target, margin, reduction));
    }

    public static Tensor hingeEmbeddingLoss(Tensor input, Tensor target) { return hingeEmbeddingLoss(input, target, 1.0, "mean"); }

    public static Tensor cosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target, double margin, String reduction) {
        return OpErrors.named("cosine_embedding_loss", () -> Losses.cosineEmbedding(input1, input2, target, margin, reduction));
    }

    public static Tensor cosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target) {
        return cosineEmbeddingLoss(input1, input2, target, 0.0, "mean");
    }

    public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin, double p, double eps,
                                           boolean swap, String reduction) {
        return OpErrors.named("triplet_margin_loss", () -> Losses.tripletMargin(anchor, positive, negative, margin, p, eps, swap, reduction));
    }

    public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative) {
        return tripletMarginLoss(anchor, positive, negative, 1.0, 2.0, 1e-6, false, "mean");
    }

    public static Tensor softMarginLoss(Tensor input, Tensor target, String reduction) { return OpErrors.named("soft_margin_loss", () -> Losses.softMargin(input, target, reduction)); }

    public static Tensor softMarginLoss(Tensor input, Tensor target) { return softMarginLoss(input, target, "mean"); }

    public static Tensor multilabelSoftMarginLoss(Tensor input, Tensor target, Tensor weight, String reduction) {
        return OpErrors.named("multilabel_soft_margin_loss", () -> Losses.multilabelSoftMargin(input, target, weight, reduction));
    }

    public static Tensor multilabelSoftMarginLoss(Tensor input, Tensor target) { return multilabelSoftMarginLoss(input, target, null, "mean"); }

    public static Tensor poissonNllLoss(Tensor input, Tensor target, boolean logInput, boolean full, double eps, String reduction) {
        return OpErrors.named("poisson_nll_loss", () -> Losses.poissonNll(input, target, logInput, full, eps, reduction));
    }

    public static Tensor poissonNllLoss(Tensor input, Tensor target) { return poissonNllLoss(input, target, true, false, 1e-8, "mean"); }

    public static Tensor gaussianNllLoss(Tensor input, Tensor target, Tensor var, boolean full, double eps, String reduction) {
        return OpErrors.named("gaussian_nll_loss", () -> Losses.gaussianNll(input, target, var, full, eps, reduction));
    }

    public static Tensor gaussianNllLoss(Tensor input, Tensor target, Tensor var) {
        return gaussianNllLoss(input, target, var, false, 1e-6, "mean");
    }

    /**
     * {@code F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity)}:
     * log_probs [T, N, C] (log_softmax output), targets [N, S] padded or 1-d concatenated. The 'mean'
     * reduction divides each loss by its target length, then averages over the batch.
     */
    public static Tensor ctcLoss(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths, int blank,
                                 String reduction, boolean zeroInfinity) {
        return Ctc.ctcLoss(logProbs, targets, inputLengths, targetLengths, blank, reduction, zeroInfinity);
    }

    public static Tensor ctcLoss(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths) {
        return ctcLoss(logProbs, targets, inputLengths.toLongArray(), targetLengths.toLongArray(), 0, "mean", false);
    }
}
