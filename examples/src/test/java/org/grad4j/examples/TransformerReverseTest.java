package org.grad4j.examples;

import org.junit.jupiter.api.Test;

import static org.grad4j.Grad4j.manualSeed;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerReverseTest {
    @Test
    void untrainedModelGuesses() {
        manualSeed(0);
        var r = new TransformerReverse().evaluate(500);
        assertTrue(r.tokenAccuracy() < 0.3, "chance is 10%, got " + r.tokenAccuracy());
    }

    @Test
    void learnsToReverseDigitSequences() {
        TransformerReverse.Result r = TransformerReverse.run(120, 0, false);
        assertTrue(r.tokenAccuracy() > 0.95, "token accuracy " + r.tokenAccuracy());
    }
}
