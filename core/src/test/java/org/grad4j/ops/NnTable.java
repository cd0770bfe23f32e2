package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;
import org.grad4j.nn.functional.F;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.i64;
import static org.grad4j.ops.OpTable.in;
import static org.grad4j.ops.Samples.a;
import static org.grad4j.ops.Samples.constant;
import static org.grad4j.ops.Samples.fixed;
import static org.grad4j.ops.Samples.s;
import static org.grad4j.ops.Samples.step;
import static org.grad4j.ops.Samples.t;

/** torch.nn.functional: linear, convolution, pooling, normalization, dropout, embedding, resampling, attention, distances. */
final class NnTable {
    private NnTable() {}

    private static final String N = "nn.functional";

    static OpInfo nn(String name, String call, GradCheck.Fn fn, String... torch) {
        return OpTable.op(N, name, call, fn, torch);
    }

    /** 0, 1, ..., n-1 in float64, reshaped. */
    static Tensor ar(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return Grad4j.arange(0.0, n, 1.0, DType.FLOAT64).reshape(shape);
    }

    static int[] is(int... v) { return v; }

    private static Tensor m(double[][] v) { return f64(v); }

    /** A fresh generator with a fixed seed per call, so that dropout masks repeat across gradcheck's evaluations. */
    private static Generator gen() { return new Generator().manualSeed(3); }

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        linear(l);
        conv(l);
        pool(l);
        norm(l);
        misc(l);
        return l;
    }

    private static void linear(List<OpInfo> l) {
        l.add(nn("linear", "F.linear(x, weight, bias)", in -> F.linear(in[0], in[1], in[2]), "torch.nn.functional.linear", "F.linear")
                .note("module `torch.nn.Linear`").sample(s(a(3, 4), a(2, 4), a(2))).sample(s(t(3, 4), step(2, 4), a(2))).sample(s(a(2, 3, 4), a(5, 4), a(5)))
                .known(in(() -> m(new double[][]{{1, 2}}), () -> m(new double[][]{{1, 0}, {0, 1}, {1, 1}}), () -> f64(0, 0, 1)), m(new double[][]{{1, 2, 4}}))
                .error("in_features mismatch", () -> F.linear(Grad4j.zeros(2, 3), Grad4j.zeros(4, 2)), "cannot be multiplied"));
        l.add(nn("bilinear", "F.bilinear(x1, x2, weight, bias)", in -> F.bilinear(in[0], in[1], in[2], in[3]), "torch.nn.functional.bilinear", "F.bilinear")
                .note("module `torch.nn.Bilinear`").sample(s(a(3, 2), a(3, 4), a(5, 2, 4), a(5))).sample(s(t(3, 2), step(3, 4), a(2, 2, 4), a(2)))
                .known(() -> new Tensor[]{m(new double[][]{{1, 2}}), m(new double[][]{{3}}), f64(1, 1).reshape(1, 2, 1), f64(0.5)}, m(new double[][]{{9.5}}))
                .error("in1 mismatch", () -> F.bilinear(Grad4j.zeros(1, 3), Grad4j.zeros(1, 1), Grad4j.zeros(1, 2, 1), null), "must match weight"));
    }

    private static void conv(List<OpInfo> l) {
        Tensor one = Grad4j.ones(new int[]{1, 1, 2, 2}, DType.FLOAT64);
        l.add(nn("conv1d", "F.conv1d(x, weight, bias, stride, padding, dilation, groups)",
                in -> F.conv1d(in[0], in[1], in[2], is(2), is(1), is(1), 1), "torch.nn.functional.conv1d", "F.conv1d")
                .note("module `torch.nn.Conv1d`")
                .sample(s(a(2, 3, 7), a(4, 3, 3), a(4))).sample(s(step(2, 3, 7), a(4, 3, 3), a(4)))
                .known(in(() -> f64(1, 2, 3, 4, 5).reshape(1, 1, 5), () -> f64(1, 1, 1).reshape(1, 1, 3), () -> f64(0.5)), f64(3.5, 9.5, 9.5).reshape(1, 1, 3)));
        l.add(nn("conv1d_same", "F.conv1d(x, weight, null, stride, \"same\", dilation, groups)",
                in -> F.conv1d(in[0], in[1], null, is(1), "same", is(2), 1), "F.conv1d(padding='same', dilation=2)")
                .sample(s(a(1, 2, 6), a(3, 2, 3))).sample(s(t(1, 2, 6), a(3, 2, 3)))
                .known(in(() -> f64(1, 2, 3, 4).reshape(1, 1, 4), () -> f64(1, 1, 1).reshape(1, 1, 3)), f64(4, 6, 4, 6).reshape(1, 1, 4))
                .error("bad padding string", () -> F.conv1d(Grad4j.zeros(1, 1, 4), Grad4j.zeros(1, 1, 3), null, is(1), "full", is(1), 1), "Invalid padding string"));
        l.add(nn("conv2d", "F.conv2d(x, weight, bias, stride, padding, dilation, groups)",
                in -> F.conv2d(in[0], in[1], in[2], is(2, 1), is(1, 2), is(1, 2), 1), "torch.nn.functional.conv2d", "F.conv2d")
                .note("module `torch.nn.Conv2d`").node("ConvolutionBackward0")
                .sample(s(a(1, 2, 6, 5), a(2, 2, 3, 2), a(2))).sample(s(t(1, 2, 5, 6), a(2, 2, 3, 2), a(2)))
                .known(in(() -> ar(1, 1, 3, 3), () -> one, () -> f64(0)), f64(0, 1, 2, 1, 2, 9, 11, 22, 11, 13).reshape(1, 1, 2, 5))
                .error("channel mismatch", () -> F.conv2d(Grad4j.zeros(1, 3, 4, 4), Grad4j.zeros(2, 2, 3, 3)), "channels"));
        l.add(nn("conv2d_plain", "F.conv2d(x, weight, bias)", in -> F.conv2d(in[0], in[1], in[2]), "F.conv2d(x, w, b)").node("ConvolutionBackward0")
                .sample(s(a(2, 2, 5, 5), a(3, 2, 3, 3), a(3))).sample(s(t(2, 4, 3), a(3, 2, 2, 2), a(3)))
                .known(in(() -> ar(1, 1, 3, 3), () -> one, () -> f64(1)), f64(9, 13, 21, 25).reshape(1, 1, 2, 2))
                .error("3-d weight", () -> F.conv2d(Grad4j.zeros(1, 1, 4, 4), Grad4j.zeros(1, 1, 3)), "weight"));
        l.add(nn("conv2d_groups", "F.conv2d(x, weight, null, stride, padding, dilation, groups)",
                in -> F.conv2d(in[0], in[1], null, is(1), is(1), is(1), 2), "F.conv2d(groups=2)")
                .sample(s(a(1, 4, 4, 4), a(4, 2, 3, 3))).sample(s(step(1, 4, 3, 3), a(2, 2, 2, 2)))
                .known(in(() -> f64(1, 2).reshape(1, 2, 1, 1), () -> f64(3, 4).reshape(2, 1, 1, 1)),
                        f64(0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0).reshape(1, 2, 3, 3))
                .error("groups not dividing", () -> F.conv2d(Grad4j.zeros(1, 3, 4, 4), Grad4j.zeros(2, 1, 1, 1), null, is(1), is(0), is(1), 2), "groups"));
        l.add(nn("conv2d_same", "F.conv2d(x, weight, null, stride, \"same\", dilation, groups)",
                in -> F.conv2d(in[0], in[1], null, is(1), "same", is(1), 1), "F.conv2d(padding='same')").node("ConvolutionBackward0")
                .sample(s(a(1, 1, 4, 5), a(2, 1, 2, 4))).sample(s(t(1, 1, 5, 4), a(2, 1, 3, 3)))
                .known(in(() -> ar(1, 1, 2, 2), () -> one), f64(6, 4, 5, 3).reshape(1, 1, 2, 2))
                .error("same with stride", () -> F.conv2d(Grad4j.zeros(1, 1, 4, 4), Grad4j.zeros(1, 1, 3, 3), null, is(2), "same", is(1), 1), "strided"));
        l.add(nn("conv3d", "F.conv3d(x, weight, bias, stride, padding, dilation, groups)",
                in -> F.conv3d(in[0], in[1], in[2], is(1, 2, 1), is(1, 0, 1), is(1), 1), "torch.nn.functional.conv3d", "F.conv3d")
                .note("module `torch.nn.Conv3d`").gradgradSamples(1).sample(s(a(1, 2, 3, 4, 3), a(2, 2, 2, 2, 2), a(2)))
                .known(in(() -> Grad4j.ones(new int[]{1, 1, 2, 2, 2}, DType.FLOAT64), () -> Grad4j.ones(new int[]{1, 1, 2, 2, 2}, DType.FLOAT64), () -> f64(1)),
                        f64(3, 5, 3, 5, 9, 5, 3, 5, 3).reshape(1, 1, 3, 1, 3)));
        l.add(nn("conv_transpose1d", "F.convTranspose1d(x, weight, bias, stride, padding)",
                in -> F.convTranspose1d(in[0], in[1], in[2], 2, 0), "torch.nn.functional.conv_transpose1d", "F.conv_transpose1d")
                .note("module `torch.nn.ConvTranspose1d`").sample(s(a(2, 2, 4), a(2, 3, 3), a(3))).sample(s(step(2, 2, 4), a(2, 3, 3), a(3)))
                .known(in(() -> f64(1, 2).reshape(1, 1, 2), () -> f64(1, 1).reshape(1, 1, 2), () -> f64(0)), f64(1, 1, 2, 2).reshape(1, 1, 4)));
        l.add(nn("conv_transpose2d", "F.convTranspose2d(x, weight, bias, stride, padding, outputPadding, groups, dilation)",
                in -> F.convTranspose2d(in[0], in[1], in[2], is(2), is(1), is(1), 1, is(1)), "torch.nn.functional.conv_transpose2d", "F.conv_transpose2d")
                .note("module `torch.nn.ConvTranspose2d`")
                .sample(s(a(1, 2, 3, 3), a(2, 3, 3, 3), a(3))).sample(s(t(1, 2, 3, 3), a(2, 3, 3, 3), a(3)))
                .known(in(() -> f64(2).reshape(1, 1, 1, 1), () -> f64(1, 2, 3, 4).reshape(1, 1, 2, 2), () -> f64(0)), f64(8).reshape(1, 1, 1, 1))
                .error("output padding too big", () -> F.convTranspose2d(Grad4j.zeros(1, 1, 2, 2), Grad4j.zeros(1, 1, 2, 2), null, is(1), is(0), is(1), 1, is(1)),
                        "output padding must be smaller"));
        l.add(nn("conv_transpose2d_groups", "F.convTranspose2d(x, weight, null, stride, padding, outputPadding, groups, dilation)",
                in -> F.convTranspose2d(in[0], in[1], null, is(1), is(0), is(0), 2, is(2)), "F.conv_transpose2d(groups=2, dilation=2)")
                .sample(s(a(1, 4, 3, 3), a(4, 1, 2, 2)))
                .known(in(() -> f64(2, 1).reshape(1, 2, 1, 1), () -> f64(1, 2, 3, 4, 1, 1, 1, 1).reshape(2, 1, 2, 2)),
                        f64(2, 0, 4, 0, 0, 0, 6, 0, 8, 1, 0, 1, 0, 0, 0, 1, 0, 1).reshape(1, 2, 3, 3)));
        l.add(nn("unfold", "F.unfold(x, kernelSize, dilation, padding, stride)", in -> F.unfold(in[0], is(2, 3), is(1), is(1), is(2, 1)),
                "torch.nn.functional.unfold", "F.unfold").note("module `torch.nn.Unfold`").sample(s(a(2, 2, 4, 4))).sample(s(t(2, 2, 4, 4)))
                .known(in(() -> ar(1, 1, 2, 3)), m(new double[][]{{0, 0, 0, 0, 3, 4}, {0, 0, 0, 3, 4, 5}, {0, 0, 0, 4, 5, 0},
                        {0, 0, 1, 0, 0, 0}, {0, 1, 2, 0, 0, 0}, {1, 2, 0, 0, 0, 0}}).unsqueeze(0))
                .error("3-d input", () -> F.unfold(Grad4j.zeros(1, 4, 4), 2), "Only 4D input"));
        l.add(nn("fold", "F.fold(x, outputSize, kernelSize, dilation, padding, stride)", in -> F.fold(in[0], is(4, 5), is(2, 2), is(1), is(0), is(1)),
                "torch.nn.functional.fold", "F.fold").note("module `torch.nn.Fold`").node("Col2ImBackward0").sample(s(a(2, 8, 12))).sample(s(step(2, 8, 12)))
                .known(in(() -> Grad4j.ones(new int[]{1, 4, 12}, DType.FLOAT64)), f64(1, 2, 2, 1).outer(f64(1, 2, 2, 2, 1)).reshape(1, 1, 4, 5))
                .error("C*k*k not dividing", () -> F.fold(Grad4j.zeros(1, 5, 12), is(4, 5), 2), "divisible"));
    }

    private static double bn(double centred, double var) { return centred / Math.sqrt(var + 1e-5); }

    private static void pool(List<OpInfo> l) {
        l.add(nn("max_pool1d", "F.maxPool1d(x, kernelSize, stride, padding, dilation, ceilMode)", in -> F.maxPool1d(in[0], 3, 2, 1, 1, true),
                "torch.nn.functional.max_pool1d", "F.max_pool1d").note("module `torch.nn.MaxPool1d`").sample(s(a(2, 3, 8))).sample(s(step(2, 3, 8)))
                .known(in(() -> f64(1, 3, 2, 4, 5).reshape(1, 1, 5)), f64(3, 4, 5).reshape(1, 1, 3))
                .error("2-d weight-like input", () -> F.maxPool1d(Grad4j.zeros(1, 1, 1, 4), 2), "Expected"));
        l.add(nn("max_pool1d_indices", "F.maxPool1dWithIndices(x, ...)[1]", in -> F.maxPool1dWithIndices(in[0], 3, 2, 1, 1, true)[1],
                "F.max_pool1d(return_indices=True)").grad(OpInfo.Grad.NONE).keepsFloatDtype(false).sample(s(a(2, 3, 8)))
                .known(in(() -> f64(1, 3, 2, 4, 5).reshape(1, 1, 5)), i64(1, 3, 4).reshape(1, 1, 3)));
        l.add(nn("max_pool2d", "F.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode)",
                in -> F.maxPool2d(in[0], is(2), is(2), is(0), is(1), true), "torch.nn.functional.max_pool2d", "F.max_pool2d")
                .note("module `torch.nn.MaxPool2d`").node("MaxPool2DWithIndicesBackward0").sample(s(a(1, 2, 5, 5))).sample(s(t(2, 2, 4, 5)))
                .known(in(() -> ar(1, 1, 3, 3)), f64(4, 5, 7, 8).reshape(1, 1, 2, 2)));
        l.add(nn("max_pool2d_pad_dilation", "F.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode)",
                in -> F.maxPool2d(in[0], is(3), is(2), is(1), is(1, 2), true), "F.max_pool2d(padding=1, dilation=(1, 2), ceil_mode=True)").node("MaxPool2DWithIndicesBackward0")
                .sample(s(a(1, 2, 6, 7))).known(in(() -> ar(1, 1, 3, 4)), f64(7, 7, 11, 11).reshape(1, 1, 2, 2))
                .error("pad > kernel/2", () -> F.maxPool2d(Grad4j.zeros(1, 1, 4, 4), 2, 2, 2), "pad"));
        l.add(nn("max_pool2d_indices", "F.maxPool2dWithIndices(x, ...)[1]", in -> F.maxPool2dWithIndices(in[0], is(2), is(2), is(0), is(1), true)[1],
                "F.max_pool2d(return_indices=True)").grad(OpInfo.Grad.NONE).keepsFloatDtype(false).sample(s(a(1, 2, 5, 5)))
                .known(in(() -> ar(1, 1, 3, 3).flip(-1, -2)), i64(0, 2, 6, 8).reshape(1, 1, 2, 2)));
        l.add(nn("avg_pool1d", "F.avgPool1d(x, kernelSize, stride, padding, ceilMode, countIncludePad)", in -> F.avgPool1d(in[0], 2, 1, 1, false, true),
                "torch.nn.functional.avg_pool1d", "F.avg_pool1d").note("module `torch.nn.AvgPool1d`").sample(s(a(2, 2, 5))).sample(s(step(2, 2, 5)))
                .known(in(() -> f64(1, 3, 2, 4).reshape(1, 1, 4)), f64(0.5, 2, 2.5, 3, 2).reshape(1, 1, 5)));
        l.add(nn("avg_pool2d", "F.avgPool2d(x, kernelSize)", in -> F.avgPool2d(in[0], 2), "torch.nn.functional.avg_pool2d", "F.avg_pool2d")
                .note("module `torch.nn.AvgPool2d`").sample(s(a(2, 2, 4, 6))).sample(s(t(2, 2, 4, 4)))
                .known(in(() -> ar(1, 1, 4, 4)), f64(2.5, 4.5, 10.5, 12.5).reshape(1, 1, 2, 2))
                .error("pad > kernel/2", () -> F.avgPool2d(Grad4j.zeros(1, 1, 4, 4), 2, 2, 2), "pad should be at most half"));
        l.add(nn("avg_pool2d_ceil_exclude_pad", "F.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)",
                in -> F.avgPool2d(in[0], is(2), is(2), is(1), true, false, null), "F.avg_pool2d(padding=1, ceil_mode=True, count_include_pad=False)")
                .sample(s(a(2, 2, 5, 6))).sample(s(t(1, 2, 5, 5))).known(in(() -> ar(1, 1, 3, 3)), f64(0, 1.5, 4.5, 6).reshape(1, 1, 2, 2)));
        l.add(nn("adaptive_avg_pool1d", "F.adaptiveAvgPool1d(x, size)", in -> F.adaptiveAvgPool1d(in[0], 2),
                "torch.nn.functional.adaptive_avg_pool1d", "F.adaptive_avg_pool1d").note("module `torch.nn.AdaptiveAvgPool1d`")
                .sample(s(a(2, 3, 6))).sample(s(step(2, 3, 5))).known(in(() -> f64(1, 2, 3, 4, 5).reshape(1, 1, 5)), f64(2, 4).reshape(1, 1, 2)));
        l.add(nn("adaptive_avg_pool2d", "F.adaptiveAvgPool2d(x, oh, ow)", in -> F.adaptiveAvgPool2d(in[0], 2, 3),
                "torch.nn.functional.adaptive_avg_pool2d", "F.adaptive_avg_pool2d").note("module `torch.nn.AdaptiveAvgPool2d`")
                .sample(s(a(2, 2, 7, 5))).sample(s(t(2, 2, 4, 5))).known(in(() -> ar(1, 1, 2, 4)), f64(0.5, 1.5, 2.5, 4.5, 5.5, 6.5).reshape(1, 1, 2, 3))
                .error("2-d input", () -> F.adaptiveAvgPool2d(Grad4j.zeros(4, 4), 2), "Expected 3D or 4D"));
        l.add(nn("adaptive_max_pool2d", "F.adaptiveMaxPool2d(x, oh, ow)", in -> F.adaptiveMaxPool2d(in[0], 2, 3),
                "torch.nn.functional.adaptive_max_pool2d", "F.adaptive_max_pool2d").note("module `torch.nn.AdaptiveMaxPool2d`")
                .sample(s(a(2, 2, 7, 5))).sample(s(t(2, 2, 4, 5))).known(in(() -> ar(1, 1, 2, 4)), f64(1, 2, 3, 5, 6, 7).reshape(1, 1, 2, 3)));
        l.add(nn("adaptive_max_pool2d_indices", "F.adaptiveMaxPool2dWithIndices(x, oh, ow)[1]", in -> F.adaptiveMaxPool2dWithIndices(in[0], 2, 3)[1],
                "F.adaptive_max_pool2d(return_indices=True)").grad(OpInfo.Grad.NONE).keepsFloatDtype(false).sample(s(a(2, 2, 7, 5)))
                .known(in(() -> ar(1, 1, 2, 4).flip(-1)), i64(0, 1, 2, 4, 5, 6).reshape(1, 1, 2, 3)));
        l.add(nn("avg_pool2d_divisor_override", "F.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)",
                in -> F.avgPool2d(in[0], is(2), is(2), is(0), false, true, 3), "F.avg_pool2d(divisor_override=3)").sample(s(a(2, 2, 4, 6)))
                .known(in(() -> ar(1, 1, 4, 4)), f64(10, 18, 42, 50).div(3).reshape(1, 1, 2, 2))
                .error("zero divisor", () -> F.avgPool2d(Grad4j.zeros(1, 1, 4, 4), is(2), is(2), is(0), false, true, 0), "divisor must be not zero"));
        l.add(nn("pixel_shuffle", "F.pixelShuffle(x, r)", in -> F.pixelShuffle(in[0], 2), "torch.nn.functional.pixel_shuffle", "F.pixel_shuffle")
                .note("module `torch.nn.PixelShuffle`").sample(s(a(1, 8, 2, 3))).sample(s(t(1, 4, 3, 2)))
                .known(in(() -> ar(1, 4, 1, 1)), ar(1, 1, 2, 2)).error("channels not divisible", () -> F.pixelShuffle(Grad4j.zeros(1, 3, 2, 2), 2), "divisible"));
        l.add(nn("pixel_unshuffle", "F.pixelUnshuffle(x, r)", in -> F.pixelUnshuffle(in[0], 2), "torch.nn.functional.pixel_unshuffle", "F.pixel_unshuffle")
                .note("module `torch.nn.PixelUnshuffle`").sample(s(a(1, 2, 4, 2))).sample(s(t(1, 1, 4, 4))).known(in(() -> ar(1, 1, 2, 2)), ar(1, 4, 1, 1)));
        l.add(nn("interpolate_nearest", "F.interpolate(x, size, \"nearest\", null)", in -> F.interpolate(in[0], is(4), "nearest", null),
                "torch.nn.functional.interpolate", "F.interpolate(mode='nearest')", "F.upsample_nearest").note("module `torch.nn.Upsample`")
                .sample(s(a(2, 3, 3))).sample(s(step(2, 3, 3))).known(in(() -> f64(1, 2).reshape(1, 1, 2)), f64(1, 1, 2, 2).reshape(1, 1, 4))
                .error("unknown mode", () -> F.interpolate(Grad4j.zeros(1, 1, 2), is(4), "cubic", null), "unsupported mode"));
        l.add(nn("interpolate_nearest_exact", "F.interpolate(x, size, \"nearest-exact\", null)", in -> F.interpolate(in[0], is(2, 3), "nearest-exact", null),
                "F.interpolate(mode='nearest-exact')").sample(s(a(1, 2, 3, 2))).sample(s(t(1, 1, 4, 4)))
                .known(in(() -> f64(1, 2, 3).reshape(1, 1, 1, 3)), f64(1, 2, 3, 1, 2, 3).reshape(1, 1, 2, 3)));
        l.add(nn("interpolate_linear", "F.interpolate(x, size, \"linear\", false)", in -> F.interpolate(in[0], is(4), "linear", false),
                "F.interpolate(mode='linear')").sample(s(a(2, 3, 2))).sample(s(step(2, 3, 3)))
                .known(in(() -> f64(0, 1).reshape(1, 1, 2)), f64(0, 0.25, 0.75, 1).reshape(1, 1, 4))
                .error("linear on 4-d input", () -> F.interpolate(Grad4j.zeros(1, 1, 2, 2), is(4, 4), "linear", false), "expects a 3"));
        double[] r = {0, 0.25, 0.75, 1};
        double[] bil = new double[16];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) bil[i * 4 + j] = 2 * r[i] + r[j];
        l.add(nn("interpolate_bilinear", "F.interpolate(x, scaleFactor, \"bilinear\", false)", in -> F.interpolate(in[0], 2.0, "bilinear", false),
                "F.interpolate(mode='bilinear')", "F.upsample_bilinear").sample(s(a(1, 2, 3, 2))).sample(s(t(1, 2, 3, 3)))
                .known(in(() -> ar(1, 1, 2, 2)), Grad4j.fromArray(bil, 1, 1, 4, 4))
                .error("align_corners with nearest", () -> F.interpolate(Grad4j.zeros(1, 1, 2), is(4), "nearest", true), "align_corners"));
        l.add(nn("interpolate_bilinear_align_corners", "F.interpolate(x, size, \"bilinear\", true)", in -> F.interpolate(in[0], is(3, 3), "bilinear", true),
                "F.interpolate(mode='bilinear', align_corners=True)").sample(s(a(1, 2, 2, 4))).sample(s(t(1, 1, 2, 2)))
                .known(in(() -> ar(1, 1, 2, 2)), f64(0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3).reshape(1, 1, 3, 3)));
    }

    private static void norm(List<OpInfo> l) {
        double u = 1 / Math.sqrt(1 + 1e-5);
        l.add(nn("batch_norm_training", "F.batchNorm(x, runningMean, runningVar, weight, bias, true, momentum, eps)",
                in -> F.batchNorm(in[0], Grad4j.zeros(new int[]{in[0].size(1)}, in[0].dtype(), in[0].device()), Grad4j.ones(new int[]{in[0].size(1)}, in[0].dtype(), in[0].device()),
                        in[1], in[2], true, 0.1, 1e-5), "torch.nn.functional.batch_norm", "F.batch_norm(training=True)")
                .note("modules `torch.nn.BatchNorm1d/2d/3d` in train()").sample(s(a(4, 3), a(3), a(3))).sample(s(t(2, 3, 2, 2), a(3), a(3)))
                .sample(s(step(3, 2, 4), a(2), a(2)))
                .known(in(() -> f64(1, 3).reshape(2, 1), () -> f64(2), () -> f64(1)), f64(1 - 2 * u, 1 + 2 * u).reshape(2, 1))
                .error("one value per channel", () -> F.batchNorm(Grad4j.zeros(1, 3), null, null, true), "more than 1 value per channel"));
        l.add(nn("batch_norm_running_stats", "F.batchNorm(x, runningMean, runningVar, ..., true, momentum, eps)", in -> {
                    Tensor rm = Grad4j.zeros(new int[]{in[0].size(1)}, in[0].dtype(), in[0].device()), rv = Grad4j.ones(new int[]{in[0].size(1)}, in[0].dtype(), in[0].device());
                    F.batchNorm(in[0].detach(), rm, rv, null, null, true, 0.1, 1e-5);
                    return Grad4j.cat(List.of(rm, rv), 0);
                }, "F.batch_norm(running_mean, running_var, training=True) updates").grad(OpInfo.Grad.NONE).sample(s(a(4, 3))).sample(s(t(2, 3, 2)))
                .known(in(() -> f64(1, 3).reshape(2, 1)), f64(0.2, 1.1)));
        l.add(nn("batch_norm_eval", "F.batchNorm(x, runningMean, runningVar, weight, bias, false, momentum, eps)",
                in -> F.batchNorm(in[0], in[1], in[2], in[3], in[4], false, 0.1, 1e-5), "F.batch_norm(training=False)")
                .note("modules `torch.nn.BatchNorm1d/2d/3d` in eval()")
                .sample(s(a(4, 3), constant(() -> f64(0.5, -0.5, 1)), constant(() -> f64(1, 2, 0.5)), a(3), a(3)))
                .sample(s(t(2, 3, 4), constant(() -> f64(0.5, -0.5, 1)), constant(() -> f64(1, 2, 0.5)), a(3), a(3)))
                .known(() -> new Tensor[]{f64(3, 5).reshape(2, 1), f64(1), f64(4), f64(1), f64(0)}, f64(bn(2, 4), bn(4, 4)).reshape(2, 1))
                .error("no running stats in eval", () -> F.batchNorm(Grad4j.zeros(2, 3), null, null, false), "must be defined in evaluation mode"));
        double lv = 2.0 / 3;
        l.add(nn("layer_norm", "F.layerNorm(x, normalizedShape, weight, bias, eps)", in -> F.layerNorm(in[0], is(3), in[1], in[2], 1e-5),
                "torch.nn.functional.layer_norm", "F.layer_norm").note("module `torch.nn.LayerNorm`")
                .sample(s(a(2, 3), a(3), a(3))).sample(s(t(2, 3), a(3), a(3))).sample(s(a(2, 2, 3), step(3), a(3)))
                .known(in(() -> f64(1, 2, 3).reshape(1, 3), () -> f64(1, 1, 1), () -> f64(0, 0, 0)), f64(bn(-1, lv), 0, bn(1, lv)).reshape(1, 3))
                .error("shape mismatch", () -> F.layerNorm(Grad4j.zeros(2, 3), 4), "normalized_shape"));
        l.add(nn("group_norm", "F.groupNorm(x, numGroups, weight, bias, eps)", in -> F.groupNorm(in[0], 2, in[1], in[2], 1e-5),
                "torch.nn.functional.group_norm", "F.group_norm").note("module `torch.nn.GroupNorm`")
                .sample(s(a(2, 4, 3), a(4), a(4))).sample(s(t(2, 4, 3), a(4), a(4))).sample(s(a(1, 2, 2, 2), a(2), a(2)))
                .known(in(() -> f64(1, 3, 5, 9).reshape(1, 2, 2), () -> f64(1, 1), () -> f64(0, 0)), f64(bn(-1, 1), bn(1, 1), bn(-2, 4), bn(2, 4)).reshape(1, 2, 2))
                .error("channels not divisible", () -> F.groupNorm(Grad4j.zeros(1, 3, 2), 2), "divisible by num_groups"));
        l.add(nn("instance_norm", "F.instanceNorm(x, runningMean, runningVar, weight, bias, useInputStats, momentum, eps)",
                in -> F.instanceNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), "torch.nn.functional.instance_norm", "F.instance_norm")
                .note("modules `torch.nn.InstanceNorm1d/2d`").sample(s(a(2, 3, 4), a(3), a(3))).sample(s(step(2, 3, 4), a(3), a(3)))
                .known(in(() -> f64(1, 3).reshape(1, 1, 2), () -> f64(1), () -> f64(0)), f64(bn(-1, 1), bn(1, 1)).reshape(1, 1, 2))
                .error("2-d input", () -> F.instanceNorm(Grad4j.zeros(2, 3)), "at least 3 dims"));
        double rms = Math.sqrt(3 + Math.ulp(1.0));
        l.add(nn("rms_norm", "F.rmsNorm(x, normalizedShape, weight, eps)", in -> F.rmsNorm(in[0], is(3), in[1], null),
                "torch.nn.functional.rms_norm", "F.rms_norm").note("module `torch.nn.RMSNorm`").f32Tol(1e-4)
                .sample(s(a(2, 3), a(3))).sample(s(t(2, 3), a(3))).sample(s(a(2, 2, 3), step(3)))
                .known(in(() -> f64(1, 2, -2), () -> f64(1, 1, 1)), f64(1 / rms, 2 / rms, -2 / rms))
                .error("shape mismatch", () -> F.rmsNorm(Grad4j.zeros(2, 3), 4), "normalized_shape"));
        l.add(nn("normalize", "F.normalize(x, p, dim, eps)", in -> F.normalize(in[0], 2.0, 1, 1e-12), "torch.nn.functional.normalize", "F.normalize")
                .sample(s(a(2, 3))).sample(s(t(2, 3))).sample(s(a(2, 3, 2))).known(in(() -> f64(new double[][]{{3, 4}})), f64(new double[][]{{0.6, 0.8}})));
        l.add(nn("dropout", "F.dropout(x, p, training, generator)", in -> F.dropout(in[0], 0.4, true, gen()), "torch.nn.functional.dropout", "F.dropout")
                .note("module `torch.nn.Dropout`; the same seed gives the same mask; kept values are scaled by 1/(1-p); float32 and float64 inputs draw different masks")
                .f32Tol(1e300) // the masks differ by dtype: only the output dtype is compared
                .sample(s(a(3, 4))).sample(s(t(3, 4)))
                .known(in(() -> ar(4, 5)), ar(4, 5).mul(F.dropout(Grad4j.ones(new int[]{4, 5}, DType.FLOAT64), 0.4, true, gen()).mul(0.6).round().div(0.6)))
                .knownGrad(in(() -> ar(4, 5)), F.dropout(Grad4j.ones(new int[]{4, 5}, DType.FLOAT64), 0.4, true, gen()))
                .error("p > 1", () -> F.dropout(Grad4j.zeros(2), 1.5, true), "between 0 and 1"));
        l.add(nn("dropout_p0_and_eval", "F.dropout(x, 0, true) and F.dropout(x, p, false)",
                in -> F.dropout(in[0], 0.0, true, gen()).add(F.dropout(in[0], 0.7, false, gen())), "F.dropout(p=0)", "F.dropout(training=False)")
                .sample(s(a(3, 4))).known(in(() -> f64(1, -2)), f64(2, -4)));
        l.add(nn("dropout2d", "F.dropout2d(x, p, training, generator)", in -> F.dropout2d(in[0], 0.5, true, gen()), "torch.nn.functional.dropout2d", "F.dropout2d")
                .note("module `torch.nn.Dropout2d`: zeroes whole channels; float32 and float64 inputs draw different masks")
                .f32Tol(1e300) // the masks differ by dtype: only the output dtype is compared
                .sample(s(a(2, 3, 2, 2))).sample(s(t(2, 3, 2, 2)))
                .known(in(() -> ar(2, 4, 1, 2)), ar(2, 4, 1, 2).mul(F.dropout2d(Grad4j.ones(new int[]{2, 4, 1, 1}, DType.FLOAT64), 0.5, true, gen()).mul(0.5).round().div(0.5))));
    }

    private static void misc(List<OpInfo> l) {
        Tensor w = f64(new double[][]{{0, 0}, {1, 1}, {2, 2}});
        l.add(nn("embedding", "F.embedding(indices, weight)", in -> F.embedding(in[1], in[0]), "torch.nn.functional.embedding", "F.embedding")
                .note("module `torch.nn.Embedding`; weight is input 0 here").node("EmbeddingBackward0")
                .sample(s(a(4, 3), fixed(() -> i64(2, 0, 2, 3).reshape(2, 2)))).sample(s(t(4, 3), fixed(() -> i64(1))))
                .known(in(() -> w, () -> i64(2, 0)), m(new double[][]{{2, 2}, {0, 0}}))
                .knownGrad(in(() -> w.clone(), () -> i64(2, 0, 2)), m(new double[][]{{1, 1}, {0, 0}, {2, 2}}))
                .error("index out of range", () -> F.embedding(i64(3), w), "out of range"));
        l.add(nn("embedding_padding_idx", "F.embedding(indices, weight, paddingIdx)", in -> F.embedding(in[1], in[0], 0), "F.embedding(padding_idx=0)").node("EmbeddingBackward0")
                .note("the padding row is looked up but gets no gradient, so finite differences (which see it) would disagree: checked by the known gradient")
                .sample(s(a(4, 3), fixed(() -> i64(2, 1, 2, 3).reshape(2, 2))))
                .known(in(() -> w, () -> i64(2, 0)), m(new double[][]{{2, 2}, {0, 0}}))
                .knownGrad(in(() -> w.clone(), () -> i64(0, 1, 0)), m(new double[][]{{0, 0}, {1, 1}, {0, 0}})));
        l.add(nn("scaled_dot_product_attention", "F.scaledDotProductAttention(q, k, v)", in -> F.scaledDotProductAttention(in[0], in[1], in[2]),
                "torch.nn.functional.scaled_dot_product_attention", "F.scaled_dot_product_attention").note("used by `torch.nn.MultiheadAttention`")
                .sample(s(a(2, 3, 4), a(2, 5, 4), a(2, 5, 2))).sample(s(t(2, 3, 4), a(2, 5, 4), step(2, 5, 2)))
                .known(in(() -> Grad4j.zeros(new int[]{1, 1, 2}, DType.FLOAT64), () -> ar(1, 2, 2), () -> f64(1, 3).reshape(1, 2, 1)), f64(2).reshape(1, 1, 1)));
        Tensor z = Grad4j.zeros(new int[]{1, 2, 1}, DType.FLOAT64);
        l.add(nn("sdpa_causal", "F.scaledDotProductAttention(q, k, v, null, true)", in -> F.scaledDotProductAttention(in[0], in[1], in[2], null, true),
                "F.scaled_dot_product_attention(is_causal=True)").sample(s(a(2, 3, 4), a(2, 3, 4), a(2, 3, 2))).sample(s(t(1, 4, 2), a(1, 4, 2), a(1, 4, 3)))
                .known(in(() -> z, () -> z, () -> f64(1, 3).reshape(1, 2, 1)), f64(1, 2).reshape(1, 2, 1))
                .error("mask and causal", () -> F.scaledDotProductAttention(z, z, z, OpTable.bool(true), true), "either attn_mask or is_causal"));
        Tensor causal = OpTable.bool(true, false, true, true).reshape(2, 2);
        l.add(nn("sdpa_bool_mask", "F.scaledDotProductAttention(q, k, v, boolMask, false)", in -> F.scaledDotProductAttention(in[0], in[1], in[2], in[3], false),
                "F.scaled_dot_product_attention(attn_mask=bool)").sample(s(a(2, 2, 4), a(2, 2, 4), a(2, 2, 3), fixed(() -> causal)))
                .known(() -> new Tensor[]{z, z, f64(1, 3).reshape(1, 2, 1), causal}, f64(1, 2).reshape(1, 2, 1)));
        l.add(nn("sdpa_float_mask", "F.scaledDotProductAttention(q, k, v, floatMask, false)", in -> F.scaledDotProductAttention(in[0], in[1], in[2], in[3], false),
                "F.scaled_dot_product_attention(attn_mask=float)").sample(s(a(2, 3, 4), a(2, 5, 4), a(2, 5, 2), constant(() -> ar(3, 5).mul(0.1))))
                .known(() -> new Tensor[]{Grad4j.zeros(new int[]{1, 1, 1}, DType.FLOAT64), z, f64(1, 3).reshape(1, 2, 1), f64(0, Math.log(3)).reshape(1, 2)},
                        f64(2.5).reshape(1, 1, 1)));
        l.add(nn("cosine_similarity", "F.cosineSimilarity(x1, x2, dim, eps)", in -> F.cosineSimilarity(in[0], in[1], 1, 1e-8),
                "torch.nn.functional.cosine_similarity", "torch.cosine_similarity", "F.cosine_similarity").note("module `torch.nn.CosineSimilarity`")
                .sample(s(a(3, 4), a(3, 4))).sample(s(t(3, 4), a(1, 4))).sample(s(a(2, 3, 2), step(2, 3, 2)))
                .known(in(() -> f64(new double[][]{{1, 0}}), () -> f64(new double[][]{{1, 1}})), f64(1 / Math.sqrt(2))));
        double d = Math.hypot(3 - 1e-6, 4 - 1e-6);
        l.add(nn("pairwise_distance", "F.pairwiseDistance(x1, x2, p, eps, keepdim)", in -> F.pairwiseDistance(in[0], in[1], 2.0, 1e-6, false),
                "torch.nn.functional.pairwise_distance", "torch.pairwise_distance", "F.pairwise_distance").note("module `torch.nn.PairwiseDistance`").node("NormBackward1")
                .sample(s(a(3, 4), a(3, 4))).sample(s(t(3, 4), step(3, 4))).sample(s(a(3, 4), a(4)))
                .known(in(() -> f64(new double[][]{{0, 0}}), () -> f64(new double[][]{{3, 4}})), f64(d)));
        l.add(nn("sdpa_scale", "F.scaledDotProductAttention(q, k, v, null, 0, false, scale, null)",
                in -> F.scaledDotProductAttention(in[0], in[1], in[2], null, 0.0, false, 0.5, null), "F.scaled_dot_product_attention(scale=0.5)")
                .sample(s(a(2, 3, 4), a(2, 5, 4), a(2, 5, 2)))
                .known(in(() -> f64(1).reshape(1, 1, 1), () -> f64(0, 2 * Math.log(3)).reshape(1, 2, 1), () -> f64(1, 3).reshape(1, 2, 1)), f64(2.5).reshape(1, 1, 1)));
        l.add(nn("pairwise_distance_p1_keepdim", "F.pairwiseDistance(x1, x2, 1, eps, true)", in -> F.pairwiseDistance(in[0], in[1], 1.0, 0.0, true),
                "F.pairwise_distance(p=1, eps=0, keepdim=True)").sample(s(a(3, 4), a(3, 4))).sample(s(t(3, 4), a(4)))
                .known(in(() -> f64(new double[][]{{0, 0}}), () -> f64(new double[][]{{3, -4}})), f64(new double[][]{{7}})));
        l.add(nn("normalize_p1", "F.normalize(x, 1, dim, eps)", in -> F.normalize(in[0], 1.0, 0, 1e-12), "F.normalize(p=1, dim=0)")
                .sample(s(a(3, 2))).sample(s(t(3, 2))).known(in(() -> f64(1, -3)), f64(0.25, -0.75)));
        l.add(nn("pad", "F.pad(x, pad, value)", in -> F.pad(in[0], is(1, 2, -1, 1), 0.5), "torch.nn.functional.pad", "F.pad(x, pad, value=v)")
                .note("constant mode; negative pads crop; the other modes are `Grad4j.pad` (Shape and indexing)")
                .sample(s(a(2, 3, 3))).sample(s(t(2, 3, 3))).sample(s(step(3, 2)))
                .known(in(() -> f64(new double[][]{{1, 2}, {3, 4}})), f64(new double[][]{{0.5, 3, 4, 0.5, 0.5}, {0.5, 0.5, 0.5, 0.5, 0.5}})));
        l.add(nn("glu", "F.glu(x, dim)", in -> F.glu(in[0], -1), "torch.nn.functional.glu", "F.glu").note("module `torch.nn.GLU`")
                .sample(s(a(2, 4))).sample(s(t(2, 4))).known(in(() -> f64(new double[][]{{2, 0}})), f64(new double[][]{{1}}))
                .error("odd size", () -> F.glu(Grad4j.zeros(2, 3), -1), "Halving dimension must be even"));
        l.add(nn("softmin", "F.softmin(x, dim)", in -> F.softmin(in[0], 1), "torch.nn.functional.softmin", "F.softmin").note("module `torch.nn.Softmin`").node("SoftmaxBackward0")
                .sample(s(a(2, 3))).sample(s(t(2, 3))).known(in(() -> f64(new double[][]{{0, Math.log(3)}})), f64(new double[][]{{0.75, 0.25}})));
    }
}
