package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

import java.util.BitSet;

/**
 * CPU index kernels. Element reads and writes go through the storage's typed accessors, so heap
 * and off-heap storages take the same code; the slice copies of index_select/index_add move whole
 * runs (arrays on the heap, bulk segment copies off it) instead of single elements.
 */
final class CpuIndexKernels implements IndexKernels {
    @Override
    public void gather(Strided self, Strided index, int dim, Storage out, String op) {
        int n = Walk.numel(index.shape());
        boolean scalar = self.dim() == 0;
        int size = scalar ? 1 : self.shape()[dim], sd = scalar ? 0 : self.strides()[dim];
        Storage src = self.storage(), ix = index.storage();
        boolean f = src.dtype().isFloatingPoint();
        Walk w = new Walk(index.shape(), index, scalar ? null : self, null);
        for (int k = 0; k < n; k++, w.next()) {
            long v = ix.getLong(w.o0);
            if (v < 0 || v >= size) throw IndexErrors.outOfBounds(op, v, dim, size);
            int at = scalar ? self.offset() : w.o1 + ((int) v - w.idx[dim]) * sd;
            if (f) out.setDouble(k, src.getDouble(at));
            else out.setLong(k, src.getLong(at));
        }
    }

    @Override
    public void scatter(ScatterReduce reduce, Strided out, Strided index, Strided src, int dim, boolean includeSelf, String op) {
        if (out.dim() == 0) {   // PyTorch scatters into a 0-d self as into its one-element 1-d view
            out = oneElement(out);
            index = oneElement(index);
            src = oneElement(src);
        }
        int n = Walk.numel(index.shape());
        int size = out.shape()[dim], od = out.strides()[dim];
        Storage o = out.storage(), ix = index.storage(), s = src.storage();
        boolean f = o.dtype().isFloatingPoint();
        boolean extreme = reduce == ScatterReduce.AMAX || reduce == ScatterReduce.AMIN, max = reduce == ScatterReduce.AMAX;
        // without include_self the first value scattered to a target replaces it
        BitSet started = extreme && !includeSelf ? new BitSet() : null;
        Walk w = new Walk(index.shape(), index, out, src);
        for (int k = 0; k < n; k++, w.next()) {
            long v = ix.getLong(w.o0);
            if (v < 0 || v >= size) throw IndexErrors.outOfBounds(op, v, dim, size);
            int t = w.o1 + ((int) v - w.idx[dim]) * od;
            switch (reduce) {
                case SUM -> {
                    if (f) o.setDouble(t, o.getDouble(t) + s.getDouble(w.o2));
                    else o.setLong(t, o.getLong(t) + s.getLong(w.o2));
                }
                case PROD -> o.setDouble(t, o.getDouble(t) * s.getDouble(w.o2));
                case AMAX, AMIN -> {
                    double x = s.getDouble(w.o2), cur = o.getDouble(t);
                    if (started != null && !started.get(t)) o.setDouble(t, x);
                    else if (x != x || (max ? x > cur : x < cur)) o.setDouble(t, x);
                    if (started != null) started.set(t);
                }
            }
        }
    }

    private static Strided oneElement(Strided s) {
        return s.dim() == 0 ? new Strided(s.storage(), new int[]{1}, new int[]{1}, s.offset()) : s;
    }

    @Override
    public void indexSelect(Strided self, Strided index, int dim, Strided out, String op) {
        int m = Walk.numel(index.shape()), is = index.dim() == 0 ? 0 : index.strides()[0];
        boolean scalar = self.dim() == 0;
        int size = scalar ? 1 : self.shape()[dim];
        Slices sl = new Slices(self, out, dim);
        Storage ix = index.storage();
        for (int i = 0; i < m; i++) {
            long v = ix.getLong(index.offset() + i * is);
            if (v < 0 || v >= size) throw IndexErrors.outOfRangeInSelf(op, v, dim, size);
            sl.copy((int) v, i);
        }
    }

    @Override
    public void indexAdd(Strided out, Strided index, Strided src, int dim, String op) {
        int m = Walk.numel(index.shape()), is = index.dim() == 0 ? 0 : index.strides()[0];
        int size = out.dim() == 0 ? 1 : out.shape()[dim];
        Slices sl = new Slices(src, out, dim);
        Storage ix = index.storage();
        for (int i = 0; i < m; i++) {
            long v = ix.getLong(index.offset() + i * is);
            if (v < 0 || v >= size) throw IndexErrors.outOfRangeInSelf(op, v, dim, size);
            sl.add(i, (int) v);
        }
    }

