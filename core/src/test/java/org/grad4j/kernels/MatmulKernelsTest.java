package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import static org.grad4j.kernels.KindPair.agree;
import static org.grad4j.kernels.KindPair.of;
import static org.grad4j.kernels.KindPair.ramp;
import static org.grad4j.kernels.KindPair.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The matmul family on heap and off-heap storages, with a transposed operand at an offset. */
class MatmulKernelsTest {
    private static final MatmulKernels K = Backend.cpu().matmul();

    @Test
    void gemmOfATransposedOffsetOperandAgreesAcrossKindsAndWithTheDefinition() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            double[] c = agree(kind -> {
                // a = [3, 4] read transposed from a [4, 3] block at element 1; b = [4, 2] dense
                Storage a = of(kind, dt, ramp(13)), b = of(kind, dt, ramp(8)), out = zeros(kind, dt, 6);
                K.gemm(new Strided(a, new int[]{3, 4}, new int[]{1, 3}, 1), new Strided(b, new int[]{4, 2}, new int[]{2, 1}, 0), out);
                return new Storage[]{out};
            })[0];
            double[] a = ramp(13), b = ramp(8);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 2; j++) {
                    double want = 0;
                    for (int k = 0; k < 4; k++) want += a[1 + i + 3 * k] * b[k * 2 + j];
                    assertEquals(want, c[i * 2 + j], 1e-4, dt + " c[" + i + "][" + j + "]");
                }
        }
    }

    @Test
    void batchedGemmWithABroadcastBatchAgreesAcrossKinds() {
        double[] c = agree(kind -> {
            Storage a = of(kind, DType.FLOAT64, ramp(12)), b = of(kind, DType.FLOAT64, ramp(6)), out = zeros(kind, DType.FLOAT64, 8);
            // a [2, 2, 3]; b [2, 3, 2] with batch stride 0 (expanded)
            K.gemmBatched(new Strided(a, new int[]{2, 2, 3}, new int[]{6, 3, 1}, 0),
                    new Strided(b, new int[]{2, 3, 2}, new int[]{0, 2, 1}, 0), out);
            return new Storage[]{out};
        })[0];
        double[] a = ramp(12), b = ramp(6);
        double want = 0;
        for (int k = 0; k < 3; k++) want += a[6 + 3 + k] * b[k * 2 + 1];       // batch 1, row 1, column 1
        assertEquals(want, c[4 + 2 + 1], 1e-12);
    }
}
