package org.grad4j.storage;

/**
 * A strided view of a storage: what a kernel needs of a tensor (no autograd, no dtype promotion).
 * Element {@code idx} lives at {@code offset + sum(idx[d] * strides[d])} of {@code storage}.
 */
public record Strided(Storage storage, int[] shape, int[] strides, int offset) {
    /** Number of dimensions. */
    public int dim() { return shape.length; }
}
