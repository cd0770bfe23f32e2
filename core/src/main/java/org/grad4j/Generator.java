package org.grad4j;

/**
 * A seedable source of random numbers, like {@code torch.Generator}. The global default
 * generator is used by {@link Grad4j#rand}, {@link Grad4j#randn} and friends and reseeded by
 * {@link Grad4j#manualSeed(long)}. A generator is not thread-safe: methods are synchronized so
 * sharing one is safe, and threads that need independent streams create their own.
 *
 * <pre>{@code
 * Generator g = new Generator().manualSeed(42);
 * Tensor a = Grad4j.rand(new int[]{3}, g);
 * }</pre>
 */
public final class Generator {
    private static final long DEFAULT_SEED = 67280421310721L;
    private long initialSeed;
    private final Mt19937 mt = new Mt19937();
    private double nextNormal;
    private boolean hasNextNormal;

    public Generator() { manualSeed(DEFAULT_SEED); }

    /** Reseeds; returns this. */
    public synchronized Generator manualSeed(long seed) {
        initialSeed = seed;
        mt.seed(seed);
        hasNextNormal = false;
        return this;
    }

    /** The seed last set, like {@code initial_seed()}. */
    public synchronized long initialSeed() { return initialSeed; }

    /** A 32-bit random value. */
    public synchronized int nextInt32() { return mt.next(); }

    /** A 64-bit random value (two 32-bit draws). */
    public synchronized long nextLong64() {
        long hi = mt.next() & 0xFFFFFFFFL;
        long lo = mt.next() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    /** Uniform float in [0, 1) with 24 random bits (PyTorch's float path). */
    public synchronized float nextFloat() {
        return (mt.next() & ((1 << 24) - 1)) * (1.0f / (1 << 24));
    }

    /** Uniform double in [0, 1) with 53 random bits. */
    public synchronized double nextDouble() {
        long v = nextLong64() & ((1L << 53) - 1);
        return v * (1.0 / (1L << 53));
    }

    /** Standard normal draw (Box-Muller, second value cached). */
    public synchronized double nextGaussian() {
        if (hasNextNormal) {
            hasNextNormal = false;
            return nextNormal;
        }
        double u1 = nextDouble();
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        nextNormal = r * Math.sin(theta);
        hasNextNormal = true;
        return r * Math.cos(theta);
    }

    /** Uniform long in [0, range) for range > 0. */
    public synchronized long nextBounded(long range) {
        if (range <= 0) throw new IllegalArgumentException("random range must be positive, got " + range);
        if (range <= 0xFFFFFFFFL) return (mt.next() & 0xFFFFFFFFL) % range;
        return Long.remainderUnsigned(nextLong64(), range);
    }

    /** The 32-bit Mersenne Twister, as PyTorch's CPU generator uses. */
    static final class Mt19937 {
        private final int[] state = new int[624];
        private int index = 624;

        void seed(long seed) {
            state[0] = (int) (seed & 0xFFFFFFFFL);
            for (int i = 1; i < 624; i++) {
                state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
            }
            index = 624;
        }

        int next() {
            if (index >= 624) twist();
            int y = state[index++];
            y ^= y >>> 11;
            y ^= (y << 7) & 0x9d2c5680;
            y ^= (y << 15) & 0xefc60000;
            y ^= y >>> 18;
            return y;
        }

        private void twist() {
            for (int i = 0; i < 624; i++) {
                int y = (state[i] & 0x80000000) | (state[(i + 1) % 624] & 0x7fffffff);
                int v = state[(i + 397) % 624] ^ (y >>> 1);
                if ((y & 1) != 0) v ^= 0x9908b0df;
                state[i] = v;
            }
            index = 0;
        }
    }
}
