package org.grad4j.examples.rl;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.nn.Linear;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.Adam;

import java.util.Random;

import static org.grad4j.Grad4j.fromArray;
import static org.grad4j.Grad4j.manualSeed;

/**
 * Deep Q-learning (Mnih et al. 2015) on {@link CartPole}: a Q-network 4-128-128-2, an
 * epsilon-greedy policy whose epsilon decays linearly, a replay buffer of past transitions, a
 * target network that follows the online one slowly (soft update, tau 0.005), the Huber (smooth L1) loss
 * on the temporal-difference error and Adam. The return of an episode is the number of steps the
 * pole stays up (at most 500); a random policy averages about 22.
 *
 * <pre>
 * q = q_net(s).gather(1, a).squeeze(1)
 * with torch.no_grad(): y = r + gamma * (1 - done) * target_net(s2).max(1).values
 * loss = F.smooth_l1_loss(q, y); opt.zero_grad(); loss.backward(); opt.step()
 * for t, o in zip(target_net.parameters(), q_net.parameters()): t.data.mul_(1 - tau).add_(tau * o.data)
 * </pre>
 *
 * Run: {@code ./grad4j example rl.Dqn [episodes [target [seed]]]}: at most 500 episodes, stopping once the
 * last 20 average a return of at least 195 (CartPole's classic "solved" mark).
 */
public final class Dqn {
    static final int BUFFER = 20_000, BATCH = 64, WARMUP = 500, EPS_STEPS = 5_000;
    static final double GAMMA = 0.99, EPS_END = 0.05, LR = 1e-3, TAU = 0.005;

    private final Sequential online = qNetwork(), target = qNetwork();
    private final Adam opt = new Adam(online.parameters(), LR);
    private final Random random;
    // the replay buffer, a ring of BUFFER transitions (s, a, r, s', done)
    private final float[] states = new float[BUFFER * 4], nextStates = new float[BUFFER * 4], rewards = new float[BUFFER],
            dones = new float[BUFFER];
    private final long[] actions = new long[BUFFER];
    private int size, next;
    private long steps;

    Dqn(long seed) {
        random = new Random(seed);
        target.loadStateDict(online.stateDict());
    }

    static Sequential qNetwork() {
        return new Sequential(new Linear(CartPole.STATE_SIZE, 128), new ReLU(), new Linear(128, 128), new ReLU(),
                new Linear(128, CartPole.ACTIONS));
    }

    double epsilon() { return Math.max(EPS_END, 1.0 - (1.0 - EPS_END) * steps / EPS_STEPS); }

    int act(double[] s, double eps) {
        if (random.nextDouble() < eps) return random.nextInt(CartPole.ACTIONS);
        try (var ng = Autograd.noGrad()) {
            return (int) online.call(fromArray(toFloats(s), 1, 4)).argmax().itemLong();
        }
    }

    void remember(double[] s, int a, double r, double[] s2, boolean done) {
        for (int j = 0; j < 4; j++) {
            states[next * 4 + j] = (float) s[j];
            nextStates[next * 4 + j] = (float) s2[j];
        }
        actions[next] = a;
        rewards[next] = (float) r;
        dones[next] = done ? 1 : 0;
        next = (next + 1) % BUFFER;
        size = Math.min(size + 1, BUFFER);
    }

    /** target = tau * online + (1 - tau) * target, after every step (a slowly moving copy). */
    void softUpdate() {
        try (var ng = Autograd.noGrad()) {
            var targetParams = target.parameters();
            var onlineParams = online.parameters();
            for (int i = 0; i < targetParams.size(); i++) {
                targetParams.get(i).mul_(1 - TAU).add_(onlineParams.get(i).mul(TAU));
            }
        }
    }

    /** One gradient step on a random minibatch of stored transitions. */
    void learn() {
        float[] s = new float[BATCH * 4], s2 = new float[BATCH * 4], r = new float[BATCH], d = new float[BATCH];
        long[] a = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            int k = random.nextInt(size);
            System.arraycopy(states, k * 4, s, i * 4, 4);
            System.arraycopy(nextStates, k * 4, s2, i * 4, 4);
            a[i] = actions[k];
            r[i] = rewards[k];
            d[i] = dones[k];
        }
        Tensor y;
        try (var ng = Autograd.noGrad()) {
            Tensor maxNext = target.call(fromArray(s2, BATCH, 4)).max(1).values();
            Tensor notDone = fromArray(d, BATCH).rsub(1.0);
            y = fromArray(r, BATCH).add(maxNext.mul(notDone).mul(GAMMA));
        }
        Tensor q = online.call(fromArray(s, BATCH, 4)).gather(1, fromArray(a, BATCH, 1)).squeeze(1);
        Tensor loss = F.smoothL1Loss(q, y);
        opt.zeroGrad();
        loss.backward();
        opt.step();
    }

    /** Plays one episode, learning after every step; returns its return. */
    int episode(CartPole env) {
        double[] s = env.reset();
        int ret = 0;
        while (true) {
            int a = act(s, epsilon());
            CartPole.Step st = env.step(a);
            ret += (int) st.reward();
            // only a fall is terminal: at the 500-step time limit the pole is still up, so bootstrap
            remember(s, a, st.reward(), st.state(), st.done() && env.fell());
            steps++;
            if (size >= WARMUP) learn();
            softUpdate();
            if (st.done()) return ret;
            s = st.state();
        }
    }

    /** The return of every training episode. */
    public record Result(int[] returns) {
        /** Mean return of the last n episodes. */
        public double lastMean(int n) {
            double sum = 0;
            for (int i = returns.length - n; i < returns.length; i++) sum += returns[i];
            return sum / n;
        }

        /** The best mean return over any n consecutive episodes. */
        public double bestMean(int n) {
            double best = 0;
            for (int i = n; i <= returns.length; i++) {
                double sum = 0;
                for (int j = i - n; j < i; j++) sum += returns[j];
                best = Math.max(best, sum / n);
            }
            return best;
        }
    }

    /** Trains for {@code episodes} episodes; stops early once the last 20 average at least {@code stopAt}. */
    public static Result run(int episodes, double stopAt, long seed, boolean print) {
        manualSeed(seed);
        Dqn agent = new Dqn(seed);
        CartPole env = new CartPole(seed);
        int[] returns = new int[episodes];
        long t0 = System.nanoTime();
        for (int e = 0; e < episodes; e++) {
            returns[e] = agent.episode(env);
            Result r = new Result(java.util.Arrays.copyOf(returns, e + 1));
            double mean = r.lastMean(Math.min(20, e + 1));
            if (print && (e + 1) % 10 == 0) {
                System.out.printf("episode %4d  return %3d  mean of last 20 %6.1f  epsilon %.2f  steps %6d  (%.1f s)%n",
                        e + 1, returns[e], mean, agent.epsilon(), agent.steps, (System.nanoTime() - t0) / 1e9);
            }
            if (e + 1 >= 20 && mean >= stopAt) return r;
        }
        return new Result(returns);
    }

    private static float[] toFloats(double[] s) {
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) f[i] = (float) s[i];
        return f;
    }

    public static void main(String[] args) {
        int episodes = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        double stopAt = args.length > 1 ? Double.parseDouble(args[1]) : 195;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        long t0 = System.nanoTime();
        Result r = run(episodes, stopAt, seed, true);
        System.out.printf("%d episodes; mean return of the last 20: %.1f, best 20-episode mean %.1f (random policy: ~22); %.1f s%n",
                r.returns().length, r.lastMean(20), r.bestMean(20), (System.nanoTime() - t0) / 1e9);
    }
}
