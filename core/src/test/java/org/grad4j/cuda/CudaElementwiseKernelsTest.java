package org.grad4j.cuda;

import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.ElementwiseKernels;
import org.grad4j.kernels.UnaryOp;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Which elementwise calls launch a kernel (and with which arguments) and which fall back to the host family. */
class CudaElementwiseKernelsTest {
    final FakeRuntime rt = new FakeRuntime();
    final CudaElementwiseKernels k = new CudaElementwiseKernels(rt, rt.host(ElementwiseKernels.class));

    static Storage f32(int n) { return HeapStorage.allocate(DType.FLOAT32, n); }

    static List<KernelArgs.Arg> args(KernelLaunch l) { return l.args().args(); }

    static byte[] desc(long offset, long[] shape, long[] strides) { return TensorDesc.encode(offset, shape, strides); }

    @Test
    void broadcastAddOf3x1And1x4LaunchesOneBinaryKernelWithStrideZeroDescriptors() {
        Storage a = f32(3), b = f32(4), out = f32(12);
        long pa = rt.put(a), pb = rt.put(b), po = rt.put(out);
        k.binary(BinaryOp.ADD, new Strided(a, new int[]{3, 4}, new int[]{1, 0}, 0), new Strided(b, new int[]{3, 4}, new int[]{0, 1}, 0),
                new Strided(out, new int[]{3, 4}, new int[]{4, 1}, 0));
        assertEquals(List.of("g4_binary_f32"), rt.names());
        assertTrue(rt.hostCalls.isEmpty());
        KernelLaunch l = rt.launches.getFirst();
        assertEquals(1, l.gridX());
        assertEquals(KernelCatalog.BLOCK, l.blockX());
        List<KernelArgs.Arg> a6 = args(l);
        assertEquals(List.of(po, pa, pb), List.of(a6.get(0).bits(), a6.get(1).bits(), a6.get(2).bits()));
        assertArrayEquals(desc(0, new long[]{3, 4}, new long[]{4, 1}), a6.get(3).struct());
        assertArrayEquals(desc(0, new long[]{3, 4}, new long[]{1, 0}), a6.get(4).struct());
        assertArrayEquals(desc(0, new long[]{3, 4}, new long[]{0, 1}), a6.get(5).struct());
        assertEquals(12, a6.get(6).bits());
        assertEquals(BinaryOp.ADD.ordinal(), a6.get(7).bits());
        assertEquals(8, a6.size(), "float kernels take no error slot");
    }

    @Test
    void stridedTransposeCopyKeepsTheSourceStridesAndCasts() {
        Storage src = HeapStorage.allocate(DType.FLOAT64, 6), dst = f32(6);
        rt.put(src);
        rt.put(dst);
        // src is a [3, 2] matrix seen transposed as [2, 3] (strides 1, 2), at offset 0
        k.copy(new Strided(src, new int[]{2, 3}, new int[]{1, 2}, 0), new Strided(dst, new int[]{2, 3}, new int[]{3, 1}, 0));
        assertEquals(List.of("g4_copy_f64_f32"), rt.names());
        List<KernelArgs.Arg> a = args(rt.launches.getFirst());
        assertArrayEquals(desc(0, new long[]{2, 3}, new long[]{3, 1}), a.get(2).struct());
        assertArrayEquals(desc(0, new long[]{2, 3}, new long[]{1, 2}), a.get(3).struct());
    }

    @Test
    void contiguousOperandsCoalesceToRankOne() {
        Storage a = f32(24), out = f32(24);
        rt.put(a);
        rt.put(out);
        int[] shape = {2, 3, 4}, st = {12, 4, 1};
        k.unary(UnaryOp.EXP, new Strided(a, shape, st, 0), new Strided(out, shape, st, 0));
        assertArrayEquals(desc(0, new long[]{24}, new long[]{1}), args(rt.launches.getFirst()).get(2).struct());
    }

    @Test
    void anOperandOffTheDeviceFallsBackToTheHostFamily() {
        Storage a = f32(4), b = f32(4), out = f32(4);
        rt.put(a);
        rt.put(out);   // b stays a host storage
        Strided v = new Strided(a, new int[]{4}, new int[]{1}, 0);
        k.binary(BinaryOp.MUL, v, new Strided(b, new int[]{4}, new int[]{1}, 0), new Strided(out, new int[]{4}, new int[]{1}, 0));
        assertTrue(rt.launches.isEmpty());
        assertEquals(List.of("binary"), rt.hostCalls);
    }

    @Test
    void aZeroDimHostScalarIsCopiedUpAndBroadcastWithStrideZero() {
        Storage a = f32(6), out = f32(6), scalar = HeapStorage.wrap(DType.FLOAT32, new float[]{2.5f});   // a CPU 0-dim tensor
        rt.put(a);
        rt.put(out);
        int[] s = {2, 3}, st = {3, 1};
        k.binary(BinaryOp.MUL, new Strided(a, s, st, 0), new Strided(scalar, s, new int[]{0, 0}, 0), new Strided(out, s, st, 0));
        assertEquals(List.of("g4_binary_f32"), rt.names());
        assertTrue(rt.hostCalls.isEmpty());
        List<KernelArgs.Arg> args = args(rt.launches.getFirst());
        assertNotEquals(-1L, args.get(2).bits());
        assertFalse(rt.addresses.containsValue(args.get(2).bits()), "the scalar lives in scratch");
        assertArrayEquals(desc(0, new long[]{6}, new long[]{0}), args.get(5).struct());
        assertEquals(Float.floatToRawIntBits(2.5f), CudaFamily.rawBits(scalar, 0));
        // a host operand with more than one element is not a scalar: the host family takes the call
        Storage host = f32(6);
        k.binary(BinaryOp.MUL, new Strided(a, s, st, 0), new Strided(host, s, st, 0), new Strided(out, s, st, 0));
        assertEquals(List.of("binary"), rt.hostCalls);
    }

