package org.grad4j.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Java side of the kernels' {@code struct Window2d}: the geometry of a 2-d sliding window
 * (im2col/col2im, max/avg pooling) over a {@code [channels, height, width]} plane, as 16 ints.
 *
 * <pre>{@code
 * // 3x3 conv, stride 1, padding 1 over 28x28 single-channel images
 * Window2d w = new Window2d(1, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, 28, 28, false, 0);
 * }</pre>
 */
record Window2d(int channels, int height, int width, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                int outH, int outW, boolean countIncludePad, int divisorOverride) {
    /** sizeof(Window2d) and its alignment. */
    static final int BYTES = 64, ALIGN = 4;

    Window2d {
        if (channels < 0 || height < 0 || width < 0 || outH < 0 || outW < 0 || kh < 1 || kw < 1 || sh < 1 || sw < 1
                || dh < 1 || dw < 1 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException("cuda window: sizes must be non-negative and kernel, stride and dilation"
                    + " positive, got " + this + ". Fix: compute the window as the op's shape check does");
        }
    }

    /** The struct's 16 ints, little-endian, in declaration order (the last int is padding). */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[]{channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW,
                countIncludePad ? 1 : 0, divisorOverride, 0}) b.putInt(v);
        return b.array();
    }
}
