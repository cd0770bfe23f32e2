package org.grad4j.ops;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;

import java.util.Map;

import static org.bytedeco.pytorch.global.torch.*;
import static org.grad4j.ops.Torch.l;
import static org.grad4j.ops.Torch.opt;
import static org.grad4j.ops.Torch.s;

/** libtorch spellings of the nn.functional family (the ATen ops that torch.nn.functional calls, or its Python formula). */
final class TorchNnOps {
    private TorchNnOps() {}

    /** F.normalize: x / ||x||_p (over dim, keepdim) clamped below by eps. */
    static Tensor normalize(Tensor x, double p, long dim, double eps) {
        return x.div(norm(x, Torch.so(p), l(dim), true).clamp_min(s(eps)).expand_as(x));
    }

    /** mode='nearest-exact' by size: source index min(floor((j + 0.5) * in / out), in - 1) per spatial dim. */
    static Tensor nearestExact(Tensor x, long... size) {
        Tensor y = x;
        for (int d = 0; d < size.length; d++) {
            int dim = (int) x.dim() - size.length + d;
            long in = x.size(dim);
            long[] idx = new long[(int) size[d]];
            for (int j = 0; j < idx.length; j++) idx[j] = Math.min((long) Math.floor((j + 0.5) * in / size[d]), in - 1);
            y = index_select(y, dim, Torch.i64(idx));
        }
        return y;
    }

    static Tensor zerosC(Tensor x) { return zeros(l(x.size(1)), new TensorOptions(x.scalar_type())); }

    static Tensor onesC(Tensor x) { return ones(l(x.size(1)), new TensorOptions(x.scalar_type())); }

    static void register(Map<String, TorchFn> m) {
        m.put("linear", in -> linear(in[0], in[1], opt(in[2])));
        m.put("bilinear", in -> bilinear(in[0], in[1], in[2], opt(in[3])));
        m.put("conv1d", in -> conv1d(in[0], in[1], opt(in[2]), l(2), l(1), l(1), 1));
        m.put("conv1d_same", in -> conv1d(in[0], in[1], opt(null), l(1), "same", l(2), 1));
        m.put("conv2d", in -> conv2d(in[0], in[1], opt(in[2]), l(2, 1), l(1, 2), l(1, 2), 1));
        m.put("conv2d_plain", in -> conv2d(in[0], in[1], opt(in[2]), l(1, 1), l(0, 0), l(1, 1), 1));
        m.put("conv2d_groups", in -> conv2d(in[0], in[1], opt(null), l(1, 1), l(1, 1), l(1, 1), 2));
        m.put("conv2d_same", in -> conv2d(in[0], in[1], opt(null), l(1, 1), "same", l(1, 1), 1));
        m.put("conv3d", in -> conv3d(in[0], in[1], opt(in[2]), l(1, 2, 1), l(1, 0, 1), l(1, 1, 1), 1));
        m.put("conv_transpose1d", in -> conv_transpose1d(in[0], in[1], opt(in[2]), l(2), l(0), l(0), 1, l(1)));
        m.put("conv_transpose2d", in -> conv_transpose2d(in[0], in[1], opt(in[2]), l(2, 2), l(1, 1), l(1, 1), 1, l(1, 1)));
        m.put("conv_transpose2d_groups", in -> conv_transpose2d(in[0], in[1], opt(null), l(1, 1), l(0, 0), l(0, 0), 2, l(2, 2)));
        m.put("unfold", in -> im2col(in[0], l(2, 3), l(1, 1), l(1, 1), l(2, 1)));
        m.put("fold", in -> col2im(in[0], l(4, 5), l(2, 2), l(1, 1), l(0, 0), l(1, 1)));
        pool(m);
        norms(m);
        misc(m);
    }

