package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Storage;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Runs a kernel call on heap and on off-heap storages and checks the two agree element for element. */
final class KindPair {
    private KindPair() {}

    /** A storage of the given kind holding {@code values} converted to {@code dt}. */
    static Storage of(Storage.Kind kind, DType dt, double... values) {
        Storage s = kind == Storage.Kind.HEAP ? HeapStorage.allocate(dt, values.length) : OffHeapStorage.allocate(dt, values.length);
        for (int i = 0; i < values.length; i++) s.setDouble(i, values[i]);
        return s;
    }

    /** A zero-filled storage of the given kind. */
    static Storage zeros(Storage.Kind kind, DType dt, int n) { return of(kind, dt, new double[n]); }

    /** 0.5, -1.25, 2, ... : n distinct values of both signs, exact in float32. */
    static double[] ramp(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i % 2 == 0 ? 1 : -1) * (0.5 + 0.25 * ((i * 7) % 11));
        return v;
    }

    /** All elements of s as doubles. */
    static double[] values(Storage s) {
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) v[i] = s.getDouble(i);
        return v;
    }

    /**
     * Calls {@code run} once with HEAP and once with OFFHEAP; it returns the storages it wrote. Asserts
     * the kinds were honoured and the results are equal; returns the heap results' values.
     */
    static double[][] agree(Function<Storage.Kind, Storage[]> run) {
        Storage[] heap = run.apply(Storage.Kind.HEAP), off = run.apply(Storage.Kind.OFFHEAP);
        double[][] out = new double[heap.length][];
        for (int i = 0; i < heap.length; i++) {
            assertInstanceOf(HeapStorage.class, heap[i]);
            assertInstanceOf(OffHeapStorage.class, off[i]);
            out[i] = values(heap[i]);
            assertArrayEquals(out[i], values(off[i]), 0.0, "output " + i + ": heap and off-heap storages differ");
        }
        return out;
    }
}
