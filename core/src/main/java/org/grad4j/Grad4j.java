package org.grad4j;

import org.grad4j.kernels.FactoryKernels;
import org.grad4j.kernels.RandomSource;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;
import org.grad4j.storage.Strided;
import org.grad4j.storage.Storage;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensor creation and global settings: the {@code torch.*} namespace. Import it statically so a
 * PyTorch line translates one to one:
 *
 * <pre>{@code
 * import static org.grad4j.Grad4j.*;
 *
 * manualSeed(0);
 * Tensor x = ones(2, 2).requiresGrad_();      // torch.ones(2, 2, requires_grad=True)
 * Tensor t = tensor(new long[]{1, 2, 3});    // torch.tensor([1, 2, 3]) -> int64
 * Tensor w = tensor(new double[][]{{3, 1}});  // torch.tensor([[3., 1.]]) -> float32
 * }</pre>
 */
public final class Grad4j {
    private Grad4j() {}

    private static final Generator DEFAULT_GENERATOR = new Generator();
    /** A thread's own default generator (a DataLoader worker's), overriding the global one. */
    private static final ThreadLocal<Generator> THREAD_GENERATOR = new ThreadLocal<>();

    /**
     * The generator used when none is passed ({@code torch.default_generator}): the global one,
     * or in a thread that set its own with {@link #useThreadGenerator} (every DataLoader worker
     * does, seeded with {@code baseSeed + workerId}) that thread's.
     */
    public static Generator defaultGenerator() {
        Generator g = THREAD_GENERATOR.get();
        return g != null ? g : DEFAULT_GENERATOR;
    }

    /** Seeds the default generator ({@code torch.manual_seed}). */
    public static Generator manualSeed(long seed) { return defaultGenerator().manualSeed(seed); }

    /** Seeds the default generator from a nondeterministic source and returns the seed ({@code torch.seed()}). */
    public static long seed() { return defaultGenerator().seed(); }

    /** The default generator's seed ({@code torch.initial_seed()}). */
    public static long initialSeed() { return defaultGenerator().initialSeed(); }

    /**
     * The default generator's state as a uint8 tensor ({@code torch.get_rng_state()}); pass it to
     * {@link #setRngState} to replay the same random numbers, e.g. after resuming from a checkpoint.
     *
     * <pre>{@code
     * Tensor s = Grad4j.getRngState();
     * Tensor a = Grad4j.randn(3);
     * Grad4j.setRngState(s);
     * Grad4j.randn(3);   // equals a
     * }</pre>
     */
    public static Tensor getRngState() { return defaultGenerator().getState(); }

    /** Restores the default generator's state ({@code torch.set_rng_state(state)}); see {@link Generator#setState}. */
    public static void setRngState(Tensor state) { defaultGenerator().setState(state); }

    /** A scope that restores a generator's state or a thread's default generator when closed. */
    public interface RngScope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Forks the default generator's stream, like {@code torch.random.fork_rng()}: random ops inside
     * the block draw as usual, and closing the scope restores the state from before it, so code
     * after the block draws as if the block had not run.
     *
     * <pre>{@code
     * try (var fork = Grad4j.forkRng()) {
     *     Grad4j.manualSeed(0);
     *     Tensor noise = Grad4j.randn(4);   // does not disturb the caller's stream
     * }
     * }</pre>
     */
    public static RngScope forkRng() {
        Generator g = defaultGenerator();
        Tensor saved = g.getState();
        return () -> g.setState(saved);
    }

