package org.grad4j.nn;

import org.grad4j.Tensor;

import java.util.Arrays;

/** {@code nn.Flatten(start_dim=1, end_dim=-1)}: merges dims start..end into one. */
public class Flatten extends Module {
    public final int startDim, endDim;

    public Flatten() { this(1, -1); }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /** {@code torch.flatten(x, start_dim, end_dim)} as a reshape. */
    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        int r = x.dim();
        if (r == 0) return x.reshape(1);
        int s = startDim < 0 ? startDim + r : startDim, e = endDim < 0 ? endDim + r : endDim;
        if (s < 0 || s >= r || e < 0 || e >= r) {
            throw new IndexOutOfBoundsException("flatten: Dimension out of range (expected to be in range of [" + -r + ", " + (r - 1)
                    + "], but got start_dim=" + startDim + ", end_dim=" + endDim + ")");
        }
        if (s > e) throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        int[] sh = x.shape();
        int[] out = new int[r - (e - s)];
        int k = 0, prod = 1;
        for (int i = 0; i < r; i++) {
            if (i < s || i > e) out[k++] = sh[i];
            else {
                prod *= sh[i];
                if (i == e) out[k++] = prod;
            }
        }
        return Arrays.equals(out, sh) ? x : x.reshape(out);
    }

    @Override
    public Tensor forward(Tensor input) { return flatten(input, startDim, endDim); }

    @Override
    protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
