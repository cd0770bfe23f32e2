package org.grad4j.cuda;

import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.NeuralKernels;
import org.grad4j.kernels.ReduceKernels;
import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/*
 * Wiring (CudaBackend): nn() returns new CudaNeuralKernels(deviceIndex, <the host-copy family>). Launches
 * for im2col/col2im, conv2d forward and backward (im2col + GEMM + col2im, the bias through the binary and
 * reduce kernels), max pooling and its backward (scatter_add of the gradients at the saved indices),
 * ReLU's backward (g4_threshold_bwd), batch-norm statistics and apply; float32/float64 storages of this
 * device. adaptiveMaxPool2dIndices and batchNormBackward have no kernel: they fall back.
 */

/**
 * The neural-network kernels on one CUDA device. Layouts are the CPU family's: im2col writes
 * [C*kh*kw, N*oh*ow] (the device kernel writes [N, C*kh*kw, oh*ow], so N > 1 goes through device scratch
 * and a strided copy). Written, never run on a GPU.
 *
 * <pre>{@code
 * NeuralKernels k = new CudaNeuralKernels(0, hostFamily);
 * k.reluBackward(g, 0, y, 0, out, n);   // one g4_threshold_bwd_f32 launch
 * }</pre>
 */
final class CudaNeuralKernels extends CudaFamily implements NeuralKernels {
    private final NeuralKernels host;

    CudaNeuralKernels(int deviceIndex, NeuralKernels hostFallback) { this(new DriverRuntime(deviceIndex), hostFallback); }

    CudaNeuralKernels(DeviceRuntime rt, NeuralKernels hostFallback) {
        super(rt);
        this.host = hostFallback;
    }

    @Override
    public void im2col(Storage in, Storage out, Window g) {
        if (!covered(in, out)) { host.im2col(in, out, g); return; }
        DType t = in.dtype();
        int ckk = g.cols(), l = g.oh() * g.ow();
        if (g.n() == 1) { rt.launch(KernelCatalog.im2col(t, rt.address(out), rt.address(in), window(g), 1)); return; }
        try (DeviceRuntime.Scratch cols = rt.scratch((long) g.n() * ckk * l * t.itemSize())) {
            rt.launch(KernelCatalog.im2col(t, cols.pointer(), rt.address(in), window(g), g.n()));
            rt.launch(KernelCatalog.copy(perBatchAsRows(rt.address(out), t, g), DeviceView.contiguous(cols.pointer(), t, g.n(), ckk, l)));
        }
        keep(in, out);
    }

    @Override
    public void col2im(Storage cols, Storage out, Window g) {
        if (!covered(cols, out)) { host.col2im(cols, out, g); return; }
        DType t = out.dtype();
        int ckk = g.cols(), l = g.oh() * g.ow();
        long pixels = (long) g.n() * g.c() * g.h() * g.w();
        try (DeviceRuntime.Scratch perBatch = rt.scratch((long) g.n() * ckk * l * t.itemSize());
             DeviceRuntime.Scratch im = rt.scratch(pixels * t.itemSize())) {
            long src = rt.address(cols);
            if (g.n() > 1) {
                rt.launch(KernelCatalog.copy(DeviceView.contiguous(perBatch.pointer(), t, g.n(), ckk, l), perBatchAsRows(src, t, g)));
                src = perBatch.pointer();
            }
            rt.launch(KernelCatalog.col2im(t, im.pointer(), src, window(g), g.n()));
            addInto(rt.address(out), im.pointer(), t, pixels);   // the CPU sums into out
        }
        keep(cols, out);
    }

    @Override
    public void conv2dForward(Storage in, Storage w, Storage bias, Storage out, int o, Window g) {
        if (!covered(in, w, bias, out)) { host.conv2dForward(in, w, bias, out, o, g); return; }
        DType t = out.dtype();
        int ckk = g.cols(), l = g.oh() * g.ow();
        if (o == 0 || l == 0 || g.n() == 0) return;
        try (DeviceRuntime.Scratch cols = rt.scratch((long) g.n() * ckk * l * t.itemSize())) {
            rt.launch(KernelCatalog.im2col(t, cols.pointer(), rt.address(in), window(g), g.n()));
            // out[b] [o, L] = W [o, ckk] x cols[b] [ckk, L]; W shared by every image (batch stride 0)
            CudaMatmulKernels.gemm(rt, t, g.n(), o, l, ckk, new CudaMatmulKernels.Operand(rt.address(w), false, ckk, 0),
                    new CudaMatmulKernels.Operand(cols.pointer(), false, l, (long) ckk * l), rt.address(out));
        }
        if (bias != null) {
            DeviceView y = DeviceView.contiguous(rt.address(out), t, g.n(), o, l);
            rt.launch(KernelCatalog.binary(BinaryOp.ADD, y, y, new DeviceView(rt.address(bias), 0, new int[]{g.n(), o, l},
                    new int[]{0, 1, 0}, t), 0));
        }
        keep(in, w, bias, out);
    }