    private static void pool(Map<String, TorchFn> m) {
        m.put("max_pool1d", in -> max_pool1d(in[0], l(3), l(2), l(1), l(1), true));
        m.put("max_pool1d_indices", in -> max_pool1d_with_indices(in[0], l(3), l(2), l(1), l(1), true).get1());
        m.put("max_pool2d", in -> max_pool2d(in[0], l(2, 2), l(2, 2), l(0, 0), l(1, 1), true));
        m.put("max_pool2d_pad_dilation", in -> max_pool2d(in[0], l(3, 3), l(2, 2), l(1, 1), l(1, 2), true));
        m.put("max_pool2d_indices", in -> max_pool2d_with_indices(in[0], l(2, 2), l(2, 2), l(0, 0), l(1, 1), true).get1());
        m.put("avg_pool1d", in -> avg_pool1d(in[0], l(2), l(1), l(1), false, true));
        m.put("avg_pool2d", in -> avg_pool2d(in[0], l(2, 2), l(2, 2), l(0, 0), false, true, new LongOptional()));
        m.put("avg_pool2d_ceil_exclude_pad", in -> avg_pool2d(in[0], l(2, 2), l(2, 2), l(1, 1), true, false, new LongOptional()));
        m.put("adaptive_avg_pool1d", in -> adaptive_avg_pool1d(in[0], l(2)));
        m.put("adaptive_avg_pool2d", in -> adaptive_avg_pool2d(in[0], l(2, 3)));
        m.put("adaptive_max_pool2d", in -> adaptive_max_pool2d(in[0], l(2, 3)).get0());
        m.put("adaptive_max_pool2d_indices", in -> adaptive_max_pool2d(in[0], l(2, 3)).get1());
        m.put("avg_pool2d_divisor_override", in -> avg_pool2d(in[0], l(2, 2), l(2, 2), l(0, 0), false, true, new LongOptional(3)));
        m.put("pixel_shuffle", in -> pixel_shuffle(in[0], 2));
        m.put("pixel_unshuffle", in -> pixel_unshuffle(in[0], 2));
        m.put("interpolate_nearest", in -> upsample_nearest1d(in[0], l(4), new DoubleOptional()));
        m.put("interpolate_nearest_exact", in -> nearestExact(in[0], 2, 3));
        m.put("interpolate_linear", in -> upsample_linear1d(in[0], l(4), false, new DoubleOptional()));
        // scale_factor=2 samples the same points as the doubled size (1 / scale == in / out)
        m.put("interpolate_bilinear", in -> upsample_bilinear2d(in[0], l(in[0].size(2) * 2, in[0].size(3) * 2), false,
                new DoubleOptional(), new DoubleOptional()));
        m.put("interpolate_bilinear_align_corners", in -> upsample_bilinear2d(in[0], l(3, 3), true, new DoubleOptional(), new DoubleOptional()));
    }

    private static void norms(Map<String, TorchFn> m) {
        m.put("batch_norm_training", in -> batch_norm(in[0], opt(in[1]), opt(in[2]), opt(zerosC(in[0])), opt(onesC(in[0])), true, 0.1, 1e-5, false));
        m.put("batch_norm_running_stats", in -> {
            Tensor rm = zerosC(in[0]), rv = onesC(in[0]);
            batch_norm(in[0].detach(), opt(null), opt(null), opt(rm), opt(rv), true, 0.1, 1e-5, false);
            return cat(new TensorVector(rm, rv), 0);
        });
        m.put("batch_norm_eval", in -> batch_norm(in[0], opt(in[3]), opt(in[4]), opt(in[1]), opt(in[2]), false, 0.1, 1e-5, false));
        m.put("layer_norm", in -> layer_norm(in[0], l(3), opt(in[1]), opt(in[2]), 1e-5, false));
        m.put("group_norm", in -> group_norm(in[0], 2, opt(in[1]), opt(in[2]), 1e-5, false));
        m.put("instance_norm", in -> instance_norm(in[0], opt(in[1]), opt(in[2]), opt(null), opt(null), true, 0.1, 1e-5, false));
        m.put("rms_norm", in -> rms_norm(in[0], l(3), opt(in[1]), new DoubleOptional()));
        m.put("normalize", in -> normalize(in[0], 2.0, 1, 1e-12));
        m.put("normalize_p1", in -> normalize(in[0], 1.0, 0, 1e-12));
        // random masks: only dtype and shape are compared (the row's f32Tol says so)
        m.put("dropout", in -> dropout(in[0], 0.4, true));
        m.put("dropout2d", in -> feature_dropout(in[0], 0.5, true));
        m.put("dropout_p0_and_eval", in -> dropout(in[0], 0.0, true).add(dropout(in[0], 0.7, false)));
    }

    private static void misc(Map<String, TorchFn> m) {
        m.put("embedding", in -> embedding(in[0], in[1], -1, false, false));
        m.put("embedding_padding_idx", in -> embedding(in[0], in[1], 0, false, false));
        m.put("scaled_dot_product_attention", in -> scaled_dot_product_attention(in[0], in[1], in[2], opt(null), 0.0, false, new DoubleOptional(), false));
        m.put("sdpa_causal", in -> scaled_dot_product_attention(in[0], in[1], in[2], opt(null), 0.0, true, new DoubleOptional(), false));
        m.put("sdpa_bool_mask", in -> scaled_dot_product_attention(in[0], in[1], in[2], opt(in[3]), 0.0, false, new DoubleOptional(), false));
        m.put("sdpa_float_mask", in -> scaled_dot_product_attention(in[0], in[1], in[2], opt(in[3]), 0.0, false, new DoubleOptional(), false));
        m.put("sdpa_scale", in -> scaled_dot_product_attention(in[0], in[1], in[2], opt(null), 0.0, false, new DoubleOptional(0.5), false));
        m.put("cosine_similarity", in -> cosine_similarity(in[0], in[1], 1, 1e-8));
        m.put("pairwise_distance", in -> pairwise_distance(in[0], in[1], 2.0, 1e-6, false));
        m.put("pairwise_distance_p1_keepdim", in -> pairwise_distance(in[0], in[1], 1.0, 0.0, true));
        m.put("pad", in -> constant_pad_nd(in[0], l(1, 2, -1, 1), s(0.5)));
        m.put("glu", in -> glu(in[0], -1));
        m.put("softmin", in -> softmax(in[0].neg(), 1));
    }
}
