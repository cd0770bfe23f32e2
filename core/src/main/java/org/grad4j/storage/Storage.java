package org.grad4j.storage;

import org.grad4j.DType;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A flat, typed block of elements on the heap. Tensors are views (shape, strides, offset) over a
 * storage; several tensors may share one. The array is exposed so kernels can loop over it
 * directly: {@code float[]} for FLOAT32, {@code double[]} for FLOAT64, {@code long[]} for INT64,
 * {@code int[]} for INT32, {@code short[]} for INT16, {@code byte[]} for INT8/UINT8 and
 * {@code boolean[]} for BOOL.
 */
public final class Storage {
    /** Heap arrays are indexed by int: one storage holds at most this many elements. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * Allocation generations. Whoever opens a generation ({@link #openGeneration}) knows that a
     * storage stamped with it was allocated after that point, so nothing older can reference it:
     * the autograd engine tells a gradient a backward formula just allocated (which it may then
     * own, sum into in place or keep as .grad) from one the formula passed through or saved.
     */
    private static final AtomicLong GENERATION = new AtomicLong();

    private final DType dtype;
    private final Object array;
    private final int size;
    /** The generation current at allocation; 0 for wrapped arrays, which are never anybody's fresh buffer. */
    private long generation;

    private Storage(DType dtype, Object array, int size, long generation) {
        this.dtype = dtype;
        this.array = array;
        this.size = size;
        this.generation = generation;
    }

    /** Starts a new allocation generation and returns it: storages allocated from now on carry it (or a later one). */
    public static long openGeneration() { return GENERATION.incrementAndGet(); }

    /** The allocation generation this storage carries (see {@link #openGeneration}); the engine may re-stamp it. */
    public long generation() { return generation; }

    /** Re-stamps the generation: the autograd engine hands a buffer it owns over, or marks it taken. */
    public void setGeneration(long generation) { this.generation = generation; }

    /** A zero-filled storage of {@code n} elements. */
    public static Storage allocate(DType dtype, long n) {
        if (n < 0) throw new IllegalArgumentException("storage size must be >= 0, got " + n);
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("cannot allocate a " + dtype + " tensor of " + n
                    + " elements: grad4j stores a tensor in one Java array, which holds at most "
                    + MAX_ELEMENTS + " elements; split the data into several tensors");
        }
        int len = (int) n;
        Object arr = switch (dtype) {
            case FLOAT32 -> new float[len];
            case FLOAT64 -> new double[len];
            case INT64 -> new long[len];
            case INT32 -> new int[len];
            case INT16 -> new short[len];
            case INT8, UINT8 -> new byte[len];
            case BOOL -> new boolean[len];
        };
        return new Storage(dtype, arr, len, GENERATION.get());
    }

    /** Wraps an existing array without copying; its component type must match {@code dtype}. */
    public static Storage wrap(DType dtype, Object array) {
        int len = switch (dtype) {
            case FLOAT32 -> ((float[]) array).length;
            case FLOAT64 -> ((double[]) array).length;
            case INT64 -> ((long[]) array).length;
            case INT32 -> ((int[]) array).length;
            case INT16 -> ((short[]) array).length;
            case INT8, UINT8 -> ((byte[]) array).length;
            case BOOL -> ((boolean[]) array).length;
        };
        return new Storage(dtype, array, len, 0);
    }

    public DType dtype() { return dtype; }

    public int size() { return size; }

    public Object array() { return array; }

    public float[] f32() { return (float[]) array; }

    public double[] f64() { return (double[]) array; }

    public long[] i64() { return (long[]) array; }

    public int[] i32() { return (int[]) array; }

    public boolean[] bool() { return (boolean[]) array; }

    /** Element {@code i} as a double (slow path: one switch per call). */
    public double getDouble(int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i];
            case FLOAT64 -> ((double[]) array)[i];
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case INT16 -> ((short[]) array)[i];
            case INT8 -> ((byte[]) array)[i];
            case UINT8 -> ((byte[]) array)[i] & 0xFF;
            case BOOL -> ((boolean[]) array)[i] ? 1.0 : 0.0;
        };
    }

    /** Element {@code i} as a long; floating values are truncated toward zero like a C cast. */
    public long getLong(int i) {
        return switch (dtype) {
            case FLOAT32 -> (long) ((float[]) array)[i];
            case FLOAT64 -> (long) ((double[]) array)[i];
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case INT16 -> ((short[]) array)[i];
            case INT8 -> ((byte[]) array)[i];
            case UINT8 -> ((byte[]) array)[i] & 0xFF;
            case BOOL -> ((boolean[]) array)[i] ? 1L : 0L;
        };
    }

    /** Stores {@code v} converted to this storage's dtype (truncating for integers, != 0 for bool). */
    public void setDouble(int i, double v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i] = (float) v;
            case FLOAT64 -> ((double[]) array)[i] = v;
            case INT64 -> ((long[]) array)[i] = (long) v;
            case INT32 -> ((int[]) array)[i] = (int) (long) v;
            case INT16 -> ((short[]) array)[i] = (short) (long) v;
            case INT8, UINT8 -> ((byte[]) array)[i] = (byte) (long) v;
            case BOOL -> ((boolean[]) array)[i] = v != 0;
        }
    }

    /** Stores {@code v} converted to this storage's dtype. */
    public void setLong(int i, long v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i] = (float) v;
            case FLOAT64 -> ((double[]) array)[i] = (double) v;
            case INT64 -> ((long[]) array)[i] = v;
            case INT32 -> ((int[]) array)[i] = (int) v;
            case INT16 -> ((short[]) array)[i] = (short) v;
            case INT8, UINT8 -> ((byte[]) array)[i] = (byte) v;
            case BOOL -> ((boolean[]) array)[i] = v != 0;
        }
    }
}