    @Override
    public int countNonzero(Strided x) {
        int n = Walk.numel(x.shape()), count = 0;
        Storage s = x.storage();
        if (isContiguous(x)) {
            int o = x.offset();
            if (heapBool(s)) {
                boolean[] m = Staging.bool(s);
                for (int k = 0; k < n; k++) if (m[o + k]) count++;
            } else {
                for (int k = 0; k < n; k++) if (s.getDouble(o + k) != 0) count++;
            }
            return count;
        }
        Walk w = new Walk(x);
        for (int k = 0; k < n; k++, w.next()) if (s.getDouble(w.o0) != 0) count++;
        return count;
    }

    @Override
    public void nonzero(Strided x, Storage out) {
        int n = Walk.numel(x.shape()), r = x.dim(), j = 0;
        Storage s = x.storage();
        if (isContiguous(x)) {
            // flat scan; a hit's coordinates come from its position
            int o = x.offset();
            boolean[] m = heapBool(s) ? Staging.bool(s) : null;
            int[] shape = x.shape();
            for (int k = 0; k < n; k++) {
                if (m != null ? !m[o + k] : s.getDouble(o + k) == 0) continue;
                for (int d = r - 1, rem = k; d >= 0; d--) {
                    out.setLong(j * r + d, rem % shape[d]);
                    rem /= shape[d];
                }
                j++;
            }
            return;
        }
        Walk w = new Walk(x);
        for (int k = 0; k < n; k++, w.next()) {
            if (s.getDouble(w.o0) == 0) continue;
            for (int d = 0; d < r; d++) out.setLong(j * r + d, w.idx[d]);
            j++;
        }
    }

    /** A heap mask: scanned as its array (off the heap, element reads beat copying the whole storage). */
    private static boolean heapBool(Storage s) { return Staging.allHeap(s) && s.dtype() == DType.BOOL; }

    /** Row-major contiguous (sizes 1 may have any stride). */
    private static boolean isContiguous(Strided x) {
        int[] shape = x.shape(), st = x.strides();
        for (int d = shape.length - 1, want = 1; d >= 0; d--) {
            if (shape[d] != 1 && st[d] != want) return false;
            want *= shape[d];
        }
        return true;
    }

    @Override
    public void addLinearIndex(Strided index, int dim, int size, long stride, Storage lin) {
        int n = Walk.numel(index.shape());
        Storage ix = index.storage();
        Walk w = new Walk(index);
        for (int j = 0; j < n; j++, w.next()) {
            long v = ix.getLong(w.o0);
            if (v < -size || v >= size) throw IndexErrors.advanced(v, dim, size);
            lin.setLong(j, lin.getLong(j) + (v < 0 ? v + size : v) * stride);
        }
    }

    @Override
    public void takeIndex(Strided index, int n, int[] shape, Storage out) {
        int m = Walk.numel(index.shape());
        Storage ix = index.storage();
        Walk w = new Walk(index);
        for (int j = 0; j < m; j++, w.next()) {
            long v = ix.getLong(w.o0);
            if (v < -n || v >= n) throw IndexErrors.take(v, n, shape);
            out.setLong(j, v < 0 ? v + n : v);
        }
    }

    @Override
    public void lastWrites(Strided index, int dim, int size, Storage mask, String op) {
        index = oneElement(index);   // a 0-d index writes its one slot
        int n = Walk.numel(index.shape());
        if (n == 0) return;
        // a target's key: its row-major position in index's shape with dim widened to size
        int[] keyShape = index.shape().clone();
        keyShape[dim] = size;
        int[] ks = new int[keyShape.length];
        for (int d = ks.length - 1, s = 1; d >= 0; s *= keyShape[d], d--) ks[d] = s;
        Walk w = new Walk(index.shape(), index, new Strided(mask, keyShape, ks, 0), null);   // operand 1: key strides only
        Storage ix = index.storage();
        int[] keys = new int[n];
        for (int k = 0; k < n; k++, w.next()) {
            long v = ix.getLong(w.o0);
            if (v < 0 || v >= size) throw IndexErrors.outOfBounds(op, v, dim, size);
            keys[k] = w.o1 + ((int) v - w.idx[dim]) * ks[dim];
        }
        BitSet seen = new BitSet();
        for (int k = n - 1; k >= 0; k--) {
            if (seen.get(keys[k])) continue;
            seen.set(keys[k]);
            mask.setLong(k, 1);
        }
    }

