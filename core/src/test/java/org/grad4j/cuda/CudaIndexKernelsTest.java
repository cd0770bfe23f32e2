package org.grad4j.cuda;

import org.grad4j.kernels.IndexKernels;
import org.grad4j.kernels.ScatterReduce;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The index family's launches (embedding forward/backward, gather, scatter_add) and its fallbacks. */
class CudaIndexKernelsTest {
    final FakeRuntime rt = new FakeRuntime();
    final CudaIndexKernels k = new CudaIndexKernels(rt, rt.host(IndexKernels.class));

    Strided dev(DType t, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        Storage s = HeapStorage.allocate(t, n);
        rt.put(s);
        int[] st = new int[shape.length];
        for (int d = shape.length - 1, p = 1; d >= 0; d--) { st[d] = p; p *= shape[d]; }
        return new Strided(s, shape, st, 0);
    }

    @Test
    void embeddingForwardIsOneIndexSelectWithOuterSizeCountInner() {
        Strided weight = dev(DType.FLOAT32, 10, 4), ids = dev(DType.INT64, 6), out = dev(DType.FLOAT32, 6, 4);
        k.indexSelect(weight, ids, 0, out, "embedding");
        assertEquals(List.of("g4_index_select_f32"), rt.names());
        List<KernelArgs.Arg> a = rt.launches.getFirst().args().args();
        assertEquals(List.of(1L, 10L, 6L, 4L), List.of(a.get(3).bits(), a.get(4).bits(), a.get(5).bits(), a.get(6).bits()));
        assertEquals(rt.address(out.storage()), a.get(0).bits());
    }

    @Test
    void anOutOfRangeIndexFlaggedOnTheDeviceRerunsOnTheHostForTheCpuMessage() {
        Strided weight = dev(DType.FLOAT32, 10, 4), ids = dev(DType.INT64, 6), out = dev(DType.FLOAT32, 6, 4);
        rt.errorValue = 2;
        k.indexSelect(weight, ids, 0, out, "embedding");
        assertEquals(List.of("indexSelect"), rt.hostCalls);
    }

    @Test
    void gatherAndScatterAddWalkTheIndexShapeAndOtherReductionsFallBack() {
        Strided self = dev(DType.FLOAT64, 3, 5), idx = dev(DType.INT64, 3, 2), src = dev(DType.FLOAT64, 3, 2);
        Storage out = HeapStorage.allocate(DType.FLOAT64, 6);
        rt.put(out);
        k.gather(self, idx, 1, out, "gather");
        k.scatter(ScatterReduce.SUM, self, idx, src, 1, true, "scatter_add");
        k.scatter(ScatterReduce.AMAX, self, idx, src, 1, true, "scatter_reduce");
        assertEquals(List.of("g4_gather_f64", "g4_scatter_add_f64"), rt.names());
        assertEquals(1, rt.launches.getFirst().args().args().get(6).bits(), "dim");
        assertEquals(List.of("scatter"), rt.hostCalls);
    }

    @Test
    void int32IndicesNonContiguousTablesAndNonzeroFallBack() {
        Strided weight = dev(DType.FLOAT32, 10, 4), out = dev(DType.FLOAT32, 6, 4);
        k.indexSelect(weight, dev(DType.INT32, 6), 0, out, "index_select");
        Strided transposed = new Strided(weight.storage(), new int[]{4, 10}, new int[]{1, 4}, 0);
        k.indexAdd(transposed, dev(DType.INT64, 6), dev(DType.FLOAT32, 4, 6), 1, "index_add");
        k.countNonzero(weight);
        assertEquals(List.of("indexSelect", "indexAdd", "countNonzero"), rt.hostCalls);
        assertTrue(rt.launches.isEmpty());
    }
}
