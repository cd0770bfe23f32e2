package org.grad4j.ops;

import org.grad4j.Device;
import org.grad4j.cuda.EmulatedCuda;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * Every op-table row on an EMULATED cuda:0 (host memory behind CudaStorage, the CUDA backend's host-fallback
 * families): checks the plumbing, not a GPU. Outputs and gradients must land on cuda:0 and equal the CPU's bit
 * for bit (the kernels are the same). The same runner on a real device is CudaOpTableTest.
 */
class EmulatedCudaOpTableTest {
    static EmulatedCuda emu;

    @BeforeAll
    static void install() { emu = EmulatedCuda.install(); }

    @AfterAll
    static void uninstall() { emu.close(); }

    @TestFactory
    Stream<DynamicNode> everyRowRunsOnTheEmulatedDeviceAndMatchesTheCpuBitForBit() {
        return DeviceOpTable.tests(Device.cuda(0), (op, dt, gradient, in, cpu, dev) -> DeviceOpTable.bitwise(cpu, dev));
    }
}
