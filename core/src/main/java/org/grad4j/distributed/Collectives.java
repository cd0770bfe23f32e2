package org.grad4j.distributed;

/**
 * The ring algorithms over a {@link Ring} (null for a group of one). Chunk c of a run is
 * {@code [bounds[c], bounds[c+1])}; in the reduce-scatter, rank r ends holding the full reduction
 * of chunk r after n-1 steps; the all-gather then passes the finished chunks around the ring.
 */
final class Collectives {
    private Collectives() {}

    private static final String[] KINDS = {"allReduce", "broadcast", "allGather", "reduceScatter", "barrier",
        "fp16 allReduce", "bf16 allReduce"};
    private static final int MAGIC = 0x52494E47;

    static int world(Ring ring) { return ring == null ? 1 : ring.world; }

    static int mod(int a, int n) { return ((a % n) + n) % n; }

    /** Near-equal chunks of a run of len elements. */
    static int[] chunks(int n, int len) {
        int[] b = new int[n + 1];
        for (int c = 0; c <= n; c++) b[c] = (int) ((long) c * len / n);
        return b;
    }

    /** n blocks of exactly blockLen elements. */
    static int[] blocks(int n, int blockLen) {
        int[] b = new int[n + 1];
        for (int c = 0; c <= n; c++) b[c] = c * blockLen;
        return b;
    }

    /**
     * Exchanges a small header with the neighbours so that ranks issuing different collectives
     * (or sizes) fail with a clear message instead of mixing their bytes.
     */
    static void checkHeader(Ring ring, long seq, String name, Flat f, long deadline, String what) {
        int kind = java.util.Arrays.asList(KINDS).indexOf(name);
        int[] mine = {MAGIC, (int) seq, kind, f.length, f.elementBytes()};
        int[] theirs = new int[5];
        ring.exchange(new Flat.I32(mine, 0, 5), 0, 5, new Flat.I32(theirs, 0, 5), 0, 5, null, deadline, what);
        if (theirs[0] != MAGIC || theirs[1] != mine[1] || theirs[2] != kind || theirs[3] != f.length || theirs[4] != f.elementBytes()) {
            String other = theirs[0] != MAGIC ? "unrecognised bytes" : "collective #" + theirs[1] + " "
                    + (theirs[2] >= 0 && theirs[2] < KINDS.length ? KINDS[theirs[2]] : "?") + " of " + theirs[3]
                    + " elements of " + theirs[4] + " bytes";
            throw new DistributedException(what + " does not match rank " + ring.prev() + "'s " + other
                    + ". Fix: every rank must issue the same collectives in the same order with the same sizes and dtypes");
        }
    }

    static void ringAllReduce(Ring ring, Flat f, ReduceOp op, long deadline, String what) {
        int n = world(ring);
        int[] b = chunks(n, f.length);
        ringReduceScatter(ring, f, b, op, deadline, what);
        if (op == ReduceOp.AVG) {
            int r = n == 1 ? 0 : ring.rank;
            divide(f, b[r], b[r + 1] - b[r], n);
        }
        ringAllGatherChunks(ring, f, b, deadline, what);
    }

    /** After it, rank r's chunk r holds the reduction of every rank's chunk r (other chunks: partial sums). */
    static void ringReduceScatter(Ring ring, Flat f, int[] b, ReduceOp op, long deadline, String what) {
        int n = world(ring);
        if (n == 1) return;
        int r = ring.rank;
        for (int s = 0; s < n - 1; s++) {
            int sc = mod(r - 1 - s, n), rc = mod(r - 2 - s, n);
            ring.exchange(f, b[sc], b[sc + 1] - b[sc], f, b[rc], b[rc + 1] - b[rc], op, deadline, what);
        }
    }

    /** Passes finished chunk r of each rank r around the ring, so every rank holds every chunk. */
    static void ringAllGatherChunks(Ring ring, Flat f, int[] b, long deadline, String what) {
        int n = world(ring);
        if (n == 1) return;
        int r = ring.rank;
        for (int s = 0; s < n - 1; s++) {
            int sc = mod(r - s, n), rc = mod(r - s - 1, n);
            ring.exchange(f, b[sc], b[sc + 1] - b[sc], f, b[rc], b[rc + 1] - b[rc], null, deadline, what);
        }
    }

    /**
     * Rank-order reduction: every rank gathers all contributions, then combines them as
     * {@code ((x0 op x1) op x2) ...}: the same bits on every rank whatever the ring does.
     */
    static void deterministicAllReduce(Ring ring, Flat f, ReduceOp op, long deadline, String what) {
        int n = world(ring);
        if (n > 1) {
            int len = f.length;
            Flat all = f.scratch(n * len);
            allGather(ring, f, all, deadline, what);
            f.combine(0, all, 0, len, null);
            for (int k = 1; k < n; k++) f.combine(0, all, k * len, len, op);
        }
        if (op == ReduceOp.AVG) f.divide(n);
    }

    /** dst (n * src.length elements) receives every rank's src in rank order. */
    static void allGather(Ring ring, Flat src, Flat dst, long deadline, String what) {
        int n = world(ring), len = src.length;
        int r = n == 1 ? 0 : ring.rank;
        dst.combine(r * len, src, 0, len, null);
        ringAllGatherChunks(ring, dst, blocks(n, len), deadline, what);
    }

    /**
     * Pipelined ring broadcast from src: each rank forwards segment k to the next rank while it
     * receives segment k+1, so the time is about one transfer plus n-2 segment latencies.
     */
    static void broadcast(Ring ring, Flat f, int src, long deadline, String what) {
        int n = world(ring);
        if (n == 1) return;
        int r = ring.rank, len = f.length;
        int seg = Math.max(1, (256 << 10) / f.elementBytes());
        int segs = Math.max(1, (len + seg - 1) / seg);
        boolean receives = r != src, forwards = ring.next() != src;
        for (int k = 0; k <= segs; k++) {
            int sk = k - (receives ? 1 : 0), rk = k;           // send the segment received one step earlier
            int sAt = sk * seg, sCount = forwards && sk >= 0 && sk < segs ? Math.min(seg, len - sAt) : 0;
            int rAt = rk * seg, rCount = receives && rk < segs ? Math.min(seg, len - rAt) : 0;
            if (sCount <= 0 && rCount <= 0) continue;
            ring.exchange(f, Math.max(sAt, 0), Math.max(sCount, 0), f, rAt, Math.max(rCount, 0), null, deadline, what);
        }
    }

    private static void divide(Flat f, int at, int count, int n) {
        Flat part = f.scratch(count);
        part.combine(0, f, at, count, null);
        part.divide(n);
        f.combine(at, part, 0, count, null);
    }
}