    /**
     * Makes {@code g} the current thread's default generator until the scope is closed (then the
     * previous one is back): {@code rand}, {@code randn}, dropout, init functions and
     * {@link #manualSeed} on this thread use {@code g}. DataLoader workers run this way; use it for
     * your own worker threads so their random streams do not depend on thread scheduling.
     *
     * <pre>{@code
     * try (var s = Grad4j.useThreadGenerator(new Generator().manualSeed(seed + workerId))) {
     *     Tensor noise = Grad4j.randn(3);   // from this thread's generator
     * }
     * }</pre>
     */
    public static RngScope useThreadGenerator(Generator g) {
        java.util.Objects.requireNonNull(g, "useThreadGenerator: generator is null");
        Generator previous = THREAD_GENERATOR.get();
        Thread owner = Thread.currentThread();
        THREAD_GENERATOR.set(g);
        return () -> {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("useThreadGenerator: the scope must be closed by the thread that opened it ("
                        + owner.getName() + "), not " + Thread.currentThread().getName());
            }
            if (previous == null) THREAD_GENERATOR.remove();
            else THREAD_GENERATOR.set(previous);
        };
    }

    /**
     * Sets the number of threads used inside one op (elementwise, reductions, matmul), like
     * {@code torch.set_num_threads(n)}. Defaults to the number of available processors; small
     * tensors always run on the calling thread.
     *
     * <pre>{@code
     * Grad4j.setNumThreads(1);   // single-threaded kernels
     * }</pre>
     */
    public static void setNumThreads(int n) { org.grad4j.kernels.Parallel.setNumThreads(n); }

    /** The number of intra-op threads, like {@code torch.get_num_threads()}. */
    public static int getNumThreads() { return org.grad4j.kernels.Parallel.numThreads(); }

    /** The default floating dtype (float32), used for Java doubles as PyTorch uses it for Python floats. */
    public static DType getDefaultDtype() { return DType.FLOAT32; }

    // ------------------------------------------------------------------ from Java data

    /** A 0-d float32 tensor, like {@code torch.tensor(2.0)}. */
    public static Tensor tensor(double value) { return scalarTensor(value, DType.FLOAT32); }

    /** A 0-d int64 tensor, like {@code torch.tensor(3)}. */
    public static Tensor tensor(long value) { return scalarTensor(value, DType.INT64); }

    public static Tensor tensor(boolean value) { return scalarTensor(value ? 1 : 0, DType.BOOL); }

    /** A 0-d tensor of the given dtype. */
    public static Tensor scalarTensor(double value, DType dtype) {
        Tensor t = Tensor.empty(Shapes.SCALAR, dtype);
        t.backend().factory().fill(t.strided(), value);
        return t;
    }

    /**
     * A tensor from a Java array or nested arrays (copied), inferring the dtype like
     * {@code torch.tensor}: {@code double[]}/{@code float[]} give float32, {@code long[]}/{@code int[]}
     * give int64, {@code boolean[]} gives bool.
     */
    public static Tensor tensor(Object data) { return tensor(data, null); }

    /** A tensor from Java (nested) arrays with an explicit dtype. */
    public static Tensor tensor(Object data, DType dtype) {
        if (data instanceof Tensor) {
            throw new IllegalArgumentException("tensor(Tensor) copies nothing useful; use t.clone().detach() (as PyTorch advises)");
        }
        if (data instanceof Number n) {
            DType d = dtype != null ? dtype : (n instanceof Double || n instanceof Float) ? DType.FLOAT32 : DType.INT64;
            return scalarTensor(n.doubleValue(), d);
        }
        if (data instanceof Boolean b) return scalarTensor(b ? 1 : 0, dtype != null ? dtype : DType.BOOL);
        if (data == null || !data.getClass().isArray()) {
            throw new IllegalArgumentException("tensor(data): expected a Java array, nested arrays or a number, got "
                    + (data == null ? "null" : data.getClass().getName()));
        }
        List<Integer> dims = new ArrayList<>();
        Object cur = data;
        while (cur.getClass().isArray() && cur.getClass().getComponentType().isArray()) {
            int len = Array.getLength(cur);
            dims.add(len);
            if (len == 0) break;
            cur = Array.get(cur, 0);
        }
        Class<?> leaf = cur.getClass().getComponentType();
        if (cur.getClass().isArray() && !cur.getClass().getComponentType().isArray()) dims.add(Array.getLength(cur));
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        DType inferred;
        if (leaf == double.class || leaf == float.class || leaf == Double.class || leaf == Float.class) inferred = DType.FLOAT32;
        else if (leaf == long.class || leaf == int.class || leaf == short.class || leaf == byte.class
                || leaf == Long.class || leaf == Integer.class) inferred = DType.INT64;
        else if (leaf == boolean.class || leaf == Boolean.class) inferred = DType.BOOL;
        else if (leaf != null && leaf.isArray()) inferred = DType.FLOAT32;   // empty nested array
        else throw new IllegalArgumentException("tensor(data): unsupported element type " + leaf);
        DType dt = dtype != null ? dtype : inferred;
        Tensor t = Tensor.empty(shape, dt);
        int[] pos = {0};
        fill(data, shape, 0, t.backend().factory(), t.storage, pos);
        return t;
    }

    private static void fill(Object arr, int[] shape, int depth, FactoryKernels k, Storage st, int[] pos) {
        int len = Array.getLength(arr);
        if (len != shape[depth]) {
            throw new IllegalArgumentException("tensor(data): ragged nested arrays: expected sequence of length " + shape[depth]
                    + " at dim " + depth + " (got " + len + ")");
        }
        if (depth == shape.length - 1) {
            pos[0] += k.copyFromJava(arr, st, pos[0], "tensor(data)");
            return;
        }
        for (int i = 0; i < len; i++) {
            Object sub = Array.get(arr, i);
            if (sub == null || !sub.getClass().isArray()) {
                throw new IllegalArgumentException("tensor(data): ragged nested arrays at dim " + depth);
            }
            fill(sub, shape, depth + 1, k, st, pos);
        }
    }

    /** Like {@code torch.Tensor(data)} / {@code torch.FloatTensor(data)}: always float32. */
    public static Tensor floatTensor(Object data) { return tensor(data, DType.FLOAT32); }

    /** A 1-d float64 tensor from values. */
    public static Tensor tensorOf64(double... values) { return tensor(values, DType.FLOAT64); }

    /** Wraps a float array without copying (shape must match its length). */
    public static Tensor fromArray(float[] data, int... shape) {
        check(data.length, shape);
        return new Tensor(Storage.wrap(DType.FLOAT32, data), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    public static Tensor fromArray(double[] data, int... shape) {
        check(data.length, shape);
        return new Tensor(Storage.wrap(DType.FLOAT64, data), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    public static Tensor fromArray(long[] data, int... shape) {
        check(data.length, shape);
        return new Tensor(Storage.wrap(DType.INT64, data), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /**
     * A tensor over an existing storage with the given size, strides and storage offset, like
     * {@code torch.empty(0).set_(storage, offset, size, stride)}: no copy, so tensors made from one
     * storage share their elements (as the views {@code torch.load} rebuilds do). Strides must be
     * non-negative and every element the view can reach must lie inside the storage.
     *
     * <pre>{@code
     * Storage s = Storage.wrap(DType.FLOAT32, new float[]{0, 1, 2, 3, 4, 5});
     * Tensor t = fromStorage(s, 0, new int[]{3, 2}, new int[]{1, 3});   // [[0, 3], [1, 4], [2, 5]]
     * }</pre>
     */
    public static Tensor fromStorage(Storage storage, int offset, int[] size, int[] stride) {
        if (size.length != stride.length) {
            throw new IllegalArgumentException("fromStorage: size " + Shapes.str(size) + " and stride " + Shapes.str(stride)
                    + " must have the same length. Fix: give one stride per dimension");
        }
        long last = offset, numel = 1;
        boolean empty = false;
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new IllegalArgumentException("fromStorage: size " + Shapes.str(size) + " and stride " + Shapes.str(stride)
                        + " must be non-negative");
            }
            if (size[d] == 0) empty = true;
            numel *= size[d];
            if (numel > Storage.MAX_ELEMENTS) {
                throw new IllegalArgumentException("fromStorage: size " + Shapes.str(size) + " has more than "
                        + Storage.MAX_ELEMENTS + " elements");
            }
            last += (long) Math.max(size[d] - 1, 0) * stride[d];
        }
        if (offset < 0 || (!empty && last >= storage.size()) || offset > storage.size()) {
            throw new IllegalArgumentException("fromStorage: size " + Shapes.str(size) + ", stride " + Shapes.str(stride)
                    + " and offset " + offset + " reach element " + last + " of a storage of " + storage.size()
                    + " elements. Fix: the view must stay inside the storage");
        }
        return new Tensor(storage, size.clone(), stride.clone(), offset);
    }

    private static void check(int len, int[] shape) {
        if (Shapes.numel(shape) != len) {
            throw new IllegalArgumentException("fromArray: shape " + Shapes.str(shape) + " needs " + Shapes.numel(shape)
                    + " elements but the array has " + len);
        }
    }

    // ------------------------------------------------------------------ filled

    public static Tensor zeros(int... shape) { return zeros(shape, DType.FLOAT32); }

    public static Tensor zeros(int[] shape, DType dtype) {
        Shapes.checkedNumel("zeros", shape);
        return Tensor.empty(shape.clone(), dtype);
    }

    public static Tensor ones(int... shape) { return full(shape, 1.0, DType.FLOAT32); }

    public static Tensor ones(int[] shape, DType dtype) { return full(shape, 1.0, dtype); }

    /** Uninitialised in PyTorch; zero-filled here (the JVM zeroes new arrays anyway). */
    public static Tensor empty(int... shape) { return zeros(shape, DType.FLOAT32); }

    public static Tensor empty(int[] shape, DType dtype) { return zeros(shape, dtype); }

    public static Tensor full(int[] shape, double value) { return full(shape, value, DType.FLOAT32); }

    public static Tensor full(int[] shape, double value, DType dtype) {
        Shapes.checkedNumel(value == 1 ? "ones/full" : "full", shape);
        Tensor t = Tensor.empty(shape.clone(), dtype);
        if (value != 0) t.backend().factory().fill(t.strided(), value);
        return t;
    }

    // ------------------------------------------------------------------ on a device (PyTorch's device=)

    /**
     * Zeros on {@code device}, like {@code torch.zeros(shape, dtype=dtype, device=device)}.
     *
     * <pre>{@code
     * Device device = Device.cudaIsAvailable() ? Device.cuda(0) : Device.CPU;
     * Tensor z = Grad4j.zeros(new int[]{2, 3}, DType.FLOAT32, device);
     * }</pre>
     */
    public static Tensor zeros(int[] shape, DType dtype, Device device) {
        Shapes.checkedNumel("zeros", shape);
        return Tensor.empty(shape.clone(), dtype, device);
    }

    /** Ones on {@code device} ({@code torch.ones(..., device=device)}). */
    public static Tensor ones(int[] shape, DType dtype, Device device) { return full(shape, 1.0, dtype, device); }

    /** {@code torch.empty(..., device=device)}: zero-filled here, as {@link #empty(int[], DType)}. */
    public static Tensor empty(int[] shape, DType dtype, Device device) { return zeros(shape, dtype, device); }

    /**
     * {@code value} everywhere, on {@code device}. On a CUDA device the values are made on the host and
     * copied up (one copy), as every factory here does.
     */
    public static Tensor full(int[] shape, double value, DType dtype, Device device) {
        if (device.isCpu() || value == 0) {
            Shapes.checkedNumel(value == 1 ? "ones/full" : "full", shape);
            if (value == 0) return Tensor.empty(shape.clone(), dtype, device);
        }
        return full(shape, value, dtype).to(device);
    }

    /** {@code torch.tensor(data, dtype=dtype, device=device)}: built on the host, copied to {@code device}. */
    public static Tensor tensor(Object data, DType dtype, Device device) { return tensor(data, dtype).to(device); }

    /** A 0-d tensor of {@code dtype} on {@code device}. */
    public static Tensor scalarTensor(double value, DType dtype, Device device) { return scalarTensor(value, dtype).to(device); }

    /** {@code torch.arange(start, end, step, device=device)} with integer arguments (int64). */
    public static Tensor arange(long start, long end, long step, Device device) { return arange(start, end, step).to(device); }

    /** {@code torch.arange(start, end, step, dtype=dtype, device=device)}. */
    public static Tensor arange(double start, double end, double step, DType dtype, Device device) {
        return arange(start, end, step, dtype).to(device);
    }

    /**
     * Uniform [0, 1) on {@code device} from generator {@code g}. On CUDA the numbers are drawn on the host
     * with the CPU generator and copied up: PyTorch's CUDA generator is a different stream of numbers, but
     * grad4j keeps the CPU's, so that a seeded run gives the same tensors on CPU and CUDA.
     */
    public static Tensor rand(int[] shape, DType dtype, Generator g, Device device) { return rand(shape, dtype, g).to(device); }

    /** {@code torch.rand(shape, dtype=dtype, device=device)} from the default generator (the CPU's numbers, see above). */
    public static Tensor rand(int[] shape, DType dtype, Device device) { return rand(shape, dtype, defaultGenerator(), device); }

    /** Standard normal on {@code device} from {@code g} (drawn on the host: the CPU's numbers, see {@link #rand(int[], DType, Generator, Device)}). */
    public static Tensor randn(int[] shape, DType dtype, Generator g, Device device) { return randn(shape, dtype, g).to(device); }

    /** {@code torch.randn(shape, dtype=dtype, device=device)} from the default generator. */
    public static Tensor randn(int[] shape, DType dtype, Device device) { return randn(shape, dtype, defaultGenerator(), device); }

    /** {@code torch.randint(low, high, shape, device=device)} (int64; drawn on the host). */
    public static Tensor randint(long low, long high, int[] shape, Device device) {
        return randint(low, high, shape, defaultGenerator()).to(device);
    }

    // ------------------------------------------------------------------ *_like: same shape, dtype and device

    public static Tensor zerosLike(Tensor t) { return zeros(t.shape(), t.dtype(), t.device()); }

    public static Tensor onesLike(Tensor t) { return ones(t.shape(), t.dtype(), t.device()); }

    public static Tensor emptyLike(Tensor t) { return zeros(t.shape(), t.dtype(), t.device()); }

    public static Tensor fullLike(Tensor t, double value) { return full(t.shape(), value, t.dtype(), t.device()); }

    public static Tensor randLike(Tensor t) { return rand(t.shape(), t.dtype(), defaultGenerator(), t.device()); }

    public static Tensor randnLike(Tensor t) { return randn(t.shape(), t.dtype(), defaultGenerator(), t.device()); }

    /** {@code torch.arange(end)}: int64 0, 1, ..., end-1. */
    public static Tensor arange(long end) { return arange(0, end, 1); }

    /** {@code torch.arange(start, end, step)} with integer arguments: int64. */
    public static Tensor arange(long start, long end, long step) {
        arangeSize((double) start, (double) end, (double) step);   // PyTorch's checks (sign, size) first
        // exact in integers (doubles lose precision beyond 2^53; end - start may overflow a long)
        long count = java.math.BigInteger.valueOf(end).subtract(java.math.BigInteger.valueOf(start))
                .add(java.math.BigInteger.valueOf(step - Long.signum(step))).divide(java.math.BigInteger.valueOf(step))
                .min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        if (count > Storage.MAX_ELEMENTS) {
            throw Shapes.tooLarge("arange", "a range of " + count + " elements (start " + start + ", end " + end + ", step " + step + ")");
        }
        Tensor t = Tensor.empty(new int[]{(int) count}, DType.INT64);
        t.backend().factory().arange(t.storage, start, step);
        return t;
    }

    /** {@code torch.arange(start, end, step)} with float arguments: float32. */
    public static Tensor arange(double start, double end, double step) {
        return arange(start, end, step, DType.FLOAT32);
    }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        int n = arangeSize(start, end, step);
        Tensor t = Tensor.empty(new int[]{n}, dtype);
        t.backend().factory().arange(t.storage, start, step);
        return t;
    }

    /** PyTorch's arange checks (finite bounds, step sign), then the length ceil((end - start) / step) within one array. */
    private static int arangeSize(double start, double end, double step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: unsupported range: " + start + " -> " + end + ". Fix: finite start and end");
        }
        if (!((step > 0 && end >= start) || (step < 0 && end <= start))) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign (start " + fmt(start) + ", end "
                    + fmt(end) + ", step " + fmt(step) + "). Fix: a positive step needs end >= start, a negative one end <= start");
        }
        double n = Math.ceil((end - start) / step);   // in double, as PyTorch: (end - start) may overflow a long
        if (n > Storage.MAX_ELEMENTS) {
            throw Shapes.tooLarge("arange", String.format("a range of %.0f elements (start %s, end %s, step %s)", n, fmt(start), fmt(end), fmt(step)));
        }
        return (int) n;
    }

    private static String fmt(double v) { return v == Math.rint(v) && Math.abs(v) < 1e18 ? String.valueOf((long) v) : String.valueOf(v); }

    /** {@code torch.linspace(start, end, steps)} (float32), symmetric like PyTorch's kernel. */
    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative");
        Shapes.checkedDim("linspace", steps, Shapes.SCALAR);
        Tensor t = Tensor.empty(new int[]{steps}, DType.FLOAT32);
        t.backend().factory().linspace(t.storage, start, end);
        return t;
    }

    /** Identity matrix {@code n x n} (float32). */
    public static Tensor eye(int n) { return eye(n, n); }

    public static Tensor eye(int n, int m) {
        Shapes.checkedNumel("eye", new int[]{n, m});
        Tensor t = Tensor.empty(new int[]{n, m}, DType.FLOAT32);
        // the diagonal as a strided view: element i at i * (m + 1)
        t.backend().factory().fill(new Strided(t.storage, new int[]{Math.min(n, m)}, new int[]{m + 1}, 0), 1);
        return t;
    }

    // ------------------------------------------------------------------ random

    /** Uniform [0, 1) float32 from the default generator ({@code torch.rand}). */
    public static Tensor rand(int... shape) { return rand(shape, DType.FLOAT32, defaultGenerator()); }

    public static Tensor rand(int[] shape, Generator g) { return rand(shape, DType.FLOAT32, g); }

    public static Tensor rand(int[] shape, DType dtype, Generator g) {
        floatingOnly(dtype, "rand");
        Shapes.checkedNumel("rand", shape);
        Tensor t = Tensor.empty(shape.clone(), dtype);
        synchronized (g) {
            t.backend().random().uniform(t.storage, source(g));
        }
        return t;
    }

    /** Standard normal float32 from the default generator ({@code torch.randn}). */
    public static Tensor randn(int... shape) { return randn(shape, DType.FLOAT32, defaultGenerator()); }

    public static Tensor randn(int[] shape, Generator g) { return randn(shape, DType.FLOAT32, g); }

    public static Tensor randn(int[] shape, DType dtype, Generator g) {
        floatingOnly(dtype, "randn");
        Shapes.checkedNumel("randn", shape);
        Tensor t = Tensor.empty(shape.clone(), dtype);
        synchronized (g) {   // one unbroken run of draws, also when threads share g
            t.backend().random().normal(t.storage, source(g));
        }
        return t;
    }

    /** Uniform integers in [low, high) as int64 ({@code torch.randint}). */
    public static Tensor randint(long low, long high, int... shape) {
        return randint(low, high, shape, defaultGenerator());
    }

    public static Tensor randint(long low, long high, int[] shape, Generator g) {
        if (high <= low) {
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        }
        Shapes.checkedNumel("randint", shape);
        Tensor t = Tensor.empty(shape.clone(), DType.INT64);
        synchronized (g) {
            t.backend().random().randint(t.storage, low, high, source(g));
        }
        return t;
    }

    /** A random permutation of 0..n-1 (int64). */
    public static Tensor randperm(int n) { return randperm(n, defaultGenerator()); }

    public static Tensor randperm(int n, Generator g) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got " + n + ". Fix: pass the number of items");
        Tensor t = Tensor.empty(new int[]{n}, DType.INT64);
        synchronized (g) {
            t.backend().random().randperm(t.storage, source(g));
        }
        return t;
    }

    /** A generator as the random kernels see it (they know nothing of Generator). */
    private static RandomSource source(Generator g) {
        return new RandomSource() {
            @Override public float nextFloat() { return g.nextFloat(); }
            @Override public double nextDouble() { return g.nextDouble(); }
            @Override public double nextGaussian() { return g.nextGaussian(); }
            @Override public long nextBounded(long range) { return g.nextBounded(range); }
        };
    }

    private static void floatingOnly(DType d, String op) {
        if (!d.isFloatingPoint()) {
            throw new IllegalArgumentException(op + " is only defined for floating point dtypes, got " + d);
        }
    }

    // ------------------------------------------------------------------ functions with two tensors

    /** {@code torch.where(cond, a, b)}. */
    /**
     * Concatenates along an existing dim, like {@code torch.cat(tensors, dim)} (CatBackward0).
     *
     * <pre>{@code
     * cat(List.of(ones(2, 3), zeros(1, 3)), 0).shape();   // [3, 3]
     * }</pre>
     */
    public static Tensor cat(java.util.List<Tensor> tensors, int dim) { return JoinOps.cat(tensors.toArray(new Tensor[0]), dim); }

    public static Tensor cat(Tensor[] tensors, int dim) { return JoinOps.cat(tensors, dim); }

    /** {@code torch.cat(tensors)} along dim 0. */
    public static Tensor cat(Tensor... tensors) { return JoinOps.cat(tensors, 0); }

    /** Stacks equal-shaped tensors along a new dim, like {@code torch.stack(tensors, dim)}. */
    public static Tensor stack(java.util.List<Tensor> tensors, int dim) { return JoinOps.stack(tensors.toArray(new Tensor[0]), dim); }

    public static Tensor stack(Tensor[] tensors, int dim) { return JoinOps.stack(tensors, dim); }

    /** {@code torch.stack(tensors)} along a new dim 0. */
    public static Tensor stack(Tensor... tensors) { return JoinOps.stack(tensors, 0); }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return BinaryOps.where(cond, a, b); }

    /** {@code torch.matmul(a, b)}. */
    public static Tensor matmul(Tensor a, Tensor b) { return a.matmul(b); }

    /** {@code torch.bmm(a, b)}: batched matrix product of [b, n, k] and [b, k, m]. */
    public static Tensor bmm(Tensor a, Tensor b) { return LinalgOps.bmm(a, b); }

    /** {@code torch.dot(a, b)} of two 1-d tensors. */
    public static Tensor dot(Tensor a, Tensor b) { return LinalgOps.dot(a, b); }

    /** {@code torch.pow(base, exponent)} with a scalar base (PowBackward2). */
    public static Tensor pow(double base, Tensor exponent) { return exponent.rpow(base); }

    /**
     * {@code F.pad(x, pad, mode, value)}: {@code pad} lists (before, after) pairs from the last dim;
     * mode "constant", "reflect", "replicate" or "circular". As in PyTorch, the non-constant modes pad n = pad.length / 2
     * (1 to 3) trailing dims of an (n + 1)-d or (n + 2)-d input.
     *
     * <pre>{@code
     * pad(x, new int[]{1, 1}, "reflect", 0);   // pads the last dim by one on each side
     * }</pre>
     */
    public static Tensor pad(Tensor x, int[] pad, String mode, double value) { return PadOps.pad(x, pad, mode, value); }

    /** Constant zero padding. */
    public static Tensor pad(Tensor x, int... pad) { return PadOps.pad(x, pad, "constant", 0.0); }

    /** {@code F.one_hot(x, num_classes)}. */
    public static Tensor oneHot(Tensor x, int numClasses) { return x.oneHot(numClasses); }

    /**
     * {@code torch.einsum(equation, operands...)}, with "..." and implicit output.
     *
     * <pre>{@code
     * einsum("bij,bjk->bik", a, b);   // batched matmul
     * einsum("ii", m);                 // trace
     * }</pre>
     */
    public static Tensor einsum(String equation, Tensor... operands) { return LinalgOps.einsum(equation, operands); }

    /** {@code torch.tensordot(a, b, dims=(dimsA, dimsB))}. */
    public static Tensor tensordot(Tensor a, Tensor b, int[] dimsA, int[] dimsB) { return LinalgOps.tensordot(a, b, dimsA, dimsB); }

    /** {@code torch.tensordot(a, b, dims=n)}: the last n dims of a with the first n of b. */
    public static Tensor tensordot(Tensor a, Tensor b, int dims) { return LinalgOps.tensordot(a, b, dims); }

    /** {@code torch.kron(a, b)}. */
    public static Tensor kron(Tensor a, Tensor b) { return LinalgOps.kron(a, b); }

    /** {@code torch.outer(a, b)}. */
    public static Tensor outer(Tensor a, Tensor b) { return LinalgOps.outer(a, b); }

    /** {@code torch.mv(m, v)}. */
    public static Tensor mv(Tensor m, Tensor v) { return LinalgOps.mv(m, v); }

    /** {@code torch.addmm(input, m1, m2, beta=, alpha=)}. */
    public static Tensor addmm(Tensor input, Tensor m1, Tensor m2, double beta, double alpha) { return LinalgOps.addmm(input, m1, m2, beta, alpha); }

    /** {@code torch.baddbmm(input, b1, b2, beta=, alpha=)}. */
    public static Tensor baddbmm(Tensor input, Tensor b1, Tensor b2, double beta, double alpha) { return LinalgOps.baddbmm(input, b1, b2, beta, alpha); }

    /** {@code torch.result_type(a, b)}. */
    public static DType resultType(Tensor a, Tensor b) { return OpSupport.resultType(a, b); }

    /** {@code torch.promote_types(a, b)}. */
    public static DType promoteTypes(DType a, DType b) { return DType.promote(a, b); }
}