    @Override
    public void conv2dBackward(Storage in, Storage w, Storage go, int o, Window g, Storage gx, Storage gw, Storage gb) {
        if (!covered(in, w, go, gx, gw, gb)) { host.conv2dBackward(in, w, go, o, g, gx, gw, gb); return; }
        DType t = go.dtype();
        int n = g.n(), ckk = g.cols(), l = g.oh() * g.ow();
        long gop = rt.address(go);
        if (gb != null) {
            if (!CudaReduceKernels.reduceOn(rt, ReduceKernels.Kind.SUM, DeviceView.contiguous(gop, t, n, o, l),
                    new boolean[]{true, false, true}, rt.address(gb))) throw new IllegalStateException("cuda conv2d: no bias-gradient plan");
        }
        if (gw != null) {
            // gw [o, ckk] = sum over images of go[b] [o, L] x cols[b]^T: one GEMM over K = N*L after moving the
            // image dim inside (go as [o, N, L], cols as [ckk, N, L])
            try (DeviceRuntime.Scratch cols = rt.scratch((long) n * ckk * l * t.itemSize());
                 DeviceRuntime.Scratch colsT = rt.scratch((long) n * ckk * l * t.itemSize());
                 DeviceRuntime.Scratch goT = rt.scratch((long) n * o * l * t.itemSize())) {
                rt.launch(KernelCatalog.im2col(t, cols.pointer(), rt.address(in), window(g), n));
                rt.launch(KernelCatalog.copy(rowsView(colsT.pointer(), t, n, ckk, l), DeviceView.contiguous(cols.pointer(), t, n, ckk, l)));
                rt.launch(KernelCatalog.copy(rowsView(goT.pointer(), t, n, o, l), DeviceView.contiguous(gop, t, n, o, l)));
                long nl = (long) n * l;
                if (nl == 0) rt.launch(KernelCatalog.fill(DeviceView.contiguous(rt.address(gw), t, o * ckk), 0.0));
                else CudaMatmulKernels.gemm(rt, t, 1, o, ckk, (int) nl, new CudaMatmulKernels.Operand(goT.pointer(), false, nl, 0),
                        new CudaMatmulKernels.Operand(colsT.pointer(), true, nl, 0), rt.address(gw));
            }
        }
        if (gx != null && n > 0) {
            // dcols[b] [ckk, L] = W^T [ckk, o] x go[b] [o, L], then col2im into the zeroed gx
            try (DeviceRuntime.Scratch dcols = rt.scratch((long) n * ckk * l * t.itemSize())) {
                if (o == 0) rt.launch(KernelCatalog.fill(DeviceView.contiguous(dcols.pointer(), t, n * ckk * l), 0.0));
                else CudaMatmulKernels.gemm(rt, t, n, ckk, l, o, new CudaMatmulKernels.Operand(rt.address(w), true, ckk, 0),
                        new CudaMatmulKernels.Operand(gop, false, l, (long) o * l), dcols.pointer());
                rt.launch(KernelCatalog.col2im(t, rt.address(gx), dcols.pointer(), window(g), n));
            }
        }
        keep(in, w, go, gx, gw, gb);
    }

    @Override
    public void maxPool2d(Storage in, Storage out, Storage idx, int planes, Window g) {
        if (!covered(in, out) || !onDevice(idx) || idx.dtype() != DType.INT64) { host.maxPool2d(in, out, idx, planes, g); return; }
        rt.launch(KernelCatalog.maxPool2d(in.dtype(), rt.address(out), rt.address(idx), rt.address(in), window(g), planes));
        keep(in, out, idx);
    }

    @Override
    public void maxPoolBackward(Storage g, int go, Storage idx, int io, Storage out, int planes, int l, int hw) {
        if (!covered(g, out) || !onDevice(idx) || idx.dtype() != DType.INT64) {
            host.maxPoolBackward(g, go, idx, io, out, planes, l, hw);
            return;
        }
        // out [planes, hw] (zeroed) .scatter_add_(1, idx [planes, l], g [planes, l]); indices come from the forward,
        // so the error slot only guards against a caller's bug
        try (DeviceRuntime.Scratch err = errorSlot()) {
            rt.launch(KernelCatalog.scatterAdd(DeviceView.contiguous(rt.address(out), out.dtype(), planes, hw),
                    new DeviceView(rt.address(idx), io, new int[]{planes, l}, new int[]{l, 1}, DType.INT64),
                    new DeviceView(rt.address(g), go, new int[]{planes, l}, new int[]{l, 1}, g.dtype()), 1, err.pointer()));
        }
        keep(g, idx, out);
    }

