package org.grad4j.kernels;

import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;

/**
 * How a CPU kernel written over Java arrays reaches any storage: a heap storage gives its own
 * array (no copy, the fast path); an off-heap one is copied into a scratch array, and a kernel
 * that wrote into it calls {@link #commit} to copy the elements back. Compute-bound kernels
 * (matmul, conv, linalg) pay one copy per operand this way, a small price; memory-bound ones
 * (elementwise, reductions) pay it in full, which the off-heap bench rows show.
 */
public final class Staging {
    private Staging() {}

    /** The storage's elements as an array of its dtype's Java type (the array itself on the heap). */
    public static Object array(Storage s) {
        return s instanceof HeapStorage h ? h.array() : s.copyToHeap().array();
    }

    public static float[] f32(Storage s) { return (float[]) array(s); }

    public static double[] f64(Storage s) { return (double[]) array(s); }

    public static long[] i64(Storage s) { return (long[]) array(s); }

    public static int[] i32(Storage s) { return (int[]) array(s); }

    public static boolean[] bool(Storage s) { return (boolean[]) array(s); }

    /** After a kernel wrote into {@code array} obtained for {@code s}: makes the writes visible in {@code s}. */
    public static void commit(Storage s, Object array) {
        if (!(s instanceof HeapStorage)) s.copyFrom(0, array, 0, s.size());
    }

    /** A new array of {@code s}'s Java element type with its elements [from, from + n). */
    public static Object copyRange(Storage s, int from, int n) {
        Object out = HeapStorage.allocate(s.dtype(), n).array();
        s.copyTo(from, out, 0, n);
        return out;
    }

    /** Copies {@code src}[from, from + n) (of {@code dst}'s Java element type) into {@code dst} starting at element {@code to}. */
    public static void copyIn(Storage dst, int to, Object src, int from, int n) {
        dst.copyFrom(to, src, from, n);
    }

    /** True when every storage is on the heap (the array fast paths apply as they are). */
    public static boolean allHeap(Storage a) { return a instanceof HeapStorage; }

    public static boolean allHeap(Storage a, Storage b) { return a instanceof HeapStorage && b instanceof HeapStorage; }
}
