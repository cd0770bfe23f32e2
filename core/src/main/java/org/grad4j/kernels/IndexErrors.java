package org.grad4j.kernels;

import org.grad4j.storage.Shapes;

/**
 * The messages of the index kernels' per-element checks, shared by every backend so that a bad
 * index reads the same wherever it is found. Each names the op, the offending value, the size it
 * had to fit and a {@code Fix:}.
 */
public final class IndexErrors {
    private IndexErrors() {}

    /**
     * PyTorch's gather/scatter message: their indices do not wrap, a negative one is an error (only
     * indexing with x.index(...) / indexPut and take count from the end).
     */
    public static IndexOutOfBoundsException outOfBounds(String op, long v, int dim, int size) {
        return new IndexOutOfBoundsException(op + "(): index " + v + " is out of bounds for dimension " + dim + " with size " + size
                + ". Fix: " + fix(v, size, op));
    }

    /** PyTorch's index_select / index_add / embedding message, with the offending index and size added. */
    public static IndexOutOfBoundsException outOfRangeInSelf(String op, long v, int dim, int size) {
        return new IndexOutOfBoundsException(op + "(): index out of range in self (index " + v + " for dimension " + dim
                + " with size " + size + "). Fix: " + fix(v, size, op));
    }

    private static String fix(long v, int size, String op) {
        return v < 0 ? "negative indices do not wrap around in " + op + " (as in PyTorch); use values in [0, " + size + "), e.g. add "
                + size + " to negative ones"
                : "use values in [0, " + size + ")" + (op.equals("embedding") ? "; num_embeddings must exceed the largest index" : "");
    }

    /** Advanced indexing (x.index(t), index_put): PyTorch's message, dim counted in the indexed tensor. */
    public static IndexOutOfBoundsException advanced(long v, int dim, int size) {
        return new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + dim + " with size " + size);
    }

    /** take: indices into the flattened tensor, negative ones counted from the end. */
    public static IndexOutOfBoundsException take(long v, int n, int[] shape) {
        return new IndexOutOfBoundsException("take(): out of range: tried to access index " + v + " on a tensor of " + n
                + " elements. Fix: use indices in [-" + n + ", " + n + ") into the flattened tensor (shape " + Shapes.str(shape) + ")");
    }

    /** A negative class / bin value (one_hot, bincount), in each op's own words. */
    public static IllegalArgumentException negative(String op, long v) {
        return new IllegalArgumentException(op.equals("one_hot")
                ? "one_hot: Class values must be non-negative. (got " + v + ")"
                : op + " only supports 1-d non-negative integral inputs, got value " + v);
    }
}
