package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Backward passes on several threads into the same leaves accumulate the sum of all of them. */
class ConcurrentBackwardTest {

    @Test
    void concurrentBackwardsIntoSharedLeavesSumUp() throws Exception {
        Tensor w = Grad4j.tensor(new double[]{1, 2, 3}, DType.FLOAT64).requiresGrad_();
        int threads = 4, perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final double scale = t + 1;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        // d/dw of scale * sum(w^2) = 2 * scale * w
                        w.pow(2).sum().mul(scale).backward();
                    }
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        double scales = perThread * (1 + 2 + 3 + 4);
        double[] g = w.grad().toDoubleArray();
        for (int i = 0; i < 3; i++) assertEquals(2 * scales * (i + 1), g[i], 1e-9);
    }
}
