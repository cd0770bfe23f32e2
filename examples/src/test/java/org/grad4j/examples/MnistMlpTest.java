package org.grad4j.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistMlpTest {
    @Test
    void oneEpochOnTheShippedDigitsReachesNinetyPercent() throws Exception {
        MnistMlp.Result r = MnistMlp.run(1, 0, false);
        assertTrue(r.finalAccuracy() > 0.90, "test accuracy " + r.finalAccuracy());
        assertTrue(r.lastTrainLoss() < 1.0, "mean training loss " + r.lastTrainLoss());   // ln 10 = 2.30 at chance
    }
}
