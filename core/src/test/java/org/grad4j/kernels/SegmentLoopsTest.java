package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Storage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loops over off-heap memory (SegmentLoops) give bit-identical results to the heap arrays'
 * loops: every element, every sum, on one thread and split over two, in every vector/tail shape.
 */
class SegmentLoopsTest {
    private static final Storage.Kind H = Storage.Kind.HEAP, O = Storage.Kind.OFFHEAP;
    /** Lengths that hit the scalar tail only, vector + tail, and several parallel chunks. */
    private static final int[] SIZES = {1, 7, 67, 1029, 3 * Elementwise.GRAIN + 13};

    private static double[] data(int n, long seed, boolean wild) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * 3;
        if (wild && n > 5) {   // out of the vector exp's range, NaN, -0: the per-lane fallbacks
            v[1] = 100;
            v[2] = -120;
            v[3] = Double.NaN;
            v[4] = -0.0;
        }
        return v;
    }

    private static void assertBits(Storage h, Storage o, String what) {
        assertEquals(h.size(), o.size());
        for (int i = 0; i < h.size(); i++) {
            long hb = Double.doubleToRawLongBits(h.getDouble(i)), ob = Double.doubleToRawLongBits(o.getDouble(i));
            if (hb != ob) fail(what + ": element " + i + " heap " + h.getDouble(i) + " off-heap " + o.getDouble(i));
        }
    }

    private static void onThreads(Runnable r) {
        int old = Parallel.numThreads();
        try {
            for (int t : new int[]{1, 2}) {
                Parallel.setNumThreads(t);
                r.run();
            }
        } finally {
            Parallel.setNumThreads(old);
        }
    }

    @Test
    void binaryArithmeticIsBitIdenticalOffHeap() {
        onThreads(() -> {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64})
                for (int n : SIZES)
                    for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
                        double[] a = data(n, 1, true), b = data(n, 2, false);
                        Storage[] r = new Storage[2];
                        for (Storage.Kind k : new Storage.Kind[]{H, O}) {
                            Storage x = KindPair.of(k, dt, a), y = KindPair.of(k, dt, b), out = KindPair.zeros(k, dt, n);
                            CpuKernels.binary(op, new int[]{n}, x, new int[]{1}, 0, y, new int[]{1}, 0, out, new int[]{1}, 0);
                            r[k.ordinal()] = out;
                        }
                        assertBits(r[0], r[1], dt + " " + op + " n=" + n);
                    }
        });
    }

    @Test
    void aBroadcastScalarOnEitherSideIsBitIdenticalOffHeap() {
        onThreads(() -> {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64})
                for (int n : SIZES)
                    for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV})
                        for (boolean scalarFirst : new boolean[]{false, true}) {
                            double[] a = data(n, 3, true);
                            Storage[] r = new Storage[2];
                            for (Storage.Kind k : new Storage.Kind[]{H, O}) {
                                Storage x = KindPair.of(k, dt, a), c = KindPair.of(k, dt, 0.7), out = KindPair.zeros(k, dt, n);
                                int[] one = {1}, zero = {0};
                                if (scalarFirst) CpuKernels.binary(op, new int[]{n}, c, zero, 0, x, one, 0, out, one, 0);
                                else CpuKernels.binary(op, new int[]{n}, x, one, 0, c, zero, 0, out, one, 0);
                                r[k.ordinal()] = out;
                            }
                            assertBits(r[0], r[1], dt + " " + op + " scalarFirst=" + scalarFirst + " n=" + n);
                        }
        });
    }

    @Test
    void unaryOpsAreBitIdenticalOffHeapContiguousAndStrided() {
        UnaryOp[] ops = {UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.RELU, UnaryOp.TANH, UnaryOp.LOG, UnaryOp.SQRT, UnaryOp.NEG,
                UnaryOp.SQUARE, UnaryOp.ABS};
        onThreads(() -> {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64})
                for (int n : SIZES)
                    for (UnaryOp op : ops) {
                        double[] a = data(n, 4, true);
                        Storage[] r = new Storage[2], s = new Storage[2];
                        for (Storage.Kind k : new Storage.Kind[]{H, O}) {
                            Storage x = KindPair.of(k, dt, a), out = KindPair.zeros(k, dt, n), half = KindPair.zeros(k, dt, n / 2);
                            CpuKernels.unary(op, new int[]{n}, x, new int[]{1}, 0, out, new int[]{1}, 0);
                            CpuKernels.unary(op, new int[]{n / 2}, x, new int[]{2}, 1, half, new int[]{1}, 0);   // strided input
                            r[k.ordinal()] = out;
                            s[k.ordinal()] = half;
                        }
                        assertBits(r[0], r[1], dt + " " + op + " n=" + n);
                        assertBits(s[0], s[1], dt + " strided " + op + " n=" + n);
                    }
        });
    }

    @Test
    void sumsAreBitIdenticalOffHeap() {
        onThreads(() -> {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64})
                for (int n : SIZES) {
                    double[] a = data(n, 5, false);
                    Storage[] all = new Storage[2], rows = new Storage[2];
                    for (Storage.Kind k : new Storage.Kind[]{H, O}) {
                        Storage x = KindPair.of(k, dt, a), out = KindPair.zeros(k, dt, 1);
                        CpuReduceKernels.INSTANCE.reduce(ReduceKernels.Kind.SUM, new org.grad4j.storage.Strided(x, new int[]{n},
                                new int[]{1}, 0), new boolean[]{true}, out);
                        all[k.ordinal()] = out;
                        int m = n / 2;   // columns of a [2, m] view: a strided reduction
                        Storage cols = KindPair.zeros(k, dt, Math.max(m, 1));
                        if (m > 0) {
                            CpuReduceKernels.INSTANCE.reduce(ReduceKernels.Kind.SUM, new org.grad4j.storage.Strided(x, new int[]{2, m},
                                    new int[]{m, 1}, 0), new boolean[]{true, false}, cols);
                        }
                        rows[k.ordinal()] = cols;
                    }
                    assertBits(all[0], all[1], dt + " sum n=" + n);
                    assertBits(rows[0], rows[1], dt + " column sums n=" + n);
                }
        });
    }

    @Test
    void axpyFillAndCopyAreBitIdenticalOffHeap() {
        onThreads(() -> {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64})
                for (int n : SIZES) {
                    double[] a = data(n, 6, false), b = data(n, 7, false);
                    Storage[] ys = new Storage[2], fills = new Storage[2], copies = new Storage[2];
                    for (Storage.Kind k : new Storage.Kind[]{H, O}) {
                        Storage y = KindPair.of(k, dt, a), x = KindPair.of(k, dt, b);
                        CpuKernels.axpy(y, 0, -0.01, x, 0, n);
                        ys[k.ordinal()] = y;
                        Storage f = KindPair.zeros(k, dt, n);
                        CpuKernels.fill(new int[]{(n + 1) / 2}, f, new int[]{2}, 0, 1.5);
                        fills[k.ordinal()] = f;
                        Storage c = KindPair.zeros(k, dt, n);
                        CpuKernels.copy(new int[]{n}, x, new int[]{1}, 0, c, new int[]{1}, 0);
                        copies[k.ordinal()] = c;
                    }
                    assertBits(ys[0], ys[1], dt + " axpy n=" + n);
                    assertBits(fills[0], fills[1], dt + " strided fill n=" + n);
                    assertBits(copies[0], copies[1], dt + " copy n=" + n);
                }
        });
    }

    @Test
    void reluBackwardIsBitIdenticalOffHeap() {
        onThreads(() -> {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64})
                for (int n : SIZES) {
                    double[] g = data(n + 3, 11, true), y = data(n + 5, 12, true);
                    Storage[] r = new Storage[2];
                    for (Storage.Kind k : new Storage.Kind[]{H, O}) {
                        Storage gs = KindPair.of(k, dt, g), ys = KindPair.of(k, dt, y), out = KindPair.zeros(k, dt, n);
                        NnKernels.INSTANCE.reluBackward(gs, 3, ys, 5, out, n);
                        r[k.ordinal()] = out;
                    }
                    assertBits(r[0], r[1], dt + " relu backward n=" + n);
                }
        });
    }

    @Test
    void gemmThroughReusedScratchArraysMatchesTheHeapBitForBit() {
        // a big product first leaves its values in this thread's scratch arrays; smaller ones must not see them
        int[][] shapes = {{70, 90, 50}, {3, 5, 4}, {1, 1, 600}, {33, 17, 1}, {8, 300, 300}};
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64})
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                Storage[] r = new Storage[2];
                for (Storage.Kind kind : new Storage.Kind[]{H, O}) {
                    Storage a = KindPair.of(kind, dt, data(m * k, 8, false)), b = KindPair.of(kind, dt, data(k * n, 9, false));
                    Storage c = KindPair.of(kind, dt, data(m * n + 6, 10, false));   // 3 elements either side stay as they are
                    CpuKernels.gemm(m, n, k, a, 0, k, 1, b, 0, 1, k, c, 3);       // B read transposed
                    r[kind.ordinal()] = c;
                }
                assertBits(r[0], r[1], dt + " gemm " + m + "x" + n + "x" + k);
            }
    }

    @Test
    void aKernelOnAReleasedStorageRaisesInsteadOfReadingReusedMemory() {
        OffHeapStorage x = OffHeapStorage.allocate(DType.FLOAT32, 64), out = OffHeapStorage.allocate(DType.FLOAT32, 64);
        x.release();
        Storage reuser = OffHeapStorage.allocate(DType.FLOAT32, 64);   // may take x's block
        int[] one = {1};
        assertThrows(IllegalStateException.class,
                () -> CpuKernels.binary(BinaryOp.ADD, new int[]{64}, x, one, 0, x, one, 0, out, one, 0));
        assertThrows(IllegalStateException.class, () -> CpuKernels.unary(UnaryOp.EXP, new int[]{64}, x, one, 0, out, one, 0));
        assertEquals(0.0, reuser.getDouble(0));
    }
}
