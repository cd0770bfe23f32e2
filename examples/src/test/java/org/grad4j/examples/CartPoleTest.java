package org.grad4j.examples;

import org.grad4j.examples.rl.CartPole;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CartPoleTest {
    static int episode(CartPole env, java.util.function.ToIntFunction<double[]> policy) {
        double[] s = env.reset();
        int n = 0;
        while (true) {
            CartPole.Step st = env.step(policy.applyAsInt(s));
            n++;
            if (st.done()) return n;
            s = st.state();
        }
    }

    @Test
    void physicsMatchesTheClassicEquations() {
        CartPole env = new CartPole(0);
        env.reset();
        double[] s0 = env.state();
        double[] s1 = env.step(1).state();
        // x and theta move with their previous velocities (explicit Euler)
        assertEquals(s0[0] + 0.02 * s0[1], s1[0], 1e-12);
        assertEquals(s0[2] + 0.02 * s0[3], s1[2], 1e-12);
        assertTrue(s1[1] > s0[1], "pushing right accelerates the cart to the right");
        assertTrue(s1[3] < s0[3], "and tips the pole to the left");
    }

    @Test
    void aConstantPushFallsQuicklyAndABalancingControllerLastsTheFullEpisode() {
        CartPole env = new CartPole(1);
        int constant = episode(env, s -> 1);
        assertTrue(constant < 60, "always pushing right ends fast: " + constant);
        assertTrue(env.fell());
        // a hand-written PD controller on the pole angle balances for 500 steps
        int balanced = episode(env, s -> s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1] > 0 ? 1 : 0);
        assertEquals(CartPole.MAX_STEPS, balanced);
        assertFalse(env.fell());
        assertThrows(IllegalStateException.class, () -> env.step(0));
    }
}
