package org.grad4j.kernels;

import org.grad4j.storage.Strided;

/**
 * Row-major walk over {@code shape} keeping the storage offsets of up to three operands that are
 * indexed by the same coordinates (their strides are read for the first {@code shape.length}
 * dims). Unlike {@link Iter} it keeps element order and the coordinates, which index kernels need
 * (the last write wins; the error names the first bad index).
 */
final class Walk {
    private static final int[] ZEROS = new int[32];   // the strides of an absent operand, shared

    final int[] idx;
    private final int[] shape, s0, s1, s2;
    /** Offsets of the current element in operands 0, 1, 2. */
    int o0, o1, o2;

    Walk(int[] shape, Strided a, Strided b, Strided c) {
        this.shape = shape;
        this.idx = new int[shape.length];
        this.s0 = a.strides();
        this.s1 = b == null ? zeros(shape.length) : b.strides();
        this.s2 = c == null ? zeros(shape.length) : c.strides();
        this.o0 = a.offset();
        this.o1 = b == null ? 0 : b.offset();
        this.o2 = c == null ? 0 : c.offset();
    }

    Walk(Strided a) { this(a.shape(), a, null, null); }

    private static int[] zeros(int n) { return n <= ZEROS.length ? ZEROS : new int[n]; }

    /** Moves to the next element in row-major order (past the last one: back to the first). */
    void next() {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                o0 += s0[d];
                o1 += s1[d];
                o2 += s2[d];
                return;
            }
            int back = shape[d] - 1;
            o0 -= back * s0[d];
            o1 -= back * s1[d];
            o2 -= back * s2[d];
            idx[d] = 0;
        }
    }

    /** Number of elements of a shape, as kernels count them. */
    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }
}
