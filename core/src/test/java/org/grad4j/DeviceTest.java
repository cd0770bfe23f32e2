package org.grad4j;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class DeviceTest {
    /** Where Linux distributions and the NVIDIA installers put the driver library. */
    static boolean driverLibraryPresent() {
        return Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib",
                "/usr/lib/aarch64-linux-gnu").anyMatch(d -> Files.exists(Path.of(d, "libcuda.so.1")));
    }

    @Test
    void cudaIsAvailableIsFalseWithoutADriverAndAgreesWithTheDeviceCount() {
        boolean available = Device.cudaIsAvailable();   // must not throw, with or without native access
        assertEquals(available, Device.cudaDeviceCount() > 0);
        if (!driverLibraryPresent()) {
            assertFalse(available, "no libcuda.so.1 on this machine");
            assertEquals(0, Device.cudaDeviceCount());
        }
    }

    @Test
    void movingToCudaWithoutADriverSaysNoDeviceIsAvailable() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Device.cudaIsAvailable(), "a CUDA device is present");
        var e = assertThrows(org.grad4j.cuda.CudaException.class, () -> Grad4j.ones(2).to(Device.cuda(0)));
        assertTrue(e.getMessage().contains("no CUDA device is available") && e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void parsesDeviceStringsLikeTorchDevice() {
        assertEquals(Device.CPU, Device.of("cpu"));
        assertEquals("cuda:1", Device.of("cuda:1").toString());
        assertEquals(Device.cuda(0), Device.of("cuda"));
        assertThrows(IllegalArgumentException.class, () -> Device.of("tpu"));
    }
}
