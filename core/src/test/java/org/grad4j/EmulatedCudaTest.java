package org.grad4j;

import org.grad4j.cuda.EmulatedCuda;
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
}
