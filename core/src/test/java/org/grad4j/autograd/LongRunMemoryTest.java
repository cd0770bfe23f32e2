package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;

import static org.junit.jupiter.api.Assertions.*;

/** Long runs: graphs are freed after backward, retained heap stays flat, deep chains do not overflow the stack. */
@Tag("long")
class LongRunMemoryTest {

    static long retainedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(20);   // off-heap storages: their cleaners run after the GC found them dead
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static boolean collected(WeakReference<?> ref) {
        for (int i = 0; i < 10 && ref.get() != null; i++) System.gc();
        return ref.get() == null;
    }

    @Test
    void chainOfAMillionOpsRunsForwardAndBackwardAndIsFreed() {
        Tensor x = Grad4j.tensor(1.0, DType.FLOAT64).requiresGrad_();
        Tensor y = x;
        for (int i = 0; i < 500_000; i++) y = y.mul(1.000001).add(1e-7);   // 1,000,000 ops
        WeakReference<Object> head = new WeakReference<>(y.gradFn());
        y.backward();
        assertEquals(Math.pow(1.000001, 500_000), x.grad().item(), 1e-9);
        y = null;
        assertTrue(collected(head), "the graph of a million nodes is unreachable after backward once its output is dropped");
    }

    @Test
    void twentyThousandTrainingStepsKeepTheRetainedHeapFlat() {
        Generator g = new Generator().manualSeed(1);
        Tensor x = Grad4j.randn(new int[]{32, 16}, DType.FLOAT32, g);
        Tensor y = Grad4j.randn(new int[]{32, 4}, DType.FLOAT32, g);
        Tensor w1 = Grad4j.randn(new int[]{16, 32}, DType.FLOAT32, g).mul(0.2).detach().requiresGrad_();
        Tensor b1 = Grad4j.zeros(32).requiresGrad_();
        Tensor w2 = Grad4j.randn(new int[]{32, 4}, DType.FLOAT32, g).mul(0.2).detach().requiresGrad_();
        Tensor[] params = {w1, b1, w2};
        long afterWarmup = 0, nativeAfterWarmup = 0;
        WeakReference<Object> lastGraph = null;
        for (int step = 1; step <= 20_000; step++) {
            Tensor loss = x.matmul(w1).add(b1).relu().matmul(w2).sub(y).pow(2).mean();
            loss.backward();
            lastGraph = new WeakReference<>(loss.gradFn());
            try (var ng = Autograd.noGrad()) {
                for (Tensor p : params) {
                    p.sub_(p.grad().mul(0.01));
                    p.setGrad(null);
                }
            }
            if (step == 2_000) {
                afterWarmup = retainedHeapAfterGc();
                nativeAfterWarmup = org.grad4j.storage.OffHeapStorage.liveBytes();
            }
            if (step % 5_000 == 0) {
                try (var ng = Autograd.noGrad()) {
                    Tensor eval = x.matmul(w1).add(b1).relu().matmul(w2);
                    assertNull(eval.gradFn(), "evaluation under no_grad records no graph");
                    assertFalse(eval.requiresGrad());
                }
            }
        }
        assertTrue(collected(lastGraph), "each step's graph is unreachable after its backward");
        long growth = retainedHeapAfterGc() - afterWarmup;
        assertTrue(growth < 4L << 20, "retained heap grew by " + growth + " bytes over 18,000 steps");
        long nativeGrowth = org.grad4j.storage.OffHeapStorage.liveBytes() - nativeAfterWarmup;
        assertTrue(nativeGrowth < 4L << 20, "live off-heap storage grew by " + nativeGrowth + " bytes over 18,000 steps");
    }
}
