package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Devices;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.ScatterReduce;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Index-based ops: gather / scatter_add and index_select / index_add (each the other's gradient), then
 * Python-style indexing: basic (ints, slices, None, ...) as views, advanced (int64 / bool tensors)
 * as gathers, and index_put with accumulate. Gradients come from the differentiable pieces
 * (permute, reshape, index_select, index_add, masked_fill), so double backward works.
 */
final class IndexOps {
    private IndexOps() {}

    // ------------------------------------------------------------------ gather, scatter_add, index_select, index_add

    private static void checkIndex(Tensor index, String op) {
        if (index.dtype != DType.INT64 && index.dtype != DType.INT32) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index, got " + index.dtype
                    + ". Fix: index.toLong()");
        }
    }

    private static void checkGatherShapes(Tensor self, int dim, Tensor index, String op) {
        if (index.dim() != self.dim() && !(self.dim() == 0 && index.dim() <= 1)) {
            throw new IllegalArgumentException(op + "(): Index tensor must have the same number of dimensions as input tensor ("
                    + Shapes.str(index.shape) + " vs " + Shapes.str(self.shape) + ")");
        }
        for (int d = 0; d < index.dim(); d++) {
            if (d != dim && index.shape[d] > self.shape[d]) {
                throw new IllegalArgumentException(op + "(): Size does not match at dimension " + d + " expected index "
                        + Shapes.str(index.shape) + " to be smaller than self " + Shapes.str(self.shape)
                        + " apart from dimension " + dim);
            }
        }
    }

    static Tensor gather(Tensor self, int dim, Tensor index) {
        Devices.same("gather", self, index);
        checkIndex(index, "gather");
        int d = Shapes.wrapDim(dim, self.dim(), "gather");
        checkGatherShapes(self, d, index, "gather");
        Tensor out = Tensor.emptyLike(index, index.shape.clone(), self.dtype);
        self.backend().index().gather(self.strided(), index.strided(), d, out.storage, "gather");
        if (Graph.needsGrad(self)) {
            int[] in = self.shape;
            SavedTensor si = Graph.save(index);
            Graph.record(out, "GatherBackward0", (g, n) -> new Tensor[]{scatterAdd(Tensor.zerosOf(in, g[0].dtype, g[0].device()), d, si.unpack(), g[0])},
                    new SavedTensor[]{si}, self);
        }
        return out;
    }

    /** Out-of-place scatter_add: a copy of self with src added at the indexed positions. */
    static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src) { return scatterAdd(self, dim, index, src, "scatter_add"); }

    /** scatter_add checked and reported as {@code op} (scatter builds on it). */
    static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src, String op) {
        Devices.same(op, self, index, src);
        checkIndex(index, op);
        int d = Shapes.wrapDim(dim, self.dim(), op);
        checkGatherShapes(self, d, index, op);
        for (int k = 0; k < index.dim(); k++) {
            if (index.shape[k] > src.shape[k]) {
                throw new IllegalArgumentException(op + "(): Expected index " + Shapes.str(index.shape)
                        + " to be smaller than src " + Shapes.str(src.shape));
            }
        }
        Tensor out = OpSupport.copyOf(OpSupport.cast(self, self.dtype));
        Tensor s = OpSupport.cast(src, self.dtype);
        out.backend().index().scatter(ScatterReduce.SUM, out.strided(), index.strided(), s.strided(), d, true, op);
        if (Graph.needsGrad(self, src)) {
            SavedTensor si = Graph.save(index);
            Graph.record(out, "ScatterAddBackward0", (g, n) -> new Tensor[]{
                    n.needsInputGrad(0) ? g[0] : null,
                    n.needsInputGrad(1) ? gather(g[0], d, si.unpack()) : null}, new SavedTensor[]{si}, self, src);
        }
        return out;
    }

    static Tensor indexSelect(Tensor self, int dim, Tensor index) { return indexSelect(self, dim, index, "index_select"); }

    /** index_select checked and reported as {@code op} (embedding builds on it). Indices must lie in [0, size). */
    static Tensor indexSelect(Tensor self, int dim, Tensor index, String op) {
        Devices.same(op, self, index);
        checkIndex(index, op);
        if (index.dim() > 1) throw new IllegalArgumentException(op + "(): Index is supposed to be a vector, got shape " + Shapes.str(index.shape));
        int d = Shapes.wrapDim(dim, self.dim(), op);
        Tensor idx = index.reshape(-1);
        int[] outShape = self.shape.clone();
        if (outShape.length > 0) outShape[d] = idx.numel();
        Tensor out = Tensor.emptyLike(self, outShape, self.dtype);
        self.backend().index().indexSelect(self.strided(), idx.strided(), d, out.strided(), op);
        if (Graph.needsGrad(self)) {
            int[] in = self.shape;
            SavedTensor si = Graph.save(index);
            Graph.record(out, "IndexSelectBackward0", (g, n) -> new Tensor[]{indexAdd(Tensor.zerosOf(in, g[0].dtype, g[0].device()), d, si.unpack(), g[0])},
                    new SavedTensor[]{si}, self);
        }
        return out;
    }

    /** PyTorch's index_add check: self and source agree on every size but dim's (on all of them when one is 0-d). */
    private static void checkSlices(Tensor self, int d, Tensor src) {
        int[] a = self.shape, b = src.shape;
        if (a.length > 0 && b.length > 0) {
            a = ShapeOps.remove(a, d);
            b = ShapeOps.remove(b, d);
        }
        if (!java.util.Arrays.equals(a, b)) {
            throw new IllegalArgumentException("index_add(): source tensor shape must match self tensor shape, excluding the specified "
                    + "dimension. Got self.shape = " + Shapes.str(self.shape) + " source.shape = " + Shapes.str(src.shape)
                    + ". Fix: give source self's shape with the number of indices at dim " + d);
        }
    }

    /** Out-of-place index_add: a copy of self with src's slices added at the indexed positions of dim. */
    static Tensor indexAdd(Tensor self, int dim, Tensor index, Tensor src) {
        Devices.same("index_add", self, index, src);
        checkIndex(index, "index_add");
        int d = Shapes.wrapDim(dim, self.dim(), "index_add");
        Tensor idx = index.reshape(-1);
        int m = idx.numel();
        if (d != 0 && d >= src.dim()) {
            throw new IllegalArgumentException("index_add(): Indexing dim " + d + " is out of bounds of the source tensor with dim "
                    + src.dim() + ". Fix: give source as many dims as self " + Shapes.str(self.shape));
        }
        int srcLen = src.dim() == 0 ? 1 : src.shape[d];   // a 0-d source is one slice
        if (srcLen != m) {
            throw new IllegalArgumentException("index_add(): Number of indices (" + m + ") should be equal to source.size(dim) ("
                    + srcLen + ")");
        }
        checkSlices(self, d, src);
        Tensor out = OpSupport.copyOf(self);
        Tensor s = OpSupport.cast(src, self.dtype);
        out.backend().index().indexAdd(out.strided(), idx.strided(), s.strided(), d, "index_add");
        if (Graph.needsGrad(self, src)) {
            SavedTensor si = Graph.save(index);
            Graph.record(out, "IndexAddBackward0", (g, n) -> new Tensor[]{
                    n.needsInputGrad(0) ? g[0] : null,
                    n.needsInputGrad(1) ? indexSelect(g[0], d, si.unpack()) : null}, new SavedTensor[]{si}, self, src);
        }
        return out;
    }

    // ------------------------------------------------------------------ indexing, index_put, take, scatter, one_hot

    static Tensor nonzero(Tensor x) {
        var k = x.backend().index();
        Tensor out = Tensor.emptyLike(x, new int[]{k.countNonzero(x.strided()), x.dim()}, DType.INT64);
        k.nonzero(x.strided(), out.storage);
        return out;
    }

    /** x[items...] with Python's semantics. */
    static Tensor index(Tensor x, Object[] raw) {
        List<Object> items = Index.flatten(raw);
        int consumed = 0;
        boolean ellipsis = false;
        for (Object o : items) {
            if (o == Index.ELLIPSIS) {
                if (ellipsis) throw new IllegalArgumentException("an index can only have a single ellipsis ('...')");
                ellipsis = true;
            } else if (o instanceof Tensor t) consumed += t.dtype == DType.BOOL ? Math.max(t.dim(), 1) : 1;
            else if (o != Index.NONE) consumed += 1;
        }
        if (consumed > x.dim()) {
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + x.dim() + " (got " + consumed + ")");
        }
        // With a tensor index present, integers are advanced indices too (NumPy/PyTorch): they take
        // part in deciding whether the advanced indices are adjacent, and so where the result dims go.
        boolean anyTensor = false;
        for (Object o : items) if (o instanceof Tensor t && !(t.dtype == DType.BOOL && t.dim() == 0)) anyTensor = true;
        Tensor v = x;
        int d = 0;
        int xd = 0;     // the dimension of x the item refers to, for messages (d counts v's dims)
        Map<Integer, Tensor> adv = new HashMap<>();
        for (Object o : items) {
            if (o == Index.ELLIPSIS) {
                d += x.dim() - consumed;
                xd += x.dim() - consumed;
            }
            else if (o == Index.NONE) v = v.unsqueeze(d++);
            else if (o instanceof Integer || o instanceof Long) {
                long i = ((Number) o).longValue();
                int size = v.shape[d];
                if (i < -size || i >= size) {
                    throw new IndexOutOfBoundsException("index " + i + " is out of bounds for dimension " + xd + " with size " + size);
                }
                xd++;
                if (anyTensor) adv.put(d++, Grad4j.scalarTensor(i, DType.INT64));
                else v = v.select(d, (int) i);
            }
            else if (o instanceof Index.Slice s) {
                int step = s.step() == null ? 1 : s.step();
                if (step <= 0) throw new IllegalArgumentException("step must be greater than zero (got " + step + "); use flip() to reverse");
                v = v.slice(d++, s.start() == null ? 0 : s.start(), s.stop() == null ? Integer.MAX_VALUE : s.stop(), step);
                xd++;
            } else if (o instanceof Tensor t) {
                if (t.dtype == DType.BOOL && t.dim() == 0) {   // x[True] adds a dim of size 1 (0 if False)
                    v = v.unsqueeze(d);
                    adv.put(d, t.itemBool() ? Tensor.wrapScalar(0L) : Tensor.emptyLike(t, new int[]{0}, DType.INT64));
                    d++;
                } else {
                    adv.put(d, t);
                    d += t.dtype == DType.BOOL ? t.dim() : 1;
                    xd += t.dtype == DType.BOOL ? t.dim() : 1;
                }
            } else {
                throw new IllegalArgumentException("index: unsupported item " + o + " (" + (o == null ? "null" : o.getClass().getSimpleName())
                        + "); use Integer, Index.slice(...), Index.NONE, Index.ELLIPSIS, a String like \"1:, ::2\", or an int64/bool Tensor");
            }
        }
        if (adv.isEmpty()) return v == x ? ShapeOps.view(x, x.shape) : v;
        Tensor[] idx = new Tensor[v.dim()];
        for (var e : adv.entrySet()) idx[e.getKey()] = e.getValue();
        return advancedIndex(v, idx);
    }

    /** Expands bool masks into int64 indices (one per masked dim); nulls stay full slices. */
    private static Tensor[] expandBool(Tensor x, Tensor[] idx) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            Tensor t = idx[i];
            if (t == null) { out.add(null); continue; }
            if (t.dtype == DType.BOOL) {
                int at = out.size();
                for (int k = 0; k < t.dim(); k++) {
                    if (at + k >= x.dim() || t.shape[k] != x.shape[at + k]) {
                        throw new IndexOutOfBoundsException("The shape of the mask " + Shapes.str(t.shape) + " at index " + k
                                + " does not match the shape of the indexed tensor " + Shapes.str(x.shape) + " at index " + (at + k));
                    }
                }
                Tensor nz = nonzero(t);
                for (int k = 0; k < t.dim(); k++) out.add(nz.select(1, k));
                // a k-dim mask covers k positions: skip the nulls that stood for them
                int skip = t.dim() - 1;
                while (skip-- > 0 && i + 1 < idx.length && idx[i + 1] == null) i++;
            } else if (t.dtype == DType.INT64 || t.dtype == DType.INT32) {
                out.add(t);
            } else {
                throw new IndexOutOfBoundsException("tensors used as indices must be long, int or bool tensors (got " + t.dtype + ")");
            }
        }
        while (out.size() < x.dim()) out.add(null);
        return out.toArray(new Tensor[0]);
    }

    /** The plan shared by index and index_put: permutation, broadcast index shape, flat row numbers. */
    private record Plan(int[] perm, int[] inv, int[] bshape, int rows, int[] rest, int insertAt, Tensor lin) {}

    private static Plan plan(Tensor x, Tensor[] rawIdx) {
        Tensor[] idx = expandBool(x, rawIdx);
        List<Integer> p = new ArrayList<>(), q = new ArrayList<>();
        int[] b = Shapes.SCALAR;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] != null) { p.add(i); b = Shapes.broadcast(b, idx[i].shape, "index"); }
            else q.add(i);
        }
        boolean adjacent = p.get(p.size() - 1) - p.get(0) == p.size() - 1;
        int[] perm = new int[x.dim()], inv = new int[x.dim()];
        int k = 0;
        for (int i : p) perm[k++] = i;
        for (int i : q) perm[k++] = i;
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        int rows = 1;
        for (int i : p) rows *= x.shape[i];
        int[] rest = new int[q.size()];
        for (int i = 0; i < rest.length; i++) rest[i] = x.shape[q.get(i)];
        Tensor lin = Tensor.zerosOf(new int[]{Shapes.numel(b)}, DType.INT64, x.device());
        long stride = rows;
        for (int i : p) {
            int size = x.shape[i];
            stride /= size;
            x.backend().index().addLinearIndex(idx[i].expand(b).strided(), i, size, stride, lin.storage);
        }
        int insertAt = adjacent ? p.get(0) : 0;
        return new Plan(perm, inv, b, rows, rest, insertAt, lin);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Permutation that moves the first nb dims (of rank r) to position at. */
    private static int[] moveFront(int nb, int r, int at) {
        int[] perm = new int[r];
        int k = 0;
        for (int i = nb; i < nb + at; i++) perm[k++] = i;
        for (int i = 0; i < nb; i++) perm[k++] = i;
        for (int i = nb + at; i < r; i++) perm[k++] = i;
        return perm;
    }

    static Tensor advancedIndex(Tensor x, Tensor[] idx) {
        Plan pl = plan(x, idx);
        Tensor flat = x.permute(pl.perm).reshape(concat(new int[]{pl.rows}, pl.rest));
        Tensor out = flat.indexSelect(0, pl.lin).reshape(concat(pl.bshape, pl.rest));
        if (pl.insertAt > 0) out = out.permute(moveFront(pl.bshape.length, out.dim(), pl.insertAt));
        return out;
    }

    /** Out-of-place index_put: x with values written (or added, with accumulate) at the indexed positions. */
    static Tensor indexPut(Tensor x, Tensor[] idx, Tensor values, boolean accumulate) {
        Plan pl = plan(x, idx);
        int[] resShape = concat(pl.bshape, pl.rest);
        int nb = Shapes.numel(pl.bshape);
        Tensor v = values.to(x.dtype);
        if (pl.insertAt > 0) {
            int[] moved = resShape.clone();
            int[] perm = moveFront(pl.bshape.length, resShape.length, pl.insertAt);
            for (int i = 0; i < perm.length; i++) moved[i] = resShape[perm[i]];
            int[] back = new int[perm.length];
            for (int i = 0; i < perm.length; i++) back[perm[i]] = i;
            v = v.expand(moved).permute(back);
        } else {
            v = v.expand(resShape);
        }
        v = v.reshape(concat(new int[]{nb}, pl.rest));
        Tensor flat = x.permute(pl.perm).reshape(concat(new int[]{pl.rows}, pl.rest));
        Tensor out;
        if (accumulate) {
            out = flat.indexAdd(0, pl.lin, v);
        } else {
            // duplicates: the last write wins, as on PyTorch's CPU
            Tensor last = Tensor.emptyLike(x, new int[]{nb}, DType.BOOL);
            x.backend().index().lastWrites(pl.lin.strided(), 0, pl.rows, last.storage, "index_put");
            Tensor keepSrc = nonzero(last).reshape(-1);
            Tensor keepRows = pl.lin.indexSelect(0, keepSrc);
            Tensor hit = Tensor.emptyLike(x, new int[]{pl.rows}, DType.BOOL);   // true at every written row
            x.backend().index().scatter(ScatterReduce.SUM, hit.strided(), keepRows.strided(), Grad4j.ones(keepRows.shape(), DType.BOOL, x.device()).strided(),
                    0, true, "index_put");
            int[] hs = new int[1 + pl.rest.length];
            Arrays.fill(hs, 1);
            hs[0] = pl.rows;
            Tensor cleared = flat.maskedFill(hit.reshape(hs), 0.0);
            out = cleared.indexAdd(0, keepRows, v.indexSelect(0, keepSrc));
        }
        int[] permShape = new int[x.dim()];
        for (int i = 0; i < x.dim(); i++) permShape[i] = x.shape[pl.perm[i]];
        return out.reshape(permShape).permute(pl.inv).contiguous();
    }

    static Tensor take(Tensor x, Tensor index) {
        Devices.same("take", x, index);
        if (index.dtype != DType.INT64 && index.dtype != DType.INT32) {
            throw new IllegalArgumentException("take(): Expected a long tensor for index, but got " + index.dtype);
        }
        // take counts negative indices from the end (PyTorch's take does); anything else outside is an error
        int n = x.numel();
        Tensor pos = Tensor.emptyLike(index, new int[]{index.numel()}, DType.INT64);
        x.backend().index().takeIndex(index.strided(), n, x.shape, pos.storage);
        return x.reshape(-1).indexSelect(0, pos).reshape(index.shape);
    }

    static Tensor maskedSelect(Tensor x, Tensor mask) {
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException("masked_select: expected BoolTensor for mask, got " + mask.dtype + ". Fix: mask.toBool()");
        }
        int[] shape = Shapes.broadcast(x.shape, mask.shape, "masked_select");
        Tensor flatMask = mask.expand(shape).contiguous().reshape(-1);
        Tensor nz = nonzero(flatMask).reshape(-1);
        return x.expand(shape).reshape(-1).indexSelect(0, nz);
    }

    /** Out-of-place scatter: a copy of self with src values written at index along dim. */
    static Tensor scatter(Tensor self, int dim, Tensor index, Tensor src) {
        Devices.same("scatter", self, index, src);
        int d = Shapes.wrapDim(dim, self.dim(), "scatter");
        Tensor hitCount;
        try (var ng = Autograd.noGrad()) {
            hitCount = scatterAdd(Tensor.zerosOf(self.shape, DType.FLOAT64, self.device()), d, index, Grad4j.ones(index.shape(), DType.FLOAT64, self.device()),
                    "scatter");
        }
        Tensor s = src.dim() == 0 && index.dim() > 0 ? src.expand(index.shape) : src;
        // written slots are cleared, then the (last) source value is added: differentiable in both inputs
        Tensor kept = self.maskedFill(hitCount.gt(0.0), 0.0);
        Tensor srcSlice = s.dim() == 0 ? s : narrowTo(s, index.shape);
        return scatterAdd(kept, d, index, srcSlice.mul(lastMask(index, d, self.dim() == 0 ? 1 : self.shape[d]).to(s.dtype)));
    }

    private static Tensor narrowTo(Tensor s, int[] shape) {
        for (int k = 0; k < shape.length && k < s.dim(); k++) {
            if (s.shape[k] < shape[k]) {
                throw new IllegalArgumentException("scatter(): Expected index " + Shapes.str(shape) + " to be smaller size than src "
                        + Shapes.str(s.shape) + ". Fix: src must be at least as large as index in every dimension");
            }
        }
        Tensor r = s;
        for (int k = 0; k < shape.length; k++) if (r.shape[k] != shape[k]) r = r.narrow(k, 0, shape[k]);
        return r;
    }

    /** Mask of index entries that are the last write to their target slot (row-major order). */
    private static Tensor lastMask(Tensor index, int d, int size) {
        Tensor m = Tensor.emptyLike(index, index.shape.clone(), DType.BOOL);
        index.backend().index().lastWrites(index.strided(), d, size, m.storage, "scatter");
        return m;
    }

    static Tensor oneHot(Tensor x, int numClasses) {
        if (x.dtype != DType.INT64) {
            throw new IllegalArgumentException("one_hot is only applicable to index tensor of type LongTensor, got " + x.dtype
                    + ". Fix: indices.toLong()");
        }
        long max = x.backend().counting().maxNonNegative(x.strided(), "one_hot");
        long k = numClasses == -1 ? max + 1 : numClasses;   // only -1 means "infer"; PyTorch rejects other negatives
        if (max >= k || k < 0) {
            throw new IllegalArgumentException("one_hot: Class values must be smaller than num_classes. (got " + max + " with num_classes "
                    + numClasses + ")");
        }
        int[] shape = Arrays.copyOf(x.shape, x.dim() + 1);
        shape[x.dim()] = Shapes.checkedDim("one_hot", k, x.shape);
        Shapes.checkedNumel("one_hot", shape);
        Tensor out = Tensor.emptyLike(x, shape, DType.INT64);
        x.backend().counting().oneHot(x.strided(), shape[x.dim()], out.storage);
        return out;
    }
}
