package org.grad4j.examples.rl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class DqnTest {
    @Test
    void averageReturnRisesPast150() {
        // stops as soon as the last 20 episodes average 150; a random policy averages about 22
        Dqn.Result r = Dqn.run(300, 150, 0, false);
        double first = new Dqn.Result(java.util.Arrays.copyOf(r.returns(), 20)).lastMean(20);
        assertTrue(first < 50, "the first 20 episodes (mostly random) average " + first);
        assertTrue(r.lastMean(20) >= 150, "after " + r.returns().length + " episodes the last 20 average " + r.lastMean(20));
    }
}
