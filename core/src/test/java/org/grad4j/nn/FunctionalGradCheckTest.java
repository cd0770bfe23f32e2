package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** float64 gradcheck (and gradgradcheck where twice differentiable) of every nn.functional op and loss. */
class FunctionalGradCheckTest {
    private static final Generator GEN = new Generator().manualSeed(11);

    static Tensor rnd(int... shape) { return Grad4j.randn(shape, DType.FLOAT64, GEN).requiresGrad_(); }

    /** Values away from kinks (|x| >= 0.1) so finite differences do not straddle them. */
    static Tensor smooth(int... shape) {
        Tensor r = Grad4j.randn(shape, DType.FLOAT64, GEN);
        Tensor s = r.sign().where(r.sign().ne(0.0), Grad4j.onesLike(r));
        return r.add(s.mul(0.1)).detach().requiresGrad_();
    }

    static Tensor unif(int... shape) { return Grad4j.rand(shape, DType.FLOAT64, GEN).mul(0.8).add(0.1).detach().requiresGrad_(); }

    static Tensor ids(long bound, int... shape) { return Grad4j.randint(0, bound, shape, GEN); }

    static Tensor pm1(int... shape) { return Grad4j.randint(0, 2, shape, GEN).mul(2L).sub(1L).to(DType.FLOAT64); }

