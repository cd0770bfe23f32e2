package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Shapes;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

import java.util.function.DoubleUnaryOperator;

/** The CPU elementwise kernels: the loops of {@link CpuKernels} over heap or off-heap storages. */
final class CpuElementwiseKernels implements ElementwiseKernels {
    static final CpuElementwiseKernels INSTANCE = new CpuElementwiseKernels();

    private CpuElementwiseKernels() {}

    @Override
    public void copy(Strided src, Strided dst) {
        CpuKernels.copy(dst.shape(), src.storage(), src.strides(), src.offset(), dst.storage(), dst.strides(), dst.offset());
    }

    @Override
    public void fill(Strided dst, double value) {
        CpuKernels.fill(dst.shape(), dst.storage(), dst.strides(), dst.offset(), value);
    }

    @Override
    public void binary(BinaryOp op, Strided a, Strided b, Strided out) {
        CpuKernels.binary(op, out.shape(), a.storage(), a.strides(), a.offset(), b.storage(), b.strides(), b.offset(),
                out.storage(), out.strides(), out.offset());
    }

    @Override
    public void unary(UnaryOp op, Strided in, Strided out) {
        CpuKernels.unary(op, out.shape(), in.storage(), in.strides(), in.offset(), out.storage(), out.strides(), out.offset());
    }

    @Override
    public void clamp(Strided in, Strided out, double lo, double hi) {
        CpuKernels.clamp(out.shape(), in.storage(), in.strides(), in.offset(), out.storage(), out.strides(), out.offset(), lo, hi);
    }

    @Override
    public void where(Strided cond, Strided a, Strided b, Storage out) {
        CpuKernels.where(cond.shape(), cond.storage(), cond.strides(), cond.offset(), a.storage(), a.strides(), a.offset(),
                b.storage(), b.strides(), b.offset(), out);
    }

    @Override
    public void axpy(Storage y, int yo, double alpha, Storage x, int xo, int n) {
        CpuKernels.axpy(y, yo, alpha, x, xo, n);
    }

    @Override
    public void map(Strided in, Storage out, DoubleUnaryOperator f) {
        Strided c = contiguous(in);
        Storage s = c.storage();
        int n = Shapes.numel(in.shape()), off = c.offset();
        for (int i = 0; i < n; i++) out.setDouble(i, f.applyAsDouble(s.getDouble(off + i)));
    }

    @Override
    public void accumulate(Strided src, Strided dst) {
        int[] shape = dst.shape(), gst = src.strides(), ost = dst.strides();
        int r = shape.length, n = Shapes.numel(shape);
        Storage g = src.storage(), out = dst.storage();
        int[] idx = new int[r];
        int gp = src.offset(), op = dst.offset();
        for (int k = 0; k < n; k++) {
            out.setDouble(op, out.getDouble(op) + g.getDouble(gp));
            for (int d = r - 1; d >= 0; d--) {
                gp += gst[d];
                op += ost[d];
                if (++idx[d] < shape[d]) break;
                gp -= gst[d] * shape[d];
                op -= ost[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    @Override
    public boolean anyNaN(Strided x) {
        if (!x.storage().dtype().isFloatingPoint()) return false;
        Strided c = contiguous(x);
        Storage s = c.storage();
        int n = Shapes.numel(x.shape()), off = c.offset();
        for (int i = 0; i < n; i++) {
            double v = s.getDouble(off + i);
            if (v != v) return true;
        }
        return false;
    }

    @Override
    public int firstNonFinite(Storage st, int off, int n) {
        DType d = st.dtype();
        if (!d.isFloatingPoint()) return -1;
        // one vectorized pass in the common, all-finite case; only then is the culprit's index looked up
        if (d == DType.FLOAT32) {
            float[] a = Staging.f32(st);
            if (CpuKernels.allFinite(a, off, n)) return -1;
            for (int i = 0; i < n; i++) if (!Float.isFinite(a[off + i])) return i;
        } else {
            double[] a = Staging.f64(st);
            if (CpuKernels.allFinite(a, off, n)) return -1;
            for (int i = 0; i < n; i++) if (!Double.isFinite(a[off + i])) return i;
        }
        return -1;
    }

    @Override
    public int firstOutOfRange(Strided x, long lo, long hi, long allowed) {
        Strided c = contiguous(x);
        Storage s = c.storage();
        int n = Shapes.numel(x.shape()), off = c.offset();
        if (s.dtype() == DType.INT64) {
            long[] a = Staging.i64(s);
            for (int i = 0; i < n; i++) {
                long v = a[off + i];
                if (v != allowed && (v < lo || v >= hi)) return i;
            }
            return -1;
        }
        for (int i = 0; i < n; i++) {
            long v = s.getLong(off + i);
            if (v != allowed && (v < lo || v >= hi)) return i;
        }
        return -1;
    }

    @Override
    public Object toArray(Strided x) {
        Strided c = contiguous(x);
        return Staging.copyRange(c.storage(), c.offset(), Shapes.numel(x.shape()));
    }

    @Override
    public void triangleMask(Storage mask, int rows, int cols, int k, boolean lower) {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) mask.setLong(i * cols + j, (lower ? j - i <= k : j - i >= k) ? 1 : 0);
    }

    // ---------------------------------------------------------------- helpers

    /** Whether x's elements lie row-major from its offset. */
    static boolean isContiguous(Strided x) { return Shapes.isContiguous(x.shape(), x.strides()); }

    /** x itself when contiguous, else a contiguous heap copy (scratch: never escapes the kernel). */
    static Strided contiguous(Strided x) {
        return isContiguous(x) ? x : cast(x, x.storage().dtype());
    }

    /** A contiguous heap copy of x in dtype d. */
    static Strided cast(Strided x, DType d) {
        int[] shape = x.shape();
        Storage out = HeapStorage.allocate(d, Shapes.numel(shape));
        int[] cs = Shapes.contiguousStrides(shape);
        CpuKernels.copy(shape, x.storage(), x.strides(), x.offset(), out, cs, 0);
        return new Strided(out, shape, cs, 0);
    }
}
