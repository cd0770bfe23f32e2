package org.grad4j.storage;

import java.util.Arrays;

/** Shape and stride arithmetic shared by every op. All methods are pure. */
public final class Shapes {
    private Shapes() {}

    public static final int[] SCALAR = new int[0];

    /** Number of elements, failing clearly when it does not fit one storage. */
    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension " + d + " in shape " + str(shape));
            n *= d;
            if (n > Storage.MAX_ELEMENTS) {
                long full = 1;
                for (int e : shape) full = Math.multiplyHigh(full, e) != 0 ? Long.MAX_VALUE : full * e;
                throw new IllegalArgumentException("a tensor of shape " + str(shape) + " has "
                        + (full == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(full))
                        + " elements; grad4j stores a tensor in one Java array, which holds at most "
                        + Storage.MAX_ELEMENTS + " elements; split the data into several tensors");
            }
        }
        return (int) n;
    }

    /**
     * A size asked of {@code op} as one dimension: the value when it fits a Java int and one storage,
     * else an error naming the op, the size asked and the limit (never a wrapped or negative int).
     */
    public static int checkedDim(String op, long size, int[] otherDims) {
        if (size < 0) throw new IllegalArgumentException(op + ": negative size " + size + " asked. Fix: pass a non-negative size");
        if (size > Storage.MAX_ELEMENTS) throw tooLarge(op, "a dimension of size " + size + (otherDims.length == 0 ? "" : " (other dims " + str(otherDims) + ")"));
        return (int) size;
    }

    /** numel of {@code shape}, or an error naming {@code op}, the size asked and the limit. */
    public static int checkedNumel(String op, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": negative dimension " + d + " in shape " + str(shape));
            n = n == 0 || d == 0 ? 0 : Math.multiplyHigh(n, d) != 0 || n * d < 0 ? Long.MAX_VALUE : n * d;
        }
        if (n > Storage.MAX_ELEMENTS) {
            throw tooLarge(op, "shape " + str(shape) + " (" + (n == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(n)) + " elements)");
        }
        return (int) n;
    }

    /** The one message for a size beyond one Java array: the op, what was asked, the limit, and a fix. */
    public static IllegalArgumentException tooLarge(String op, String asked) {
        return new IllegalArgumentException(op + ": " + asked + " is too large: grad4j stores a tensor in one Java array, which holds "
                + "at most " + Storage.MAX_ELEMENTS + " (2^31-9) elements. Fix: split the data into several tensors, or use smaller sizes");
    }

    /** Row-major (C-contiguous) strides for {@code shape}. */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** True when (shape, strides) address elements in row-major order without gaps. */
    public static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (shape[i] == 0) return true;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** Wraps a possibly negative dim into [0, rank); {@code op} names the caller in the error. */
    public static int wrapDim(int dim, int rank, String op) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException(op + ": Dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /**
     * NumPy/PyTorch broadcasting of two shapes: align right, sizes must be equal or one of them 1.
     */
    public static int[] broadcast(int[] a, int[] b, String op) {
        if (Arrays.equals(a, b)) return a;
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da == db || db == 1) out[i] = da;
            else if (da == 1) out[i] = db;
            else {
                throw new IllegalArgumentException(op + ": The size of tensor a (" + da
                        + ") must match the size of tensor b (" + db + ") at non-singleton dimension " + i
                        + "; shapes " + str(a) + " and " + str(b) + " cannot be broadcast together. "
                        + "Fix: make the sizes equal or 1 in that dimension (e.g. with reshape/unsqueeze), "
                        + "aligning shapes from the right");
            }
        }
        return out;
    }

    /**
     * Strides that read a tensor of (shape, strides) as if expanded to {@code target}: broadcast
     * dimensions get stride 0.
     */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int off = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            if (i < off) out[i] = 0;
            else out[i] = shape[i - off] == 1 && target[i] != 1 ? 0 : strides[i - off];
        }
        return out;
    }

    /** Python-style tuple text used in messages: {@code [2, 3]}. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
