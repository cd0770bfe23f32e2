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

    /**
     * Pooled scratch arrays are kept up to this many elements (8 MB of float32); larger ones are
     * garbage after the call. Only threads that call kernels (not the pool's workers) hold them.
     */
    private static final int POOL_MAX = 1 << 21;
    /** Slots per thread: a kernel call stages at most this many operands. */
    static final int SLOTS = 8;
    /** Per thread: one float[], double[] and long[] per operand slot, grown as needed and reused by the next call. */
    private static final ThreadLocal<Object[]> POOL = ThreadLocal.withInitial(() -> new Object[3 * SLOTS]);

    /**
     * For an operand a kernel only reads, within one call on this thread: a heap storage's own
     * array, or an off-heap float storage's elements copied into this thread's scratch array for
     * {@code slot} (0..7, one per operand of the call), which may be longer than the storage. No
     * garbage per call: large off-heap operands (a matmul's weights) would otherwise be a fresh
     * humongous array each time, and the GC ran twice as often as with heap storage.
     */
    public static Object input(Storage s, int slot) {
        if (s instanceof HeapStorage h) return h.array();
        Object a = scratch(s, slot);
        s.copyTo(0, a, 0, s.size());
        return a;
    }

    /**
     * For an output a kernel overwrites, within one call on this thread: a heap storage's own array,
     * or a scratch array whose contents are undefined; {@link #commitRange} then copies the written
     * range into the storage.
     */
    public static Object output(Storage s, int slot) {
        return s instanceof HeapStorage h ? h.array() : scratch(s, slot);
    }

    /** After a kernel wrote elements [from, from + n) of {@code array} obtained by {@link #output}: copies them into {@code s}. */
    public static void commitRange(Storage s, Object array, int from, int n) {
        if (!(s instanceof HeapStorage)) s.copyFrom(from, array, from, n);
    }

    private static Object scratch(Storage s, int slot) {
        int n = s.size();
        int t = switch (s.dtype()) {
            case FLOAT32 -> 0;
            case FLOAT64 -> 1;
            case INT64 -> 2;   // pooling indices
            default -> -1;
        };
        if (t < 0 || n > POOL_MAX) return HeapStorage.allocate(s.dtype(), n).array();
        Object[] pool = POOL.get();
        int i = 3 * slot + t;
        Object a = pool[i];
        int have = a == null ? 0 : java.lang.reflect.Array.getLength(a);
        if (have < n) {
            int cap = Math.min(POOL_MAX, Math.max(n, 2 * have));
            pool[i] = a = t == 0 ? new float[cap] : t == 1 ? new double[cap] : new long[cap];
        }
        return a;
    }

    /** True when every storage is on the heap (the array fast paths apply as they are). */
    public static boolean allHeap(Storage a) { return a instanceof HeapStorage; }

    public static boolean allHeap(Storage a, Storage b) { return a instanceof HeapStorage && b instanceof HeapStorage; }
}
