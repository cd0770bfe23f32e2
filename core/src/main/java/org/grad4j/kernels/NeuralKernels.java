package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * Neural-network kernels: im2col/col2im, convolution, max pooling, batch norm and ReLU's
 * gradient. Storages are dense (contiguous from element 0) unless an offset is passed; outputs
 * are fresh storages the op allocated; a null output means "not wanted".
 *
 * <pre>{@code
 * Window g = new Window(n, c, h, w, 3, 3, 1, 1, 1, 1, 1, 1, h, w);
 * Backend.cpu().nn().im2col(x.storage(), cols.storage(), g);
 * }</pre>
 */
public interface NeuralKernels {
    /** Geometry of a 2-d sliding window over [N, C, H, W] (kernel, stride, padding, dilation, output size). */
    record Window(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                  int oh, int ow) {
        /** Rows of the im2col matrix: C*kh*kw. */
        public int cols() { return c * kh * kw; }

        /** Columns of the im2col matrix: N*oh*ow. */
        public int positions() { return n * oh * ow; }
    }

    /** im2col of a float32/float64 [N, C, H, W] storage into [C*kh*kw, N*oh*ow]. */
    void im2col(Storage in, Storage out, Window g);

    /** col2im of [C*kh*kw, N*oh*ow] into [N, C, H, W], overlaps summed into out. */
    void col2im(Storage cols, Storage out, Window g);

    /** float32 convolution forward of in [N, C, H, W] with w [o, C, kh, kw]; bias may be null. */
    void conv2dForward(Storage in, Storage w, Storage bias, Storage out, int o, Window g);

    /** float32 convolution backward given the output gradient go; gx (zeroed), gw, gb may be null. */
    void conv2dBackward(Storage in, Storage w, Storage go, int o, Window g, Storage gx, Storage gw, Storage gb);

    /** Max pooling of float32/float64 planes; writes values and int64 flat indices into each H*W plane. */
    void maxPool2d(Storage in, Storage out, Storage idx, int planes, Window g);

    /** Max pooling's gradient: g (from element go) added into out (zeroed) at the flat plane positions idx (from io). */
    void maxPoolBackward(Storage g, int go, Storage idx, int io, Storage out, int planes, int l, int hw);

    /**
     * Adaptive max pooling's argmax: for each of {@code planes} [h, w] planes of x (any dtype, any strides,
     * shape [planes, h, w]) and each of the oh x ow adaptive windows, the flat plane index of the first maximum
     * (a NaN wins) into the int64 storage idx [planes, oh * ow].
     */
    void adaptiveMaxPool2dIndices(Strided x, int oh, int ow, Storage idx);

    /** ReLU's gradient given its output y (threshold_backward): out[i] = y[yo + i] > 0 ? g[go + i] : 0, NaN passes. */
    void reluBackward(Storage g, int go, Storage y, int yo, Storage out, int n);

    /** Per-channel batch mean and biased variance of a float32 [N, C, S] storage. */
    void batchNormStats(Storage x, int n, int c, int s, double[] mean, double[] var);

    /** y = x * scale[ch] + shift[ch] over float32 [N, C, S]. */
    void batchNormApply(Storage x, Storage y, int n, int c, int s, float[] scale, float[] shift);

    /** Batch norm's float32 gradients; w, gx, gw, gb may be null. */
    void batchNormBackward(Storage x, Storage g, int n, int c, int s, double[] mean, double[] invstd,
                           Storage w, boolean training, Storage gx, Storage gw, Storage gb);
}
