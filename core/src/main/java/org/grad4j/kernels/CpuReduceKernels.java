package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.kernels.ReduceKernels.Kind;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Shapes;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

/** CPU reductions: one pass per output element over the reduced dims, arrays for floating sums. */
final class CpuReduceKernels implements ReduceKernels {
    static final CpuReduceKernels INSTANCE = new CpuReduceKernels();

    private CpuReduceKernels() {}

    @Override
    public void reduce(Kind kind, Strided x, boolean[] mask, Storage out) {
        int[] shape = x.shape(), strides = x.strides();
        int rank = shape.length;
        int nk = 0, nr = 0;
        for (int d = 0; d < rank; d++) if (mask[d]) nr++; else nk++;
        int[] kShape = new int[nk], kStr = new int[nk], rShape = new int[nr], rStr = new int[nr];
        for (int d = 0, i = 0, j = 0; d < rank; d++) {
            if (mask[d]) { rShape[j] = shape[d]; rStr[j++] = strides[d]; }
            else { kShape[i] = shape[d]; kStr[i++] = strides[d]; }
        }
        int redN = Shapes.numel(rShape);
        Storage in = x.storage();
        boolean floating = in.dtype().isFloatingPoint();
        // the input's array once per call (an off-heap input is copied once, not once per output element)
        // an off-heap input is read in place (SegmentLoops), with the same sums as the array path
        boolean floatSum = kind == Kind.SUM && (in.dtype() == DType.FLOAT32 || in.dtype() == DType.FLOAT64);
        MemorySegment seg = floatSum && in instanceof OffHeapStorage o ? o.segment() : null;
        Object arr = floatSum && seg == null ? Staging.array(in) : null;
        Iter kIt = Iter.of(kShape, kStr, x.offset());
        int p = 0;
        for (kIt.start(); kIt.hasNext(); kIt.next()) {
            for (int i = 0, base = kIt.o0; i < kIt.inner; i++, base += kIt.s0, p++) {
                if (kind == Kind.ARGMAX || kind == Kind.ARGMIN) {
                    out.setLong(p, argReduce(kind == Kind.ARGMAX, in, rShape, rStr, base, redN));
                } else if (arr != null) {
                    out.setDouble(p, sum(arr, rShape, rStr, base));
                } else if (seg != null) {
                    out.setDouble(p, sum(seg, in.dtype() == DType.FLOAT32, rShape, rStr, base));
                } else if (floating || kind == Kind.MAX || kind == Kind.MIN) {
                    out.setDouble(p, reduceDouble(kind, in, rShape, rStr, base, redN));
                } else {
                    out.setLong(p, reduceLong(kind, in, rShape, rStr, base));
                }
            }
        }
        Reference.reachabilityFence(in);   // seg is in's memory: in must outlive its use
    }

    /** As {@link #sum(Object, int[], int[], int)} over an off-heap float storage. */
    private static double sum(MemorySegment x, boolean f32, int[] rShape, int[] rStr, int base) {
        Iter it = Iter.of(rShape, rStr, base);
        int n = it.inner, s = it.s0;
        double acc = 0;
        for (it.start(); it.hasNext(); it.next()) acc += f32 ? SegmentLoops.sumF32(x, it.o0, s, n) : SegmentLoops.sumF64(x, it.o0, s, n);
        return acc;
    }

    @Override
    public void scale(Storage out, double s) {
        int n = out.size();
        Object a = Staging.array(out);
        if (a instanceof float[] f) for (int i = 0; i < n; i++) f[i] = (float) (f[i] * s);
        else if (a instanceof double[] d) for (int i = 0; i < n; i++) d[i] = d[i] * s;
        else for (int i = 0; i < n; i++) out.setDouble(i, out.getDouble(i) * s);
        if (a instanceof float[] || a instanceof double[]) Staging.commit(out, a);
    }

    /** Sum of float32 (double accumulator) or float64 (pairwise blocks) elements. */
    private static double sum(Object arr, int[] rShape, int[] rStr, int base) {
        Iter it = Iter.of(rShape, rStr, base);
        int n = it.inner, s = it.s0;
        double acc = 0;
        if (arr instanceof float[] x) {
            for (it.start(); it.hasNext(); it.next()) acc += CpuKernels.sumF32(x, it.o0, s, n);
        } else {
            double[] x = (double[]) arr;
            for (it.start(); it.hasNext(); it.next()) acc += s == 1 ? Elementwise.sumF64(x, it.o0, n) : CpuKernels.sumF64(x, it.o0, s, n);
        }
        return acc;
    }

    private static double reduceDouble(Kind kind, Storage in, int[] rShape, int[] rStr, int base, int redN) {
        Iter it = Iter.of(rShape, rStr, base);
        int n = it.inner, s = it.s0;
        switch (kind) {
            case SUM -> {
                double acc = 0;
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, o = it.o0; i < n; i++, o += s) acc += in.getDouble(o);
                return acc;
            }
            case PROD -> {
                double acc = 1;
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, o = it.o0; i < n; i++, o += s) acc *= in.getDouble(o);
                return acc;
            }
            case MAX, MIN -> {
                if (redN == 0) throw new IllegalArgumentException("max/min of an empty dimension has no identity; "
                        + "reduce over a non-empty dimension or use amax with a default");
                boolean max = kind == Kind.MAX;
                double acc = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, o = it.o0; i < n; i++, o += s) {
                        double v = in.getDouble(o);
                        if (v != v) return v;
                        if (max ? v > acc : v < acc) acc = v;
                    }
                return acc;
            }
            case ALL, ANY -> {
                boolean all = kind == Kind.ALL;
                for (it.start(); it.hasNext(); it.next())
                    for (int i = 0, o = it.o0; i < n; i++, o += s) {
                        boolean nz = in.getDouble(o) != 0;
                        if (all && !nz) return 0;
                        if (!all && nz) return 1;
                    }
                return all ? 1 : 0;
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    private static long reduceLong(Kind kind, Storage in, int[] rShape, int[] rStr, int base) {
        Iter it = Iter.of(rShape, rStr, base);
        int n = it.inner, s = it.s0;
        long acc = kind == Kind.PROD || kind == Kind.ALL ? 1 : 0;
        for (it.start(); it.hasNext(); it.next())
            for (int i = 0, o = it.o0; i < n; i++, o += s) {
                long v = in.getLong(o);
                switch (kind) {
                    case SUM -> acc += v;
                    case PROD -> acc *= v;
                    case ALL -> acc = (acc != 0 && v != 0) ? 1 : 0;
                    case ANY -> acc = (acc != 0 || v != 0) ? 1 : 0;
                    default -> throw new IllegalStateException(kind.toString());
                }
            }
        return acc;
    }

    private static long argReduce(boolean max, Storage in, int[] rShape, int[] rStr, int base, int redN) {
        if (redN == 0) throw new IllegalArgumentException("argmax/argmin of an empty dimension is undefined");
        Iter it = Iter.of(rShape, rStr, base);
        int n = it.inner, s = it.s0;
        double best = 0;
        long bestIdx = -1, k = 0;
        for (it.start(); it.hasNext(); it.next())
            for (int i = 0, o = it.o0; i < n; i++, o += s, k++) {
                double v = in.getDouble(o);
                if (bestIdx < 0) { best = v; bestIdx = k; if (v != v) return k; continue; }
                if (v != v) return k;
                if (max ? v > best : v < best) { best = v; bestIdx = k; }
            }
        return bestIdx;
    }
}
