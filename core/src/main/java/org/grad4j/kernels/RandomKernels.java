package org.grad4j.kernels;

import org.grad4j.storage.Storage;

/**
 * Random fills of a new contiguous storage from a generator. The number sequence is PyTorch's
 * CPU generator's: the same seed gives the same tensor as torch. A caller sharing the generator
 * across threads holds its lock for the call, so one fill draws an unbroken run of numbers.
 *
 * <pre>{@code
 * backend.random().uniform(out, source);   // torch.rand: out's dtype float32 or float64
 * }</pre>
 */
public interface RandomKernels {
    /** Uniform [0, 1): one float draw per float32 element, one double draw per float64 element. */
    void uniform(Storage out, RandomSource g);

    /**
     * Standard normals (float32 or float64). Below 16 elements one Box-Muller draw each; from 16 on
     * PyTorch's normal_fill: uniforms for all, Box-Muller on pairs (i, i + 8) of every block of 16,
     * and a partial last block redrawn over the last 16 elements.
     */
    void normal(Storage out, RandomSource g);

    /** Uniform integers in [low, high) (high > low) into an int64 storage. */
    void randint(Storage out, long low, long high, RandomSource g);

    /** A random permutation of 0 .. out.size() - 1 into an int64 storage (Fisher-Yates from the front). */
    void randperm(Storage out, RandomSource g);
}
