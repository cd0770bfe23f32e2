package org.grad4j.cuda;

import org.grad4j.kernels.FactoryKernels;
import org.grad4j.kernels.RandomKernels;
import org.grad4j.kernels.RandomSource;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Random and factory fills: Philox keyed by one generator draw, fills by kernel, the rest on the host. */
class CudaRandomFactoryKernelsTest {
    final FakeRuntime rt = new FakeRuntime();

    static RandomSource source(long draw) {
        return new RandomSource() {
            public float nextFloat() { throw new AssertionError(); }
            public double nextDouble() { throw new AssertionError(); }
            public double nextGaussian() { throw new AssertionError(); }
            public long nextBounded(long range) { assertEquals(Long.MAX_VALUE, range); return draw; }
        };
    }

    @Test
    void uniformAndNormalRunPhiloxKeyedByOneGeneratorDraw() {
        CudaRandomKernels k = new CudaRandomKernels(rt, rt.host(RandomKernels.class));
        Storage f = HeapStorage.allocate(DType.FLOAT32, 10), d = HeapStorage.allocate(DType.FLOAT64, 10);
        rt.put(f);
        rt.put(d);
        k.uniform(f, source(42));
        k.normal(d, source(7));
        assertEquals(List.of("g4_uniform_f32", "g4_normal_f64"), rt.names());
        List<KernelArgs.Arg> u = rt.launches.getFirst().args().args();
        assertEquals(List.of(10L, 42L, 0L), List.of(u.get(1).bits(), u.get(2).bits(), u.get(3).bits()), "n, seed, offset");
        assertEquals(Float.floatToRawIntBits(1f), u.get(5).bits(), "upper bound 1");
        assertEquals(7L, rt.launches.get(1).args().args().get(2).bits());
        Storage i = HeapStorage.allocate(DType.INT64, 4);
        rt.put(i);
        k.randint(i, 0, 3, source(1));
        k.randperm(i, source(1));
        assertEquals(List.of("randint", "randperm"), rt.hostCalls);
    }

    @Test
    void fillLaunchesAndRangesAndJavaCopiesFallBack() {
        CudaFactoryKernels k = new CudaFactoryKernels(rt, rt.host(FactoryKernels.class));
        Storage s = HeapStorage.allocate(DType.INT32, 6);
        rt.put(s);
        k.fill(new Strided(s, new int[]{2, 3}, new int[]{3, 1}, 0), 3);
        k.arange(s, 0L, 1L);
        k.linspace(s, 0, 1);
        k.copyFromJava(new int[]{1}, s, 0, "tensor");
        assertEquals(List.of("g4_fill_i32"), rt.names());
        assertEquals(Double.doubleToRawLongBits(3), rt.launches.getFirst().args().args().getLast().bits());
        assertEquals(List.of("arange", "linspace", "copyFromJava"), rt.hostCalls);
    }
}
