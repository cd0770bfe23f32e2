package org.grad4j.ops;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.i64;
import static org.grad4j.ops.OpTable.in;
import static org.grad4j.ops.OpTable.op;
import static org.grad4j.ops.OpTable.op1;
import static org.grad4j.ops.Samples.a;
import static org.grad4j.ops.Samples.fixed;
import static org.grad4j.ops.Samples.s;
import static org.grad4j.ops.Samples.step;
import static org.grad4j.ops.Samples.t;

/** Shape, view and indexing ops. */
final class ShapeTable {
    private ShapeTable() {}

    private static final String S = "Shape and indexing";

    private static OpInfo v(String name, String call, OpTable.F1 f, String... torch) {
        return op1(S, name, call, f, torch).dtypes(OpInfo.ALL);
    }

    /** [2, 3] in several layouts, and a 3-d one. */
    static List<Samples.Sample> mats() {
        return Samples.list(s(a(2, 3)), s(t(2, 3)), s(step(2, 3)));
    }

    private static final Tensor M = f64(new double[][]{{1, 2, 3}, {4, 5, 6}});

    private static Tensor m(double[][] v) { return f64(v); }

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        l.add(v("view", "x.view(shape)", x -> x.contiguous().view(3, -1), "Tensor.view").samples(mats()).node("ViewBackward0")
                .known(in(() -> M), m(new double[][]{{1, 2}, {3, 4}, {5, 6}}))
                .error("non-contiguous", () -> M.t().view(6), "view size is not compatible"));
        l.add(v("reshape", "x.reshape(shape)", x -> x.reshape(-1, 2), "torch.reshape", "Tensor.reshape").samples(mats())
                .known(in(() -> M), m(new double[][]{{1, 2}, {3, 4}, {5, 6}}))
                .error("bad size", () -> M.reshape(4, -1), "invalid for input of size 6"));
        l.add(v("flatten", "x.flatten(start, end)", x -> x.unsqueeze(0).flatten(1, 2), "torch.flatten", "Tensor.flatten").samples(mats())
                .known(in(() -> M), f64(1, 2, 3, 4, 5, 6).reshape(1, 6)));
        l.add(v("unflatten", "x.unflatten(dim, sizes)", x -> x.reshape(-1).unflatten(0, 3, -1), "torch.unflatten", "Tensor.unflatten").samples(mats())
                .known(in(() -> M), m(new double[][]{{1, 2}, {3, 4}, {5, 6}})));
        l.add(v("squeeze", "x.squeeze(dim)", x -> x.unsqueeze(1).squeeze(1), "torch.squeeze", "Tensor.squeeze").samples(mats()).node("SqueezeBackward1")
                .known(in(() -> M), M));
        l.add(v("unsqueeze", "x.unsqueeze(dim)", x -> x.unsqueeze(-1), "torch.unsqueeze", "Tensor.unsqueeze").samples(mats()).node("UnsqueezeBackward0")
                .known(in(() -> f64(1, 2)), m(new double[][]{{1}, {2}})));
        l.add(v("expand", "x.expand(sizes)", x -> x.unsqueeze(0).expand(2, -1, -1), "Tensor.expand", "Tensor.expand_as").samples(mats()).node("ExpandBackward0")
                .known(in(() -> f64(1, 2)), m(new double[][]{{1, 2}}).expand(2, 1, 2).contiguous())
                .error("bad size", () -> M.expand(3, 3), "must match the existing size"));
        l.add(v("repeat", "x.repeat(reps)", x -> x.repeat(2, 1, 2), "Tensor.repeat").samples(mats()).node("RepeatBackward0")
                .known(in(() -> f64(1, 2)), m(new double[][]{{1, 2, 1, 2}, {1, 2, 1, 2}}).reshape(2, 1, 4))
                .error("too few reps", () -> M.repeat(2), "repeat dims"));
        l.add(v("tile", "x.tile(reps)", x -> x.tile(2), "torch.tile", "Tensor.tile").samples(mats()).known(in(() -> f64(1, 2)), f64(1, 2, 1, 2)));
        l.add(v("permute", "x.permute(dims)", x -> x.unsqueeze(0).permute(2, 0, 1), "torch.permute", "Tensor.permute").samples(mats()).node("PermuteBackward0")
                .known(in(() -> f64(new double[][]{{1, 2}})), m(new double[][]{{1}, {2}}).reshape(2, 1, 1))
                .error("duplicate dims", () -> M.permute(0, 0), "duplicate dims"));
        l.add(v("transpose", "x.transpose(d0, d1)", x -> x.transpose(0, 1), "torch.transpose", "torch.swapaxes", "Tensor.transpose").samples(mats())
                .node("TransposeBackward0").known(in(() -> M), M.t()));
        l.add(v("t", "x.t()", Tensor::t, "torch.t", "Tensor.t", "Tensor.T").samples(mats()).node("TBackward0").known(in(() -> f64(1, 2)), f64(1, 2))
                .error("3-d", () -> Grad4j.zeros(1, 1, 1).t(), "<= 2 dimensions"));
        l.add(v("mT", "x.mT()", Tensor::mT, "Tensor.mT").samples(mats()).node("TransposeBackward0").known(in(() -> M), M.t()));
        l.add(v("movedim", "x.movedim(src, dst)", x -> x.unsqueeze(0).movedim(0, -1), "torch.movedim", "torch.moveaxis", "Tensor.movedim").samples(mats())
                .known(in(() -> f64(1, 2)), m(new double[][]{{1}, {2}})));
        l.add(v("narrow", "x.narrow(dim, start, length)", x -> x.narrow(1, 1, 2), "torch.narrow", "Tensor.narrow").samples(mats()).node("SliceBackward0")
                .known(in(() -> M), m(new double[][]{{2, 3}, {5, 6}})));
        l.add(v("select", "x.select(dim, index)", x -> x.select(1, -1), "torch.select", "Tensor.select", "x[:, i]").samples(mats()).node("SelectBackward0")
                .known(in(() -> M), f64(3, 6)).error("out of range", () -> M.select(0, 2), "out of range"));
        l.add(v("slice", "x.slice(dim, start, end, step)", x -> x.slice(1, -3, 10, 2), "x[:, a:b:c]").samples(mats()).node("SliceBackward0")
                .known(in(() -> M), m(new double[][]{{1, 3}, {4, 6}})));
        l.add(v("flip", "x.flip(dims)", x -> x.flip(0, 1), "torch.flip", "Tensor.flip").samples(mats()).node("FlipBackward0")
                .known(in(() -> M), m(new double[][]{{6, 5, 4}, {3, 2, 1}})));
        l.add(v("roll", "x.roll(shifts, dims)", x -> x.roll(new int[]{1, -1}, new int[]{1, 0}), "torch.roll", "Tensor.roll").samples(mats()).node("RollBackward0")
                .known(in(() -> M), m(new double[][]{{6, 4, 5}, {3, 1, 2}})));
        l.add(v("tril", "x.tril(k)", x -> x.tril(0), "torch.tril", "Tensor.tril").samples(mats()).node("TrilBackward0")
                .known(in(() -> M), m(new double[][]{{1, 0, 0}, {4, 5, 0}})));
        l.add(v("triu", "x.triu(k)", x -> x.triu(1), "torch.triu", "Tensor.triu").samples(mats()).node("TriuBackward0")
                .known(in(() -> M), m(new double[][]{{0, 2, 3}, {0, 0, 6}})));
        l.add(v("diagonal", "x.diagonal(offset, dim1, dim2)", x -> x.diagonal(1, 0, 1), "torch.diagonal", "Tensor.diagonal").samples(mats())
                .node("DiagonalBackward0").known(in(() -> M), f64(2, 6)));
        l.add(v("Tensor.unfold", "x.unfold(dim, size, step)", x -> x.unfold(1, 2, 1), "Tensor.unfold").samples(mats()).node("UnfoldBackward0")
                .known(in(() -> M), f64(1, 2, 2, 3, 4, 5, 5, 6).reshape(2, 2, 2))
                .error("size too large", () -> M.unfold(1, 4, 1), "maximum size for tensor at dimension 1 is 3 but size is 4"));
        l.add(v("as_strided", "x.asStrided(size, stride, offset)", x -> x.contiguous().asStrided(new int[]{2, 2}, new int[]{1, 1}),
                "torch.as_strided", "Tensor.as_strided").samples(mats()).node("AsStridedBackward0")
                .known(in(() -> M), m(new double[][]{{1, 2}, {2, 3}}))
                .error("out of bounds", () -> M.asStrided(new int[]{3, 3}, new int[]{3, 1}, 0), "out of bounds for storage of size"));
        l.add(v("diag", "x.diag(k)", x -> x.diag(0), "torch.diag", "Tensor.diag").samples(mats()).known(in(() -> M), f64(1, 5))
                .known(in(() -> f64(1, 2)), m(new double[][]{{1, 0}, {0, 2}})));
        l.add(v("diag_embed", "x.diagEmbed(offset, dim1, dim2)", x -> x.diagEmbed(1, -2, -1), "torch.diag_embed").samples(mats()).node("DiagEmbedBackward0")
                .known(in(() -> f64(1, 2)), m(new double[][]{{0, 1, 0}, {0, 0, 2}, {0, 0, 0}})));
        l.add(op(S, "split", "x.split(size, dim)", in -> Grad4j.cat(in[0].split(2, 1).stream().map(p -> p.mul(p.size(1))).toList(), 1),
                "torch.split", "Tensor.split").samples(mats()).known(in(() -> M), m(new double[][]{{2, 4, 3}, {8, 10, 6}})));
        l.add(op(S, "chunk", "x.chunk(chunks, dim)", in -> in[0].chunk(2, 0).get(1), "torch.chunk", "Tensor.chunk").samples(mats())
                .known(in(() -> M), m(new double[][]{{4, 5, 6}})));
        l.add(op(S, "unbind", "x.unbind(dim)", in -> in[0].unbind(1).get(2), "torch.unbind", "Tensor.unbind").samples(mats()).known(in(() -> M), f64(3, 6)));
        l.add(op(S, "cat", "Grad4j.cat(tensors, dim)", in -> Grad4j.cat(List.of(in[0], in[1]), 1), "torch.cat", "torch.concat")
                .sample(s(a(2, 3), a(2, 1))).sample(s(t(2, 3), a(2, 0))).known(in(() -> m(new double[][]{{1}}), () -> m(new double[][]{{2, 3}})), m(new double[][]{{1, 2, 3}}))
                .error("rank mismatch", () -> Grad4j.cat(List.of(M, f64(1)), 0), "same number of dimensions"));
        l.add(op(S, "stack", "Grad4j.stack(tensors, dim)", in -> Grad4j.stack(List.of(in[0], in[1]), 1), "torch.stack")
                .sample(s(a(2, 3), a(2, 3))).sample(s(t(2, 3), step(2, 3))).known(in(() -> f64(1, 2), () -> f64(3, 4)), m(new double[][]{{1, 3}, {2, 4}})));
        l.add(op(S, "gather", "x.gather(dim, index)", in -> in[0].gather(1, in[1]), "torch.gather", "Tensor.gather")
                .sample(s(a(2, 3), fixed(() -> i64(2, 0, 0, 1).reshape(2, 2)))).sample(s(t(2, 3), fixed(() -> i64(1, 1).reshape(2, 1))))
                .known(in(() -> M, () -> i64(2, 0, 0, 0).reshape(2, 2)), m(new double[][]{{3, 1}, {4, 4}})));
        l.add(op(S, "scatter_add", "x.scatterAdd(dim, index, src)", in -> in[0].scatterAdd(1, in[2], in[1]), "torch.scatter_add", "Tensor.scatter_add")
                .sample(s(a(2, 3), a(2, 2), fixed(() -> i64(2, 2, 0, 1).reshape(2, 2))))
                .known(() -> new Tensor[]{f64(0, 0, 0).reshape(1, 3), f64(1, 2).reshape(1, 2), i64(2, 2).reshape(1, 2)}, m(new double[][]{{0, 0, 3}})));
        l.add(op(S, "index_select", "x.indexSelect(dim, index)", in -> in[0].indexSelect(1, in[1]), "torch.index_select", "Tensor.index_select")
                .sample(s(a(2, 3), fixed(() -> i64(2, 0, 2)))).sample(s(t(3, 2), fixed(() -> i64(1))))
                .node("IndexSelectBackward0").known(in(() -> M, () -> i64(2, 2)), m(new double[][]{{3, 3}, {6, 6}})));
        l.add(op(S, "index_add", "x.indexAdd(dim, index, src)", in -> in[0].indexAdd(0, in[2], in[1]), "torch.index_add", "Tensor.index_add")
                .sample(s(a(3, 2), a(2, 2), fixed(() -> i64(2, 2)))).node("IndexAddBackward0")
                .known(() -> new Tensor[]{Grad4j.zeros(new int[]{2}, org.grad4j.storage.DType.FLOAT64), f64(1, 2, 4), i64(1, 1, 0)}, f64(4, 3)));
        l.add(op(S, "masked_fill", "x.maskedFill(mask, value)", in -> in[0].maskedFill(in[1], 2.0), "torch.masked_fill", "Tensor.masked_fill")
                .sample(s(a(2, 3), fixed(() -> OpTable.bool(true, false, true)))).node("MaskedFillBackward0")
                .known(in(() -> f64(1, 2), () -> OpTable.bool(false, true)), f64(1, 2)));
        l.addAll(indexing());
        return l;
    }

    private static final Tensor X3 = Grad4j.arange(24).reshape(2, 3, 4).to(org.grad4j.storage.DType.FLOAT64);

    static List<OpInfo> indexing() {
        List<OpInfo> l = new ArrayList<>();
        l.add(v("index_slices", "x.index(\"1:, ::2, None, 0\")", x -> x.index("1:, ::2, None, 0"), "x[1:, ::2, None, 0]")
                .sample(s(a(3, 4, 2))).sample(s(t(3, 4, 2))).known(in(() -> X3), f64(new double[][]{{12, 20}}).reshape(1, 2, 1))
                .error("bad syntax", () -> X3.index("1:x"), "cannot parse").error("too many", () -> X3.index("0, 0, 0, 0"), "too many indices"));
        l.add(v("index_ellipsis", "x.index(Index.ELLIPSIS, Index.slice(null, -1))", x -> x.index(org.grad4j.Index.ELLIPSIS, org.grad4j.Index.slice(null, -1)),
                "x[..., :-1]").sample(s(a(3, 4, 2))).known(in(() -> f64(1, 2, 3)), f64(1, 2)));
        l.add(op(S, "index_tensor", "x.index(idx)", in -> in[0].index(in[1]), "x[idx]", "Tensor.__getitem__(LongTensor)")
                .sample(s(a(3, 4), fixed(() -> i64(2, 0, 2)))).sample(s(t(3, 4), fixed(() -> i64(-1, 1).reshape(2, 1))))
                .known(in(() -> M, () -> i64(1, 1)), m(new double[][]{{4, 5, 6}, {4, 5, 6}}))
                .error("out of range", () -> M.index(i64(2)), "out of bounds"));
        l.add(op(S, "index_tensors", "x.index(i, Index.all(), j)", in -> in[0].index(in[1], org.grad4j.Index.all(), in[2]), "x[i, :, j]")
                .sample(s(a(2, 3, 4), fixed(() -> i64(1, 0)), fixed(() -> i64(3, 3))))
                .known(in(() -> X3, () -> i64(1), () -> i64(2)), m(new double[][]{{14, 18, 22}})));
        l.add(op(S, "index_adjacent", "x.index(Index.all(), i, j)", in -> in[0].index(org.grad4j.Index.all(), in[1], in[2]), "x[:, i, j]")
                .sample(s(a(2, 3, 4), fixed(() -> i64(1, 0, 2)), fixed(() -> i64(3))))
                .known(in(() -> X3, () -> i64(1, 2), () -> i64(0)), m(new double[][]{{4, 8}, {16, 20}})));
        l.add(op(S, "index_bool", "x.index(mask)", in -> in[0].index(in[1]), "x[mask]").sample(s(a(2, 3), fixed(() -> M.gt(2.5))))
                .sample(s(a(2, 3, 2), fixed(() -> OpTable.bool(true, false))))
                .known(in(() -> M, () -> M.gt(2.5)), f64(3, 4, 5, 6)));
        l.add(op(S, "index_put", "x.indexPut(indices, values, false)", in -> in[0].indexPut(new Tensor[]{in[2]}, in[1], false),
                "Tensor.index_put", "x[idx] = v").node(null)
                .sample(s(a(3, 2), a(2, 2), fixed(() -> i64(2, 0)))).sample(s(a(3, 2), a(2), fixed(() -> i64(1, 1))))
                .known(() -> new Tensor[]{f64(1, 2, 3), f64(9, 8), i64(0, 0)}, f64(8, 2, 3)));
        l.add(op(S, "index_put_accumulate", "x.indexPut(indices, values, true)", in -> in[0].indexPut(new Tensor[]{null, in[2]}, in[1], true),
                "Tensor.index_put(accumulate=True)", "x[:, idx] += v")
                .sample(s(a(2, 3), a(2, 2), fixed(() -> i64(1, 1))))
                .known(() -> new Tensor[]{M, f64(10), i64(0, 0)}, m(new double[][]{{21, 2, 3}, {24, 5, 6}})));
        l.add(op(S, "index_put_", "x.indexPut_(indices, values, accumulate)", in -> {
                    Tensor y = in[0].mul(1.0);
                    return y.indexPut_(new Tensor[]{in[2]}, in[1], false);
                }, "Tensor.index_put_", "x[mask] = v").sample(s(a(2, 3), a(), fixed(() -> M.gt(2.5))))
                .known(() -> new Tensor[]{M, OpTable.sc(0), M.gt(2.5)}, m(new double[][]{{1, 2, 0}, {0, 0, 0}})));
        l.add(op(S, "setitem", "x.set(\"0, 1:\", value)", in -> in[0].detach().clone().set("0, 1:", 5.0), "x[0, 1:] = 5")
                .grad(OpInfo.Grad.NONE).sample(s(a(2, 3))).known(in(() -> M), m(new double[][]{{1, 5, 5}, {4, 5, 6}})));
        l.add(op(S, "nonzero", "x.nonzero()", in -> in[0].nonzero(), "torch.nonzero", "Tensor.nonzero", "torch.argwhere").grad(OpInfo.Grad.NONE)
                .dtypes(OpInfo.ALL).sample(s(a(2, 3))).known(in(() -> m(new double[][]{{0, 1}, {2, 0}})), i64(0, 1, 1, 0).reshape(2, 2)));
        l.add(op(S, "take", "x.take(index)", in -> in[0].take(in[1]), "torch.take", "Tensor.take")
                .sample(s(a(2, 3), fixed(() -> i64(5, 0, 5, 2).reshape(2, 2)))).sample(s(t(2, 3), fixed(() -> i64(1))))
                .known(in(() -> M, () -> i64(5, 0)), f64(6, 1)));
        l.add(op(S, "masked_select", "x.maskedSelect(mask)", in -> in[0].maskedSelect(in[1]), "torch.masked_select", "Tensor.masked_select")
                .sample(s(a(2, 3), fixed(() -> OpTable.bool(true, false, true)))).sample(s(t(2, 3), fixed(() -> M.gt(3.0))))
                .known(in(() -> M, () -> M.gt(3.0)), f64(4, 5, 6)));
        l.add(op(S, "scatter", "x.scatter(dim, index, src)", in -> in[0].scatter(1, in[2], in[1]), "torch.scatter", "Tensor.scatter")
                .sample(s(a(2, 3), a(2, 2), fixed(() -> i64(2, 0, 1, 1).reshape(2, 2))))
                .known(() -> new Tensor[]{M, m(new double[][]{{7, 8}, {9, 10}}), i64(2, 0, 1, 1).reshape(2, 2)}, m(new double[][]{{8, 2, 7}, {4, 10, 6}})));
        l.add(op(S, "scatter_value", "x.scatter(dim, index, value)", in -> in[0].scatter(0, in[1], -1.0), "Tensor.scatter(value=)")
                .sample(s(a(2, 3), fixed(() -> i64(1, 0, 1).reshape(1, 3))))
                .known(in(() -> M, () -> i64(1, 0).reshape(1, 2)), m(new double[][]{{1, -1, 3}, {-1, 5, 6}})));
        for (String red : new String[]{"sum", "prod", "mean", "amax", "amin"}) {
            for (boolean self : new boolean[]{true, false}) {
                Tensor expected = switch (red + self) {
                    case "sumtrue" -> m(new double[][]{{1, 2, 3}, {4, 5, 6}}).add(m(new double[][]{{0, 30, 0}, {0, 0, 70}}));
                    case "sumfalse" -> m(new double[][]{{1, 30, 3}, {4, 5, 70}});
                    case "prodtrue" -> m(new double[][]{{1, 400, 3}, {4, 5, 7200}});
                    case "prodfalse" -> m(new double[][]{{1, 200, 3}, {4, 5, 1200}});
                    case "meantrue" -> m(new double[][]{{1, 32.0 / 3, 3}, {4, 5, 76.0 / 3}});
                    case "meanfalse" -> m(new double[][]{{1, 15, 3}, {4, 5, 35}});
                    case "amaxtrue", "amaxfalse" -> m(new double[][]{{1, 20, 3}, {4, 5, 40}});
                    case "amintrue" -> m(new double[][]{{1, 2, 3}, {4, 5, 6}});
                    default -> m(new double[][]{{1, 10, 3}, {4, 5, 30}});
                };
                l.add(op(S, "scatter_reduce_" + red + (self ? "" : "_exclude_self"), "x.scatterReduce(dim, index, src, \"" + red + "\", " + self + ")",
                        in -> in[0].scatterReduce(1, in[2], in[1], red, self), "torch.scatter_reduce(reduce='" + red + "', include_self=" + (self ? "True" : "False") + ")")
                        .sample(s(a(2, 3), a(2, 3), fixed(() -> i64(1, 1, 0, 2, 2, 0).reshape(2, 3))))
                        .known(() -> new Tensor[]{M, m(new double[][]{{10, 20}, {30, 40}}), i64(1, 1, 2, 2).reshape(2, 2)}, expected));
            }
        }
        // prod at zeros: self's gradient is the product of the others; a lone zero in src gets the product of the rest
        l.add(op(S, "scatter_reduce_prod_zeros", "x.scatterReduce(dim, index, src, \"prod\", true)", in -> in[0].scatterReduce(1, in[2], in[1], "prod", true),
                "torch.scatter_reduce(reduce='prod') at zeros").node("ScatterReduceBackward0")
                .sample(s(a(2, 3), a(2, 2), fixed(() -> i64(1, 1, 2, 0).reshape(2, 2))))
                .sample(s(fixed(() -> m(new double[][]{{1.5, 0, -2}, {0.5, 3, 0}})), fixed(() -> m(new double[][]{{0, 2, 1.2}, {-1, 0.7, 0.9}})),
                        fixed(() -> i64(1, 1, 0, 2, 2, 0).reshape(2, 3))))
                .known(() -> new Tensor[]{f64(1, 0, 5).reshape(1, 3), f64(2, 4).reshape(1, 2), i64(1, 1).reshape(1, 2)}, f64(1, 0, 5).reshape(1, 3))
                .knownGrad(() -> new Tensor[]{f64(1, 0, 5).reshape(1, 3), f64(2, 4).reshape(1, 2), i64(1, 1).reshape(1, 2)}, f64(1, 8, 1).reshape(1, 3)));
        l.add(op(S, "scatter_reduce_prod_src_zeros", "x.scatterReduce(dim, index, src, \"prod\", false)", in -> in[1].scatterReduce(1, in[2], in[0], "prod", false),
                "torch.scatter_reduce(reduce='prod', include_self=False), gradient of src at zeros")
                .sample(s(a(2, 2), a(2, 3), fixed(() -> i64(1, 1, 2, 0).reshape(2, 2))))
                .sample(s(fixed(() -> m(new double[][]{{0, 2, 1.2}, {-1, 0.7, 0.9}})), fixed(() -> m(new double[][]{{1.5, 0, -2}, {0.5, 3, 0}})),
                        fixed(() -> i64(1, 1, 0, 2, 2, 0).reshape(2, 3))))
                .known(() -> new Tensor[]{f64(0, 2, 0, 0, 3, 7).reshape(3, 2), Grad4j.ones(new int[]{3, 3}, org.grad4j.storage.DType.FLOAT64), i64(1, 1, 0, 0, 1, 2).reshape(3, 2)},
                        f64(1, 0, 1, 0, 1, 1, 1, 3, 7).reshape(3, 3))
                .knownGrad(() -> new Tensor[]{f64(0, 2, 0, 0, 3, 7).reshape(3, 2), Grad4j.ones(new int[]{3, 3}, org.grad4j.storage.DType.FLOAT64), i64(1, 1, 0, 0, 1, 2).reshape(3, 2)},
                        f64(2, 0, 0, 0, 1, 1).reshape(3, 2))
                .error("unknown reduce", () -> M.scatterReduce(1, i64(0).reshape(1, 1), M, "median", true), "must be one of"));
        l.add(op(S, "one_hot", "x.oneHot(numClasses)", in -> in[0].oneHot(3), "F.one_hot").grad(OpInfo.Grad.NONE)
                .sample(s(fixed(() -> i64(0, 2, 1)))).known(in(() -> i64(2, 0)), i64(0, 0, 1, 1, 0, 0).reshape(2, 3))
                .error("too large", () -> i64(3).oneHot(3), "smaller than num_classes"));
        l.add(op(S, "pad_constant", "Grad4j.pad(x, pad, \"constant\", value)", in -> Grad4j.pad(in[0], new int[]{1, 2, 0, 1}, "constant", 0.5),
                "F.pad(mode='constant')").samples(mats()).node("ConstantPadNdBackward0")
                .known(in(() -> m(new double[][]{{1, 2}})), m(new double[][]{{0.5, 1, 2, 0.5, 0.5}, {0.5, 0.5, 0.5, 0.5, 0.5}}))
                .error("odd length", () -> Grad4j.pad(M, 1), "even"));
        l.add(op(S, "pad_reflect", "Grad4j.pad(x, pad, \"reflect\", 0)", in -> Grad4j.pad(in[0], new int[]{2, 1}, "reflect", 0), "F.pad(mode='reflect')")
                .samples(mats()).known(in(() -> f64(1, 2, 3).reshape(1, 3)), f64(3, 2, 1, 2, 3, 2).reshape(1, 6)));
        // 2-d padding needs a 3-d or 4-d input, as in PyTorch: the [2, 3] samples get a channel dim
        l.add(op(S, "pad_replicate", "Grad4j.pad(x, pad, \"replicate\", 0)", in -> Grad4j.pad(in[0].unsqueeze(0), new int[]{1, 2, 1, 0}, "replicate", 0),
                "F.pad(mode='replicate')").samples(mats())
                .known(in(() -> f64(1, 2).reshape(1, 2)), m(new double[][]{{1, 1, 2, 2, 2}, {1, 1, 2, 2, 2}}).unsqueeze(0))
                .error("2-d padding of a 2-d input", () -> Grad4j.pad(M, new int[]{1, 2, 1, 0}, "replicate", 0), "non-constant padding"));
        l.add(op(S, "pad_circular", "Grad4j.pad(x, pad, \"circular\", 0)", in -> Grad4j.pad(in[0], new int[]{1, 2}, "circular", 0), "F.pad(mode='circular')")
                .samples(mats()).known(in(() -> f64(1, 2, 3).reshape(1, 3)), f64(3, 1, 2, 3, 1, 2).reshape(1, 6)));
        return l;
    }
}
