package org.grad4j.cuda;

import org.grad4j.kernels.NeuralKernels;
import org.grad4j.kernels.NeuralKernels.Window;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The nn family's launches (im2col layouts, conv as im2col + GEMM, pooling, ReLU, batch norm) and fallbacks. */
class CudaNeuralKernelsTest {
    final FakeRuntime rt = new FakeRuntime();
    final CudaNeuralKernels k = new CudaNeuralKernels(rt, rt.host(NeuralKernels.class));
    // 2 images of 3 channels 5x5, 3x3 kernel, stride 1, padding 1
    final Window g = new Window(2, 3, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5, 5);

    Storage dev(DType t, int n) {
        Storage s = HeapStorage.allocate(t, n);
        rt.put(s);
        return s;
    }

    @Test
    void im2colOfTwoImagesGoesThroughScratchAndAStridedCopyIntoTheCpuLayout() {
        Storage in = dev(DType.FLOAT32, 150), out = dev(DType.FLOAT32, 27 * 50);
        k.im2col(in, out, g);
        assertEquals(List.of("g4_im2col_f32", "g4_copy_f32_f32"), rt.names());
        List<KernelArgs.Arg> c = rt.launches.get(1).args().args();
        assertEquals(rt.address(out), c.get(0).bits());
        // out [27, 2*25] seen as [2, 27, 25]: image stride 25, row stride 50 (not mergeable: stays rank 3)
        assertArrayEquals(TensorDesc.encode(0, new long[]{2, 27, 25}, new long[]{25, 50, 1}), c.get(2).struct());
        assertArrayEquals(CudaNeuralKernels.window(g).encode(), rt.launches.getFirst().args().args().get(2).struct());
    }

    @Test
    void im2colOfOneImageWritesStraightIntoOut() {
        Window one = new Window(1, 3, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5, 5);
        Storage in = dev(DType.FLOAT64, 75), out = dev(DType.FLOAT64, 27 * 25);
        k.im2col(in, out, one);
        assertEquals(List.of("g4_im2col_f64"), rt.names());
        assertEquals(rt.address(out), rt.launches.getFirst().args().args().getFirst().bits());
    }

    @Test
    void convForwardIsIm2colThenOneBatchedGemmWithSharedWeightsThenTheBias() {
        rt.cublas = true;
        Storage in = dev(DType.FLOAT32, 150), w = dev(DType.FLOAT32, 4 * 27), b = dev(DType.FLOAT32, 4), out = dev(DType.FLOAT32, 2 * 4 * 25);
        k.conv2dForward(in, w, b, out, 4, g);
        assertEquals(List.of("g4_im2col_f32", "g4_binary_f32"), rt.names());
        assertTrue(rt.cublasCalls.getFirst().startsWith("NN m=4 n=25 k=27 lda=27 ldb=25 ldc=25 sA=0 sB=675 sC=100 batch=2"),
                rt.cublasCalls.toString());
        assertArrayEquals(TensorDesc.encode(0, new long[]{2, 4, 25}, new long[]{0, 1, 0}),
                rt.launches.get(1).args().args().get(5).struct(), "bias broadcast over images and positions");
    }

    @Test
    void convBackwardComputesBiasWeightAndInputGradients() {
        Storage in = dev(DType.FLOAT32, 150), w = dev(DType.FLOAT32, 4 * 27), go = dev(DType.FLOAT32, 200);
        Storage gx = dev(DType.FLOAT32, 150), gw = dev(DType.FLOAT32, 108), gb = dev(DType.FLOAT32, 4);
        k.conv2dBackward(in, w, go, 4, g, gx, gw, gb);
        assertEquals(List.of("g4_reduce_partial_f32", "g4_reduce_finish_f32", "g4_im2col_f32", "g4_copy_f32_f32", "g4_copy_f32_f32",
                "g4_gemm_f32", "g4_gemm_f32", "g4_col2im_f32"), rt.names());
        List<KernelArgs.Arg> gwGemm = rt.launches.get(5).args().args();
        assertEquals(List.of(4L, 27L, 50L), List.of(gwGemm.get(3).bits(), gwGemm.get(4).bits(), gwGemm.get(5).bits()), "m=o, n=ckk, k=N*L");
        assertEquals(1, gwGemm.get(14).bits(), "cols enter transposed");
        assertTrue(rt.hostCalls.isEmpty());
    }

    @Test
    void poolingReluAndBatchNormLaunchAndReadBackTheStatistics() {
        Window pool = new Window(1, 1, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1, 2, 2);
        Storage x = dev(DType.FLOAT32, 32), y = dev(DType.FLOAT32, 8), idx = dev(DType.INT64, 8), gin = dev(DType.FLOAT32, 32);
        k.maxPool2d(x, y, idx, 2, pool);
        k.maxPoolBackward(y, 0, idx, 0, gin, 2, 4, 16);
        k.reluBackward(y, 2, x, 4, gin, 3);
        rt.readBack = new double[]{0.5, 2};
        double[] mean = new double[2], var = new double[2];
        k.batchNormStats(x, 4, 2, 4, mean, var);
        k.batchNormApply(x, gin, 4, 2, 4, new float[]{1, 2}, new float[]{0, 1});
        assertEquals(List.of("g4_maxpool2d_fwd_f32", "g4_scatter_add_f32", "g4_threshold_bwd_f32", "g4_bn_stats_f32",
                "g4_binary_f32", "g4_binary_f32"), rt.names());
        List<KernelArgs.Arg> relu = rt.launches.get(2).args().args();
        assertEquals(rt.address(y) + 8, relu.get(1).bits());
        assertEquals(rt.address(x) + 16, relu.get(2).bits());
        assertArrayEquals(new double[]{0.5, 2}, mean);
    }

