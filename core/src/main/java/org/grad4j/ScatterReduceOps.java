package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.ScatterReduce;
import org.grad4j.storage.Shapes;

/** scatter_reduce with reduce = sum, prod, mean, amax, amin (include_self or not), with PyTorch's gradients. */
final class ScatterReduceOps {
    private ScatterReduceOps() {}

    static Tensor scatterReduce(Tensor self, int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        org.grad4j.internal.Devices.same("scatter_reduce", self, index, src);
        int d = Shapes.wrapDim(dim, self.dim(), "scatter_reduce");
        if (!self.dtype.isFloatingPoint() || src.dtype != self.dtype) {
            throw new IllegalArgumentException("scatter_reduce(): expected self and src to be floating tensors of the same dtype, got "
                    + self.dtype + " and " + src.dtype);
        }
        Tensor hits;
        try (var ng = Autograd.noGrad()) {
            hits = IndexOps.scatterAdd(Tensor.zerosOf(self.shape, self.dtype, self.device()), d, index, Grad4j.ones(index.shape(), self.dtype, self.device()),
                    "scatter_reduce");
        }
        Tensor hit = hits.gt(0.0);
        Tensor s = narrowTo(src, index.shape);
        return switch (reduce) {
            case "sum" -> IndexOps.scatterAdd(includeSelf ? self : self.maskedFill(hit, 0.0), d, index, s);
            case "mean" -> {
                Tensor cnt = includeSelf ? hits.add(1.0) : hits.maskedFill(hit.logicalNot(), 1.0);
                yield IndexOps.scatterAdd(includeSelf ? self : self.maskedFill(hit, 0.0), d, index, s).div(cnt);
            }
            case "prod" -> prod(self, d, index, s, hit, includeSelf);
            case "amax", "amin" -> extreme(self, d, index, s, hit, reduce.equals("amax"), includeSelf);
            default -> throw new IllegalArgumentException("scatter_reduce(): reduce argument must be one of sum, prod, mean, amax, amin, "
                    + "got '" + reduce + "'");
        };
    }

    private static Tensor narrowTo(Tensor s, int[] shape) {
        for (int k = 0; k < shape.length && k < s.dim(); k++) {
            if (s.shape[k] < shape[k]) {
                throw new IllegalArgumentException("scatter_reduce(): Expected index " + Shapes.str(shape) + " to be smaller size than src "
                        + Shapes.str(s.shape) + ". Fix: src must be at least as large as index in every dimension");
            }
        }
        Tensor r = s;
        for (int k = 0; k < shape.length; k++) if (r.shape[k] != shape[k]) r = r.narrow(k, 0, shape[k]);
        return r;
    }

    /**
     * prod: PyTorch's gradient (FunctionsManual scatter_reduce_backward), written with Tensor ops so it
     * can be differentiated again: self gets grad * (product of the others), computed by redoing the
     * product with self's zeros replaced by 1; a src element gets grad * result / src, or, when it is the
     * only zero scattered to its position, grad * (the product with that zero replaced by 1).
     */
    private static Tensor prod(Tensor self, int d, Tensor index, Tensor s, Tensor hit, boolean includeSelf) {
        Tensor out = OpSupport.copyOf(includeSelf ? self.detach() : self.detach().maskedFill(hit, 1.0));
        out.backend().index().scatter(ScatterReduce.PROD, out.strided(), index.strided(), s.strided(), d, true, "scatter_reduce");
        if (Graph.needsGrad(self, s)) {
            SavedTensor sself = Graph.save(self), ss = Graph.save(s), so = Graph.save(out), si = Graph.save(index), sh = Graph.save(hit);
            Graph.record(out, "ScatterReduceBackward0", (g, nd) -> {
                Tensor x = sself.unpack(), sv = ss.unpack(), r = so.unpack(), ix = si.unpack(), hm = sh.unpack();
                Tensor maskedSelf = x.maskedFill(x.eq(0.0), 1.0);
                Tensor gradSelf = g[0].mul(scatterReduce(maskedSelf, d, ix, sv, "prod", includeSelf)).div(maskedSelf);
                if (!includeSelf) gradSelf = gradSelf.maskedFill(hm, 0.0);
                Tensor srcZero = sv.eq(0.0);
                Tensor zeros = IndexOps.gather(IndexOps.scatterAdd(Tensor.zerosOf(x.shape, x.dtype, x.device()), d, ix, srcZero.to(x.dtype)), d, ix);
                Tensor single = srcZero.logicalAnd(zeros.eq(1.0));
                Tensor maskedSrcResult = scatterReduce(x, d, ix, sv.maskedFill(single, 1.0), "prod", includeSelf);
                Tensor gradSrc = IndexOps.gather(g[0].mul(maskedSrcResult), d, ix)
                        .where(single, IndexOps.gather(g[0].mul(r), d, ix).div(sv.maskedFill(srcZero, 1.0)));
                return new Tensor[]{gradSelf, gradSrc};
            }, new SavedTensor[]{sself, ss, so, si, sh}, self, s);
        }
        return out;
    }

    /** amax/amin: the gradient is split evenly among every contribution equal to the result. */
    private static Tensor extreme(Tensor self, int d, Tensor index, Tensor s, Tensor hit, boolean max, boolean includeSelf) {
        Tensor out = OpSupport.copyOf(self);
        out.backend().index().scatter(max ? ScatterReduce.AMAX : ScatterReduce.AMIN, out.strided(), index.strided(), s.strided(), d,
                includeSelf, "scatter_reduce");
        if (Graph.needsGrad(self, s)) {
            SavedTensor sself = Graph.save(self), ss = Graph.save(s), so = Graph.save(out), si = Graph.save(index), sh = Graph.save(hit);
            Graph.record(out, max ? "ScatterReduceBackward0" : "ScatterReduceBackward0", (g, nd) -> {
                Tensor x = sself.unpack(), sv = ss.unpack(), r = so.unpack(), ix = si.unpack(), hm = sh.unpack();
                // libtorch's count includes self wherever self equals the result, even when include_self=False
                // (self then gets no gradient, but its share is still split off): FunctionsManual's
                // scatter_reduce_backward, kept as PyTorch 2.5 computes it
                Tensor selfEq = x.eq(r);
                Tensor srcEq = sv.eq(IndexOps.gather(r, d, ix));
                Tensor numEq = IndexOps.scatterAdd(selfEq.to(r.dtype), d, ix, srcEq.to(r.dtype));
                Tensor gs = g[0].div(numEq);
                Tensor gradSelf = gs.mul(selfEq.to(r.dtype));
                if (!includeSelf) gradSelf = gradSelf.maskedFill(hm, 0.0);
                return new Tensor[]{gradSelf, IndexOps.gather(gs, d, ix).mul(srcEq.to(r.dtype))};
            }, new SavedTensor[]{sself, ss, so, si, sh}, self, s);
        }
        return out;
    }
}
