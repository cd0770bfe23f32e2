package org.grad4j.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The driver and cuBLAS bindings, checked without a GPU: descriptors, cuda.h, loading, error text. */
class DriverBindingsTest {
    static final Path CUDA_H = Path.of("/usr/local/cuda/include/cuda.h");

    @Test
    void everyDriverAndCublasDescriptorBuildsADowncallHandleWithoutALibrary() {
        for (var e : Driver.FUNCTIONS.entrySet()) {
            MethodHandle h = Driver.unbound(e.getKey());
            // the unbound handle takes the function's address first, then the C parameters
            assertEquals(e.getValue().argumentLayouts().size() + 1, h.type().parameterCount(), e.getKey());
            assertEquals(int.class, h.type().returnType(), e.getKey() + " returns CUresult");
        }
        for (FunctionDescriptor d : CuBlas.FUNCTIONS.values()) assertNotNull(java.lang.foreign.Linker.nativeLinker().downcallHandle(d));
        assertTrue(Driver.FUNCTIONS.keySet().containsAll(java.util.List.of("cuMemAlloc_v2", "cuMemFree_v2", "cuMemcpyHtoD_v2",
                "cuMemcpyDtoHAsync_v2", "cuMemGetInfo_v2", "cuDevicePrimaryCtxRetain", "cuLaunchKernel", "cuGetErrorName")));
    }

    /** Where nvcc is installed (the project's machines), each binding's name and parameter count match cuda.h. */
    @Test
    void everyDriverBindingMatchesCudaHeaderNameAndParameterCount() throws Exception {
        assumeTrue(Files.exists(CUDA_H), "no CUDA toolkit header at " + CUDA_H);
        String h = Files.readString(CUDA_H);
        for (Map.Entry<String, FunctionDescriptor> e : Driver.FUNCTIONS.entrySet()) {
            String bound = e.getKey(), base = bound.replaceAll("_v2$", "");
            if (!bound.equals(base)) {   // cuda.h maps the plain name to the versioned entry point we bind
                assertTrue(Pattern.compile("#define\\s+" + base + "\\s+(__CUDA_API_PT[A-Z]+\\()?" + bound + "\\b").matcher(h).find(),
                        "cuda.h does not map " + base + " to " + bound);
            } else {
                assertFalse(Pattern.compile("#define\\s+" + base + "\\s+\\S*" + base + "_v\\d").matcher(h).find(),
                        base + " has a versioned entry point in cuda.h: bind that one");
            }
            Matcher m = Pattern.compile("CUresult CUDAAPI " + base + "\\(([^)]*)\\);").matcher(h);
            assertTrue(m.find(), base + " is not declared in cuda.h");
            String params = m.group(1).trim();
            int count = params.equals("void") ? 0 : params.split(",").length;
            assertEquals(count, e.getValue().argumentLayouts().size(), base + "(" + params + ")");
        }
    }

    @Test
    void loadingAnAbsentLibraryGivesNoDriverAndAReasonWithoutThrowing() {
        Driver.Loaded l = Driver.load("libgrad4j-no-such-cuda-driver.so.1");
        assertNull(l.driver());
        assertEquals(0, l.deviceCount());
        assertTrue(l.reason().contains("libgrad4j-no-such-cuda-driver.so.1"), l.reason());
    }

    @Test
    void aFailedCallNamesTheCallTheErrorItsTextAndTheFix() {
        Driver.ErrorText fake = new Driver.ErrorText() {
            @Override public String name(int code) { return code == 2 ? "CUDA_ERROR_OUT_OF_MEMORY" : null; }
            @Override public String text(int code) { return code == 2 ? "out of memory" : null; }
        };
        CudaException e = Driver.error(2, "cuMemAlloc_v2", fake);
        assertEquals("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY: out of memory. Fix: free tensors you no longer need, "
                + "call Cuda.emptyCache(), or use smaller batches", e.getMessage());
        assertEquals(2, e.code());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.errorName());
        assertEquals("cuMemAlloc_v2", e.call());
        CudaException unknown = Driver.error(12345, "cuCtxSynchronize", fake);
        assertEquals("cuCtxSynchronize failed: CUresult 12345: unknown error", unknown.getMessage());
    }

    @Test
    void withoutADeviceTheFacadeAnswersFalseAndDeviceCallsSayHowToGetOne() {
        assumeTrue(!Cuda.isAvailable(), "a CUDA device is present");
        assertEquals(0, Cuda.deviceCount());
        assertFalse(Cuda.cublasAvailable());
        assertFalse(Cuda.describe().isBlank());
        CudaException e = assertThrows(CudaException.class, () -> Cuda.deviceName(0));
        assertTrue(e.getMessage().startsWith("no CUDA device is available (") && e.getMessage().contains("Fix: run on a machine with an NVIDIA GPU"),
                e.getMessage());
        assertThrows(CudaException.class, () -> Cuda.memoryAllocated(0));
        Cuda.synchronize();   // nothing was used: nothing to wait for, no error
        Cuda.emptyCache();
    }

    @Test
    void allowTf32IsOffByDefaultAndCanBeSwitched() {
        assertFalse(Cuda.allowTf32());
        try {
            Cuda.setAllowTf32(true);
            assertTrue(Cuda.allowTf32());
        } finally {
            Cuda.setAllowTf32(false);
        }
    }
}
