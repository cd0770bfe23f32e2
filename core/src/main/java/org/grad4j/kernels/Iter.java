package org.grad4j.kernels;

/**
 * Coalesced N-d iteration over an output and up to two inputs (TensorIterator in miniature).
 * Dimensions of size 1 are dropped and neighbouring dimensions merged when every operand is
 * contiguous across them, so a contiguous or simply-broadcast case becomes one flat inner loop.
 *
 * <p>Usage: {@code for (it.start(); it.hasNext(); it.next()) { inner loop of it.inner elements
 * at offsets it.o0/o1/o2 with inner strides it.s0/s1/s2 }}.
 */
public final class Iter {
    final int[] shape;          // coalesced outer..inner
    final int[][] strides;      // per operand
    public final int inner;     // length of the innermost run
    public final int s0, s1, s2;
    public int o0, o1, o2;      // offsets of the current run
    private final int[] idx;
    private final int outer;
    private int done;
    private final int base0, base1, base2;

    /**
     * @param shape   iteration shape (the output's)
     * @param st0     strides of operand 0 (usually the output), already broadcast to {@code shape}
     * @param off0    storage offset of operand 0
     * @param st1     operand 1 or null
     * @param st2     operand 2 or null
     */
    private static final int[] NO_INTS = new int[0];
    private static final int[][] NO_STRIDES = {NO_INTS, NO_INTS, NO_INTS};

    public Iter(int[] shape, int[] st0, int off0, int[] st1, int off1, int[] st2, int off2) {
        int n = shape.length;
        int nops = st2 != null ? 3 : st1 != null ? 2 : 1;
        this.base0 = off0;
        this.base1 = off1;
        this.base2 = off2;
        // Fast path, no allocation: at most one dimension larger than 1 (vectors, scalars), which is
        // most of the small tensors that per-op overhead is made of.
        int big = -1, count = 0;
        boolean empty = false;
        for (int d = 0; d < n; d++) {
            if (shape[d] == 0) empty = true;
            if (shape[d] != 1) { big = d; count++; }
        }
        if (count <= 1) {
            this.shape = NO_INTS;
            this.strides = NO_STRIDES;
            this.idx = NO_INTS;
            this.inner = empty ? 0 : big < 0 ? 1 : shape[big];
            this.s0 = big < 0 ? 0 : st0[big];
            this.s1 = big < 0 || nops < 2 ? 0 : st1[big];
            this.s2 = big < 0 || nops < 3 ? 0 : st2[big];
            this.outer = empty ? 0 : 1;
            return;
        }
        int[] cs = new int[n];
        int[][] cst = new int[3][n];
        int r = 0;
        for (int d = 0; d < n; d++) {
            if (shape[d] == 1) continue;
            cs[r] = shape[d];
            cst[0][r] = st0[d];
            if (nops > 1) cst[1][r] = st1[d];
            if (nops > 2) cst[2][r] = st2[d];
            r++;
        }
        // merge dim r-1 into r when each operand steps through both as one
        int m = 0;
        for (int d = 0; d < r; d++) {
            if (m > 0) {
                int prev = m - 1;
                boolean ok = true;
                for (int k = 0; k < nops; k++) {
                    if (cst[k][prev] != cst[k][d] * cs[d]) { ok = false; break; }
                }
                if (ok) {
                    cs[prev] *= cs[d];
                    for (int k = 0; k < nops; k++) cst[k][prev] = cst[k][d];
                    continue;
                }
            }
            cs[m] = cs[d];
            for (int k = 0; k < nops; k++) cst[k][m] = cst[k][d];
            m++;
        }
        this.shape = java.util.Arrays.copyOf(cs, m);
        this.strides = new int[][]{java.util.Arrays.copyOf(cst[0], m), java.util.Arrays.copyOf(cst[1], m), java.util.Arrays.copyOf(cst[2], m)};
        this.inner = empty ? 0 : m == 0 ? 1 : cs[m - 1];
        this.s0 = m == 0 ? 0 : cst[0][m - 1];
        this.s1 = m == 0 ? 0 : cst[1][m - 1];
        this.s2 = m == 0 ? 0 : cst[2][m - 1];
        int outerCount = 1;
        for (int d = 0; d < m - 1; d++) outerCount *= cs[d];
        this.outer = empty ? 0 : outerCount;
        this.idx = new int[Math.max(m - 1, 0)];
    }

    public static Iter of(int[] shape, int[] st0, int off0) {
        return new Iter(shape, st0, off0, null, 0, null, 0);
    }

    public static Iter of(int[] shape, int[] st0, int off0, int[] st1, int off1) {
        return new Iter(shape, st0, off0, st1, off1, null, 0);
    }

    public void start() {
        done = 0;
        o0 = base0;
        o1 = base1;
        o2 = base2;
        java.util.Arrays.fill(idx, 0);
    }

    public boolean hasNext() { return done < outer; }

    public void next() {
        done++;
        for (int d = idx.length - 1; d >= 0; d--) {
            idx[d]++;
            o0 += strides[0][d];
            o1 += strides[1][d];
            o2 += strides[2][d];
            if (idx[d] < shape[d]) return;
            o0 -= strides[0][d] * shape[d];
            o1 -= strides[1][d] * shape[d];
            o2 -= strides[2][d] * shape[d];
            idx[d] = 0;
        }
    }

    /** True when the whole iteration is one run (every operand flat over the run). */
    public boolean isSingleRun() { return outer == 1; }
}
