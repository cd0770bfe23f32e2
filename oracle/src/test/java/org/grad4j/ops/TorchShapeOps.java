package org.grad4j.ops;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptionalList;
import org.bytedeco.pytorch.TensorVector;

import java.util.Map;

import static org.bytedeco.pytorch.global.torch.*;
import static org.grad4j.ops.Torch.l;
import static org.grad4j.ops.Torch.s;

/** libtorch spellings of the Shape and indexing family. */
final class TorchShapeOps {
    private TorchShapeOps() {}

    /** An index list as Python's x[a, b, ...] passes it: null stands for ':' (a full slice). */
    static TensorOptionalList idx(Tensor... t) {
        TensorOptionalList l = new TensorOptionalList();
        for (Tensor x : t) l.push_back(x == null ? new TensorOptional() : new TensorOptional(x));
        return l;
    }

    static Tensor slice(Tensor x, long dim, Long start, Long end, long step) {
        return x.slice(dim, start == null ? new LongOptional() : new LongOptional(start), end == null ? new LongOptional() : new LongOptional(end), step);
    }

    static void register(Map<String, TorchFn> m) {
        m.put("view", in -> in[0].contiguous().view(3, -1));
        m.put("reshape", in -> in[0].reshape(-1, 2));
        m.put("flatten", in -> in[0].unsqueeze(0).flatten(1, 2));
        m.put("unflatten", in -> in[0].reshape(-1).unflatten(0, 3, -1));
        m.put("squeeze", in -> in[0].unsqueeze(1).squeeze(1));
        m.put("unsqueeze", in -> in[0].unsqueeze(-1));
        m.put("expand", in -> in[0].unsqueeze(0).expand(2, -1, -1));
        m.put("repeat", in -> in[0].repeat(2, 1, 2));
        m.put("tile", in -> tile(in[0], 2));
        m.put("permute", in -> in[0].unsqueeze(0).permute(2, 0, 1));
        m.put("transpose", in -> in[0].transpose(0, 1));
        m.put("t", in -> in[0].t());
        m.put("mT", in -> in[0].transpose(-2, -1));
        m.put("movedim", in -> movedim(in[0].unsqueeze(0), 0, -1));
        m.put("narrow", in -> narrow(in[0], 1, 1, 2));
        m.put("select", in -> in[0].select(1, -1));
        m.put("slice", in -> slice(in[0], 1, -3L, 10L, 2));
        m.put("flip", in -> flip(in[0], 0, 1));
        m.put("roll", in -> roll(in[0], l(1, -1), l(1, 0)));
        m.put("tril", in -> tril(in[0], 0));
        m.put("triu", in -> triu(in[0], 1));
        m.put("diagonal", in -> diagonal(in[0], 1, 0, 1));
        m.put("diag", in -> diag(in[0], 0));
        m.put("Tensor.unfold", in -> in[0].unfold(1, 2, 1));
        m.put("as_strided", in -> as_strided(in[0].contiguous(), l(2, 2), l(1, 1)));
        m.put("diag_embed", in -> diag_embed(in[0], 1, -2, -1));
        m.put("split", in -> {
            TensorVector parts = split(in[0], 2, 1), scaled = new TensorVector();
            for (Tensor p : parts.get()) scaled.push_back(p.mul(s(p.size(1))));
            return cat(scaled, 1);
        });
        m.put("chunk", in -> chunk(in[0], 2, 0).get(1));
        m.put("unbind", in -> unbind(in[0], 1).get(2));
        m.put("cat", in -> cat(new TensorVector(in[0], in[1]), 1));
        m.put("stack", in -> stack(new TensorVector(in[0], in[1]), 1));
        m.put("gather", in -> gather(in[0], 1, in[1]));
        m.put("scatter_add", in -> scatter_add(in[0], 1, in[2], in[1]));
        m.put("index_select", in -> index_select(in[0], 1, in[1]));
        m.put("index_add", in -> index_add(in[0], 0, in[2], in[1]));
        m.put("masked_fill", in -> masked_fill(in[0], in[1], s(2.0)));
        indexing(m);
        pads(m);
    }

    private static void indexing(Map<String, TorchFn> m) {
        m.put("index_slices", in -> slice(slice(in[0], 0, 1L, null, 1), 1, null, null, 2).unsqueeze(2).select(3, 0));
        m.put("index_ellipsis", in -> slice(in[0], -1, null, -1L, 1));
        m.put("index_tensor", in -> index(in[0], idx(in[1])));
        m.put("index_tensors", in -> index(in[0], idx(in[1], null, in[2])));
        m.put("index_adjacent", in -> index(in[0], idx(null, in[1], in[2])));
        m.put("index_bool", in -> index(in[0], idx(in[1])));
        m.put("index_put", in -> index_put(in[0], idx(in[2]), in[1], false));
        m.put("index_put_accumulate", in -> index_put(in[0], idx(null, in[2]), in[1], true));
        m.put("index_put_", in -> index_put_(in[0].mul(s(1.0)), idx(in[2]), in[1], false));
        m.put("setitem", in -> {
            Tensor c = in[0].detach().clone();
            slice(c.select(0, 0), 0, 1L, null, 1).fill_(s(5.0));
            return c;
        });
        m.put("nonzero", in -> nonzero(in[0]));
        m.put("take", in -> take(in[0], in[1]));
        m.put("masked_select", in -> masked_select(in[0], in[1]));
        m.put("scatter", in -> scatter(in[0], 1, in[2], in[1]));
        m.put("scatter_value", in -> scatter(in[0], 0, in[1], s(-1.0)));
        for (String red : new String[]{"sum", "prod", "mean", "amax", "amin"}) {
            m.put("scatter_reduce_" + red, in -> scatter_reduce(in[0], 1, in[2], in[1], red, true));
            m.put("scatter_reduce_" + red + "_exclude_self", in -> scatter_reduce(in[0], 1, in[2], in[1], red, false));
        }
        m.put("scatter_reduce_prod_zeros", in -> scatter_reduce(in[0], 1, in[2], in[1], "prod", true));
        m.put("scatter_reduce_prod_src_zeros", in -> scatter_reduce(in[1], 1, in[2], in[0], "prod", false));
        m.put("one_hot", in -> one_hot(in[0], 3));
    }

    private static void pads(Map<String, TorchFn> m) {
        m.put("pad_constant", in -> pad(in[0], l(1, 2, 0, 1), "constant", new DoubleOptional(0.5)));
        m.put("pad_reflect", in -> pad(in[0], l(2, 1), "reflect", new DoubleOptional()));
        m.put("pad_replicate", in -> pad(in[0].unsqueeze(0), l(1, 2, 1, 0), "replicate", new DoubleOptional()));
        m.put("pad_circular", in -> pad(in[0], l(1, 2), "circular", new DoubleOptional()));
    }
}
