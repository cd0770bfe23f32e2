package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.Warnings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The NaN/Inf check mode and the leak guard. */
class DebugAidsTest {

    @AfterEach
    void off() {
        NonFiniteCheck.setEnabled(false);
        LeakGuard.disable();
        LeakGuard.reset();
        Warnings.reset();
    }

    @Test
    void forwardCheckNamesTheOpAndTheCallSite() {
        Tensor x = Grad4j.tensor(new double[]{1, 0, 2}).requiresGrad_();
        try (var c = Autograd.detectNonFinite()) {
            Tensor y = x.mul(2);                       // fine
            var e = assertThrows(NonFiniteCheck.NonFiniteException.class, () -> y.log());
            assertTrue(e.getMessage().contains("op log (LogBackward0) produced -inf at flat index 1"), e.getMessage());
            assertTrue(e.getMessage().contains("DebugAidsTest"), "names the caller's frame: " + e.getMessage());
        }
        assertDoesNotThrow(() -> x.log());            // off again after the scope
    }

    @Test
    void backwardCheckNamesTheBackwardNode() {
        Tensor x = Grad4j.tensor(new double[]{0, 4}).requiresGrad_();
        try (var c = Autograd.detectNonFinite()) {
            Tensor y = x.sqrt().sum();                 // forward finite; d sqrt(x)/dx = inf at 0
            var e = assertThrows(NonFiniteException(), y::backward);
            assertTrue(e.getMessage().contains("backward node SqrtBackward0 returned inf"), e.getMessage());
        }
    }

    private static Class<NonFiniteCheck.NonFiniteException> NonFiniteException() { return NonFiniteCheck.NonFiniteException.class; }

    @Test
    void checkIgnoresIntegerAndFiniteResults() {
        try (var c = Autograd.detectNonFinite()) {
            Tensor x = Grad4j.tensor(new double[]{1, 2}, DType.FLOAT64).requiresGrad_();
            x.exp().mul(x).sum().backward();
            assertNotNull(x.grad());
        }
    }

    @Test
    void leakGuardWarnsWhenALossIsAccumulatedAsATensor() {
        LeakGuard.enable();
        Tensor w = Grad4j.tensor(new double[]{0.5, -0.5}).requiresGrad_();
        Tensor x = Grad4j.tensor(new double[]{1, 2});
        Tensor total = Grad4j.tensor(0.0);
        for (int step = 0; step < 10; step++) {
            Tensor loss = x.mul(w).sum().pow(2);
            loss.backward();
            total = total.add(loss);                   // the mistake: keeps every step's graph alive
            LeakGuard.step();
        }
        String warning = LeakGuard.lastWarning();
        assertNotNull(warning, "the guard warns about the growing graph");
        assertTrue(warning.contains("AddBackward0"), warning);
        assertTrue(warning.contains("loss.item()"), warning);
        assertTrue(warning.contains("DebugAidsTest"), "names the call site that extends the graph: " + warning);
        assertTrue(LeakGuard.liveNodes() > 0);
    }

    @Test
    void leakGuardStaysQuietForANormalTrainingLoop() {
        LeakGuard.enable();
        Tensor w = Grad4j.tensor(new double[]{0.5, -0.5}).requiresGrad_();
        Tensor x = Grad4j.tensor(new double[]{1, 2});
        double total = 0;
        for (int step = 0; step < 20; step++) {
            Tensor loss = x.mul(w).sum().pow(2);
            loss.backward();
            total += loss.item();
            LeakGuard.step();
        }
        assertNull(LeakGuard.lastWarning());
        assertTrue(total > 0);
    }
}
