package org.grad4j.kernels;

/**
 * The draws a random kernel needs from a generator, so that kernels know nothing of
 * {@code org.grad4j.Generator} (which adapts itself to this). Each method advances the stream.
 *
 * <pre>{@code
 * RandomSource g = ...;           // a Generator's adapter
 * float u = g.nextFloat();        // uniform [0, 1), 24 random bits
 * }</pre>
 */
public interface RandomSource {
    /** Uniform float in [0, 1) (PyTorch's float path: 24 random bits). */
    float nextFloat();

    /** Uniform double in [0, 1) (53 random bits). */
    double nextDouble();

    /** A standard normal draw (Box-Muller, the second value cached by the generator). */
    double nextGaussian();

    /** Uniform long in [0, range) for range > 0. */
    long nextBounded(long range);
}
