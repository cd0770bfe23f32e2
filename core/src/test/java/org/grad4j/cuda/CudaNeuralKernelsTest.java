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
}
