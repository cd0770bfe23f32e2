package org.grad4j.cuda;

import org.grad4j.kernels.ReduceKernels;
import org.grad4j.kernels.ReduceKernels.Kind;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Which reductions launch the two-pass kernels (and with which plan) and which fall back. */
class CudaReduceKernelsTest {
    final FakeRuntime rt = new FakeRuntime();
    final CudaReduceKernels k = new CudaReduceKernels(rt, rt.host(ReduceKernels.class));

    Strided x(DType t, int... shape) {
        Storage s = HeapStorage.allocate(t, java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        rt.put(s);
        int[] st = new int[shape.length];
        for (int d = shape.length - 1, p = 1; d >= 0; d--) { st[d] = p; p *= shape[d]; }
        return new Strided(s, shape, st, 0);
    }

    Storage out(DType t, int n) {
        Storage s = HeapStorage.allocate(t, n);
        rt.put(s);
        return s;
    }

    @Test
    void sumOverDimOneOf4x5LaunchesPartialThenFinishWithTheKeptAndReducedDescriptors() {
        Strided x = x(DType.FLOAT32, 4, 5);
        Storage out = out(DType.FLOAT32, 4);
        k.reduce(Kind.SUM, x, new boolean[]{false, true}, out);
        assertEquals(List.of("g4_reduce_partial_f32", "g4_reduce_finish_f32"), rt.names());
        List<KernelArgs.Arg> p = rt.launches.getFirst().args().args();
        assertArrayEquals(TensorDesc.encode(0, new long[]{4}, new long[]{5}), p.get(3).struct(), "kept dim");
        assertArrayEquals(TensorDesc.encode(0, new long[]{5}, new long[]{1}), p.get(4).struct(), "reduced dim");
        assertEquals(List.of(4L, 5L, 5L), List.of(p.get(5).bits(), p.get(6).bits(), p.get(7).bits()), "keepN, redN, chunk");
        assertEquals(4, rt.launches.getFirst().gridX(), "one block per output: 4 outputs, one chunk each");
        assertEquals(rt.address(out), rt.launches.get(1).args().args().getFirst().bits());
        assertEquals(KernelCatalog.reduceScratchBytes(Kind.SUM, DeviceView.contiguous(0, DType.FLOAT32, 4, 5),
                new boolean[]{false, true}), rt.scratchSizes.getFirst());
        assertTrue(rt.hostCalls.isEmpty());
    }

    @Test
    void argmaxWritesInt64AndIntegerSumTheIntFinish() {
        k.reduce(Kind.ARGMAX, x(DType.FLOAT64, 3, 7), new boolean[]{false, true}, out(DType.INT64, 3));
        k.reduce(Kind.SUM, x(DType.INT32, 6), new boolean[]{true}, out(DType.INT64, 1));
        assertEquals(List.of("g4_arg_partial_f64", "g4_arg_finish", "g4_reduce_partial_i32", "g4_reduce_finish_int"), rt.names());
        assertEquals(8, rt.launches.getLast().args().args().getLast().bits(), "int64 output bytes");
    }

    @Test
    void maxOverAnEmptyDimAndAnUnexpectedOutDtypeFallBack() {
        k.reduce(Kind.MAX, x(DType.FLOAT32, 3, 0), new boolean[]{false, true}, out(DType.FLOAT32, 3));
        k.reduce(Kind.SUM, x(DType.FLOAT32, 3), new boolean[]{true}, out(DType.FLOAT64, 1));
        k.reduce(Kind.SUM, x(DType.FLOAT32, 3), new boolean[]{true}, HeapStorage.allocate(DType.FLOAT32, 1));
        assertTrue(rt.launches.isEmpty());
        assertEquals(List.of("reduce", "reduce", "reduce"), rt.hostCalls);
    }

    @Test
    void scaleLaunchesForFloatsOnly() {
        k.scale(out(DType.FLOAT64, 10), 0.1);
        k.scale(out(DType.INT64, 10), 2);
        assertEquals(List.of("g4_scale_f64"), rt.names());
        assertEquals(List.of("scale"), rt.hostCalls);
    }
}
