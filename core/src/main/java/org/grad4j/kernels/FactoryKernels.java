package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * The loops that fill new tensors: constants ({@code full}, {@code eye}'s diagonal), ranges
 * ({@code arange}, {@code linspace}) and Java data ({@code tensor(double[][])}, reading a state
 * back into bytes). The factory checks arguments and allocates; the kernel writes the elements.
 *
 * <pre>{@code
 * backend.factory().arange(out, 0.0, 0.5);   // out = [0, 0.5, 1, ...], out.size() elements
 * }</pre>
 */
public interface FactoryKernels {
    /** Every element of the strided view {@code out} becomes {@code value} (converted to its dtype). */
    void fill(Strided out, double value);

    /** out[i] = start + i * step for every element of the int64 storage {@code out}, in long arithmetic. */
    void arange(Storage out, long start, long step);

    /** out[i] = start + i * step (computed in double, then converted to out's dtype). */
    void arange(Storage out, double start, double step);

    /**
     * {@code out.size()} points from start to end, symmetric as PyTorch's kernel: the first half
     * counts up from start, the second half down from end, so both ends are exact.
     */
    void linspace(Storage out, double start, double end);

    /**
     * Copies a flat Java array ({@code double[]}, {@code float[]}, {@code long[]}, {@code int[]},
     * {@code short[]}, {@code byte[]}, {@code boolean[]}, or {@code Object[]} of numbers and
     * booleans) into {@code out} from element {@code at}, converting to out's dtype (floating values
     * as doubles, integers as longs, booleans as 0/1). Returns the number of elements copied.
     *
     * @throws IllegalArgumentException naming {@code op} for an element or array type it cannot copy
     */
    int copyFromJava(Object array, Storage out, int at, String op);

    /** A new Java array of {@code s}'s element type with its elements [from, from + n). */
    Object copyToJava(Storage s, int from, int n);
}
