package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.ConvTranspose2d(in, out, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1)}.
 * Weight [in, out/groups, k...].
 */
public class ConvTranspose2d extends ConvNd {
    public ConvTranspose2d(int in, int out, int kernelSize) { this(in, out, kernelSize, 1, 0); }

    public ConvTranspose2d(int in, int out, int kernelSize, int stride, int padding) {
        this(in, out, new int[]{kernelSize}, new int[]{stride}, new int[]{padding}, new int[]{0}, 1, true, new int[]{1});
    }

    public ConvTranspose2d(int in, int out, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding, int groups,
                           boolean bias, int[] dilation) {
        super(2, in, out, kernelSize, stride, padding, null, dilation, groups, bias, true, outputPadding);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.convTranspose2d(input, weight(), bias(), stride, padding, outputPadding, groups, dilation);
    }
}
