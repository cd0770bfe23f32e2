package org.grad4j;

/**
 * The (values, indices) pair returned by {@code max(dim)}, {@code sort}, {@code topk},
 * {@code median(dim)}..., like PyTorch's {@code torch.return_types}.
 *
 * <pre>{@code
 * var r = x.max(1, false);
 * r.values();    // the maxima (differentiable)
 * r.indices();   // int64 positions along dim 1
 * }</pre>
 */
public record ValuesIndices(Tensor values, Tensor indices) {}
