package org.grad4j.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The Java side of the kernels' {@code struct TensorDesc} (core/src/main/cuda/grad4j_common.cuh): a
 * tensor's offset, shape and strides in elements, passed to a kernel by value. Operands of one
 * elementwise kernel are coalesced jointly (size-1 dims dropped, neighbours merged where every
 * operand is contiguous across them), so most tensors reach the device as rank 1 and take the
 * kernel's division-free path. Above {@link #MAX_DIMS} dims after coalescing there is no kernel:
 * {@link #coalesce} raises, saying to make the tensor contiguous first.
 *
 * <pre>{@code
 * long[][] c = TensorDesc.coalesce(new long[]{2, 3}, new long[]{3, 1});  // {{6}, {1}}
 * byte[] arg = TensorDesc.encode(0, c[0], c[1]);                        // 144 bytes, align 8
 * }</pre>
 */
final class TensorDesc {
    private TensorDesc() {}

    /** G4_MAX_DIMS: the most dims a kernel walks. */
    static final int MAX_DIMS = 8;
    /** sizeof(TensorDesc) and its alignment. */
    static final int BYTES = 144, ALIGN = 8;
    /** offsetof(TensorDesc, field), as the C compiler lays the struct out (checked by TensorDescTest). */
    static final int OFFSET_AT = 0, SHAPE_AT = 8, STRIDES_AT = 8 + 8 * MAX_DIMS, RANK_AT = 8 + 16 * MAX_DIMS;

    /** The struct's bytes in the device's (little-endian) order. */
    static byte[] encode(long offset, long[] shape, long[] strides) {
        if (shape.length > MAX_DIMS || strides.length != shape.length) {
            throw new IllegalArgumentException("TensorDesc: shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " must have the same rank, at most " + MAX_DIMS
                    + ". Fix: coalesce first (TensorDesc.coalesce) or make the tensor contiguous");
        }
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(OFFSET_AT, offset);
        for (int d = 0; d < shape.length; d++) {
            b.putLong(SHAPE_AT + 8 * d, shape[d]);
            b.putLong(STRIDES_AT + 8 * d, strides[d]);
        }
        b.putInt(RANK_AT, shape.length);
        return b.array();
    }

    /**
     * Merges the dims of {@code shape} that every operand walks contiguously, drops size-1 dims, and
     * returns {@code {shape', strides'_0, strides'_1, ...}}: the same elements in the same row-major
     * order. A 0-d or all-ones shape becomes {@code [1]} with stride 0.
     */
    static long[][] coalesce(long[] shape, long[]... strides) {
        int k = strides.length;
        long[] s = new long[shape.length];
        long[][] st = new long[k][shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (r > 0 && mergeable(shape[d], st, r - 1, strides, d)) {
                s[r - 1] *= shape[d];
                for (int j = 0; j < k; j++) st[j][r - 1] = strides[j][d];
                continue;
            }
            s[r] = shape[d];
            for (int j = 0; j < k; j++) st[j][r] = strides[j][d];
            r++;
        }
        if (r == 0) {
            long[][] one = new long[k + 1][];
            one[0] = new long[]{1};
            for (int j = 0; j < k; j++) one[j + 1] = new long[]{0};
            return one;
        }
        long[][] out = new long[k + 1][];
        out[0] = Arrays.copyOf(s, r);
        for (int j = 0; j < k; j++) out[j + 1] = Arrays.copyOf(st[j], r);
        return out;
    }

    // the kept outer dim (stride st[j][prev]) continues into dim d when outer stride == inner stride * size
    private static boolean mergeable(long size, long[][] st, int prev, long[][] strides, int d) {
        for (int j = 0; j < st.length; j++) if (st[j][prev] != strides[j][d] * size) return false;
        return true;
    }

    static long[] longs(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i];
        return r;
    }
}
