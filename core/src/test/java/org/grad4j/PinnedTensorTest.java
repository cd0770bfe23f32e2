package org.grad4j;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** pinMemory/isPinned without a CUDA device (the device side is in {@link CudaWiringChecks}). */
class PinnedTensorTest {
    @Test
    void withoutCudaIsPinnedIsFalseAndPinMemoryRaisesPyTorchsMessage() {
        assumeFalse(Device.cudaIsAvailable(), "a CUDA device is present: CudaWiringTest covers pinning");
        Tensor x = Grad4j.ones(2, 3);
        assertFalse(x.isPinned());
        var e = assertThrows(IllegalStateException.class, x::pinMemory);
        assertTrue(e.getMessage().startsWith("pinMemory: Cannot access accelerator device when none is available. Fix: "), e.getMessage());
    }
}
