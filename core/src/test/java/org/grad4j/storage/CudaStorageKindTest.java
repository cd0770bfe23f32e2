package org.grad4j.storage;

import org.grad4j.storage.DType;
import org.grad4j.cuda.Cuda;
import org.grad4j.cuda.CudaException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The CUDA storage kind as the CPU-only path sees it: named, never a default, clear errors without a device. */
class CudaStorageKindTest {
    @Test
    void storageAllocateWithTheCudaKindSaysToUseCudaStorageAllocateWithADevice() {
        var e = assertThrows(IllegalArgumentException.class, () -> Storage.allocate(DType.FLOAT32, 4, Storage.Kind.CUDA));
        assertTrue(e.getMessage().contains("Fix: use CudaStorage.allocate(dtype, n, deviceIndex)"), e.getMessage());
        assertEquals(Storage.Kind.HEAP, Storage.allocate(DType.FLOAT32, 4, Storage.Kind.HEAP).kind());
        assertEquals(Storage.Kind.OFFHEAP, Storage.allocate(DType.FLOAT32, 4, Storage.Kind.OFFHEAP).kind());
    }

    @Test
    void cudaIsNotAStorageDefault() {
        Storage.defaultKind();   // initialize the default from the real setting before faking a bad one
        String old = System.getProperty("grad4j.storage");
        try {
            System.setProperty("grad4j.storage", "cuda");
            var e = assertThrows(IllegalArgumentException.class, Storage.Defaults::parse);
            assertTrue(e.getMessage().contains("chosen per tensor") && e.getMessage().contains("Fix:"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("grad4j.storage");
            else System.setProperty("grad4j.storage", old);
        }
    }

    @Test
    void allocatingWithoutADeviceIsACudaExceptionWithAFix() {
        assumeTrue(!Cuda.isAvailable(), "a CUDA device is present");
        CudaException e = assertThrows(CudaException.class, () -> CudaStorage.allocate(DType.FLOAT32, 16, 0));
        assertTrue(e.getMessage().startsWith("no CUDA device is available") && e.getMessage().contains("Fix:"), e.getMessage());
    }
}
