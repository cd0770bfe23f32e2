package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Gradients that the user can still reach (one a hook kept, the {@code gradient=} argument, a
 * .grad the user holds) keep their values through later backward passes, which accumulate in
 * place only into tensors the engine owns; and owned gradients are summed without new tensors.
 */
class GradientOwnershipTest {

    @Test
    void aGradientAHookKeptKeepsItsValueThroughLaterAccumulation() {
        Tensor w = randn(4).requiresGrad_();
        Tensor h = w.add(1.0);                          // AddBackward passes h's gradient on to w
        List<Tensor> kept = new ArrayList<>();
        h.registerHook(g -> { kept.add(g); return null; });
        h.mul(2.0).add(h.mul(3.0)).add(h).sum().backward();   // three paths summed in h's buffer
        Tensor seen = kept.get(0);
        Tensor seen0 = seen.clone();
        assertTrue(seen.allclose(full(new int[]{4}, 6.0)));
        w.mul(10.0).sum().backward();                   // accumulates into w.grad in place
        assertTrue(w.grad().allclose(full(new int[]{4}, 16.0)));
        assertTrue(seen.equal(seen0), "the hook's gradient changed: " + seen);
    }

    @Test
    void theUsersGradientArgumentIsNeverWrittenByAccumulation() {
        Tensor x = randn(3).requiresGrad_();
        Tensor v = randn(3);
        Tensor v0 = v.clone();
        x.add(x).add(x).backward(v);                    // v reaches x's buffer from three paths
        assertTrue(x.grad().allclose(v0.mul(3.0)));
        x.add(0.0).backward(v);                         // a pass-through: v itself reaches x
        x.add(0.0).backward(v);
        assertTrue(x.grad().allclose(v0.mul(5.0)));
        assertTrue(v.equal(v0), "backward wrote into the user's gradient: " + v);
    }

    @Test
    void theUsersGradientTakenAsGradUnderCreateGraphIsNotWrittenByALaterBackward() {
        Tensor v = randn(3);
        Tensor v0 = v.clone();
        Tensor y = randn(3).requiresGrad_();
        y.add(0.0).backward(v, false, true);            // create_graph: .grad is taken as is
        y.add(0.0).backward(v);
        assertTrue(y.grad().allclose(v0.mul(2.0)));
        assertTrue(v.equal(v0), "a later backward wrote into the user's gradient kept under create_graph: " + v);
    }

    @Test
    void aGradTheUserHoldsIsNotWrittenWhenPassedOnAsAGradient() {
        Tensor a = randn(4).requiresGrad_();
        a.mul(2.0).sum().backward();
        Tensor held = a.grad();                         // the user holds a's .grad
        Tensor held0 = held.clone();
        Tensor b = randn(4).requiresGrad_();
        b.add(0.0).backward(held);
        b.add(b).add(b).backward(held);
        assertTrue(b.grad().allclose(held0.mul(4.0)));
        assertTrue(held.equal(held0), "b's accumulation wrote into a's .grad: " + held);
        assertSame(held, a.grad());
    }

    @Test
    void aGradientReturnedByAutogradGradKeepsItsValue() {
        Tensor x = randn(5).requiresGrad_();
        Tensor y = x.mul(3.0);
        Tensor g = Autograd.grad(new Tensor[]{y}, new Tensor[]{x}, new Tensor[]{ones(5)}, true, false, false)[0];
        Tensor g0 = g.clone();
        y.backward(ones(5));
        x.mul(2.0).sum().backward();
        assertTrue(x.grad().allclose(full(new int[]{5}, 5.0)));
        assertTrue(g.equal(g0));
    }

    @Test
    void gradientsFromSeveralPathsAreSummedInPlaceWithoutNewTensors() {
        int n = 1 << 20, paths = 8;
        Tensor w = randn(n).requiresGrad_();
        for (int warm = 0; warm < 3; warm++) severalPaths(w, paths).backward();   // kernels compiled: no boxing
        w.setGrad(null);
        Tensor loss = severalPaths(w, paths);
        long before = allocatedBytes();
        loss.backward();
        double tensors = (double) (allocatedBytes() - before) / (4L * n);
        // the 8 formula results (w.mul(c)'s gradient); summed out of place there would be 7 more
        assertTrue(tensors < paths + 4, "backward allocated " + tensors + " gradient-sized tensors for " + paths + " paths");
        assertTrue(w.grad().allclose(full(new int[]{n}, paths * (paths + 1) / 2.0)));
    }

    private static Tensor severalPaths(Tensor w, int paths) {
        Tensor y = null;
        for (int k = 0; k < paths; k++) {
            Tensor p = w.mul(k + 1.0);                  // MulBackward hands w a fresh 4 MB gradient
            y = y == null ? p : y.add(p);
        }
        return y.sum();
    }

    /** Bytes allocated for tensors: on the heap by this thread, or off the heap (where the heap only sees kernels' scratch copies). */
    private static long allocatedBytes() {
        if (org.grad4j.storage.Storage.defaultKind() == org.grad4j.storage.Storage.Kind.OFFHEAP) {
            return org.grad4j.storage.OffHeapStorage.totalAllocatedBytes();
        }
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().threadId());
    }
}
