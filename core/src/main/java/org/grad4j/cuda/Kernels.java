package org.grad4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;

/**
 * grad4j's compiled kernels on one device: the module loaded from the resource
 * {@value #RESOURCE} (a fatbin holding cubins for the common architectures and PTX for newer ones) with
 * {@code cuModuleLoadData} on first use, and a {@code CUfunction} per kernel name, looked up once.
 *
 * <p>{@link #launch} queues a one-dimensional launch on the device's stream. The driver limits
 * {@code gridDimX} to 2^31-1 blocks; a larger grid is clamped to that limit, so grad4j's kernels loop
 * grid-stride ({@code for (i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)})
 * and the blocks of the clamped grid cover the rest. (With storages of at most 2^31-9 elements the limit is
 * reached only with blocks of one thread.)
 */
final class Kernels {
    static final String RESOURCE = "/org/grad4j/cuda/grad4j_kernels.fatbin";
    static final long MAX_GRID_X = Integer.MAX_VALUE;

    private static final ConcurrentHashMap<Integer, Kernels> PER_DEVICE = new ConcurrentHashMap<>();

    private final CudaDevice device;
    private final MemorySegment module;
    private final ConcurrentHashMap<String, MemorySegment> functions = new ConcurrentHashMap<>();

    Kernels(CudaDevice device, byte[] image) {
        this.device = device;
        device.enter();
        // cuModuleLoadData reads the image during the call only; a PTX image must end with NUL, a fatbin needs none
        try (Arena a = Arena.ofConfined()) {
            MemorySegment seg = a.allocate(image.length + 1L, 64);
            MemorySegment.copy(image, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, image.length);
            this.module = device.driver.moduleLoadData(seg);
        }
    }

    /** The kernels of device {@code index}, loading the module on first use. */
    static Kernels of(int index) {
        return PER_DEVICE.computeIfAbsent(index, i -> new Kernels(CudaDevice.get(i), image()));
    }

    /** A module from another image (tests load their own PTX); not cached. */
    static Kernels load(int index, byte[] image) { return new Kernels(CudaDevice.get(index), image); }

    /** Queues {@code kernel} from grad4j's kernel image on device {@code index}'s stream (see {@link #launch(String, long, int, int, KernelArgs)}). */
    static void launch(int index, String kernel, long gridX, int blockX, int sharedBytes, KernelArgs args) {
        of(index).launch(kernel, gridX, blockX, sharedBytes, args);
    }

    /** The kernel image's bytes, or a CudaException saying the resource is missing from the build. */
    static byte[] image() {
        try (InputStream in = Kernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw CudaException.plain("grad4j's CUDA kernels are missing: no resource " + RESOURCE + " on the class path. "
                        + "Fix: use a grad4j jar built with its committed kernel image (core/src/main/resources/org/grad4j/cuda/)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw CudaException.plain("cannot read " + RESOURCE + ": " + e);
        }
    }

    /** Queues {@code kernel<<<gridX, blockX, sharedBytes, stream>>>(args...)} on this device's stream. */
    void launch(String kernel, long gridX, int blockX, int sharedBytes, KernelArgs args) {
        if (gridX < 1 || blockX < 1 || sharedBytes < 0) {
            throw new IllegalArgumentException("launch of " + kernel + ": grid " + gridX + ", block " + blockX + ", shared "
                    + sharedBytes + " bytes; grid and block must be >= 1");
        }
        int grid = (int) Math.min(gridX, MAX_GRID_X);
        MemorySegment f = functions.computeIfAbsent(kernel, k -> {
            device.enter();
            return device.driver.moduleGetFunction(module, k);
        });
        device.enter();
        try (Arena a = Arena.ofConfined()) {
            ParamBuffer p = ParamBuffer.of(args, a);
            device.driver.launchKernel(f, grid, 1, 1, blockX, 1, 1, sharedBytes, device.stream, p.pointers, kernel);
        }
    }
}
