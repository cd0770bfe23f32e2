package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True)}.
 * Padding may also be "same" or "valid". Weight [out, in/groups, k...] with PyTorch's default init.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(1, 6, 5);                   // kernel 5, stride 1, no padding
 * Conv2d same = new Conv2d(6, 16, new int[]{3}, new int[]{1}, "same", new int[]{1}, 1, true);
 * }</pre>
 */
public class Conv2d extends ConvNd {
    public Conv2d(int in, int out, int kernelSize) { this(in, out, kernelSize, 1, 0); }

    public Conv2d(int in, int out, int kernelSize, int stride, int padding) {
        this(in, out, new int[]{kernelSize}, new int[]{stride}, new int[]{padding}, new int[]{1}, 1, true);
    }

    public Conv2d(int in, int out, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups, boolean bias) {
        super(2, in, out, kernelSize, stride, padding, null, dilation, groups, bias, false, new int[]{0});
    }

    /** With padding "same" or "valid". */
    public Conv2d(int in, int out, int[] kernelSize, int[] stride, String padding, int[] dilation, int groups, boolean bias) {
        super(2, in, out, kernelSize, stride, null, padding, dilation, groups, bias, false, new int[]{0});
    }

    @Override
    public Tensor forward(Tensor input) {
        return paddingString != null
                ? F.conv2d(input, weight(), bias(), stride, paddingString, dilation, groups)
                : F.conv2d(input, weight(), bias(), stride, padding, dilation, groups);
    }
}
