package org.grad4j.cuda;

import org.grad4j.kernels.IndexKernels;
import org.grad4j.kernels.ScatterReduce;
import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/*
 * Wiring (CudaBackend): index() returns new CudaIndexKernels(deviceIndex, <the host-copy family>). gather,
 * scatter with SUM (scatter_add), index_select (embedding) and index_add (embedding's backward) launch the
 * kernels of index.cu for int64 indices and the dtypes they have; the rest falls back. An index out of range
 * is flagged on the device, then the call reruns on the fallback, which raises the CPU's (PyTorch's) message.
 */

/**
 * The index kernels on one CUDA device. scatter_add and index_add use atomics: with repeated indices the
 * order of float additions varies from run to run, as in PyTorch on CUDA (docs/cuda.md). Written, never run
 * on a GPU.
 *
 * <pre>{@code
 * IndexKernels k = new CudaIndexKernels(0, hostFamily);
 * k.indexSelect(weight.strided(), ids.strided(), 0, out.strided(), "embedding");   // one g4_index_select launch
 * }</pre>
 */
final class CudaIndexKernels extends CudaFamily implements IndexKernels {
    private final IndexKernels host;

    CudaIndexKernels(int deviceIndex, IndexKernels hostFallback) { this(new DriverRuntime(deviceIndex), hostFallback); }

    CudaIndexKernels(DeviceRuntime rt, IndexKernels hostFallback) {
        super(rt);
        this.host = hostFallback;
    }

    @Override
    public void gather(Strided self, Strided index, int dim, Storage out, String op) {
        if (!onDevice(self, index) || !onDevice(out) || index.storage().dtype() != DType.INT64) {
            host.gather(self, index, dim, out, op);
            return;
        }
        try (DeviceRuntime.Scratch err = errorSlot()) {
            KernelLaunch l = CudaElementwiseKernels.plan(() -> KernelCatalog.gather(
                    DeviceView.contiguous(rt.address(out), out.dtype(), index.shape()), view(self), view(index), dim, err.pointer()));
            if (l == null) { host.gather(self, index, dim, out, op); return; }
            rt.launch(l);
            if (flagged(err)) host.gather(self, index, dim, out, op);   // raises the CPU's out-of-range message
        } finally {
            keep(self, index, out);
        }
    }

    @Override
    public void scatter(ScatterReduce reduce, Strided out, Strided index, Strided src, int dim, boolean includeSelf, String op) {
        if (reduce != ScatterReduce.SUM || !onDevice(out, index, src) || index.storage().dtype() != DType.INT64) {
            host.scatter(reduce, out, index, src, dim, includeSelf, op);
            return;
        }
        try (DeviceRuntime.Scratch err = errorSlot()) {
            KernelLaunch l = CudaElementwiseKernels.plan(() -> KernelCatalog.scatterAdd(view(out), view(index), view(src), dim, err.pointer()));
            if (l == null) { host.scatter(reduce, out, index, src, dim, includeSelf, op); return; }
            rt.launch(l);
            if (flagged(err)) host.scatter(reduce, out, index, src, dim, includeSelf, op);   // the CPU raises (the op fails)
        } finally {
            keep(out, index, src);
        }
    }

    @Override
    public void indexSelect(Strided self, Strided index, int dim, Strided out, String op) {
        long[] g = alongDim(self, index, dim, out);
        if (g == null) { host.indexSelect(self, index, dim, out, op); return; }
        try (DeviceRuntime.Scratch err = errorSlot()) {
            KernelLaunch l = CudaElementwiseKernels.plan(() -> KernelCatalog.indexSelect(self.storage().dtype(), at(out.storage(), out.offset()),
                    at(self.storage(), self.offset()), at(index.storage(), index.offset()), g[0], g[1], g[2], g[3], err.pointer()));
            if (l == null) { host.indexSelect(self, index, dim, out, op); return; }
            rt.launch(l);
            if (flagged(err)) host.indexSelect(self, index, dim, out, op);
        } finally {
            keep(self, index, out);
        }
    }

    @Override
    public void indexAdd(Strided out, Strided index, Strided src, int dim, String op) {
        long[] g = alongDim(out, index, dim, src);
        if (g == null) { host.indexAdd(out, index, src, dim, op); return; }
        try (DeviceRuntime.Scratch err = errorSlot()) {
            KernelLaunch l = CudaElementwiseKernels.plan(() -> KernelCatalog.indexAdd(out.storage().dtype(), at(out.storage(), out.offset()),
                    at(src.storage(), src.offset()), at(index.storage(), index.offset()), g[0], g[1], g[2], g[3], err.pointer()));
            if (l == null) { host.indexAdd(out, index, src, dim, op); return; }
            rt.launch(l);
            if (flagged(err)) host.indexAdd(out, index, src, dim, op);   // the CPU raises (the op fails)
        } finally {
            keep(out, index, src);
        }
    }

    @Override
    public int countNonzero(Strided x) { return host.countNonzero(x); }

    @Override
    public void nonzero(Strided x, Storage out) { host.nonzero(x, out); }

    @Override
    public void addLinearIndex(Strided index, int dim, int size, long stride, Storage lin) { host.addLinearIndex(index, dim, size, stride, lin); }

    @Override
    public void takeIndex(Strided index, int n, int[] shape, Storage out) { host.takeIndex(index, n, shape, out); }

    @Override
    public void lastWrites(Strided index, int dim, int size, Storage mask, String op) { host.lastWrites(index, dim, size, mask, op); }

    /**
     * {outer, size, idxN, inner} when {@code table} (the tensor indexed along dim) and {@code other} (the one
     * walked by index position) are contiguous of one dtype on this device and index is a contiguous 1-d int64
     * of the same device; else null (fallback).
     */
    private long[] alongDim(Strided table, Strided index, int dim, Strided other) {
        if (!onDevice(table, index, other) || index.storage().dtype() != DType.INT64 || index.dim() != 1
                || (index.shape()[0] > 1 && index.strides()[0] != 1) || table.storage().dtype() != other.storage().dtype()
                || table.dim() == 0 || table.dim() != other.dim() || !contiguous(table) || !contiguous(other)) return null;
        long outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= table.shape()[d];
        for (int d = dim + 1; d < table.dim(); d++) inner *= table.shape()[d];
        return new long[]{outer, table.shape()[dim], index.shape()[0], inner};
    }

    private static boolean contiguous(Strided v) {
        return new DeviceView(0, 0, v.shape(), v.strides(), v.storage().dtype()).isContiguous();
    }
}
