package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Storage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Backward releases the gradient buffers it owns once they are consumed (off-heap blocks go back
 * to the cache at once), and never one the user can still reach: a hook's, retain_grad's, .grad,
 * Autograd.grad's results, or anything under create_graph. Under GRAD4J_STORAGE=offheap a wrongly
 * released gradient raises on access, so the value checks here fail loudly.
 */
class GradientReleaseTest {

    private static final boolean OFFHEAP = Storage.defaultKind() == Storage.Kind.OFFHEAP;

    private static Tensor step(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor y) {
        Tensor h = x.matmul(w1).add(b1).relu();
        return h.matmul(w2).add(h.matmul(w2).mul(0.5)).sub(y).pow(2).mean();   // h and w2 reached twice: buffers summed
    }

    @Test
    void aTrainingStepReleasesItsConsumedGradientBuffersDeterministically() {
        manualSeed(11);
        Tensor x = randn(32, 20), y = randn(32, 5);
        Tensor w1 = randn(20, 16).requiresGrad_(), b1 = randn(16).requiresGrad_(), w2 = randn(16, 5).requiresGrad_();
        Tensor[] ref = Autograd.grad(new Tensor[]{step(x, w1, b1, w2, y)}, new Tensor[]{w1, b1, w2},
                GradOptions.defaults().createGraph(true));   // nothing is released while a graph is recorded

        long count = Release.COUNT.sum();
        long blocks = OffHeapStorage.stats().releasedBlocks();
        step(x, w1, b1, w2, y).backward();
        long released = Release.COUNT.sum() - count;
        assertTrue(released >= 4, "backward released " + released + " consumed gradient buffers");
        if (OFFHEAP) {
            assertEquals(released, OffHeapStorage.stats().releasedBlocks() - blocks,
                    "each released buffer gave its off-heap block back at once");
        }
        assertTrue(w1.grad().allclose(ref[0].detach()), "w1.grad");
        assertTrue(b1.grad().allclose(ref[1].detach()), "b1.grad");
        assertTrue(w2.grad().allclose(ref[2].detach()), "w2.grad");
    }

    @Test
    void createGraphReleasesNothing() {
        Tensor w = randn(8).requiresGrad_();
        long count = Release.COUNT.sum();
        Tensor h = w.mul(2.0);
        h.mul(h).add(h.exp()).sum().backward(null, true, true);
        assertEquals(count, Release.COUNT.sum(), "the recorded backward graph may hold every buffer");
        Tensor g = w.grad();
        Tensor gg = Autograd.grad(g.sum(), w);   // the recorded graph still reads its buffers
        Tensor expected = full(new int[]{8}, 8.0).add(w.mul(2.0).exp().mul(4.0));
        assertTrue(gg.allclose(expected), gg + " vs " + expected);
    }

    @Test
    void gradientsUsersCanReachAreNeverReleased() {
        Tensor w = randn(6).requiresGrad_();
        Tensor h = w.mul(3.0);
        Tensor r = h.exp();
        r.retainGrad();
        List<Tensor> kept = new ArrayList<>();
        h.registerHook(g -> { kept.add(g); return null; });
        Tensor loss = r.mul(2.0).add(r.mul(h)).add(h).sum();
        loss.backward(null, true);
        Tensor keptGrad = kept.get(0), rGrad = r.grad(), wGrad = w.grad();
        Tensor again = Autograd.grad(loss, h);   // captured: returned to the user
        for (Tensor t : new Tensor[]{keptGrad, rGrad, wGrad, again}) assertReadable(t);
        assertTrue(rGrad.allclose(h.add(2.0)), "retain_grad's gradient keeps its value");
        assertTrue(keptGrad.allclose(again), "the hook's gradient equals autograd.grad's");
        assertTrue(wGrad.allclose(keptGrad.mul(3.0)), "w.grad");
    }

    private static void assertReadable(Tensor t) {
        if (t.storage() instanceof OffHeapStorage o) assertFalse(o.isReleased(), "a reachable gradient was released");
        assertDoesNotThrow(() -> t.sum().item());
    }
}
