package org.grad4j;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA wiring ({@link CudaWiringChecks}) on the REAL cuda:0, with a float tolerance where device kernels
 * may round differently. Skipped without a GPU; gpu/check.sh runs it. Written, never run on a GPU by its author.
 */
@Tag("cuda")
class CudaWiringTest extends CudaWiringChecks {
    @BeforeEach
    void needsADevice() { assumeTrue(Device.cudaIsAvailable(), "no CUDA device: " + org.grad4j.cuda.Cuda.describe()); }

    @Override
    boolean exact() { return false; }
}
