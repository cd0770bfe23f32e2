package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.GradOptions;
import org.grad4j.kernels.Parallel;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * float32 batch norm runs fused kernels (NativeBatchNormBackward0), float64 the composite formula
 * of differentiable ops: output, running statistics and gradients must agree, in training and in
 * evaluation, with and without affine parameters, at 1 and 2 threads, and through double backward.
 */
class BatchNormFastPathTest {
    private final int initial = Parallel.numThreads();

    @AfterEach
    void restore() { Parallel.setNumThreads(initial); }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] shape : new int[][]{{16, 5}, {4, 3, 7}, {6, 8, 9, 11}, {2, 33, 3, 3}})
            for (boolean training : new boolean[]{true, false})
                for (boolean affine : new boolean[]{true, false})
                    for (int t : new int[]{1, 2}) b.add(Arguments.of(shape, training, affine, t));
        return b.build();
    }

    @ParameterizedTest(name = "{index}: {0} training={1} affine={2} threads={3}")
    @MethodSource("cases")
    void float32KernelsMatchTheFloat64Formula(int[] shape, boolean training, boolean affine, int threads) {
        setNumThreads(threads);
        manualSeed(shape.length * 100 + shape[1]);
        int c = shape[1];
        Tensor x = randn(shape).mul(2).add(0.5);
        Tensor w = affine ? randn(c) : null, bias = affine ? randn(c) : null;
        Tensor rm = randn(c).mul(0.1), rv = rand(c).add(0.5);
        Tensor[] f32 = run(x, w, bias, rm.clone(), rv.clone(), training);
        Tensor[] f64 = run(x.toDouble(), w == null ? null : w.toDouble(), bias == null ? null : bias.toDouble(),
                rm.toDouble(), rv.toDouble(), training);
        String[] names = {"output", "grad input", "grad weight", "grad bias", "running mean", "running var"};
        for (int i = 0; i < f32.length; i++) {
            if (f64[i] == null) {
                assertNull(f32[i], names[i]);
                continue;
            }
            double scale = f64[i].abs().max().item() + 1;
            double err = f32[i].toDouble().sub(f64[i]).abs().max().item();
            assertTrue(err <= 2e-5 * scale, names[i] + ": max error " + err + " (scale " + scale + ")");
        }
    }

    /** Output, gradients of x, w, b for a fixed output gradient, and the running statistics after the call. */
    private static Tensor[] run(Tensor x0, Tensor w0, Tensor b0, Tensor rm, Tensor rv, boolean training) {
        Tensor x = x0.detach().requiresGrad_();
        Tensor w = w0 == null ? null : w0.detach().requiresGrad_(), b = b0 == null ? null : b0.detach().requiresGrad_();
        Tensor y = F.batchNorm(x, rm, rv, w, b, training, 0.1, 1e-5);
        y.backward(y.detach().sin());
        return new Tensor[]{y.detach(), x.grad(), w == null ? null : w.grad(), b == null ? null : b.grad(), rm, rv};
    }

    @Test
    void inputWithoutGradAndNoAffineRecordsNothing() {
        Tensor y = F.batchNorm(randn(4, 3, 2), zeros(3), ones(3), null, null, true, 0.1, 1e-5);
        assertNull(y.gradFn());
    }

    @Test
    void float32RecordsOneNodeLikePyTorch() {
        Tensor x = randn(4, 3, 2).requiresGrad_();
        Tensor y = F.batchNorm(x, zeros(3), ones(3), ones(3).requiresGrad_(), zeros(3).requiresGrad_(), true, 0.1, 1e-5);
        assertEquals("NativeBatchNormBackward0", y.gradFn().name());
    }

    @ParameterizedTest(name = "{index}: {0} training={1} affine={2} threads={3}")
    @MethodSource("cases")
    void doubleBackwardThroughFloat32MatchesFloat64(int[] shape, boolean training, boolean affine, int threads) {
        if (!affine || threads == 2) return;       // a few cases are enough here
        setNumThreads(threads);
        manualSeed(11);
        int c = shape[1];
        Tensor x = randn(shape), w = randn(c), rm = randn(c).mul(0.1), rv = rand(c).add(0.5);
        double f32 = gradOfGradNorm(x, w, rm.clone(), rv.clone(), training);
        double f64 = gradOfGradNorm(x.toDouble(), w.toDouble(), rm.toDouble(), rv.toDouble(), training);
        assertEquals(f64, f32, 1e-3 * (1 + Math.abs(f64)));
    }

    /** sum of d/dw of ||d(sum (bn(x) * k))/dx||^2, with k a fixed pattern: needs the backward recorded. */
    private static double gradOfGradNorm(Tensor x0, Tensor w0, Tensor rm, Tensor rv, boolean training) {
        Tensor x = x0.detach().requiresGrad_(), w = w0.detach().requiresGrad_();
        Tensor y = F.batchNorm(x, rm, rv, w, null, training, 0.1, 1e-5);
        Tensor k = x0.detach().cos();
        Tensor gx = Autograd.grad(new Tensor[]{y.mul(k).sum()}, new Tensor[]{x}, GradOptions.defaults().createGraph(true))[0];
        Tensor gw = Autograd.grad(new Tensor[]{gx.pow(2).sum()}, new Tensor[]{w}, GradOptions.defaults())[0];
        return gw.sum().item();
    }
}
