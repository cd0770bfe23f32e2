package org.grad4j.kernels;

import org.grad4j.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Storage;

/** Storages of either kind for kernel tests that check heap and off-heap give the same elements. */
final class Stores {
    private Stores() {}

    static Storage of(Storage.Kind kind, DType dtype, double... v) {
        Storage s = kind == Storage.Kind.HEAP ? HeapStorage.allocate(dtype, v.length) : OffHeapStorage.allocate(dtype, v.length);
        for (int i = 0; i < v.length; i++) s.setDouble(i, v[i]);
        return s;
    }

    static Storage zeros(Storage.Kind kind, DType dtype, int n) { return of(kind, dtype, new double[n]); }

    static double[] read(Storage s) {
        double[] r = new double[s.size()];
        for (int i = 0; i < r.length; i++) r[i] = s.getDouble(i);
        return r;
    }
}
