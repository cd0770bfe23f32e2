package org.grad4j.autograd;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueCallbackTest {

    @Test
    void aQueuedCallbackRunsAfterTheWholeGraphBeforeBackwardReturns() {
        Tensor w1 = Grad4j.ones(2).requiresGrad_(true), w2 = Grad4j.ones(2).requiresGrad_(true);
        List<String> events = new ArrayList<>();
        w2.registerPostAccumulateGradHook(p -> {
            events.add("w2");
            Autograd.queueCallback(() -> {
                events.add("callback");
                Autograd.queueCallback(() -> events.add("queued by the callback"));
            });
        });
        w1.registerPostAccumulateGradHook(p -> events.add("w1"));
        w1.mul(2).mul(w2).sum().backward();
        assertEquals(List.of("w2", "w1", "callback", "queued by the callback"), events);
    }

    @Test
    void queueingOutsideBackwardFailsWithPyTorchsMessage() {
        var e = assertThrows(IllegalStateException.class, () -> Autograd.queueCallback(() -> {}));
        assertTrue(e.getMessage().startsWith("Final callbacks can only be installed during backward pass."), e.getMessage());
    }
}
