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
}
