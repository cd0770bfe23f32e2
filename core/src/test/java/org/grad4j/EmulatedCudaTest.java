package org.grad4j;

import org.grad4j.cuda.EmulatedCuda;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The CUDA wiring ({@link CudaWiringChecks}) on an EMULATED cuda:0: device memory is host memory and the
 * kernels are the CUDA backend's host fallback, so results equal the CPU's bit for bit. Runs on every
 * machine; it says nothing about a real GPU.
 */
class EmulatedCudaTest extends CudaWiringChecks {
    static EmulatedCuda emu;

    @BeforeAll
    static void install() { emu = EmulatedCuda.install(); }

    @AfterAll
    static void uninstall() { emu.close(); }

    @Override
    boolean exact() { return true; }

    @org.junit.jupiter.api.Test
    void pinMemoryCollatesIntoPinnedHostMemoryThatMovesUpInOneCopy() {
        Tensor x = Grad4j.arange(0, 12, 1).reshape(6, 2).toFloat(), y = Grad4j.arange(0, 6, 1);
        var loader = org.grad4j.data.DataLoader.builder(new org.grad4j.data.TensorDataset(x, y)).batchSize(4).pinMemory(true).build();
        long before = emu.pinnedAllocations.get();
        Tensor[] batch = loader.iterator().next();
        org.junit.jupiter.api.Assertions.assertEquals(before + 2, emu.pinnedAllocations.get(), "one pinned block per tensor of the batch");
        org.junit.jupiter.api.Assertions.assertEquals(org.grad4j.storage.Storage.Kind.OFFHEAP, batch[0].storage().kind());
        org.junit.jupiter.api.Assertions.assertEquals(Device.CPU, batch[0].device());
        long h2d = emu.hostToDevice.get();
        Tensor up = batch[0].to(CUDA);
        org.junit.jupiter.api.Assertions.assertEquals(h2d + 1, emu.hostToDevice.get(), "pinned batches go up in one copy");
        org.junit.jupiter.api.Assertions.assertArrayEquals(x.slice(0, 0, 4, 1).toFloatArray(), up.toFloatArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[]{0, 1, 2, 3}, batch[1].toLongArray());
    }

    /**
     * The host fallback copies whole storages, a few per op, never one element at a time (each device copy
     * waits for the GPU: softmax over 64x64 made 4105 of them, where 8194, before the families were staged).
     */
    @org.junit.jupiter.api.Test
    void hostFallbackCopiesWholeStoragesNotElements() {
        Tensor a = Grad4j.randn(new int[]{64, 64}, DType.FLOAT32, CUDA), b = Grad4j.randn(new int[]{64, 64}, DType.FLOAT32, CUDA);
        Tensor img = Grad4j.randn(new int[]{2, 3, 8, 8}, DType.FLOAT32, CUDA), w = Grad4j.randn(new int[]{4, 3, 3, 3}, DType.FLOAT32, CUDA);
        java.util.Map<String, java.util.function.Supplier<Tensor>> ops = new java.util.LinkedHashMap<>();
        ops.put("add", () -> a.add(b));
        ops.put("sum(1)", () -> a.sum(1));
        ops.put("softmax", () -> a.softmax(1));
        ops.put("argmax", () -> a.argmax(1, false));
        ops.put("where", () -> a.where(a.gt(0.0), b));
        ops.put("matmul", () -> a.matmul(b));
        ops.put("conv2d", () -> org.grad4j.nn.functional.F.conv2d(img, w, null, 1, 0));
        for (var e : ops.entrySet()) {
            long before = emu.hostToDevice.get() + emu.deviceToHost.get();
            e.getValue().get();
            long copies = emu.hostToDevice.get() + emu.deviceToHost.get() - before;
            org.junit.jupiter.api.Assertions.assertTrue(copies <= 32, e.getKey() + " made " + copies + " device copies");
        }
    }
}
