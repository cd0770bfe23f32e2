package org.grad4j.cuda;

import org.grad4j.kernels.Backend;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.storage.CudaStorage;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * DriverRuntime, the families' door to the driver, through the real FFM calls on the fake driver
 * (fake_libcuda.c, host memory) in a child JVM: which storages count as on the device, scratch from the
 * caching allocator, the small copies the families make, and a family falling back for another device.
 * (The fake cannot run grad4j's kernels: launches are checked on a GPU by CudaFamiliesDeviceTest.)
 */
class FakeDriverRuntimeTest {
    @Test
    void driverRuntimeCopiesAndScratchWorkOnTheFakeDriver(@TempDir Path dir) throws Exception {
        FakeDriverChild.run(dir, Child.class);
    }

    /** The child JVM's program: plain checks, "OK" when all hold. */
    public static final class Child {
        public static void main(String[] args) {
            check(Cuda.isAvailable(), "fake driver: " + Cuda.describe());
            DriverRuntime rt = new DriverRuntime(0);
            CudaStorage s = CudaStorage.allocate(DType.FLOAT32, 16, 0);
            check(rt.address(s) == s.pointer() && rt.address(HeapStorage.allocate(DType.FLOAT32, 1)) == -1, "address");
            check(new DriverRuntime(1).address(s) == -1, "another device's runtime does not claim it");
            long before = Cuda.memoryAllocated(0);
            try (DeviceRuntime.Scratch sc = rt.scratch(64)) {
                check(Cuda.memoryAllocated(0) > before, "scratch comes from the caching allocator");
                rt.writeLongs(sc.pointer(), Long.MAX_VALUE, -3);
                check(Arrays.equals(rt.readLongs(sc.pointer(), 2), new long[]{Long.MAX_VALUE, -3}), "longs round trip");
                rt.writeFloats(sc.pointer(), 1.5f, -0.0f, Float.NaN);
                double[] d = rt.readDoubles(sc.pointer(), 3, DType.FLOAT32);
                check(d[0] == 1.5 && Double.doubleToRawLongBits(d[1]) == Double.doubleToRawLongBits(-0.0) && Double.isNaN(d[2]), "floats");
                rt.writeLongs(sc.pointer(), Double.doubleToRawLongBits(2.25));
                check(rt.readDoubles(sc.pointer(), 1, DType.FLOAT64)[0] == 2.25, "doubles");
            }
            check(Cuda.memoryAllocated(0) == before, "scratch back in the cache");
            // a family of device 0 whose operands live elsewhere (the host) runs the host family: no launch, no module load
            HeapStorage a = HeapStorage.wrap(DType.FLOAT32, new float[]{1, 2}), out = HeapStorage.allocate(DType.FLOAT32, 2);
            Strided v = new Strided(a, new int[]{2}, new int[]{1}, 0);
            new CudaElementwiseKernels(0, Backend.cpu().elementwise()).binary(BinaryOp.ADD, v, v, new Strided(out, new int[]{2}, new int[]{1}, 0));
            check(out.getDouble(1) == 4, "host fallback");
            System.out.println("OK");
        }

        static void check(boolean ok, String what) {
            if (!ok) throw new AssertionError(what);
        }
    }
}
