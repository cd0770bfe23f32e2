package org.grad4j.storage;


/**
 * A storage on the Java heap: one array. The array is exposed so that CPU kernels loop over it
 * directly: {@code float[]} for FLOAT32, {@code double[]} for FLOAT64, {@code long[]} for INT64,
 * {@code int[]} for INT32, {@code short[]} for INT16, {@code byte[]} for INT8/UINT8 and
 * {@code boolean[]} for BOOL. Only code under {@code kernels/} and {@code storage/} reads it.
 */
public final class HeapStorage implements Storage {
    private final DType dtype;
    private final Object array;
    private final int size;
    private long generation;

    private HeapStorage(DType dtype, Object array, int size, long generation) {
        this.dtype = dtype;
        this.array = array;
        this.size = size;
        this.generation = generation;
    }

    /** A zero-filled heap storage of {@code n} elements. */
    public static HeapStorage allocate(DType dtype, long n) {
        int len = Storage.checkSize(dtype, n);
        Object arr = switch (dtype) {
            case FLOAT32 -> new float[len];
            case FLOAT64 -> new double[len];
            case INT64 -> new long[len];
            case INT32 -> new int[len];
            case INT16 -> new short[len];
            case INT8, UINT8 -> new byte[len];
            case BOOL -> new boolean[len];
        };
        return new HeapStorage(dtype, arr, len, Generations.CURRENT.get());
    }

    /** Wraps an existing array without copying; its component type must match {@code dtype}. */
    public static HeapStorage wrap(DType dtype, Object array) {
        int len = switch (dtype) {
            case FLOAT32 -> ((float[]) array).length;
            case FLOAT64 -> ((double[]) array).length;
            case INT64 -> ((long[]) array).length;
            case INT32 -> ((int[]) array).length;
            case INT16 -> ((short[]) array).length;
            case INT8, UINT8 -> ((byte[]) array).length;
            case BOOL -> ((boolean[]) array).length;
        };
        return new HeapStorage(dtype, array, len, 0);
    }

    @Override
    public DType dtype() { return dtype; }

    @Override
    public int size() { return size; }

    public Object array() { return array; }

    public float[] f32() { return (float[]) array; }

    public double[] f64() { return (double[]) array; }

    public long[] i64() { return (long[]) array; }

    public int[] i32() { return (int[]) array; }

    public boolean[] bool() { return (boolean[]) array; }

    /** Element {@code i} as a double (slow path: one switch per call). */
    @Override
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
    @Override
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
    @Override
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
    @Override
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

    @Override
    public HeapStorage copyToHeap() {
        Object copy = switch (dtype) {
            case FLOAT32 -> ((float[]) array).clone();
            case FLOAT64 -> ((double[]) array).clone();
            case INT64 -> ((long[]) array).clone();
            case INT32 -> ((int[]) array).clone();
            case INT16 -> ((short[]) array).clone();
            case INT8, UINT8 -> ((byte[]) array).clone();
            case BOOL -> ((boolean[]) array).clone();
        };
        return new HeapStorage(dtype, copy, size, Generations.CURRENT.get());
    }

    @Override
    public void copyTo(int from, Object array, int to, int n) { System.arraycopy(this.array, from, array, to, n); }

    @Override
    public void copyFrom(int to, Object array, int from, int n) { System.arraycopy(array, from, this.array, to, n); }

    @Override
    public boolean isReadOnly() { return false; }

    @Override
    public long generation() { return generation; }

    @Override
    public void setGeneration(long generation) { this.generation = generation; }
}
