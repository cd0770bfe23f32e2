package org.grad4j.data;

import org.grad4j.Device;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.Warnings;
import org.grad4j.storage.Storage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class PinMemoryTest {
    @Test
    void pinMemoryWithoutAcceleratorWarnsOnceLikePyTorchAndRuns() {
        assumeFalse(Device.cudaIsAvailable(), "a CUDA device is present");
        List<String> warnings = new ArrayList<>();
        Warnings.reset();
        Warnings.setListener(warnings::add);
        try {
            Tensor x = Grad4j.arange(0, 8, 1);
            for (int i = 0; i < 2; i++) {
                var loader = DataLoader.builder(new TensorDataset(x)).batchSize(4).pinMemory(true).build();
                Tensor[] b = loader.iterator().next();
                assertArrayEquals(new long[]{0, 1, 2, 3}, b[0].toLongArray());
                assertEquals(Storage.defaultKind(), b[0].storage().kind(), "ordinary memory without a device");
            }
            assertEquals(List.of(PinnedBatches.NO_ACCELERATOR), warnings);
            assertTrue(warnings.get(0).contains("'pin_memory' argument is set as true but no accelerator is found"));
        } finally {
            Warnings.setListener(null);
        }
    }
}