    record Case(String name, GradCheck.Fn fn, Supplier<Tensor[]> inputs, boolean twice) {}

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // linear and convolution
        c.add(new Case("linear", in -> F.linear(in[0], in[1], in[2]), () -> new Tensor[]{rnd(3, 4), rnd(2, 4), rnd(2)}, true));
        c.add(new Case("linear 3d input", in -> F.linear(in[0], in[1]), () -> new Tensor[]{rnd(2, 3, 4), rnd(5, 4)}, true));
        c.add(new Case("bilinear", in -> F.bilinear(in[0], in[1], in[2], in[3]),
                () -> new Tensor[]{rnd(3, 2), rnd(3, 4), rnd(5, 2, 4), rnd(5)}, true));
        c.add(new Case("conv2d", in -> F.conv2d(in[0], in[1], in[2]), () -> new Tensor[]{rnd(2, 2, 5, 5), rnd(3, 2, 3, 3), rnd(3)}, true));
        c.add(new Case("conv2d stride pad dil", in -> F.conv2d(in[0], in[1], in[2], new int[]{2, 1}, new int[]{1, 2}, new int[]{1, 2}, 1),
                () -> new Tensor[]{rnd(1, 2, 6, 5), rnd(2, 2, 3, 2), rnd(2)}, true));
        c.add(new Case("conv2d groups", in -> F.conv2d(in[0], in[1], null, new int[]{1}, new int[]{1}, new int[]{1}, 2),
                () -> new Tensor[]{rnd(1, 4, 4, 4), rnd(4, 2, 3, 3)}, true));
        c.add(new Case("conv2d same even kernel", in -> F.conv2d(in[0], in[1], null, new int[]{1}, "same", new int[]{1}, 1),
                () -> new Tensor[]{rnd(1, 1, 4, 5), rnd(2, 1, 2, 4)}, true));
        c.add(new Case("conv2d unbatched noncontig", in -> F.conv2d(in[0].transpose(1, 2), in[1], in[2]),
                () -> new Tensor[]{rnd(2, 5, 4), rnd(3, 2, 2, 2), rnd(3)}, true));
        c.add(new Case("conv1d", in -> F.conv1d(in[0], in[1], in[2], new int[]{2}, new int[]{1}, new int[]{1}, 1),
                () -> new Tensor[]{rnd(2, 3, 7), rnd(4, 3, 3), rnd(4)}, true));
        c.add(new Case("conv3d", in -> F.conv3d(in[0], in[1], in[2], new int[]{1, 2, 1}, new int[]{1, 0, 1}, new int[]{1}, 1),
                () -> new Tensor[]{rnd(1, 2, 3, 4, 3), rnd(2, 2, 2, 2, 2), rnd(2)}, true));
        c.add(new Case("conv_transpose2d", in -> F.convTranspose2d(in[0], in[1], in[2], new int[]{2}, new int[]{1}, new int[]{1}, 1, new int[]{1}),
                () -> new Tensor[]{rnd(1, 2, 3, 3), rnd(2, 3, 3, 3), rnd(3)}, true));
        c.add(new Case("conv_transpose2d groups", in -> F.convTranspose2d(in[0], in[1], null, new int[]{1}, new int[]{0}, new int[]{0}, 2, new int[]{2}),
                () -> new Tensor[]{rnd(1, 4, 3, 3), rnd(4, 1, 2, 2)}, true));
        c.add(new Case("conv_transpose1d", in -> F.convTranspose1d(in[0], in[1], in[2], 2, 0),
                () -> new Tensor[]{rnd(2, 2, 4), rnd(2, 3, 3), rnd(3)}, true));
        c.add(new Case("unfold", in -> F.unfold(in[0], new int[]{2, 3}, new int[]{1}, new int[]{1}, new int[]{2, 1}),
                () -> new Tensor[]{rnd(2, 2, 4, 4)}, true));
        c.add(new Case("fold", in -> F.fold(in[0], new int[]{4, 5}, new int[]{2, 2}, new int[]{1}, new int[]{0}, new int[]{1}),
                () -> new Tensor[]{rnd(2, 8, 12)}, true));
        c.add(new Case("pad", in -> F.pad(in[0], new int[]{1, 2, -1, 1}, 0.5), () -> new Tensor[]{rnd(2, 3, 3)}, true));
        // pooling
        c.add(new Case("max_pool2d", in -> F.maxPool2d(in[0], 2), () -> new Tensor[]{rnd(2, 2, 4, 6)}, true));
        c.add(new Case("max_pool2d pad ceil dil", in -> F.maxPool2d(in[0], new int[]{3}, new int[]{2}, new int[]{1}, new int[]{1, 2}, true),
                () -> new Tensor[]{rnd(1, 2, 6, 7)}, true));
        c.add(new Case("max_pool1d", in -> F.maxPool1d(in[0], 3, 2, 1, 1, true), () -> new Tensor[]{rnd(2, 3, 8)}, true));
        c.add(new Case("avg_pool2d", in -> F.avgPool2d(in[0], new int[]{3, 2}, new int[]{2}, new int[]{1}, true, false, null),
                () -> new Tensor[]{rnd(2, 2, 5, 6)}, true));
        c.add(new Case("avg_pool2d include pad", in -> F.avgPool2d(in[0], 3, 2, 1), () -> new Tensor[]{rnd(1, 2, 5, 5)}, true));
        c.add(new Case("avg_pool1d", in -> F.avgPool1d(in[0], 2, 1, 1, false, true), () -> new Tensor[]{rnd(2, 2, 5)}, true));
        c.add(new Case("adaptive_avg_pool2d", in -> F.adaptiveAvgPool2d(in[0], 3, 2), () -> new Tensor[]{rnd(2, 2, 7, 5)}, true));
        c.add(new Case("adaptive_avg_pool1d", in -> F.adaptiveAvgPool1d(in[0], 4), () -> new Tensor[]{rnd(2, 3, 6)}, true));
        c.add(new Case("adaptive_max_pool2d", in -> F.adaptiveMaxPool2d(in[0], 2, 3), () -> new Tensor[]{rnd(2, 2, 5, 7)}, true));
        c.add(new Case("interpolate bilinear", in -> F.interpolate(in[0], new int[]{5, 7}, "bilinear", false),
                () -> new Tensor[]{rnd(1, 2, 3, 4)}, true));
        c.add(new Case("interpolate bilinear align", in -> F.interpolate(in[0], 2.0, "bilinear", true),
                () -> new Tensor[]{rnd(1, 2, 3, 3)}, true));
        c.add(new Case("interpolate nearest", in -> F.interpolate(in[0], 2.0, "nearest", null), () -> new Tensor[]{rnd(2, 3, 4)}, true));
        c.add(new Case("pixel_shuffle", in -> F.pixelShuffle(in[0], 2), () -> new Tensor[]{rnd(1, 8, 2, 3)}, true));
        c.add(new Case("pixel_unshuffle", in -> F.pixelUnshuffle(in[0], 2), () -> new Tensor[]{rnd(1, 2, 4, 2)}, true));
        // normalization
        c.add(new Case("batch_norm train", in -> F.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5),
                () -> new Tensor[]{rnd(4, 3, 2, 2), rnd(3), rnd(3)}, true));
        c.add(new Case("batch_norm eval", in -> F.batchNorm(in[0], Grad4j.tensor(new double[]{0.1, -0.2, 0.3}, DType.FLOAT64),
                Grad4j.tensor(new double[]{1.5, 0.5, 2.0}, DType.FLOAT64), in[1], in[2], false, 0.1, 1e-5),
                () -> new Tensor[]{rnd(4, 3), rnd(3), rnd(3)}, true));
        c.add(new Case("layer_norm", in -> F.layerNorm(in[0], new int[]{3, 4}, in[1], in[2]),
                () -> new Tensor[]{rnd(2, 3, 4), rnd(3, 4), rnd(3, 4)}, true));
        c.add(new Case("group_norm", in -> F.groupNorm(in[0], 2, in[1], in[2], 1e-5),
                () -> new Tensor[]{rnd(2, 4, 3), rnd(4), rnd(4)}, true));
        c.add(new Case("instance_norm", in -> F.instanceNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5),
                () -> new Tensor[]{rnd(2, 3, 4), rnd(3), rnd(3)}, true));
        c.add(new Case("rms_norm", in -> F.rmsNorm(in[0], new int[]{4}, in[1], 1e-6), () -> new Tensor[]{rnd(3, 4), rnd(4)}, true));
        c.add(new Case("normalize", in -> F.normalize(in[0], 2.0, 1, 1e-12), () -> new Tensor[]{rnd(3, 4)}, true));
        c.add(new Case("normalize p1", in -> F.normalize(in[0], 3.0, 0, 1e-12), () -> new Tensor[]{smooth(3, 4)}, true));
        // embedding, attention, distances
        c.add(new Case("embedding", in -> F.embedding(Grad4j.tensor(new long[][]{{0, 2}, {1, 2}}), in[0], 3),
                () -> new Tensor[]{rnd(4, 3)}, true));
        c.add(new Case("sdpa", in -> F.scaledDotProductAttention(in[0], in[1], in[2]),
                () -> new Tensor[]{rnd(2, 3, 4), rnd(2, 5, 4), rnd(2, 5, 2)}, true));
        c.add(new Case("sdpa causal", in -> F.scaledDotProductAttention(in[0], in[1], in[2], null, true),
                () -> new Tensor[]{rnd(1, 2, 3, 4), rnd(1, 2, 3, 4), rnd(1, 2, 3, 4)}, true));
        c.add(new Case("sdpa float mask", in -> F.scaledDotProductAttention(in[0], in[1], in[2], in[3], false),
                () -> new Tensor[]{rnd(3, 4), rnd(2, 4), rnd(2, 3), rnd(3, 2)}, true));
        c.add(new Case("cosine_similarity", in -> F.cosineSimilarity(in[0], in[1]), () -> new Tensor[]{rnd(3, 4), rnd(3, 4)}, true));
        c.add(new Case("pairwise_distance", in -> F.pairwiseDistance(in[0], in[1]), () -> new Tensor[]{rnd(3, 4), rnd(3, 4)}, true));
        // softmax family
        c.add(new Case("softmax", in -> F.softmax(in[0], 1), () -> new Tensor[]{rnd(3, 4)}, true));
        c.add(new Case("softmax dim0 noncontig", in -> F.softmax(in[0].t(), 0), () -> new Tensor[]{rnd(3, 4)}, true));
        c.add(new Case("log_softmax", in -> F.logSoftmax(in[0], -1), () -> new Tensor[]{rnd(2, 3, 4)}, true));
        c.add(new Case("softmin", in -> F.softmin(in[0], 0), () -> new Tensor[]{rnd(3)}, true));
        // activations
        c.add(new Case("relu", in -> F.relu(in[0]), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("relu6", in -> F.relu6(in[0].mul(4.0)), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("leaky_relu", in -> F.leakyRelu(in[0], 0.2), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("elu", in -> F.elu(in[0], 1.5), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("selu", in -> F.selu(in[0]), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("celu", in -> F.celu(in[0], 0.7), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("gelu", in -> F.gelu(in[0]), () -> new Tensor[]{rnd(3, 4)}, true));
        c.add(new Case("gelu tanh", in -> F.gelu(in[0], "tanh"), () -> new Tensor[]{rnd(3, 4)}, true));
        c.add(new Case("silu", in -> F.silu(in[0]), () -> new Tensor[]{rnd(3, 4)}, true));
        c.add(new Case("mish", in -> F.mish(in[0]), () -> new Tensor[]{rnd(3, 4)}, true));
        c.add(new Case("softplus", in -> F.softplus(in[0], 2.0, 3.0), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("softsign", in -> F.softsign(in[0]), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("hardtanh", in -> F.hardtanh(in[0].mul(2.0), -1.0, 1.5), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("hardsigmoid", in -> F.hardsigmoid(in[0].mul(4.0)), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("hardswish", in -> F.hardswish(in[0].mul(4.0)), () -> new Tensor[]{smooth(3, 4)}, true));
        c.add(new Case("logsigmoid", in -> F.logsigmoid(in[0]), () -> new Tensor[]{rnd(3, 4)}, true));
        c.add(new Case("glu", in -> F.glu(in[0], 1), () -> new Tensor[]{rnd(3, 4)}, true));
        // losses
        for (String red : new String[]{"mean", "sum", "none"}) {
            c.add(new Case("mse " + red, in -> F.mseLoss(in[0], in[1], red), () -> new Tensor[]{rnd(3, 4), rnd(3, 4)}, true));
            c.add(new Case("cross_entropy " + red, in -> F.crossEntropy(in[0], Grad4j.tensor(new long[]{0, 3, 1}), red),
                    () -> new Tensor[]{rnd(3, 4)}, true));
        }
        c.add(new Case("l1", in -> F.l1Loss(in[0], in[1]), () -> new Tensor[]{smooth(3, 4), Grad4j.zeros(new int[]{3, 4}, DType.FLOAT64)}, true));
        c.add(new Case("smooth_l1", in -> F.smoothL1Loss(in[0], in[1], "mean", 0.5),
                () -> new Tensor[]{smooth(3, 4), Grad4j.zeros(new int[]{3, 4}, DType.FLOAT64)}, true));
        c.add(new Case("huber", in -> F.huberLoss(in[0], in[1], "sum", 0.7), () -> new Tensor[]{smooth(3, 4), rnd(3, 4).detach()}, true));
        c.add(new Case("cross_entropy weight ignore smoothing", in -> F.crossEntropy(in[0], Grad4j.tensor(new long[]{0, -100, 2, 1}),
                in[1], -100, "mean", 0.2), () -> new Tensor[]{rnd(4, 3), unif(3)}, true));
        c.add(new Case("cross_entropy 4d", in -> F.crossEntropy(in[0], Grad4j.tensor(new long[][][]{{{0, 1}, {2, 1}}, {{1, 1}, {0, 2}}})),
                () -> new Tensor[]{rnd(2, 3, 2, 2)}, true));
        c.add(new Case("cross_entropy probs", in -> F.crossEntropy(in[0], F.softmax(in[1], 1), in[2], -100, "mean", 0.1),
                () -> new Tensor[]{rnd(3, 4), rnd(3, 4), unif(4)}, true));
        c.add(new Case("nll_loss weight", in -> F.nllLoss(in[0], Grad4j.tensor(new long[]{2, 0, 2}), in[1], -100, "mean"),
                () -> new Tensor[]{rnd(3, 3), unif(3)}, true));
        c.add(new Case("bce", in -> F.binaryCrossEntropy(in[0], in[1], in[2], "mean"), () -> new Tensor[]{unif(3, 2), unif(3, 2), unif(3, 2)}, true));
        c.add(new Case("bce with logits pos_weight", in -> F.binaryCrossEntropyWithLogits(in[0], in[1], null, "mean", in[2]),
                () -> new Tensor[]{rnd(3, 2), unif(3, 2), unif(2)}, true));
        c.add(new Case("kl_div", in -> F.klDiv(in[0], in[1], "batchmean", false), () -> new Tensor[]{rnd(3, 2), unif(3, 2)}, true));
        c.add(new Case("kl_div log_target", in -> F.klDiv(in[0], in[1], "sum", true), () -> new Tensor[]{rnd(3, 2), rnd(3, 2)}, true));
        Tensor y5 = pm1(5), y6 = pm1(6), y32 = pm1(3, 2);
        c.add(new Case("margin_ranking", in -> F.marginRankingLoss(in[0], in[1], y5, 0.1, "mean"),
                () -> new Tensor[]{smooth(5), rnd(5).detach()}, true));
        c.add(new Case("hinge_embedding", in -> F.hingeEmbeddingLoss(in[0], y6, 0.5, "mean"), () -> new Tensor[]{smooth(6)}, true));
        c.add(new Case("cosine_embedding", in -> F.cosineEmbeddingLoss(in[0], in[1], Grad4j.tensor(new double[]{1, -1, 1}, DType.FLOAT64), -0.9, "mean"),
                () -> new Tensor[]{rnd(3, 4), rnd(3, 4)}, true));
        c.add(new Case("triplet_margin swap", in -> F.tripletMarginLoss(in[0], in[1], in[2], 5.0, 2.0, 1e-6, true, "mean"),
                () -> new Tensor[]{rnd(3, 4), rnd(3, 4), rnd(3, 4)}, true));
        c.add(new Case("soft_margin", in -> F.softMarginLoss(in[0], y32), () -> new Tensor[]{rnd(3, 2)}, true));
        c.add(new Case("multilabel_soft_margin", in -> F.multilabelSoftMarginLoss(in[0], Grad4j.tensor(new double[][]{{1, 0, 1}, {0, 0, 1}}, DType.FLOAT64), in[1], "mean"),
                () -> new Tensor[]{rnd(2, 3), unif(3)}, true));
        c.add(new Case("poisson_nll", in -> F.poissonNllLoss(in[0], in[1], true, true, 1e-8, "mean"),
                () -> new Tensor[]{rnd(3, 2), unif(3, 2).mul(3.0).detach()}, true));
        c.add(new Case("poisson_nll no log", in -> F.poissonNllLoss(in[0], in[1], false, false, 1e-8, "sum"),
                () -> new Tensor[]{unif(3, 2), unif(3, 2)}, true));
        c.add(new Case("gaussian_nll", in -> F.gaussianNllLoss(in[0], in[1], in[2], true, 1e-6, "mean"),
                () -> new Tensor[]{rnd(3, 2), rnd(3, 2), unif(3)}, true));
        return c;
    }

    @TestFactory
    List<DynamicTest> gradcheck() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case k : cases()) {
            tests.add(DynamicTest.dynamicTest(k.name(), () -> assertTrue(GradCheck.gradcheck(k.fn(), k.inputs().get()))));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> gradgradcheck() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case k : cases()) {
            if (!k.twice()) continue;
            tests.add(DynamicTest.dynamicTest(k.name(), () -> assertTrue(GradCheck.gradgradcheck(k.fn(), k.inputs().get()))));
        }
        return tests;
    }
}