    @Test
    void int64OrHostStoragesAndTheOpsWithoutKernelsFallBack() {
        Storage x = dev(DType.FLOAT32, 8), hostOut = HeapStorage.allocate(DType.FLOAT32, 8);
        k.reluBackward(x, 0, x, 0, hostOut, 8);
        k.batchNormBackward(x, x, 1, 2, 4, new double[2], new double[2], null, true, x, null, null);
        k.adaptiveMaxPool2dIndices(new Strided(x, new int[]{1, 2, 4}, new int[]{8, 4, 1}, 0), 1, 1, dev(DType.INT64, 1));
        assertEquals(List.of("reluBackward", "batchNormBackward", "adaptiveMaxPool2dIndices"), rt.hostCalls);
        assertTrue(rt.launches.isEmpty());
    }

    @Test
    void convForwardAndBackwardReplayedInJavaMatchTheCpuConvolution() {
        // 2 images, 3 channels 6x5, 4 filters 3x2, stride 2x1, padding 1x0: every layout and gemm operand counts
        Window gw = new Window(2, 3, 6, 5, 3, 2, 2, 1, 1, 0, 1, 1, 3, 4);
        int o = 4, in = 2 * 3 * 30, wn = o * 18, out = 2 * o * 12;
        java.util.Random r = new java.util.Random(12);
        double[] x = new double[in], w = new double[wn], b = new double[o], go = new double[out];
        for (double[] v : new double[][]{x, w, b, go}) for (int i = 0; i < v.length; i++) v[i] = Math.round(r.nextGaussian() * 8) / 8.0;
        Storage dx = HeapStorage.wrap(DType.FLOAT64, x), dw = HeapStorage.wrap(DType.FLOAT64, w), db = HeapStorage.wrap(DType.FLOAT64, b);
        Storage dgo = HeapStorage.wrap(DType.FLOAT64, go), dy = HeapStorage.allocate(DType.FLOAT64, out);
        Storage gx = HeapStorage.allocate(DType.FLOAT64, in), gwt = HeapStorage.allocate(DType.FLOAT64, wn);
        for (Storage s : new Storage[]{dx, dw, db, dgo, dy, gx, gwt}) rt.put(s);
        k.conv2dForward(dx, dw, db, dy, o, gw);
        k.conv2dBackward(dx, dw, dgo, o, gw, gx, gwt, null);
        assertTrue(rt.hostCalls.isEmpty());
        DeviceMemoryReplay.run(rt, java.util.Map.of());

        Storage fy = HeapStorage.allocate(DType.FLOAT32, out), fgx = HeapStorage.allocate(DType.FLOAT32, in), fgw = HeapStorage.allocate(DType.FLOAT32, wn);
        NeuralKernels cpu = org.grad4j.kernels.Backend.cpu().nn();
        cpu.conv2dForward(f32(x), f32(w), f32(b), fy, o, gw);
        cpu.conv2dBackward(f32(x), f32(w), f32(go), o, gw, fgx, fgw, null);
        for (int i = 0; i < out; i++) assertEquals(fy.getDouble(i), dy.getDouble(i), 1e-5, "y " + i);
        for (int i = 0; i < in; i++) assertEquals(fgx.getDouble(i), gx.getDouble(i), 1e-5, "gx " + i);
        for (int i = 0; i < wn; i++) assertEquals(fgw.getDouble(i), gwt.getDouble(i), 1e-4, "gw " + i);
    }

    @Test
    void im2colAndCol2imOfTwoImagesReplayedInJavaMatchTheCpuLayout() {
        Window gw = new Window(2, 2, 4, 5, 2, 3, 1, 2, 1, 1, 1, 1, 5, 3);
        int in = 2 * 2 * 20, cols = 12 * 2 * 15;
        java.util.Random r = new java.util.Random(13);
        double[] x = new double[in], c = new double[cols];
        for (int i = 0; i < in; i++) x[i] = r.nextInt(100);
        for (int i = 0; i < cols; i++) c[i] = r.nextInt(100);
        Storage dx = HeapStorage.wrap(DType.FLOAT64, x), dcols = HeapStorage.allocate(DType.FLOAT64, cols);
        Storage dc = HeapStorage.wrap(DType.FLOAT64, c), dim = HeapStorage.wrap(DType.FLOAT64, new double[in]);
        java.util.Arrays.fill((double[]) ((HeapStorage) dim).array(), 1);   // col2im sums into out
        for (Storage s : new Storage[]{dx, dcols, dc, dim}) rt.put(s);
        k.im2col(dx, dcols, gw);
        k.col2im(dc, dim, gw);
        DeviceMemoryReplay.run(rt, java.util.Map.of());
        NeuralKernels cpu = org.grad4j.kernels.Backend.cpu().nn();
        Storage ecols = HeapStorage.allocate(DType.FLOAT64, cols), eim = HeapStorage.allocate(DType.FLOAT64, in);
        for (int i = 0; i < in; i++) eim.setDouble(i, 1);
        cpu.im2col(HeapStorage.wrap(DType.FLOAT64, x), ecols, gw);
        cpu.col2im(HeapStorage.wrap(DType.FLOAT64, c), eim, gw);
        for (int i = 0; i < cols; i++) assertEquals(ecols.getDouble(i), dcols.getDouble(i), 0.0, "cols " + i);
        for (int i = 0; i < in; i++) assertEquals(eim.getDouble(i), dim.getDouble(i), 0.0, "im " + i);
    }

    /** Values with few bits: exact in float32, so the CPU's float32 convolution is the reference. */
    static Storage f32(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return HeapStorage.wrap(DType.FLOAT32, f);
    }
}
