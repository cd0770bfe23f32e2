package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Thread semantics match PyTorch: grad mode is per thread, anomaly mode is process-wide, the
 * default generator is one shared (synchronized) stream while explicit generators give each
 * thread its own reproducible stream; independent training on several threads gives exactly the
 * sequential results, and shared read-only inference gives the same outputs on every thread.
 */
class ThreadingTest {

    /** A tiny two-layer regression net trained with plain SGD, all from a seed. */
    static double[] train(long seed, int steps) {
        Generator g = new Generator().manualSeed(seed);
        Tensor x = Grad4j.randn(new int[]{16, 4}, DType.FLOAT32, g);
        Tensor y = Grad4j.randn(new int[]{16, 1}, DType.FLOAT32, g);
        Tensor w1 = Grad4j.randn(new int[]{4, 8}, DType.FLOAT32, g).mul(0.5).detach().requiresGrad_();
        Tensor w2 = Grad4j.randn(new int[]{8, 1}, DType.FLOAT32, g).mul(0.5).detach().requiresGrad_();
        double loss = 0;
        for (int s = 0; s < steps; s++) {
            Tensor l = x.matmul(w1).tanh().matmul(w2).sub(y).pow(2).mean();
            l.backward();
            loss = l.item();
            try (var ng = Autograd.noGrad()) {
                w1.sub_(w1.grad().mul(0.1));
                w2.sub_(w2.grad().mul(0.1));
            }
            w1.setGrad(null);
            w2.setGrad(null);
        }
        double[] w = w2.toDoubleArray();
        double[] out = new double[w.length + 1];
        System.arraycopy(w, 0, out, 0, w.length);
        out[w.length] = loss;
        return out;
    }

    static <T> List<T> runAll(List<Callable<T>> jobs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(jobs.size());
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (Callable<T> j : jobs) fs.add(pool.submit(j));
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fourIndependentTrainingsOnThreadsEqualSequentialOnes() throws Exception {
        List<double[]> sequential = new ArrayList<>();
        for (int m = 0; m < 4; m++) sequential.add(train(100 + m, 50));
        List<Callable<double[]>> jobs = new ArrayList<>();
        for (int m = 0; m < 4; m++) {
            final long seed = 100 + m;
            jobs.add(() -> train(seed, 50));
        }
        List<double[]> parallel = runAll(jobs);
        for (int m = 0; m < 4; m++) assertArrayEquals(sequential.get(m), parallel.get(m), "model " + m);
    }

    @Test
    void sharedModelInferenceUnderNoGradIsTheSameOnEightThreads() throws Exception {
        Generator g = new Generator().manualSeed(5);
        Tensor w1 = Grad4j.randn(new int[]{4, 8}, DType.FLOAT32, g).requiresGrad_();
        Tensor w2 = Grad4j.randn(new int[]{8, 3}, DType.FLOAT32, g).requiresGrad_();
        Tensor x = Grad4j.randn(new int[]{32, 4}, DType.FLOAT32, g);
        Callable<double[]> infer = () -> {
            try (var ng = Autograd.noGrad()) {
                double[] last = null;
                for (int i = 0; i < 50; i++) {
                    Tensor out = x.matmul(w1).relu().matmul(w2);
                    assertFalse(out.requiresGrad());
                    last = out.toDoubleArray();
                }
                return last;
            }
        };
        double[] reference = infer.call();
        List<Callable<double[]>> jobs = new ArrayList<>();
        for (int t = 0; t < 8; t++) jobs.add(infer);
        for (double[] r : runAll(jobs)) assertArrayEquals(reference, r);
    }

    @Test
    void gradModeIsPerThreadAnomalyModeIsGlobal() throws Exception {
        try (var ng = Autograd.noGrad(); var an = Autograd.detectAnomaly()) {
            List<Callable<boolean[]>> jobs = List.of(() -> new boolean[]{Autograd.isGradEnabled(), Autograd.isAnomalyEnabled()});
            boolean[] seen = runAll(jobs).get(0);
            assertTrue(seen[0], "a new thread starts with grad mode on (thread-local, like PyTorch)");
            assertTrue(seen[1], "anomaly mode is process-wide, like torch.autograd.set_detect_anomaly");
            assertFalse(Autograd.isGradEnabled());
        }
        assertFalse(Autograd.isAnomalyEnabled());
    }

    @Test
    void explicitGeneratorsGiveReproducibleIndependentStreamsPerThread() throws Exception {
        List<Callable<double[]>> jobs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final long seed = t;
            jobs.add(() -> Grad4j.randn(new int[]{64}, DType.FLOAT64, new Generator().manualSeed(seed)).toDoubleArray());
        }
        List<double[]> a = runAll(jobs), b = runAll(jobs);
        for (int t = 0; t < 4; t++) assertArrayEquals(a.get(t), b.get(t));
        assertFalse(java.util.Arrays.equals(a.get(0), a.get(1)));
    }

    @Test
    void theDefaultGeneratorIsOneSharedStreamThatNeverRepeatsAcrossThreads() throws Exception {
        Grad4j.manualSeed(11);
        List<Callable<double[]>> jobs = new ArrayList<>();
        for (int t = 0; t < 4; t++) jobs.add(() -> Grad4j.rand(new int[]{256}, DType.FLOAT64, Grad4j.defaultGenerator()).toDoubleArray());
        java.util.Set<Double> all = new java.util.HashSet<>();
        int n = 0;
        for (double[] r : runAll(jobs)) for (double v : r) { all.add(v); n++; }
        assertEquals(n, all.size(), "draws from the shared default generator never repeat across threads");
    }
}
