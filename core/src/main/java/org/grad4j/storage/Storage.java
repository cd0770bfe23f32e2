package org.grad4j.storage;


import java.util.Locale;

/**
 * A flat, typed block of elements. Tensors are views (shape, strides, offset) over a storage;
 * several tensors may share one. Two CPU kinds exist: {@link HeapStorage} (one Java array, the
 * default) and {@link OffHeapStorage} (native memory through the FFM API: off the GC's heap,
 * freed when unreachable or as soon as grad4j knows it is dead, and the kind behind
 * memory-mapped model files). A CUDA tensor's storage is a {@link CudaStorage} in a device's memory.
 * Kernels read the memory; everything above them sees only this
 * interface.
 *
 * <p>The kind of every new tensor's storage is chosen by {@code -Dgrad4j.storage=heap|offheap}
 * or the environment variable {@code GRAD4J_STORAGE} (the property wins); heap when neither is set.
 *
 * <pre>{@code
 * Storage s = Storage.allocate(DType.FLOAT32, 6);   // zero-filled, of the default kind
 * s.setDouble(0, 1.5);
 * }</pre>
 */
public sealed interface Storage permits HeapStorage, OffHeapStorage, CudaStorage {
    /** Elements are indexed by int: one storage holds at most this many elements. */
    long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * The storage kinds: a CPU tensor's ({@code HEAP}, {@code OFFHEAP}) and a CUDA tensor's ({@code CUDA},
     * {@link CudaStorage}, allocated per device with {@link CudaStorage#allocate}, never a default kind).
     */
    enum Kind { HEAP, OFFHEAP, CUDA }

    DType dtype();

    /** Number of elements. */
    int size();

    /** Element {@code i} as a double (slow path: one switch per call). */
    double getDouble(int i);

    /** Element {@code i} as a long; floating values are truncated toward zero like a C cast. */
    long getLong(int i);

    /** Stores {@code v} converted to this storage's dtype (truncating for integers, != 0 for bool). */
    void setDouble(int i, double v);

    /** Stores {@code v} converted to this storage's dtype. */
    void setLong(int i, long v);

    /** A heap copy of all elements (the storage itself is left alone). */
    HeapStorage copyToHeap();

    /**
     * Copies elements [from, from + n) into {@code array} (a Java array of this dtype's element type:
     * {@code float[]} for float32, {@code boolean[]} for bool, ...) starting at index {@code to}: how file
     * writers and collectives read a storage of any kind without seeing its memory.
     */
    void copyTo(int from, Object array, int to, int n);

    /** Copies {@code array}'s elements [from, from + n) into this storage starting at element {@code to}. */
    void copyFrom(int to, Object array, int from, int n);

    /** True for storages that must not be written (e.g. a read-only memory-mapped file). */
    boolean isReadOnly();

    /** The allocation generation this storage carries (see {@link #openGeneration}); 0 for wrapped arrays and mapped files. */
    long generation();

    /** Re-stamps the generation: the autograd engine hands a buffer it owns over, or marks it taken. */
    void setGeneration(long generation);

    /** Starts a new allocation generation and returns it: storages allocated from now on carry it (or a later one). */
    static long openGeneration() { return Generations.CURRENT.incrementAndGet(); }

    /**
     * Tells the storage that nothing uses it any more, so its memory can be reused at once: an
     * off-heap block goes back to the allocator's cache ({@link OffHeapStorage#release()}); a heap
     * array is left to the GC (a no-op). Only for storages grad4j knows dead, e.g. gradient
     * buffers consumed in backward.
     */
    default void release() {}

    /** This storage's kind. */
    default Kind kind() { return this instanceof HeapStorage ? Kind.HEAP : Kind.OFFHEAP; }

    /** A zero-filled storage of {@code n} elements of the default kind (see the class comment). */
    static Storage allocate(DType dtype, long n) {
        return allocate(dtype, n, Defaults.KIND);
    }

    /**
     * A zero-filled storage of {@code n} elements of a CPU kind. {@code Kind.CUDA} needs a device index:
     * use {@link CudaStorage#allocate(DType, long, int)}.
     */
    static Storage allocate(DType dtype, long n, Kind kind) {
        return switch (kind) {
            case HEAP -> HeapStorage.allocate(dtype, n);
            case OFFHEAP -> OffHeapStorage.allocate(dtype, n);
            case CUDA -> throw new IllegalArgumentException("Storage.allocate(" + dtype + ", " + n + ", CUDA): a CUDA storage "
                    + "lives on one device and this call names none. Fix: use CudaStorage.allocate(dtype, n, deviceIndex)");
        };
    }

    /**
     * A storage of the default kind holding {@code array}'s elements: the array itself on the heap
     * (so the caller must not write it afterwards), a copy off the heap.
     */
    static Storage ofArray(DType dtype, Object array) {
        HeapStorage h = HeapStorage.wrap(dtype, array);
        if (Defaults.KIND == Kind.HEAP) return h;
        OffHeapStorage o = OffHeapStorage.allocate(dtype, h.size());
        o.copyFrom(0, array, 0, h.size());
        return o;
    }

    /** Wraps an existing Java array without copying (a heap storage); its component type must match {@code dtype}. */
    static Storage wrap(DType dtype, Object array) { return HeapStorage.wrap(dtype, array); }

    /** The kind new storages get: {@code -Dgrad4j.storage}, else {@code GRAD4J_STORAGE}, else heap. */
    static Kind defaultKind() { return Defaults.KIND; }

    /** {@code n} as an int after checking it is a valid element count for one storage. */
    static int checkSize(DType dtype, long n) {
        if (n < 0) throw new IllegalArgumentException("storage size must be >= 0, got " + n);
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("cannot allocate a " + dtype + " tensor of " + n
                    + " elements: grad4j indexes a storage by int, so one holds at most "
                    + MAX_ELEMENTS + " elements; split the data into several tensors");
        }
        return (int) n;
    }

    /** Reads the default kind once; a bad value fails at first use with the accepted values. */
    final class Defaults {
        private Defaults() {}

        static final Kind KIND = parse();

        static Kind parse() {
            String prop = System.getProperty("grad4j.storage");
            String env = System.getenv("GRAD4J_STORAGE");
            String v = prop != null ? prop : env;
            String from = prop != null ? "-Dgrad4j.storage" : "GRAD4J_STORAGE";
            if (v == null || v.isBlank()) return Kind.HEAP;
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "heap" -> Kind.HEAP;
                case "offheap", "off-heap", "native" -> Kind.OFFHEAP;
                case "cuda" -> throw new IllegalArgumentException(from + "=" + v + ": the CUDA device is chosen per tensor, "
                        + "not as a storage default. Fix: use heap or offheap here, and tensor.to(Device.cuda(0)) for the GPU");
                default -> throw new IllegalArgumentException(from + "=" + v + " is not a storage kind. Fix: use heap or offheap");
            };
        }
    }
}
