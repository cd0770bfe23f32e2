package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Each backward call is a graph task of its own; a backward started inside another one (the
 * recompute of activation checkpointing) does not mix its callbacks, captures or buffers with
 * the enclosing one.
 */
class GraphTaskTest {

    /** A segment whose inner gradient hook queues a final callback (only in the recompute, which records). */
    private static Tensor segment(Tensor in, List<String> events) {
        Tensor h = in.mul(2.0);
        if (h.requiresGrad()) {
            h.registerHook(g -> {
                events.add("inner hook");
                Autograd.queueCallback(() -> events.add("inner final"));
                return null;
            });
        }
        return h.tanh();
    }

    @Test
    void aCheckpointsRecomputeRunsItsOwnFinalCallbacksBeforeTheEnclosingBackwardGoesOn() {
        List<String> events = new ArrayList<>();
        Tensor x = randn(3).requiresGrad_(), w = randn(3).requiresGrad_();
        w.registerPostAccumulateGradHook(p -> {
            events.add("outer w");
            Autograd.queueCallback(() -> events.add("outer final"));
        });
        x.registerPostAccumulateGradHook(p -> events.add("outer x"));
        Tensor y = Checkpoint.checkpoint(in -> segment(in, events), x.mul(1.0));
        y.mul(w).sum().backward();
        assertEquals(List.of("outer w", "inner hook", "inner final", "outer x", "outer final"), events);

        Tensor expected = x.detach().mul(2.0).tanh();
        Tensor dx = ones(3).sub(expected.mul(expected)).mul(2.0).mul(w.detach());
        assertTrue(x.grad().allclose(dx, 1e-5, 1e-6));
        assertTrue(w.grad().allclose(expected, 1e-5, 1e-6));
    }

    @Test
    void autogradGradThroughACheckpointKeepsTheEnclosingCapturesAndTouchesNoGrad() {
        List<String> events = new ArrayList<>();
        Tensor x = randn(4).requiresGrad_(), w = randn(4).requiresGrad_();
        Tensor loss = Checkpoint.checkpoint(in -> segment(in, events), x.mul(3.0)).mul(w).sum();
        Tensor[] g = Autograd.grad(new Tensor[]{loss}, new Tensor[]{x, w}, null, false, false, false);
        Tensor t = x.detach().mul(6.0).tanh();
        assertTrue(g[0].allclose(ones(4).sub(t.mul(t)).mul(6.0).mul(w.detach()), 1e-5, 1e-6));
        assertTrue(g[1].allclose(t, 1e-5, 1e-6));
        assertNull(x.grad());
        assertNull(w.grad());
        assertEquals(List.of("inner hook", "inner final"), events);
    }
}