    @Test
    void unaryOnBoolAndViewsOfMoreThanEightDimsFallBack() {
        Storage b = HeapStorage.allocate(DType.BOOL, 1), o = HeapStorage.allocate(DType.BOOL, 1);
        rt.put(b);
        rt.put(o);
        k.unary(UnaryOp.NEG, new Strided(b, new int[]{1}, new int[]{1}, 0), new Strided(o, new int[]{1}, new int[]{1}, 0));
        // 9 dims of size 2 with strides no dim can merge: the kernels walk at most 8
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2}, st = new int[9];
        for (int d = 0, s = 1; d < 9; d++, s *= 4) st[8 - d] = s;
        Storage big = f32(1 << 18), out = f32(512);
        rt.put(big);
        rt.put(out);
        k.copy(new Strided(big, shape, st, 0), new Strided(out, shape, new int[]{256, 128, 64, 32, 16, 8, 4, 2, 1}, 0));
        assertTrue(rt.launches.isEmpty());
        assertEquals(List.of("unary", "copy"), rt.hostCalls);
    }

    @Test
    void integerDivisionFlaggedOnTheDeviceRerunsOnTheHostForTheCpuMessage() {
        Storage a = HeapStorage.allocate(DType.INT64, 2), b = HeapStorage.allocate(DType.INT64, 2), out = HeapStorage.allocate(DType.INT64, 2);
        rt.put(a);
        rt.put(b);
        rt.put(out);
        Strided v = new Strided(a, new int[]{2}, new int[]{1}, 0), w = new Strided(b, new int[]{2}, new int[]{1}, 0),
                o = new Strided(out, new int[]{2}, new int[]{1}, 0);
        k.binary(BinaryOp.DIV_TRUNC, v, w, o);
        assertEquals(List.of("g4_binary_i64"), rt.names());
        assertEquals(KernelArgs.Kind.PTR, args(rt.launches.getFirst()).getLast().kind(), "integer kernels take the error slot");
        assertTrue(rt.hostCalls.isEmpty());
        rt.errorValue = 1;
        k.binary(BinaryOp.DIV_TRUNC, v, w, o);
        assertEquals(List.of("binary"), rt.hostCalls);
    }

    @Test
    void integerAddNeverReadsItsSlotBackSoItDoesNotWaitForTheDevice() {
        Storage a = HeapStorage.allocate(DType.INT32, 2), out = HeapStorage.allocate(DType.INT32, 2);
        rt.put(a);
        rt.put(out);
        Strided v = new Strided(a, new int[]{2}, new int[]{1}, 0), o = new Strided(out, new int[]{2}, new int[]{1}, 0);
        rt.errorValue = 0;   // were the slot read, this would send the op to the host
        k.binary(BinaryOp.ADD, v, v, o);
        k.binary(BinaryOp.MUL, v, v, o);
        k.unary(UnaryOp.NEG, v, o);
        assertEquals(List.of("g4_binary_i32", "g4_binary_i32", "g4_unary_i32"), rt.names());
        assertTrue(rt.hostCalls.isEmpty());
        assertEquals(1, rt.scratchSizes.size(), "one shared slot for the family");
        k.unary(UnaryOp.EXP, v, o);   // a float-only op on integers: flagged, so the CPU raises its error
        assertEquals(List.of("unary"), rt.hostCalls);
    }

    @Test
    void whereWritesTheContiguousOutAndAxpyTakesElementAddresses() {
        Storage c = HeapStorage.allocate(DType.BOOL, 4), x = f32(4), y = f32(4), out = f32(4);
        long po = 0;
        rt.put(c);
        rt.put(x);
        rt.put(y);
        po = rt.put(out);
        int[] s = {4}, st = {1};
        k.where(new Strided(c, s, st, 0), new Strided(x, s, st, 0), new Strided(y, s, st, 0), out);
        assertEquals(po, args(rt.launches.getFirst()).getFirst().bits());
        k.axpy(y, 1, 0.5, x, 2, 2);
        KernelLaunch l = rt.launches.get(1);
        assertEquals("g4_axpy_f32", l.name());
        assertEquals(rt.address(y) + 4, args(l).get(0).bits());
        assertEquals(rt.address(x) + 8, args(l).get(1).bits());
        assertEquals(Float.floatToRawIntBits(0.5f), args(l).get(3).bits());
    }

    @Test
    void mapAndTheScansAlwaysRunOnTheHost() {
        Storage a = f32(2);
        rt.put(a);
        Strided v = new Strided(a, new int[]{2}, new int[]{1}, 0);
        k.map(v, a, Math::abs);
        k.anyNaN(v);
        k.firstNonFinite(a, 0, 2);
        assertEquals(List.of("map", "anyNaN", "firstNonFinite"), rt.hostCalls);
        assertTrue(rt.launches.isEmpty());
    }
}
