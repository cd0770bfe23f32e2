package org.grad4j.ops;

import org.bytedeco.pytorch.LongOptional;

import java.util.Map;

import static org.bytedeco.pytorch.global.torch.*;
import static org.grad4j.ops.Torch.l;
import static org.grad4j.ops.Torch.noType;
import static org.grad4j.ops.Torch.opt;
import static org.grad4j.ops.Torch.s;
import static org.grad4j.ops.Torch.so;

/** libtorch spellings of the Reduction family. */
final class TorchReduceOps {
    private TorchReduceOps() {}

    static void register(Map<String, TorchFn> m) {
        m.put("sum", in -> sum(in[0]));
        m.put("sum_dim", in -> sum(in[0], l(1), true, noType()));
        m.put("mean", in -> mean(in[0]));
        m.put("mean_dims", in -> mean(in[0], l(0, -1), false, noType()));
        m.put("prod", in -> prod(in[0]));
        m.put("prod_dim", in -> prod(in[0], 1, false, noType()));
        m.put("amax", in -> amax(in[0], l(-1), false));
        m.put("amin", in -> amin(in[0], l(0), false));
        m.put("max", in -> max(in[0]));
        m.put("min", in -> min(in[0]));
        m.put("max_dim", in -> max(in[0], 1, false).get0());
        m.put("max_dim_indices", in -> max(in[0], 1, false).get1());
        m.put("min_dim", in -> min(in[0], 0, true).get0());
        m.put("argmax", in -> argmax(in[0], new LongOptional(1), false));
        m.put("argmin", in -> argmin(in[0]));
        m.put("var", in -> var(in[0], true));
        m.put("var_dim", in -> in[0].var(l(1), so(0), true));
        m.put("std", in -> std(in[0], true));
        m.put("std_dim", in -> in[0].std(l(0), so(1), false));
        m.put("norm", in -> norm(in[0]));
        m.put("norm_p1", in -> norm(in[0], s(1.0)));
        m.put("norm_inf", in -> norm(in[0], s(Double.POSITIVE_INFINITY)));
        m.put("norm_p3_dim", in -> norm(in[0], so(3), l(1), false));
        m.put("logsumexp", in -> logsumexp(in[0], l(1), false));
        m.put("softmax", in -> softmax(in[0], -1));
        m.put("log_softmax", in -> log_softmax(in[0], 1));
        m.put("cumsum", in -> cumsum(in[0], 1));
        m.put("cumprod", in -> cumprod(in[0], -1));
        m.put("all", in -> all(in[0]));
        m.put("any_dim", in -> any(in[0], 1, false));
        m.put("sort", in -> sort(in[0], 1, true).get0());
        m.put("argsort", in -> argsort(in[0], -1, false));
        m.put("topk", in -> topk(in[0], 2, 1, true, true).get0());
        m.put("median", in -> median(in[0]));
        m.put("median_dim", in -> median(in[0], 1, false).get0());
        m.put("quantile", in -> quantile(in[0], 0.3, new LongOptional(1), false, "linear"));
        // torch.unique(sorted=True) is sort + unique_consecutive here (the presets do not export _unique2);
        // the row adds sum(inverse), which does not depend on the order the inverse is reported in
        m.put("unique", in -> unique_consecutive(sort(in[0].flatten(), 0, false).get0(), false, false, new LongOptional()).get0());
        m.put("unique_counts", in -> {
            var r = unique_consecutive(sort(in[0].flatten(), 0, false).get0(), true, true, new LongOptional());
            return r.get2().add(r.get1().sum());
        });
        m.put("bincount", in -> bincount(in[0], opt(null), 4));
    }
}
