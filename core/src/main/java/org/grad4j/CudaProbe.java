package org.grad4j;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Asks the CUDA driver ({@code libcuda.so.1}, {@code nvcuda.dll}) through the FFM API how many
 * devices there are: {@code cuInit(0)}, then {@code cuDeviceGetCount}. Runs once, on first use,
 * never at class loading of anything else; any failure (no library, no symbol, no native access,
 * a driver error) means no device. The library stays loaded: unloading a driver that
 * {@code cuInit} has started threads for is not safe.
 */
final class CudaProbe {
    private CudaProbe() {}

    /** Devices the driver reports; 0 without a driver. */
    static final int DEVICE_COUNT = probe();

    private static int probe() {
        if ("false".equalsIgnoreCase(System.getProperty("grad4j.cuda"))) return 0;
        String lib = System.getProperty("os.name", "").startsWith("Windows") ? "nvcuda.dll" : "libcuda.so.1";
        try {
            SymbolLookup cuda = SymbolLookup.libraryLookup(lib, Arena.global());
            Linker linker = Linker.nativeLinker();
            MethodHandle init = linker.downcallHandle(cuda.find("cuInit").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            MethodHandle count = linker.downcallHandle(cuda.find("cuDeviceGetCount").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
            if ((int) init.invokeExact(0) != 0) return 0;   // CUDA_SUCCESS is 0
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment n = arena.allocate(JAVA_INT);
                if ((int) count.invokeExact(n) != 0) return 0;
                return Math.max(0, n.get(JAVA_INT, 0));
            }
        } catch (Throwable t) {   // IllegalArgumentException (no library), IllegalCallerException, NoSuchElementException...
            return 0;
        }
    }
}
