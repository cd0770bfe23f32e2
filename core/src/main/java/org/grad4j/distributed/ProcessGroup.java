package org.grad4j.distributed;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A group of processes that train together ({@code torch.distributed}'s default process group):
 * {@link #rank()} of {@link #worldSize()}, with collectives over TCP on a ring (reduce-scatter then
 * all-gather, each rank sending {@code 2(n-1)/n} of the data), issued in the same order by every
 * rank. Collectives run on one communication thread per group in issue order; the {@code ...Async}
 * forms return a {@link Work} so computation overlaps communication. Every collective has a timeout
 * (default 5 minutes); one that expires or loses a peer throws a {@link DistributedException}
 * naming the rank, the collective and the peer, and breaks the group.
 *
 * <p>Three ways to build one:
 * <ul>
 *   <li>{@link #fromEnvironment()}: as torchrun sets it, {@code RANK}, {@code WORLD_SIZE},
 *       {@code MASTER_ADDR}, {@code MASTER_PORT} (what {@code ./grad4j run --nproc N} sets);</li>
 *   <li>{@link #fromPeers}: every rank already knows every rank's {@code host:port}, e.g. a Spark
 *       barrier task: {@code Listener l = ProcessGroup.listen(host)}, one
 *       {@code BarrierTaskContext.allGather(l.address())}, then
 *       {@code ProcessGroup.fromPeers(ctx.partitionId(), addresses, l, options)};</li>
 *   <li>{@link #loopback(int, Options)}: all ranks in this JVM (one thread each) over 127.0.0.1, for tests.</li>
 * </ul>
 *
 * <pre>{@code
 * try (ProcessGroup pg = ProcessGroup.fromEnvironment()) {
 *     Tensor t = Grad4j.ones(4).mul(pg.rank());
 *     pg.allReduce(t, ReduceOp.SUM);           // every rank now holds 0 + 1 + ... + (n-1)
 * }
 * }</pre>
 */
public final class ProcessGroup implements AutoCloseable {

    /** Settings of a group: the timeout of every collective and whether reductions are deterministic. */
    public static final class Options {
        private Duration timeout = Duration.ofMinutes(5);
        private boolean deterministic;

        /** Each collective (and the rendezvous) fails after this long without completing; default 5 minutes. */
        public Options timeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("ProcessGroup timeout must be positive, got " + d);
            timeout = d;
            return this;
        }

        /**
         * Deterministic reductions: every rank gathers all contributions and combines them in rank
         * order ({@code ((x0 + x1) + x2) + ...}), so the bits do not depend on the ring's order or the
         * chunking. Costs {@code n/2} times the ring's traffic; meant for reproducible runs and tests.
         */
        public Options deterministic(boolean d) { deterministic = d; return this; }

        public Duration timeout() { return timeout; }

        public boolean deterministic() { return deterministic; }
    }

    /**
     * A bound server socket whose {@link #address()} the other ranks connect to; made before the
     * addresses are exchanged (so the port is known and already listening), handed to {@link #fromPeers}.
     */
    public static final class Listener implements AutoCloseable {
        final ServerSocketChannel channel;
        private final String address;

        Listener(ServerSocketChannel channel, String host) {
            this.channel = channel;
            this.address = hostPort(host, channel.socket().getLocalPort());
        }

        /** {@code host:port} to publish to the other ranks. */
        public String address() { return address; }

        @Override
        public void close() throws IOException { channel.close(); }
    }

    private final int rank, world;
    private final Options options;
    private final Ring ring;
    private final ExecutorService comm;
    private final AtomicReference<RuntimeException> broken = new AtomicReference<>();
    private long issued;             // collectives issued (the caller's thread)
    private volatile boolean closed;

    private ProcessGroup(int rank, int world, Options options, Ring ring) {
        this.rank = rank;
        this.world = world;
        this.options = options;
        this.ring = ring;
        this.comm = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "grad4j-comm-rank" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    // ------------------------------------------------------------------ construction

    /** A group of one: every collective is a no-op (AVG divides by 1). */
    public static ProcessGroup single() { return new ProcessGroup(0, 1, new Options(), null); }

    /** {@link #fromEnvironment(Options)} with default options. */
    public static ProcessGroup fromEnvironment() { return fromEnvironment(new Options()); }

    /**
     * Joins the group torchrun-style from {@code RANK}, {@code WORLD_SIZE}, {@code MASTER_ADDR} and
     * {@code MASTER_PORT}: rank 0 listens on the master port, collects every rank's address and hands
     * the list back, then the ranks connect in a ring.
     */
    public static ProcessGroup fromEnvironment(Options options) {
        int rank = envInt("RANK"), world = envInt("WORLD_SIZE");
        String addr = System.getenv("MASTER_ADDR");
        int port = envInt("MASTER_PORT");
        if (addr == null || addr.isBlank()) throw new IllegalStateException(missing("MASTER_ADDR"));
        checkRank(rank, world);
        if (world == 1) return single();
        long deadline = deadline(options.timeout);
        try {
            // the host others reach this rank at is the one rank 0 sees the connection come from
            Listener own = listen(addr);
            List<String> peers = Rendezvous.exchange(rank, world, addr, port, own, deadline);
            return connect(rank, peers, own, options, deadline);
        } catch (IOException e) {
            throw new DistributedException("rank " + rank + " of " + world + ": rendezvous at " + addr + ":" + port + " failed: " + e.getMessage(), e);
        }
    }

    /** {@link #listen(String)} advertising this host's address. */
    public static Listener listen() throws IOException { return listen(null); }

    /**
     * Opens this rank's listener on an ephemeral port of every interface, to be published as
     * {@code advertisedHost:port} ({@code null}: this host's address).
     */
    public static Listener listen(String advertisedHost) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.bind(new InetSocketAddress(0), 64);
        String host = advertisedHost != null ? advertisedHost : InetAddress.getLocalHost().getHostAddress();
        return new Listener(ch, host);
    }

    /**
     * Builds rank {@code rank}'s group when every rank knows every address, in rank order
     * ({@code peers.get(r)} is rank r's {@link Listener#address()}; {@code own} is this rank's
     * listener, whose address is {@code peers.get(rank)}). Blocks until the ring is connected or the
     * timeout expires. Takes ownership of {@code own}.
     */
    public static ProcessGroup fromPeers(int rank, List<String> peers, Listener own, Options options) {
        checkRank(rank, peers.size());
        return connect(rank, peers, own, options, deadline(options.timeout));
    }

    /**
     * All {@code worldSize} ranks of a group in this JVM over 127.0.0.1 (index = rank); each rank's
     * collectives must be called from its own thread, as separate processes would.
     */
    public static List<ProcessGroup> loopback(int worldSize, Options options) {
        if (worldSize < 1) throw new IllegalArgumentException("loopback: worldSize must be at least 1, got " + worldSize);
        if (worldSize == 1) return List.of(single());
        List<Listener> ls = new ArrayList<>();
        List<String> addrs = new ArrayList<>();
        try {
            for (int r = 0; r < worldSize; r++) {
                Listener l = listen("127.0.0.1");
                ls.add(l);
                addrs.add(l.address());
            }
        } catch (IOException e) {
            throw new DistributedException("loopback: cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<ProcessGroup>> fs = new ArrayList<>();
            for (int r = 0; r < worldSize; r++) {
                int rank = r;
                fs.add(CompletableFuture.supplyAsync(() -> fromPeers(rank, addrs, ls.get(rank), options), ex));
            }
            List<ProcessGroup> out = new ArrayList<>();
            for (var f : fs) out.add(f.join());
            return out;
        }
    }

    private static ProcessGroup connect(int rank, List<String> peers, Listener own, Options options, long deadline) {
        if (peers.size() == 1) return single();
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (String p : peers) addrs.add(parse(p));
        try (own) {
            return new ProcessGroup(rank, peers.size(), options, Ring.connect(rank, addrs, own.channel, deadline));
        } catch (IOException e) {
            throw new DistributedException("rank " + rank + " of " + peers.size() + ": cannot connect the ring: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ accessors

    public int rank() { return rank; }

    public int worldSize() { return world; }

    public Options options() { return options; }

    // ------------------------------------------------------------------ collectives on tensors

    /** Reduces {@code t} in place over all ranks; every rank ends with the same values. */
    public void allReduce(Tensor t, ReduceOp op) { allReduceAsync(t, op).await(); }

    /** {@link #allReduce} on the communication thread; {@code t} must not be touched until {@link Work#await()}. */
    public Work allReduceAsync(Tensor t, ReduceOp op) { return allReduceAsync(flat(t, "allReduce"), op, "allReduce"); }

    /** Copies rank {@code src}'s {@code t} into every rank's {@code t} (same shape and dtype everywhere). */
    public void broadcast(Tensor t, int src) { broadcastAsync(t, src).await(); }

    public Work broadcastAsync(Tensor t, int src) {
        checkRank(src, world);
        Flat f = flat(t, "broadcast");
        return submit("broadcast", f, (what, deadline) -> Collectives.broadcast(ring, f, src, deadline, what));
    }

    /**
     * Every rank's {@code t}, stacked in rank order: shape {@code [worldSize, *t.shape]}
     * ({@code torch.stack(all_gather(...))}).
     */
    public Tensor allGather(Tensor t) {
        Tensor in = t.detach().contiguous();
        int[] shape = new int[in.dim() + 1];
        shape[0] = world;
        System.arraycopy(in.shape(), 0, shape, 1, in.dim());
        Tensor out = org.grad4j.Grad4j.empty(shape, in.dtype());
        Flat src = flat(in, "allGather"), dst = flat(out, "allGather");
        submit("allGather", src, (what, deadline) -> Collectives.allGather(ring, src, dst, deadline, what)).await();
        dst.afterWrite.run();
        return out;
    }

    /**
     * {@code reduce_scatter_tensor}: {@code input} holds {@code worldSize} equal blocks; block r,
     * reduced over all ranks, lands in rank r's {@code output} ({@code input.numel() == worldSize * output.numel()}).
     */
    public void reduceScatter(Tensor output, Tensor input, ReduceOp op) {
        if (input.numel() != (long) output.numel() * world || input.dtype() != output.dtype()) {
            throw new IllegalArgumentException("reduceScatter: input " + Arrays.toString(input.shape()) + " " + input.dtype()
                    + " must hold worldSize (" + world + ") times output " + Arrays.toString(output.shape()) + " " + output.dtype()
                    + " elements of the same dtype. Fix: input = a tensor of worldSize * output.numel() elements");
        }
        Flat in = flat(input.detach().contiguous().clone(), "reduceScatter"), out = flat(output, "reduceScatter");
        int len = output.numel();
        submit("reduceScatter", out, (what, deadline) -> {
            if (options.deterministic) Collectives.deterministicAllReduce(ring, in, op, deadline, what);
            else Collectives.ringReduceScatter(ring, in, Collectives.blocks(world, len), op, deadline, what);
            out.combine(0, in, rank * len, len, null);
            if (!options.deterministic && op == ReduceOp.AVG) out.divide(world);
        }).await();
    }

    /** Waits until every rank reached the barrier. */
    public void barrier() {
        Flat f = new Flat.I32(new int[1], 0, 1);
        allReduceAsync(f, ReduceOp.SUM, "barrier").await();
    }

    /** All-reduce of a raw run of elements (the compression hooks' 16-bit buffers). */
    Work allReduceAsync(Flat f, ReduceOp op, String name) {
        return submit(name, f, (what, deadline) -> {
            if (options.deterministic) Collectives.deterministicAllReduce(ring, f, op, deadline, what);
            else Collectives.ringAllReduce(ring, f, op, deadline, what);
        });
    }

    // ------------------------------------------------------------------ plumbing

    @FunctionalInterface
    interface Body { void run(String what, long deadline); }

    private synchronized Work submit(String name, Flat f, Body body) {
        long seq = ++issued;
        String what = "rank " + rank + " of " + world + ": " + name + " (collective #" + seq + ", "
                + f.length + " elements)";
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new DistributedException(what + ": the process group is closed. Fix: use the group before closing it"));
            return new Work(done);
        }
        if (world == 1) {
            try {
                body.run(what, deadline(options.timeout));
                f.afterWrite.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
            return new Work(done);
        }
        Future<?> ignored = comm.submit(() -> {
            RuntimeException b = broken.get();
            if (b != null) {
                done.completeExceptionally(new DistributedException(what + ": the process group is broken by an earlier failure: "
                        + b.getMessage(), b));
                return;
            }
            try {
                Collectives.checkHeader(ring, seq, name, f, deadline(options.timeout), what);
                body.run(what, deadline(options.timeout));
                f.afterWrite.run();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new DistributedException(what + ": " + e, e);
                broken.compareAndSet(null, r);
                // drop the connections: the neighbours see the failure at once instead of waiting for their timeout
                ring.close();
                done.completeExceptionally(r);
            }
        });
        return new Work(done);
    }

    static long deadline(Duration timeout) {
        long n;
        try {
            n = timeout.toNanos();
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE / 4;
        }
        return System.nanoTime() + Math.min(n, Long.MAX_VALUE / 4);
    }

    static Flat flat(Tensor t, String op) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(op + ": Tensors must be contiguous (got shape " + Arrays.toString(t.shape())
                    + ", stride " + Arrays.toString(t.stride()) + "). Fix: pass t.contiguous() and copy the result back");
        }
        int off = t.storageOffset(), n = t.numel();
        // a heap storage is reduced in place; any other kind through one heap copy written back after the collective
        Object a = t.storage() instanceof org.grad4j.storage.HeapStorage h ? h.array() : copyOut(t.storage());
        DType d = t.dtype();
        Flat f = switch (d) {
            case FLOAT32 -> new Flat.F32((float[]) a, off, n);
            case FLOAT64 -> new Flat.F64((double[]) a, off, n);
            case INT64 -> new Flat.I64((long[]) a, off, n);
            case INT32 -> new Flat.I32((int[]) a, off, n);
            default -> throw new IllegalArgumentException(op + ": unsupported dtype " + d + " (shape " + Arrays.toString(t.shape())
                    + "). Fix: use float32, float64, int32 or int64 tensors");
        };
        if (!(t.storage() instanceof org.grad4j.storage.HeapStorage)) f.afterWrite = () -> t.storage().copyFrom(0, a, 0, t.storage().size());
        return f;
    }

    private static Object copyOut(org.grad4j.storage.Storage s) {
        Object a = org.grad4j.storage.HeapStorage.allocate(s.dtype(), s.size()).array();
        s.copyTo(0, a, 0, s.size());
        return a;
    }

    private static void checkRank(int rank, int world) {
        if (world < 1) throw new IllegalArgumentException("world size must be at least 1, got " + world);
        if (rank < 0 || rank >= world) {
            throw new IllegalArgumentException("rank " + rank + " is not in [0, " + world + "). Fix: ranks are 0..worldSize-1");
        }
    }

    private static int envInt(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) throw new IllegalStateException(missing(name));
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + "=" + v + " is not an integer. Fix: set it as torchrun does", e);
        }
    }

    private static String missing(String name) {
        return "environment variable " + name + " expected, but not set (ProcessGroup.fromEnvironment reads RANK, WORLD_SIZE, "
                + "MASTER_ADDR and MASTER_PORT). Fix: launch with ./grad4j run --nproc N ..., or use ProcessGroup.fromPeers";
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    static InetSocketAddress parse(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        if (i <= 0) throw new IllegalArgumentException("peer address must be host:port, got \"" + hostPort + "\"");
        String host = hostPort.substring(0, i);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(i + 1)));
    }

    /** Closes the connections and the communication thread; pending collectives fail. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        comm.shutdown();
        try {
            if (!comm.awaitTermination(50, java.util.concurrent.TimeUnit.MILLISECONDS)) comm.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ring != null) ring.close();
    }

    @Override
    public String toString() { return "ProcessGroup(rank=" + rank + ", worldSize=" + world + ")"; }
}
