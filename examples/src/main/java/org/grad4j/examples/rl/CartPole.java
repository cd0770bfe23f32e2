package org.grad4j.examples.rl;

import java.util.Random;

/**
 * The classic cart-pole balancing task (Barto, Sutton and Anderson 1983) with the physics and
 * limits of Gym's CartPole-v1: a pole hinged on a cart; push the cart left or right to keep the
 * pole upright. Reward 1 per step; an episode ends when the pole tilts past 12 degrees, the cart
 * leaves [-2.4, 2.4], or after 500 steps.
 *
 * <pre>{@code
 * CartPole env = new CartPole(42);
 * double[] s = env.reset();
 * CartPole.Step st = env.step(1);   // push right
 * }</pre>
 */
public final class CartPole {
    static final double GRAVITY = 9.8, CART_MASS = 1.0, POLE_MASS = 0.1, TOTAL_MASS = CART_MASS + POLE_MASS;
    static final double HALF_LENGTH = 0.5, POLE_MASS_LENGTH = POLE_MASS * HALF_LENGTH, FORCE = 10.0, TAU = 0.02;
    static final double THETA_LIMIT = 12 * 2 * Math.PI / 360, X_LIMIT = 2.4;
    public static final int MAX_STEPS = 500, STATE_SIZE = 4, ACTIONS = 2;

    /** The result of one step. */
    public record Step(double[] state, double reward, boolean done) {}

    private final Random random;
    private double x, xDot, theta, thetaDot;
    private int steps;
    private boolean done = true;

    public CartPole(long seed) { random = new Random(seed); }

    /** Starts an episode with each state variable uniform in [-0.05, 0.05]. */
    public double[] reset() {
        x = uniform();
        xDot = uniform();
        theta = uniform();
        thetaDot = uniform();
        steps = 0;
        done = false;
        return state();
    }

    private double uniform() { return random.nextDouble() * 0.1 - 0.05; }

    public double[] state() { return new double[]{x, xDot, theta, thetaDot}; }

    /** Applies action 0 (push left) or 1 (push right) for one 20 ms Euler step. */
    public Step step(int action) {
        if (done) throw new IllegalStateException("the episode is over; call reset() first");
        if (action != 0 && action != 1) throw new IllegalArgumentException("action must be 0 or 1, got " + action);
        double force = action == 1 ? FORCE : -FORCE;
        double cos = Math.cos(theta), sin = Math.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp)
                / (HALF_LENGTH * (4.0 / 3.0 - POLE_MASS * cos * cos / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        x += TAU * xDot;
        xDot += TAU * xAcc;
        theta += TAU * thetaDot;
        thetaDot += TAU * thetaAcc;
        steps++;
        boolean fell = x < -X_LIMIT || x > X_LIMIT || theta < -THETA_LIMIT || theta > THETA_LIMIT;
        done = fell || steps >= MAX_STEPS;
        return new Step(state(), 1.0, done);
    }

    /** Whether the last episode ended because the pole fell (not because time ran out). */
    public boolean fell() { return done && steps < MAX_STEPS; }
}