    /**
     * The slices {@code a.select(dim, i)} and {@code b.select(dim, j)} of two same-dtype operands,
     * walked run by run: on the heap over the arrays themselves, off it with bulk copies per run.
     */
    private static final class Slices {
        private final Storage as, bs;
        private final int ao, bo, ad, bd;
        private final Iter it;      // over the slice shape: operand 0 = b, operand 1 = a
        private final DType dtype;
        private final Object aa, ba;   // the heap arrays, or null off the heap

        Slices(Strided a, Strided b, int dim) {
            as = a.storage();
            bs = b.storage();
            dtype = bs.dtype();
            ao = a.offset();
            bo = b.offset();
            ad = a.dim() == 0 ? 0 : a.strides()[dim];
            bd = b.dim() == 0 ? 0 : b.strides()[dim];
            it = Iter.of(drop(b.shape(), dim), drop(b.strides(), dim), 0, drop(a.strides(), dim), 0);
            boolean heap = Staging.allHeap(as, bs) && as.dtype() == dtype;
            aa = heap ? Staging.array(as) : null;
            ba = heap ? Staging.array(bs) : null;
        }

        private static int[] drop(int[] a, int dim) {
            if (a.length == 0) return a;
            int[] r = new int[a.length - 1];
            for (int d = 0, k = 0; d < a.length; d++) if (d != dim) r[k++] = a[d];
            return r;
        }

        /** b.select(dim, j) = a.select(dim, i). */
        void copy(int i, int j) {
            int a0 = ao + i * ad, b0 = bo + j * bd, n = it.inner;
            for (it.start(); it.hasNext(); it.next()) {
                int a = a0 + it.o1, b = b0 + it.o0, sa = it.s1, sb = it.s0;
                if (sa == 1 && sb == 1 && aa != null) System.arraycopy(aa, a, ba, b, n);
                else if (sa == 1 && sb == 1) Staging.copyIn(bs, b, Staging.copyRange(as, a, n), 0, n);
                else if (dtype.isFloatingPoint()) for (int k = 0; k < n; k++, a += sa, b += sb) bs.setDouble(b, as.getDouble(a));
                else for (int k = 0; k < n; k++, a += sa, b += sb) bs.setLong(b, as.getLong(a));
            }
        }

        // unit strides: the SIMD add of elementwise ops (y + x, as index_add always computed it)
        private static void addF32(float[] x, int a, int sa, float[] y, int b, int sb, int n) {
            if (sa == 1 && sb == 1) Elementwise.binaryF32(BinaryOp.ADD, y, b, x, a, y, b, n);
            else for (int k = 0; k < n; k++, a += sa, b += sb) y[b] += x[a];
        }

        private static void addF64(double[] x, int a, int sa, double[] y, int b, int sb, int n) {
            if (sa == 1 && sb == 1) Elementwise.binaryF64(BinaryOp.ADD, y, b, x, a, y, b, n);
            else for (int k = 0; k < n; k++, a += sa, b += sb) y[b] += x[a];
        }

        /** b.select(dim, j) += a.select(dim, i). */
        void add(int i, int j) {
            int a0 = ao + i * ad, b0 = bo + j * bd, n = it.inner;
            for (it.start(); it.hasNext(); it.next()) {
                int a = a0 + it.o1, b = b0 + it.o0, sa = it.s1, sb = it.s0;
                if (aa instanceof float[] x) addF32(x, a, sa, (float[]) ba, b, sb, n);
                else if (aa instanceof double[] x) addF64(x, a, sa, (double[]) ba, b, sb, n);
                else if (dtype.isFloatingPoint()) for (int k = 0; k < n; k++, a += sa, b += sb) bs.setDouble(b, bs.getDouble(b) + as.getDouble(a));
                else for (int k = 0; k < n; k++, a += sa, b += sb) bs.setLong(b, bs.getLong(b) + as.getLong(a));
            }
        }
    }
}
