package org.grad4j.ops;

import org.grad4j.Device;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every op-table row on the REAL cuda:0, compared with the CPU under docs/cuda.md's numeric contract
 * ({@link NumericContract}). Needs a GPU and its driver: reported as skipped elsewhere (gpu/check.sh runs the
 * "cuda" tag). Written, never run on a GPU by its author.
 */
@Tag("cuda")
class CudaOpTableTest {
    @TestFactory
    Stream<DynamicNode> everyRowOnCudaMatchesTheCpuUnderTheNumericContract() {
        if (!Device.cudaIsAvailable()) {   // one skipped test, not an empty (silently passing) factory
            return Stream.of(dynamicTest("no CUDA device", () -> assumeTrue(false, "no CUDA device: " + org.grad4j.cuda.Cuda.describe())));
        }
        return DeviceOpTable.tests(Device.cuda(0), new NumericContract());
    }
}
