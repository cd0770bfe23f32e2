package org.grad4j.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearRegressionTest {
    @Test
    void seedGradientAndTrainingLearnsTheSlope() {
        LinearRegression.Result r = LinearRegression.run(50, 0.05, false);
        assertEquals("tensor([-28.])", r.firstGradient().toString());
        assertEquals(2.0, r.weight(), 1e-3);
        assertTrue(r.loss() < 1e-6, "loss " + r.loss());
    }
}
