package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A null value in a state dict is a broken checkpoint: PyTorch raises, it must not be skipped. */
class LoadStateDictNullTest {
    @Test
    void aNullValueIsAnErrorNamingTheKeyNotASilentSkip() {
        Linear lin = new Linear(2, 3);
        Map<String, Tensor> sd = new HashMap<>(lin.stateDict());
        sd.put("weight", null);
        double before = lin.weight().sum().item();
        for (boolean strict : new boolean[]{true, false}) {
            var e = assertThrows(IllegalArgumentException.class, () -> lin.loadStateDict(sd, strict));
            assertTrue(e.getMessage().contains("While copying the parameter named \"weight\"")
                    && e.getMessage().contains("received null") && e.getMessage().contains("Fix:"), e.getMessage());
        }
        assertEquals(before, lin.weight().sum().item(), "nothing is loaded when an entry is broken");
    }

    @Test
    void aNullBufferInANestedModuleIsNamedWithItsPath() {
        var m = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
        Map<String, Tensor> sd = new HashMap<>(m.stateDict());
        sd.put("1.running_mean", null);
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd));
        assertTrue(e.getMessage().contains("\"1.running_mean\""), e.getMessage());
        sd.put("1.running_mean", Grad4j.zeros(2));
        m.loadStateDict(sd);
    }
}
