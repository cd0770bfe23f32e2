package org.grad4j.cuda;

import org.grad4j.storage.DType;
import org.grad4j.Device;
import org.grad4j.storage.internal.CudaMemoryAccess;
import org.grad4j.storage.CudaStorage;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * CudaStorage, the Cuda facade and the storage bridge end to end on the fake driver (fake_libcuda.c), in a
 * child JVM started with {@code -Dgrad4j.cuda.library=<the fake>} (the driver is loaded once per process).
 */
class FakeDriverStorageTest {
    @Test
    void cudaStorageAndTheFacadeWorkEndToEndOnTheFakeDriver(@TempDir Path dir) throws Exception {
        FakeDriverChild.run(dir, Child.class);
    }

    /** The child JVM's program: plain checks, "OK" when all hold. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            check(Device.cudaIsAvailable() && Cuda.deviceCount() == 1, "available: " + Cuda.describe());
            check(Cuda.deviceName(0).equals("Fake GPU"), Cuda.deviceName(0));
            check(Arrays.equals(Cuda.getDeviceCapability(0), new int[]{9, 0}), Arrays.toString(Cuda.getDeviceCapability(0)));
            check(Cuda.multiProcessorCount(0) == 132 && Cuda.maxThreadsPerBlock(0) == 1024 && Cuda.totalMemory(0) == 64L << 20, "properties");
            check(Cuda.memGetInfo(0)[1] == 64L << 20, "memGetInfo");

            float[] x = new float[1000];
            for (int i = 0; i < x.length; i++) x[i] = Float.intBitsToFloat(0x7fc0_0000 | i);   // NaN payloads survive
            CudaStorage s = CudaStorage.allocate(DType.FLOAT32, 1000, 0);
            check(s.kind() == Storage.Kind.CUDA && s.getDouble(999) == 0.0, "zero-filled");
            check(Cuda.memoryAllocated(0) == 4096, "allocated " + Cuda.memoryAllocated(0));
            s.copyFrom(HeapStorage.wrap(DType.FLOAT32, x));
            float[] back = (float[]) s.copyToHeap().array();
            for (int i = 0; i < x.length; i++) check(Float.floatToRawIntBits(back[i]) == Float.floatToRawIntBits(x[i]), "bits " + i);
            s.setDouble(3, 2.5);
            s.setLong(4, -7);
            check(s.getDouble(3) == 2.5 && s.getLong(4) == -7, "element access");
            OffHeapStorage o = OffHeapStorage.allocate(DType.FLOAT32, 1000);
            o.setDouble(10, 1.25);
            CudaStorage t = CudaStorage.empty(DType.FLOAT32, 1000, 0);
            t.copyFrom(o);
            check(t.getDouble(10) == 1.25 && t.getDouble(3) == 0.0, "from off-heap");
            t.copyFrom(s);
            check(t.getDouble(3) == 2.5, "device to device");
            boolean[] bools = {true, false, true};
            CudaStorage b = CudaStorage.empty(DType.BOOL, 3, 0);
            b.copyFrom(HeapStorage.wrap(DType.BOOL, bools));
            check(Arrays.equals((boolean[]) b.copyToHeap().array(), bools), "bool round trip");
            try {
                t.copyFrom(b);
                check(false, "a dtype mismatch must throw");
            } catch (IllegalArgumentException expected) {
                check(expected.getMessage().contains("Fix:"), expected.getMessage());
            }

            // 3 Mi floats = 12 MiB: through the pinned staging buffer in two chunks; a range copy with offsets
            float[] big = new float[3 << 20];
            for (int i = 0; i < big.length; i++) big[i] = i * 0.5f;
            CudaStorage l = CudaStorage.empty(DType.FLOAT32, big.length, 0);
            l.copyFrom(HeapStorage.wrap(DType.FLOAT32, big));
            check(Arrays.equals((float[]) l.copyToHeap().array(), big), "staged round trip");
            float[] part = new float[5];
            l.copyTo((3 << 20) - 5, part, 0, 5);
            check(part[4] == ((3 << 20) - 1) * 0.5f, "range copy to the host");
            l.copyFrom(1, new float[]{-1f, -2f, -3f}, 1, 2);
            check(l.getDouble(1) == -2.0 && l.getDouble(2) == -3.0 && l.getDouble(3) == 1.5, "range copy to the device");
            l.release();
            Cuda.emptyCache();

            s.release();
            s.release();
            check(Cuda.memoryAllocated(0) == 4096 + 512, "after release " + Cuda.memoryAllocated(0));
            check(Cuda.memoryReserved(0) == 2 * 4096 + 512, "reserved " + Cuda.memoryReserved(0));
            long peak = Cuda.maxMemoryAllocated(0);
            check(peak == (12L << 20) + 2 * 4096 + 512, "peak " + peak);   // s, t, b and the 12 MiB one
            t = null;
            b = null;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Cuda.memoryAllocated(0) != 0 && System.nanoTime() < deadline) {   // unreachable storages go back to the cache
                System.gc();
                Thread.sleep(20);
            }
            check(Cuda.memoryAllocated(0) == 0, "unreachable storages released: " + Cuda.memoryAllocated(0));
            Cuda.resetPeakMemoryStats(0);
            check(Cuda.maxMemoryAllocated(0) == 0, "peak reset");
            Cuda.emptyCache();
            check(Cuda.memoryReserved(0) == 0 && Cuda.memGetInfo(0)[0] == 64L << 20, "emptyCache");

            try (Arena arena = Arena.ofConfined()) {
                check(CudaMemoryAccess.get().allocatePinned(100, arena).byteSize() == 100, "pinned");
            }
            Cuda.synchronize();
            Cuda.synchronize(0);
            try {
                Cuda.deviceName(1);
                check(false, "device 1 must not exist");
            } catch (CudaException e) {
                check(e.getMessage().contains("invalid device ordinal 1") && e.getMessage().contains("Fix:"), e.getMessage());
            }
            try {
                CudaStorage.allocate(DType.FLOAT64, 16L << 20, 0);   // 128 MiB on a 64 MiB device
                check(false, "out of memory expected");
            } catch (CudaOutOfMemoryException e) {
                check(e.getMessage().startsWith("CUDA out of memory. Tried to allocate 128.00 MiB. GPU 0 has a total capacity of 64.00 MiB"),
                        e.getMessage());
            }
            if (Kernels.class.getResource(Kernels.RESOURCE) == null) {
                try {
                    Kernels.of(0);
                    check(false, "no kernel image: must throw");
                } catch (CudaException e) {
                    check(e.getMessage().contains("grad4j_kernels.fatbin"), e.getMessage());
                }
            }
            System.out.println("OK");
        }

        static void check(boolean ok, String what) {
            if (!ok) throw new AssertionError(what);
        }
    }
}
