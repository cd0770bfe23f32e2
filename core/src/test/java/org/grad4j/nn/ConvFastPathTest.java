package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.GradOptions;
import org.grad4j.kernels.Parallel;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * float32 conv2d runs its own kernels (stride 1: GEMMs straight over the padded image; other
 * strides: im2col by chunks of images), float64 the differentiable composite formula. Both must
 * give the same output and gradients, at 1 and 2 threads, for every geometry.
 */
class ConvFastPathTest {
    private final int initial = Parallel.numThreads();

    @AfterEach
    void restore() { Parallel.setNumThreads(initial); }

    /** n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, bias, threads. */
    static Stream<Arguments> geometries() {
        int[][] g = {
                {3, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1},     // LeNet conv1
                {4, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1},    // LeNet conv2
                {2, 3, 9, 11, 5, 3, 2, 1, 1, 1, 0, 1, 1},      // odd sizes, uneven kernel and padding
                {2, 2, 10, 12, 7, 3, 3, 1, 1, 2, 1, 2, 3},     // dilation
                {1, 4, 7, 7, 13, 1, 1, 1, 1, 0, 0, 1, 1},      // 1x1, batch of one, O not a multiple of 6
                {5, 3, 11, 9, 4, 3, 3, 2, 2, 1, 1, 1, 1},      // stride 2 (im2col path)
                {2, 2, 13, 8, 3, 4, 3, 2, 1, 0, 1, 1, 2},      // stride along y only
                {1, 70, 6, 40, 2, 3, 3, 1, 1, 1, 1, 1, 1},     // many channels, wide rows
        };
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] x : g)
            for (boolean bias : new boolean[]{true, false})
                for (int t : new int[]{1, 2}) b.add(Arguments.of(x, bias, t));
        return b.build();
    }

    @ParameterizedTest(name = "{index}: {0} bias={1} threads={2}")
    @MethodSource("geometries")
    void float32KernelsMatchTheFloat64Formula(int[] g, boolean withBias, int threads) {
        setNumThreads(threads);
        manualSeed(g[0] * 31 + g[4]);
        Tensor x = randn(g[0], g[1], g[2], g[3]);
        Tensor w = randn(g[4], g[1], g[5], g[6]).mul(0.3);
        Tensor b = withBias ? randn(g[4]) : null;
        int[] stride = {g[7], g[8]}, pad = {g[9], g[10]}, dil = {g[11], g[12]};

        Tensor[] f32 = run(x, w, b, stride, pad, dil);
        Tensor[] f64 = run(x.toDouble(), w.toDouble(), b == null ? null : b.toDouble(), stride, pad, dil);
        String[] names = {"output", "grad input", "grad weight", "grad bias"};
        for (int i = 0; i < f32.length; i++) {
            if (f64[i] == null) {
                assertNull(f32[i], names[i]);
                continue;
            }
            assertArrayEquals(f64[i].shape(), f32[i].shape(), names[i]);
            double scale = f64[i].abs().max().item() + 1;
            double err = f32[i].toDouble().sub(f64[i]).abs().max().item();
            assertTrue(err <= 2e-5 * scale, names[i] + ": max error " + err + " (scale " + scale + ")");
        }
    }

    /** Output and gradients of x, w, b for a fixed output gradient (the output's cosine). */
    private static Tensor[] run(Tensor x0, Tensor w0, Tensor b0, int[] stride, int[] pad, int[] dil) {
        Tensor x = x0.detach().requiresGrad_(), w = w0.detach().requiresGrad_();
        Tensor b = b0 == null ? null : b0.detach().requiresGrad_();
        Tensor y = F.conv2d(x, w, b, stride, pad, dil, 1);
        y.backward(y.detach().cos());
        return new Tensor[]{y.detach(), x.grad(), w.grad(), b == null ? null : b.grad()};
    }

    @ParameterizedTest(name = "{index}: {0} bias={1} threads={2}")
    @MethodSource("geometries")
    void doubleBackwardThroughFloat32ConvMatchesFloat64(int[] g, boolean withBias, int threads) {
        if (g[1] > 10 || !withBias) return;        // a few geometries are enough here
        setNumThreads(threads);
        manualSeed(7);
        Tensor x = randn(g[0], g[1], g[2], g[3]);
        Tensor w = randn(g[4], g[1], g[5], g[6]).mul(0.3);
        int[] stride = {g[7], g[8]}, pad = {g[9], g[10]}, dil = {g[11], g[12]};
        double f32 = gradOfGradNorm(x, w, stride, pad, dil), f64 = gradOfGradNorm(x.toDouble(), w.toDouble(), stride, pad, dil);
        assertEquals(f64, f32, 1e-4 * (1 + Math.abs(f64)));
    }

    /** sum of d/dw of ||d(sum conv^2)/dx||^2: needs the conv backward recorded (create_graph). */
    private static double gradOfGradNorm(Tensor x0, Tensor w0, int[] stride, int[] pad, int[] dil) {
        Tensor x = x0.detach().requiresGrad_(), w = w0.detach().requiresGrad_();
        Tensor y = F.conv2d(x, w, null, stride, pad, dil, 1);
        Tensor gx = Autograd.grad(new Tensor[]{y.pow(2).sum()}, new Tensor[]{x}, GradOptions.defaults().createGraph(true))[0];
        Tensor gw = Autograd.grad(new Tensor[]{gx.pow(2).sum()}, new Tensor[]{w}, GradOptions.defaults())[0];
        return gw.sum().item();
    }
}
