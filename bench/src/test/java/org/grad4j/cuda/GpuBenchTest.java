package org.grad4j.cuda;

import org.grad4j.Device;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The GPU bench's rows, limits and torch parsing (CPU-only), and its one-line refusal without a device. */
class GpuBenchTest {
    @Test
    void withoutADeviceTheGpuBenchExitsOneWithOneLine() {
        assumeFalse(Cuda.isAvailable(), "a GPU machine: the bench runs there");
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int rc = GpuBench.run("cuda", true, false, new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(1, rc);
        assertEquals("", out.toString());
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("bench: --device cuda: no CUDA device or driver was found"), e);
        assertTrue(e.contains("Fix:"), e);
    }

    @Test
    void ratioLinesKeepTheBenchFormatAndSayNaWithoutAReference() {
        assertEquals("RATIO cuda-add-16M device=cuda:0 grad4j=3000.0 limit=4000.0 ratio=0.750 unit=GB/s",
                GpuBench.ratioLine("cuda-add-16M", Device.cuda(0), 3000, "limit", 4000, "ratio", "GB/s"));
        assertEquals("RATIO cuda-mlp-64 device=cuda:0 grad4j=12.0 torch=NA speedup=NA unit=steps/s",
                GpuBench.ratioLine("cuda-mlp-64", Device.cuda(0), 12, "torch", Double.NaN, "speedup", "steps/s"));
    }

    @Test
    void limitsAreTheSgemmPeakTheCopyBandwidthOrStepsAtPeak() {
        assertEquals(50_000, GpuBench.limit("cuda-matmul-1024", 50_000, 4000));
        assertEquals(4000, GpuBench.limit("cuda-sum-256M", 50_000, 4000));
        assertEquals(12.0 * (256L << 20), GpuBench.bytesMoved("cuda-add-256M"));
        // MLP step at batch 64: 6 x 234752 multiply-adds per sample x 64 FLOPs
        assertEquals(6.0 * 234752 * 64, GpuBench.stepFlops("cuda-mlp-64"));
        assertEquals(1e12 / (6.0 * 234752 * 64), GpuBench.limit("cuda-mlp-64", 1000, 1), 1e-6);
        assertTrue(GpuBench.workloads(false).containsAll(java.util.List.of("cuda-matmul-8192", "cuda-add-256M", "cuda-lenet-1024")));
    }

    @Test
    void torchRowsAreParsedAndOtherLinesIgnored() {
        Map<String, Double> m = TorchCuda.parse("NOTE x\nTORCH cuda-add-16M 3512.5\nTORCH bad\nTORCH cuda-mlp-64 nan?\nTORCH cuda-exp-16M 1e3\n");
        assertEquals(Map.of("cuda-add-16M", 3512.5, "cuda-exp-16M", 1000.0), m);
    }
}
