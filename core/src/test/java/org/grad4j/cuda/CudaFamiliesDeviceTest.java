package org.grad4j.cuda;

import org.grad4j.Device;
import org.grad4j.kernels.Backend;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.ElementwiseKernels;
import org.grad4j.kernels.MatmulKernels;
import org.grad4j.kernels.NeuralKernels;
import org.grad4j.kernels.NeuralKernels.Window;
import org.grad4j.kernels.RandomKernels;
import org.grad4j.kernels.RandomSource;
import org.grad4j.kernels.ReduceKernels;
import org.grad4j.kernels.ReduceKernels.Kind;
import org.grad4j.kernels.UnaryOp;
import org.grad4j.storage.CudaStorage;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The device families on a real GPU against the CPU families, under docs/cuda.md's contract (bitwise where
 * it says bitwise, else its bounds). The host fallback given to the families throws, so each case proves a
 * kernel ran. Skipped without a CUDA device; gpu/check.sh runs it (tag "cuda").
 */
@Tag("cuda")
class CudaFamiliesDeviceTest {
    static final Backend CPU = Backend.cpu();

    @BeforeEach
    void needsDevice() { assumeTrue(Device.cudaIsAvailable(), "no CUDA device: " + Cuda.describe()); }

    static <T> T noHost(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (p, m, a) -> {
            throw new AssertionError("fell back to the host for " + m.getName());
        }));
    }

    static HeapStorage randn(DType t, int n, long seed) {
        Random r = new Random(seed);
        HeapStorage h = HeapStorage.allocate(t, n);
        for (int i = 0; i < n; i++) h.setDouble(i, r.nextGaussian());
        return h;
    }

    static CudaStorage up(Storage h) {
        CudaStorage d = CudaStorage.empty(h.dtype(), h.size(), 0);
        d.copyFrom(h);
        return d;
    }

    static Strided sv(Storage s, int[] shape, int... strides) { return new Strided(s, shape, strides, 0); }

    static void assertBitwise(Storage cpu, CudaStorage gpu) {
        HeapStorage g = gpu.copyToHeap();
        for (int i = 0; i < cpu.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(cpu.getDouble(i)), Double.doubleToRawLongBits(g.getDouble(i)), "element " + i);
        }
    }

    static void assertClose(Storage cpu, CudaStorage gpu, double rel) {
        HeapStorage g = gpu.copyToHeap();
        for (int i = 0; i < cpu.size(); i++) {
            double c = cpu.getDouble(i), d = g.getDouble(i);
            assertEquals(c, d, rel * Math.max(1, Math.abs(c)), "element " + i);
        }
    }

    @Test
    void elementwiseBroadcastAddTransposeCopyAndExpMatchTheCpu() {
        CudaElementwiseKernels k = new CudaElementwiseKernels(0, noHost(ElementwiseKernels.class));
        HeapStorage a = randn(DType.FLOAT32, 3, 1), b = randn(DType.FLOAT32, 4, 2), out = HeapStorage.allocate(DType.FLOAT32, 12);
        CudaStorage da = up(a), db = up(b), dout = CudaStorage.empty(DType.FLOAT32, 12, 0);
        int[] s = {3, 4};
        CPU.elementwise().binary(BinaryOp.ADD, sv(a, s, 1, 0), sv(b, s, 0, 1), sv(out, s, 4, 1));
        k.binary(BinaryOp.ADD, sv(da, s, 1, 0), sv(db, s, 0, 1), sv(dout, s, 4, 1));
        assertBitwise(out, dout);

        HeapStorage m = randn(DType.FLOAT64, 6, 3), t = HeapStorage.allocate(DType.FLOAT32, 6);
        CudaStorage dm = up(m), dt = CudaStorage.empty(DType.FLOAT32, 6, 0);
        CPU.elementwise().copy(sv(m, new int[]{2, 3}, 1, 2), sv(t, new int[]{2, 3}, 3, 1));
        k.copy(sv(dm, new int[]{2, 3}, 1, 2), sv(dt, new int[]{2, 3}, 3, 1));
        assertBitwise(t, dt);

        HeapStorage e = HeapStorage.allocate(DType.FLOAT64, 6);
        CudaStorage de = CudaStorage.empty(DType.FLOAT64, 6, 0);
        CPU.elementwise().unary(UnaryOp.EXP, sv(m, new int[]{6}, 1), sv(e, new int[]{6}, 1));
        k.unary(UnaryOp.EXP, sv(dm, new int[]{6}, 1), sv(de, new int[]{6}, 1));
        assertClose(e, de, 1e-14);
    }

    @Test
    void reductionsOverADimMatchTheCpu() {
        CudaReduceKernels k = new CudaReduceKernels(0, noHost(ReduceKernels.class));
        HeapStorage x = randn(DType.FLOAT64, 64 * 5000, 4);
        CudaStorage dx = up(x);
        int[] s = {64, 5000};
        for (Kind kind : new Kind[]{Kind.SUM, Kind.MAX, Kind.ARGMAX}) {
            DType ot = kind == Kind.ARGMAX ? DType.INT64 : DType.FLOAT64;
            HeapStorage out = HeapStorage.allocate(ot, 64);
            CudaStorage dout = CudaStorage.empty(ot, 64, 0);
            CPU.reduce().reduce(kind, sv(x, s, 5000, 1), new boolean[]{false, true}, out);
            k.reduce(kind, sv(dx, s, 5000, 1), new boolean[]{false, true}, dout);
            if (kind == Kind.SUM) assertClose(out, dout, 1e-12); else assertBitwise(out, dout);
        }
    }

    @Test
    void matmulWithATransposedOperandMatchesTheCpuWithinTheBound() {
        CudaMatmulKernels k = new CudaMatmulKernels(0, noHost(MatmulKernels.class));
        int m = 70, kk = 130, n = 50;
        HeapStorage a = randn(DType.FLOAT32, m * kk, 5), b = randn(DType.FLOAT32, n * kk, 6), c = HeapStorage.allocate(DType.FLOAT32, m * n);
        CudaStorage da = up(a), db = up(b), dc = CudaStorage.empty(DType.FLOAT32, m * n, 0);
        CPU.matmul().gemm(sv(a, new int[]{m, kk}, kk, 1), sv(b, new int[]{kk, n}, 1, kk), c);
        k.gemm(sv(da, new int[]{m, kk}, kk, 1), sv(db, new int[]{kk, n}, 1, kk), dc);
        assertClose(c, dc, 2 * kk * 0x1p-24 * 4);   // |x_i y_i| ~ 1: the contract's 2 K u sum|a b|
    }

    @Test
    void convForwardReluBackwardAndBatchNormStatsMatchTheCpu() {
        CudaNeuralKernels k = new CudaNeuralKernels(0, noHost(NeuralKernels.class));
        Window g = new Window(2, 3, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 9, 9);
        HeapStorage x = randn(DType.FLOAT32, 2 * 3 * 81, 7), w = randn(DType.FLOAT32, 4 * 27, 8), bias = randn(DType.FLOAT32, 4, 9);
        HeapStorage y = HeapStorage.allocate(DType.FLOAT32, 2 * 4 * 81);
        CudaStorage dy = CudaStorage.empty(DType.FLOAT32, y.size(), 0);
        CPU.nn().conv2dForward(x, w, bias, y, 4, g);
        k.conv2dForward(up(x), up(w), up(bias), dy, 4, g);
        assertClose(y, dy, 2 * 27 * 0x1p-24 * 8);

        HeapStorage gr = randn(DType.FLOAT32, y.size(), 10), gin = HeapStorage.allocate(DType.FLOAT32, y.size());
        CudaStorage dgin = CudaStorage.empty(DType.FLOAT32, y.size(), 0);
        CPU.nn().reluBackward(gr, 0, y, 0, gin, y.size());
        k.reluBackward(up(gr), 0, dy, 0, dgin, y.size());
        assertClose(gin, dgin, 2 * 27 * 0x1p-24 * 8);

        double[] mean = new double[3], var = new double[3], dmean = new double[3], dvar = new double[3];
        CPU.nn().batchNormStats(x, 2, 3, 81, mean, var);
        k.batchNormStats(up(x), 2, 3, 81, dmean, dvar);
        for (int c = 0; c < 3; c++) {
            assertEquals(mean[c], dmean[c], 1e-6 * Math.max(1, Math.abs(mean[c])));
            assertEquals(var[c], dvar[c], 1e-6 * var[c]);
        }
    }

    @Test
    void embeddingForwardAndGatherMatchTheCpuBitForBit() {
        CudaIndexKernels k = new CudaIndexKernels(0, noHost(org.grad4j.kernels.IndexKernels.class));
        HeapStorage w = randn(DType.FLOAT32, 10 * 4, 11), ids = HeapStorage.wrap(DType.INT64, new long[]{3, 0, 9, 3, 7, 1});
        HeapStorage out = HeapStorage.allocate(DType.FLOAT32, 24);
        CudaStorage dout = CudaStorage.empty(DType.FLOAT32, 24, 0);
        CPU.index().indexSelect(sv(w, new int[]{10, 4}, 4, 1), sv(ids, new int[]{6}, 1), 0, sv(out, new int[]{6, 4}, 4, 1), "embedding");
        k.indexSelect(sv(up(w), new int[]{10, 4}, 4, 1), sv(up(ids), new int[]{6}, 1), 0, sv(dout, new int[]{6, 4}, 4, 1), "embedding");
        assertBitwise(out, dout);
        HeapStorage gi = HeapStorage.wrap(DType.INT64, new long[]{1, 3, 0, 2, 3, 3, 0, 1});
        HeapStorage g = HeapStorage.allocate(DType.FLOAT32, 8);
        CudaStorage dg = CudaStorage.empty(DType.FLOAT32, 8, 0);
        CPU.index().gather(sv(w, new int[]{10, 4}, 4, 1), sv(gi, new int[]{2, 4}, 4, 1), 1, g, "gather");
        k.gather(sv(up(w), new int[]{10, 4}, 4, 1), sv(up(gi), new int[]{2, 4}, 4, 1), 1, dg, "gather");
        assertBitwise(g, dg);
    }

    @Test
    void uniformFillsStayInTheUnitIntervalAndDependOnTheKeyOnly() {
        CudaRandomKernels k = new CudaRandomKernels(0, noHost(RandomKernels.class));
        RandomSource key = new RandomSource() {
            public float nextFloat() { return 0; }
            public double nextDouble() { return 0; }
            public double nextGaussian() { return 0; }
            public long nextBounded(long range) { return 1234; }
        };
        CudaStorage a = CudaStorage.empty(DType.FLOAT32, 100_000, 0), b = CudaStorage.empty(DType.FLOAT32, 100_000, 0);
        k.uniform(a, key);
        k.uniform(b, key);
        float[] x = (float[]) a.copyToHeap().array(), y = (float[]) b.copyToHeap().array();
        assertArrayEquals(x, y);
        double sum = 0;
        for (float v : x) { assertTrue(v >= 0 && v < 1, "uniform " + v); sum += v; }
        assertEquals(0.5, sum / x.length, 0.01);
    }
}