    @Override
    public void adaptiveMaxPool2dIndices(Strided x, int oh, int ow, Storage idx) { host.adaptiveMaxPool2dIndices(x, oh, ow, idx); }

    @Override
    public void reluBackward(Storage g, int go, Storage y, int yo, Storage out, int n) {
        if (!covered(g, y, out)) { host.reluBackward(g, go, y, yo, out, n); return; }
        rt.launch(KernelCatalog.thresholdBackward(out.dtype(), rt.address(out), at(g, go), at(y, yo), n, 0.0, 0.0));
        keep(g, y, out);
    }

    @Override
    public void batchNormStats(Storage x, int n, int c, int s, double[] mean, double[] var) {
        if (!covered(x) || c == 0) { host.batchNormStats(x, n, c, s, mean, var); return; }
        DType t = x.dtype();
        try (DeviceRuntime.Scratch mv = rt.scratch(2L * c * t.itemSize())) {
            long m = mv.pointer(), v = m + (long) c * t.itemSize();
            rt.launch(KernelCatalog.batchNormStats(t, m, v, rt.address(x), n, c, s));
            System.arraycopy(rt.readDoubles(m, c, t), 0, mean, 0, c);
            System.arraycopy(rt.readDoubles(v, c, t), 0, var, 0, c);
        }
        keep(x);
    }

    @Override
    public void batchNormApply(Storage x, Storage y, int n, int c, int s, float[] scale, float[] shift) {
        if (!covered(x, y) || x.dtype() != DType.FLOAT32) { host.batchNormApply(x, y, n, c, s, scale, shift); return; }
        // y = x * scale[ch] + shift[ch], two roundings as the CPU's float arithmetic (no fma: -fmad=false)
        try (DeviceRuntime.Scratch p = rt.scratch(8L * c)) {
            rt.writeFloats(p.pointer(), scale);
            rt.writeFloats(p.pointer() + 4L * c, shift);
            DeviceView in = DeviceView.contiguous(rt.address(x), DType.FLOAT32, n, c, s);
            DeviceView outV = DeviceView.contiguous(rt.address(y), DType.FLOAT32, n, c, s);
            int[] perChannel = {0, 1, 0};
            rt.launch(KernelCatalog.binary(BinaryOp.MUL, outV, in, new DeviceView(p.pointer(), 0, new int[]{n, c, s}, perChannel, DType.FLOAT32), 0));
            rt.launch(KernelCatalog.binary(BinaryOp.ADD, outV, outV, new DeviceView(p.pointer(), c, new int[]{n, c, s}, perChannel, DType.FLOAT32), 0));
        }
        keep(x, y);
    }

    @Override
    public void batchNormBackward(Storage x, Storage g, int n, int c, int s, double[] mean, double[] invstd, Storage w,
                                  boolean training, Storage gx, Storage gw, Storage gb) {
        host.batchNormBackward(x, g, n, c, s, mean, invstd, w, training, gx, gw, gb);
    }

    /** Every given storage on this device, all of one floating dtype (null: not wanted). */
    private boolean covered(Storage... ss) {
        DType t = null;
        for (Storage s : ss) {
            if (s == null) continue;
            if (rt.address(s) < 0 || !floating(s.dtype()) || (t != null && s.dtype() != t)) return false;
            t = s.dtype();
        }
        return t != null;
    }

    /** The kernels' window over one image's [C, H, W]. */
    static Window2d window(Window g) {
        return new Window2d(g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw(), g.oh(), g.ow(),
                false, 0);
    }

    /** The CPU layout [ckk, N*L] at {@code p} seen with the device kernel's index order [N, ckk, L]. */
    private static DeviceView perBatchAsRows(long p, DType t, Window g) {
        int l = g.oh() * g.ow();
        return new DeviceView(p, 0, new int[]{g.n(), g.cols(), l}, new int[]{l, g.n() * l, 1}, t);
    }

    /** A contiguous [rows, N, L] buffer at p seen as [N, rows, L]. */
    private static DeviceView rowsView(long p, DType t, int n, int rows, int l) {
        return new DeviceView(p, 0, new int[]{n, rows, l}, new int[]{l, n * l, 1}, t);
    }

    private void addInto(long out, long src, DType t, long count) {
        DeviceView o = DeviceView.contiguous(out, t, (int) count);
        rt.launch(KernelCatalog.binary(BinaryOp.ADD, o, o, DeviceView.contiguous(src, t, (int) count), 0));
    }
}
