package org.grad4j.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA Driver API ({@code libcuda.so.1}, {@code nvcuda.dll}, shipped with the NVIDIA driver) through
 * the FFM API. Loaded on first use only ({@link #instance()}), never when a class the CPU path touches
 * initializes; any failure to load (no library, a missing symbol, no native access, {@code cuInit} failing,
 * {@code -Dgrad4j.cuda=false}) leaves CUDA unavailable with a reason, never an exception. The library stays
 * loaded: unloading a driver that {@code cuInit} has started threads for is not safe.
 *
 * <p>The signatures are cuda.h's (CUDA 13): {@code CUdeviceptr} and {@code size_t} are 64-bit
 * ({@code JAVA_LONG}), {@code CUdevice} and enums are {@code int}, handles ({@code CUcontext},
 * {@code CUstream}, {@code CUmodule}, {@code CUfunction}) are pointers. Where cuda.h maps a name to a
 * versioned entry point ({@code #define cuMemAlloc cuMemAlloc_v2}) the versioned one is bound.
 */
final class Driver {
    /** Every entry point grad4j binds, with its C signature as a descriptor (all return {@code CUresult}). */
    static final Map<String, FunctionDescriptor> FUNCTIONS = functions();

    private static Map<String, FunctionDescriptor> functions() {
        Map<String, FunctionDescriptor> f = new LinkedHashMap<>();
        f.put("cuInit", rc(JAVA_INT));                                              // (unsigned Flags)
        f.put("cuDeviceGetCount", rc(ADDRESS));                                     // (int* count)
        f.put("cuDeviceGet", rc(ADDRESS, JAVA_INT));                                // (CUdevice*, int ordinal)
        f.put("cuDeviceGetName", rc(ADDRESS, JAVA_INT, JAVA_INT));                  // (char*, int len, CUdevice)
        f.put("cuDeviceTotalMem_v2", rc(ADDRESS, JAVA_INT));                        // (size_t*, CUdevice)
        f.put("cuDeviceGetAttribute", rc(ADDRESS, JAVA_INT, JAVA_INT));             // (int*, attrib, CUdevice)
        f.put("cuDevicePrimaryCtxRetain", rc(ADDRESS, JAVA_INT));                   // (CUcontext*, CUdevice)
        f.put("cuCtxSetCurrent", rc(ADDRESS));                                      // (CUcontext)
        f.put("cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT));                 // (void)
        f.put("cuMemAlloc_v2", rc(ADDRESS, JAVA_LONG));                             // (CUdeviceptr*, size_t)
        f.put("cuMemFree_v2", rc(JAVA_LONG));                                       // (CUdeviceptr)
        f.put("cuMemGetInfo_v2", rc(ADDRESS, ADDRESS));                             // (size_t* free, size_t* total)
        f.put("cuMemHostAlloc", rc(ADDRESS, JAVA_LONG, JAVA_INT));                  // (void** pp, size_t, unsigned Flags)
        f.put("cuMemFreeHost", rc(ADDRESS));                                        // (void*)
        f.put("cuMemcpyHtoD_v2", rc(JAVA_LONG, ADDRESS, JAVA_LONG));                // (CUdeviceptr dst, const void*, size_t)
        f.put("cuMemcpyDtoH_v2", rc(ADDRESS, JAVA_LONG, JAVA_LONG));                // (void* dst, CUdeviceptr, size_t)
        f.put("cuMemcpyDtoD_v2", rc(JAVA_LONG, JAVA_LONG, JAVA_LONG));              // (CUdeviceptr, CUdeviceptr, size_t)
        f.put("cuMemcpyHtoDAsync_v2", rc(JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));  // (..., CUstream)
        f.put("cuMemcpyDtoHAsync_v2", rc(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        f.put("cuMemcpyDtoDAsync_v2", rc(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
        f.put("cuMemsetD8_v2", rc(JAVA_LONG, JAVA_BYTE, JAVA_LONG));                // (CUdeviceptr, unsigned char, size_t N)
        f.put("cuMemsetD32_v2", rc(JAVA_LONG, JAVA_INT, JAVA_LONG));                // (CUdeviceptr, unsigned int, size_t N)
        f.put("cuMemsetD8Async", rc(JAVA_LONG, JAVA_BYTE, JAVA_LONG, ADDRESS));     // (..., CUstream): no _v2 exists
        f.put("cuStreamCreate", rc(ADDRESS, JAVA_INT));                             // (CUstream*, unsigned Flags)
        f.put("cuStreamSynchronize", rc(ADDRESS));                                  // (CUstream)
        f.put("cuStreamDestroy_v2", rc(ADDRESS));                                   // (CUstream)
        f.put("cuModuleLoadData", rc(ADDRESS, ADDRESS));                            // (CUmodule*, const void* image)
        f.put("cuModuleGetFunction", rc(ADDRESS, ADDRESS, ADDRESS));                // (CUfunction*, CUmodule, const char*)
        // (CUfunction, gridDimX, Y, Z, blockDimX, Y, Z, sharedMemBytes, CUstream, void** kernelParams, void** extra)
        f.put("cuLaunchKernel", rc(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS));
        f.put("cuGetErrorName", rc(JAVA_INT, ADDRESS));                             // (CUresult, const char**)
        f.put("cuGetErrorString", rc(JAVA_INT, ADDRESS));
        return Map.copyOf(f);
    }

    private static FunctionDescriptor rc(java.lang.foreign.MemoryLayout... args) { return FunctionDescriptor.of(JAVA_INT, args); }

    /** cuDeviceGetAttribute's attributes grad4j reads (CUdevice_attribute values). */
    static final int ATTR_MAX_THREADS_PER_BLOCK = 1, ATTR_MULTIPROCESSOR_COUNT = 16, ATTR_CC_MAJOR = 75, ATTR_CC_MINOR = 76;

    /** The driver library: {@code -Dgrad4j.cuda.library} (a path, for tests), else the platform's name, found by the system. */
    static String libraryName() {
        String own = System.getProperty("grad4j.cuda.library");
        if (own != null && !own.isBlank()) return own;
        return System.getProperty("os.name", "").startsWith("Windows") ? "nvcuda.dll" : "libcuda.so.1";
    }

    /** The outcome of loading: a driver and its device count, or why there is none. */
    record Loaded(Driver driver, int deviceCount, String reason) {}

    /** Loaded once, on first use. */
    private static final class Holder {
        static final Loaded LOADED = "false".equalsIgnoreCase(System.getProperty("grad4j.cuda"))
                ? new Loaded(null, 0, "CUDA is switched off by -Dgrad4j.cuda=false")
                : load(libraryName());
    }

    /** The process's driver, loading it on first call. */
    static Loaded loaded() { return Holder.LOADED; }

    /** The driver, or a {@link CudaException} saying why there is none and how to get one. */
    static Driver instance() {
        Loaded l = loaded();
        if (l.driver() == null || l.deviceCount() == 0) {
            throw CudaException.plain("no CUDA device is available (" + l.reason() + "). Fix: run on a machine with an "
                    + "NVIDIA GPU and its driver (nvidia-smi must list the GPU); grad4j needs nothing else, and check "
                    + "Cuda.isAvailable() before choosing Device.cuda(i)");
        }
        return l.driver();
    }

    /** Loads {@code library} and initializes it; never throws (a missing library is a reason, not an error). */
    static Loaded load(String library) {
        try {
            SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
            Driver d = new Driver(lookup);
            int rc = d.cuInit();
            if (rc != 0) return new Loaded(null, 0, "cuInit failed: " + d.errorName(rc) + ": " + d.errorString(rc));
            return new Loaded(d, d.deviceCount(), "the driver reports no device");
        } catch (Throwable t) {   // IllegalArgumentException (no library), NoSuchElementException (old driver), IllegalCallerException
            return new Loaded(null, 0, "cannot load " + library + ": " + t);
        }
    }

    private final MethodHandle init, deviceGetCount, deviceGet, deviceGetName, deviceTotalMem, deviceGetAttribute,
            primaryCtxRetain, ctxSetCurrent, ctxSynchronize, memAlloc, memFree, memGetInfo, memHostAlloc, memFreeHost,
            memcpyHtoD, memcpyDtoH, memcpyDtoD, memcpyHtoDAsync, memcpyDtoHAsync, memcpyDtoDAsync, memsetD8, memsetD32,
            memsetD8Async, streamCreate, streamSynchronize, streamDestroy, moduleLoadData, moduleGetFunction, launchKernel,
            getErrorName, getErrorString;

    private Driver(SymbolLookup l) {
        init = bind(l, "cuInit");
        deviceGetCount = bind(l, "cuDeviceGetCount");
        deviceGet = bind(l, "cuDeviceGet");
        deviceGetName = bind(l, "cuDeviceGetName");
        deviceTotalMem = bind(l, "cuDeviceTotalMem_v2");
        deviceGetAttribute = bind(l, "cuDeviceGetAttribute");
        primaryCtxRetain = bind(l, "cuDevicePrimaryCtxRetain");
        ctxSetCurrent = bind(l, "cuCtxSetCurrent");
        ctxSynchronize = bind(l, "cuCtxSynchronize");
        memAlloc = bind(l, "cuMemAlloc_v2");
        memFree = bind(l, "cuMemFree_v2");
        memGetInfo = bind(l, "cuMemGetInfo_v2");
        memHostAlloc = bind(l, "cuMemHostAlloc");
        memFreeHost = bind(l, "cuMemFreeHost");
        memcpyHtoD = bind(l, "cuMemcpyHtoD_v2");
        memcpyDtoH = bind(l, "cuMemcpyDtoH_v2");
        memcpyDtoD = bind(l, "cuMemcpyDtoD_v2");
        memcpyHtoDAsync = bind(l, "cuMemcpyHtoDAsync_v2");
        memcpyDtoHAsync = bind(l, "cuMemcpyDtoHAsync_v2");
        memcpyDtoDAsync = bind(l, "cuMemcpyDtoDAsync_v2");
        memsetD8 = bind(l, "cuMemsetD8_v2");
        memsetD32 = bind(l, "cuMemsetD32_v2");
        memsetD8Async = bind(l, "cuMemsetD8Async");
        streamCreate = bind(l, "cuStreamCreate");
        streamSynchronize = bind(l, "cuStreamSynchronize");
        streamDestroy = bind(l, "cuStreamDestroy_v2");
        moduleLoadData = bind(l, "cuModuleLoadData");
        moduleGetFunction = bind(l, "cuModuleGetFunction");
        launchKernel = bind(l, "cuLaunchKernel");
        getErrorName = bind(l, "cuGetErrorName");
        getErrorString = bind(l, "cuGetErrorString");
    }

    /** A downcall handle for {@code name} without an address (its first parameter is the function's address). */
    static MethodHandle unbound(String name) {
        return Linker.nativeLinker().downcallHandle(FUNCTIONS.get(name));
    }

    private static MethodHandle bind(SymbolLookup l, String name) {
        MemorySegment symbol = l.find(name).orElseThrow(() -> new java.util.NoSuchElementException(
                libraryName() + " has no " + name + " (a driver older than CUDA 11?)"));
        return Linker.nativeLinker().downcallHandle(symbol, FUNCTIONS.get(name));
    }

    // ------------------------------------------------------------------ errors

    /** How a CUresult becomes text; the driver's own ({@code cuGetErrorName}) or a test's fake. */
    interface ErrorText {
        String name(int code);

        String text(int code);
    }

    private final ErrorText errorText = new ErrorText() {
        @Override public String name(int code) { return errorName(code); }
        @Override public String text(int code) { return errorString(code); }
    };

    /** Throws the {@link CudaException} for {@code call} unless {@code rc} is CUDA_SUCCESS. */
    void check(int rc, String call) {
        if (rc != 0) throw error(rc, call, errorText);
    }

    /** The exception for {@code call} returning {@code rc}, named through {@code text}. */
    static CudaException error(int rc, String call, ErrorText text) {
        String name = text.name(rc), str = text.text(rc);
        return CudaException.of(rc, name == null ? "CUresult " + rc : name, str == null ? "unknown error" : str, call);
    }

    String errorName(int rc) { return errorText(getErrorName, rc); }

    String errorString(int rc) { return errorText(getErrorString, rc); }

    private static String errorText(MethodHandle h, int rc) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            if ((int) h.invokeExact(rc, p) != 0) return null;
            return p.get(ADDRESS, 0).reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    // ------------------------------------------------------------------ calls (each checks its CUresult)

    private int cuInit() throws Throwable { return (int) init.invokeExact(0); }

    private int deviceCount() throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            check((int) deviceGetCount.invokeExact(n), "cuDeviceGetCount");
            return Math.max(0, n.get(JAVA_INT, 0));
        }
    }

    int deviceGet(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = a.allocate(JAVA_INT);
            check((int) deviceGet.invokeExact(d, ordinal), "cuDeviceGet");
            return d.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    String deviceName(int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(256);
            check((int) deviceGetName.invokeExact(s, 256, dev), "cuDeviceGetName");
            return s.getString(0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    long deviceTotalMem(int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(JAVA_LONG);
            check((int) deviceTotalMem.invokeExact(s, dev), "cuDeviceTotalMem_v2");
            return s.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    int deviceAttribute(int attribute, int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(JAVA_INT);
            check((int) deviceGetAttribute.invokeExact(s, attribute, dev), "cuDeviceGetAttribute");
            return s.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    MemorySegment primaryCtxRetain(int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(ADDRESS);
            check((int) primaryCtxRetain.invokeExact(s, dev), "cuDevicePrimaryCtxRetain");
            return s.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void ctxSetCurrent(MemorySegment ctx) {
        try { check((int) ctxSetCurrent.invokeExact(ctx), "cuCtxSetCurrent"); } catch (Throwable t) { throw rethrow(t); }
    }

    void ctxSynchronize() {
        try { check((int) ctxSynchronize.invokeExact(), "cuCtxSynchronize"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** cuMemAlloc_v2; returns 0 on CUDA_ERROR_OUT_OF_MEMORY (the allocator decides what to do), throws on other errors. */
    long memAlloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            int rc = (int) memAlloc.invokeExact(p, bytes);
            if (rc == 2) return 0;
            check(rc, "cuMemAlloc_v2");
            return p.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void memFree(long ptr) {
        try { check((int) memFree.invokeExact(ptr), "cuMemFree_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** {free, total} bytes of the current context's device. */
    long[] memGetInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(JAVA_LONG), t = a.allocate(JAVA_LONG);
            check((int) memGetInfo.invokeExact(f, t), "cuMemGetInfo_v2");
            return new long[]{f.get(JAVA_LONG, 0), t.get(JAVA_LONG, 0)};
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Page-locked host memory of {@code bytes} (CU_MEMHOSTALLOC_PORTABLE: usable from every context). */
    MemorySegment memHostAlloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) memHostAlloc.invokeExact(p, bytes, 1), "cuMemHostAlloc");
            return p.get(ADDRESS, 0).reinterpret(bytes);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void memFreeHost(MemorySegment p) {
        try { check((int) memFreeHost.invokeExact(p), "cuMemFreeHost"); } catch (Throwable t) { throw rethrow(t); }
    }

    void memcpyHtoD(long dst, MemorySegment src, long bytes) {
        try { check((int) memcpyHtoD.invokeExact(dst, src, bytes), "cuMemcpyHtoD_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    void memcpyDtoH(MemorySegment dst, long src, long bytes) {
        try { check((int) memcpyDtoH.invokeExact(dst, src, bytes), "cuMemcpyDtoH_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    void memcpyDtoD(long dst, long src, long bytes) {
        try { check((int) memcpyDtoD.invokeExact(dst, src, bytes), "cuMemcpyDtoD_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    void memcpyHtoDAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try {
            check((int) memcpyHtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyHtoDAsync_v2");
        } catch (Throwable t) { throw rethrow(t); }
    }

    void memcpyDtoHAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try {
            check((int) memcpyDtoHAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoHAsync_v2");
        } catch (Throwable t) { throw rethrow(t); }
    }

    void memcpyDtoDAsync(long dst, long src, long bytes, MemorySegment stream) {
        try {
            check((int) memcpyDtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoDAsync_v2");
        } catch (Throwable t) { throw rethrow(t); }
    }

    void memsetD8(long dst, byte value, long n) {
        try { check((int) memsetD8.invokeExact(dst, value, n), "cuMemsetD8_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    void memsetD32(long dst, int value, long n) {
        try { check((int) memsetD32.invokeExact(dst, value, n), "cuMemsetD32_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    void memsetD8Async(long dst, byte value, long n, MemorySegment stream) {
        try {
            check((int) memsetD8Async.invokeExact(dst, value, n, stream), "cuMemsetD8Async");
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** A stream that orders its work after the legacy default stream's (flags 0, CU_STREAM_DEFAULT). */
    MemorySegment streamCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(ADDRESS);
            check((int) streamCreate.invokeExact(s, 0), "cuStreamCreate");
            return s.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void streamSynchronize(MemorySegment stream) {
        try { check((int) streamSynchronize.invokeExact(stream), "cuStreamSynchronize"); } catch (Throwable t) { throw rethrow(t); }
    }

    void streamDestroy(MemorySegment stream) {
        try { check((int) streamDestroy.invokeExact(stream), "cuStreamDestroy_v2"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Loads a module from an image in host memory (a fatbin, cubin or NUL-terminated PTX). */
    MemorySegment moduleLoadData(MemorySegment image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(ADDRESS);
            check((int) moduleLoadData.invokeExact(m, image), "cuModuleLoadData");
            return m.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    MemorySegment moduleGetFunction(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(ADDRESS);
            check((int) moduleGetFunction.invokeExact(f, module, a.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
            return f.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void launchKernel(MemorySegment function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                      int sharedBytes, MemorySegment stream, MemorySegment params, String kernel) {
        try {
            check((int) launchKernel.invokeExact(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, stream,
                    params, MemorySegment.NULL), "cuLaunchKernel(" + kernel + ")");
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }
}
