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

    /** The real leg's comparator runs over every row without error and accepts identical results (its own check, on the emulation). */
    @TestFactory
    Stream<DynamicNode> theNumericContractAcceptsTheEmulatedResults() {
        return DeviceOpTable.tests(Device.cuda(0), new NumericContract());
    }

    @org.junit.jupiter.api.Test
    void theNumericContractRejectsTwoFloatUlpsOnExpAndAcceptsOne() {
        OpInfo exp = OpTable.all().stream().filter(o -> o.name.equals("exp")).findFirst().orElseThrow();
        org.grad4j.Tensor cpu = org.grad4j.Grad4j.tensor(new float[]{1.5f}, org.grad4j.storage.DType.FLOAT32);
        float v = 1.5f;
        org.grad4j.Tensor one = org.grad4j.Grad4j.tensor(new float[]{Math.nextUp(v)}, org.grad4j.storage.DType.FLOAT32);
        org.grad4j.Tensor two = org.grad4j.Grad4j.tensor(new float[]{Math.nextUp(Math.nextUp(v))}, org.grad4j.storage.DType.FLOAT32);
        NumericContract c = new NumericContract();
        org.junit.jupiter.api.Assertions.assertNull(c.check(exp, org.grad4j.storage.DType.FLOAT32, false, new org.grad4j.Tensor[]{cpu}, cpu, one));
        org.junit.jupiter.api.Assertions.assertNotNull(c.check(exp, org.grad4j.storage.DType.FLOAT32, false, new org.grad4j.Tensor[]{cpu}, cpu, two));
        OpInfo add = OpTable.all().stream().filter(o -> o.name.equals("add")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertNotNull(c.check(add, org.grad4j.storage.DType.FLOAT32, false, new org.grad4j.Tensor[]{cpu}, cpu, one),
                "add is bitwise");
    }
}
