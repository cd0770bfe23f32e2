package org.grad4j;

import org.grad4j.storage.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * A seedable source of random numbers, like {@code torch.Generator}. The global default
 * generator is used by {@link Grad4j#rand}, {@link Grad4j#randn} and friends and reseeded by
 * {@link Grad4j#manualSeed(long)}. A generator is not thread-safe: methods are synchronized so
 * sharing one is safe, and threads that need independent streams create their own.
 *
 * <p>{@link #getState()} / {@link #setState(Tensor)} save and restore everything the next draws
 * depend on (the Mersenne Twister state and the cached second Box-Muller normal), as a uint8
 * tensor in the byte layout of PyTorch's CPU generator (5056 bytes), so restoring a state replays
 * exactly the same numbers for every random op.
 *
 * <pre>{@code
 * Generator g = new Generator().manualSeed(42);
 * Tensor a = Grad4j.rand(new int[]{3}, g);
 * Tensor s = g.getState();
 * Tensor b = Grad4j.rand(new int[]{3}, g);
 * g.setState(s);
 * Grad4j.rand(new int[]{3}, g);   // equals b
 * }</pre>
 */
public final class Generator {
    private static final long DEFAULT_SEED = 67280421310721L;
    private long initialSeed;
    private final Mt19937 mt = new Mt19937();
    private double nextNormal;
    private boolean hasNextNormal;
    // PyTorch keeps a separate cached float normal; grad4j never draws it, but a state read from
    // PyTorch is written back unchanged
    private float nextFloatNormal;
    private boolean hasNextFloatNormal;

    /** Bytes in a state tensor: sizeof(CPUGeneratorImplState) in PyTorch on 64-bit platforms. */
    public static final int STATE_SIZE = 5056;

    public Generator() { manualSeed(DEFAULT_SEED); }

    /** Reseeds; returns this. */
    public synchronized Generator manualSeed(long seed) {
        initialSeed = seed;
        mt.seed(seed);
        hasNextNormal = false;
        hasNextFloatNormal = false;
        return this;
    }

    /**
     * Reseeds from a nondeterministic source and returns the seed, like {@code Generator.seed()}.
     *
     * <pre>{@code long s = g.seed();   // later: g.manualSeed(s) replays the same stream}</pre>
     */
    public long seed() {
        long s = new SecureRandom().nextLong();
        manualSeed(s);
        return s;
    }

    /**
     * The generator's state as a uint8 tensor of {@link #STATE_SIZE} bytes, like
     * {@code get_state()}: PyTorch's layout (initial seed, MT19937 position and state, cached
     * normals), little-endian. The tensor is a copy: drawing more numbers does not change it.
     */
    public synchronized Tensor getState() {
        byte[] bytes = new byte[STATE_SIZE];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, initialSeed);
        b.putInt(8, mt.left);
        b.putInt(12, 1);                       // seeded
        b.putLong(16, mt.next);
        for (int i = 0; i < 624; i++) b.putLong(24 + 8 * i, mt.state[i] & 0xFFFFFFFFL);
        // 5016: normal_x and 5032: normal_rho are unused dummies (0), as in PyTorch
        b.putDouble(5024, hasNextNormal ? nextNormal : 0.0);
        b.putInt(5040, hasNextNormal ? 1 : 0);
        b.putFloat(5048, hasNextFloatNormal ? nextFloatNormal : 0f);
        b.put(5052, (byte) (hasNextFloatNormal ? 1 : 0));
        return new Tensor(org.grad4j.storage.Storage.ofArray(DType.UINT8, bytes), new int[]{STATE_SIZE}, new int[]{1}, 0);
    }

    /**
     * Restores a state from {@link #getState()} (or PyTorch's {@code get_state()}), like
     * {@code set_state(new_state)}: the following draws repeat those that followed the capture.
     *
     * @throws IllegalArgumentException if {@code state} is not a contiguous uint8 tensor of
     *         {@link #STATE_SIZE} elements or does not hold a valid MT19937 state
     */
    public Generator setState(Tensor state) {
        if (state == null) throw new NullPointerException("Generator.setState: state is null. Fix: pass a tensor from getState()");
        if (state.dtype() != DType.UINT8) {
            throw new IllegalArgumentException("RNG state must be a torch.ByteTensor (Generator.setState got a " + state.dtype()
                    + " tensor of shape " + java.util.Arrays.toString(state.shape()) + "). Fix: pass the uint8 tensor that "
                    + "getState() / Grad4j.getRngState() returned, unconverted");
        }
        if (!state.isContiguous()) {
            throw new IllegalArgumentException("RNG state must be contiguous (Generator.setState). Fix: pass state.contiguous()");
        }
        if (state.numel() != STATE_SIZE) {
            throw new IllegalArgumentException("Expected a CPUGeneratorImplState of size " + STATE_SIZE + " but found the input "
                    + "RNG state size to be " + state.numel() + " (Generator.setState, shape " + java.util.Arrays.toString(state.shape())
                    + "). Fix: pass the whole tensor that getState() / Grad4j.getRngState() returned");
        }
        ByteBuffer b = ByteBuffer.wrap((byte[]) state.backend().factory().copyToJava(state.storage(), state.storageOffset(), STATE_SIZE))
                .order(ByteOrder.LITTLE_ENDIAN);
        int left = b.getInt(8), seeded = b.getInt(12);
        long next = b.getLong(16) & 0xFFFFFFFFL;   // PyTorch keeps the low 32 bits
        if (seeded == 0 || left < 1 || left > 624 || next > 624) {
            throw new IllegalArgumentException("Invalid mt19937 state (Generator.setState: seeded=" + seeded + ", left=" + left
                    + ", next=" + next + "; expected seeded != 0, 1 <= left <= 624, next <= 624). Fix: pass a tensor from getState()");
        }
        synchronized (this) {
            initialSeed = b.getLong(0);
            mt.left = left;
            mt.next = (int) next;
            for (int i = 0; i < 624; i++) mt.state[i] = (int) b.getLong(24 + 8 * i);
            hasNextNormal = b.getInt(5040) != 0;
            nextNormal = hasNextNormal ? b.getDouble(5024) : 0.0;
            hasNextFloatNormal = b.get(5052) != 0;
            nextFloatNormal = hasNextFloatNormal ? b.getFloat(5048) : 0f;
        }
        return this;
    }

    /** A new generator in this one's exact state ({@code clone_state}): both draw the same numbers from here on. */
    public Generator copy() {
        return new Generator().setState(getState());
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

    /**
     * The 32-bit Mersenne Twister, as PyTorch's CPU generator uses; position kept as PyTorch's
     * {@code left_}/{@code next_} so a state converts to and from its bytes one to one.
     */
    static final class Mt19937 {
        final int[] state = new int[624];
        int left = 1, next;

        void seed(long seed) {
            state[0] = (int) (seed & 0xFFFFFFFFL);
            for (int i = 1; i < 624; i++) {
                state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
            }
            left = 1;
            next = 0;
        }

        int next() {
            if (--left == 0) twist();
            int y = state[next++];
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
            left = 624;
            next = 0;
        }
    }
}
