package org.grad4j;

import org.grad4j.storage.Shapes;

/**
 * PyTorch's memory-overlap checks for in-place writes (ATen's MemoryOverlap): a written-to
 * tensor whose elements share memory (an expanded tensor) would be corrupted by an elementwise
 * write, and an input that partly overlaps the output would be read after it was overwritten.
 */
final class MemOverlap {
    private MemOverlap() {}

    static final String INTERNAL = "unsupported operation: more than one element of the written-to tensor refers to a "
            + "single memory location. Please clone() the tensor before performing the operation.";
    static final String PARTIAL = "unsupported operation: some elements of the input tensor and the written-to tensor "
            + "refer to a single memory location. Please clone() the tensor before performing the operation.";

    /**
     * Raises when {@code t} has a dimension of stride 0 and size > 1 (PyTorch's assert_no_internal_overlap),
     * or when its memory is read-only (a memory-mapped file): every in-place write checks this first.
     */
    static void assertNoInternalOverlap(Tensor t, String op) {
        if (t.storage.isReadOnly()) {
            throw new UnsupportedOperationException(op + ": " + org.grad4j.storage.OffHeapStorage.readOnlyError().getMessage());
        }
        int[] sh = t.shape, st = t.strides;
        for (int i = 0; i < sh.length; i++) {
            if (st[i] == 0 && sh[i] > 1) {
                throw new IllegalStateException(INTERNAL + " (" + op + " on a tensor of shape " + Shapes.str(sh) + ", strides "
                        + Shapes.str(st) + "). Fix: out = t.clone(), then modify out");
            }
        }
    }

    /**
     * Raises when {@code in} and {@code out} share some but not all memory (PyTorch's
     * assert_no_partial_overlap: only decided for non-overlapping dense tensors, as there).
     */
    static void assertNoPartialOverlap(Tensor out, Tensor in, String op) {
        if (in == null || in == out || in.storage != out.storage || in.numel() == 0 || out.numel() == 0) return;
        if (!isNonOverlappingAndDense(out) || !isNonOverlappingAndDense(in)) return;
        int aBegin = out.offset, aEnd = out.offset + out.numel(), bBegin = in.offset, bEnd = in.offset + in.numel();
        boolean full = aBegin == bBegin && aEnd == bEnd && java.util.Arrays.equals(out.strides, in.strides);
        if (!full && aBegin < bEnd && bBegin < aEnd) {
            throw new IllegalStateException(PARTIAL + " (" + op + " writing a tensor of shape " + Shapes.str(out.shape)
                    + " from an overlapping one of shape " + Shapes.str(in.shape) + "). Fix: pass in.clone()");
        }
    }

    /** Whether the elements fill a block of memory exactly once, in some dimension order. */
    static boolean isNonOverlappingAndDense(Tensor t) {
        int n = t.shape.length;
        if (t.isContiguous()) return true;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(t.strides[a], t.strides[b]));
        long expected = 1;
        for (int k = 0; k < n; k++) {
            int d = order[k];
            if (t.shape[d] == 1) continue;
            if (t.strides[d] != expected) return false;
            expected *= t.shape[d];
        }
        return true;
    }

    /** Whether two elements of (shape, strides) may share a position (false only when provably not). */
    static boolean mayOverlap(int[] shape, int[] strides) {
        int n = shape.length;
        for (int d : shape) if (d == 0) return false;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(Math.abs(strides[a]), Math.abs(strides[b])));
        long extent = 0;   // largest position reachable by the dims sorted so far
        for (int k = 0; k < n; k++) {
            int d = order[k];
            if (shape[d] == 1) continue;
            long s = Math.abs(strides[d]);
            if (s <= extent) return true;
            extent += s * (shape[d] - 1);
        }
        return false;
    }
}
