package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.RemovableHandle;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** The tensor core: creation, dtype inference and promotion, views sharing storage, hooks, modes. */
class TensorCoreTest {

    @Test
    void dtypeInferenceLikeTorchTensor() {
        assertEquals(DType.FLOAT32, tensor(new double[]{1, 2}).dtype());
        assertEquals(DType.INT64, tensor(new int[][]{{1, 2}, {3, 4}}).dtype());
        assertEquals(DType.INT64, tensor(new long[]{1}).dtype());
        assertEquals(DType.BOOL, tensor(new boolean[]{true}).dtype());
        assertEquals(DType.FLOAT32, tensor(2.0).dtype());
        assertEquals(DType.INT64, tensor(2L).dtype());
        assertEquals(DType.FLOAT64, tensor(new double[]{1}, DType.FLOAT64).dtype());
        assertArrayEquals(new int[]{2, 3}, tensor(new double[][]{{1, 2, 3}, {4, 5, 6}}).shape());
        assertArrayEquals(new int[0], tensor(3.0).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> tensor(new double[][]{{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("ragged"), e.getMessage());
    }

    @Test
    void typePromotionFollowsPyTorch() {
        Tensor f32 = tensor(new double[]{1, 2}), i64 = tensor(new long[]{1, 2}), b = tensor(new boolean[]{true, false});
        Tensor f64 = tensor(new double[]{1, 2}, DType.FLOAT64), i32 = tensor(new int[]{1, 2}, DType.INT32);
        assertEquals(DType.FLOAT32, f32.mul(2.0).dtype());            // Python float scalar keeps float32
        assertEquals(DType.FLOAT32, f32.mul(2L).dtype());
        assertEquals(DType.FLOAT32, i64.mul(2.5).dtype());            // int tensor * float scalar -> default float
        assertEquals(DType.INT64, i64.mul(2L).dtype());
        assertEquals(DType.FLOAT32, i64.div(i64).dtype());            // true division
        assertEquals("tensor([1., 1.])", i64.div(i64).toString());
        assertEquals(DType.INT64, i32.add(i64).dtype());
        assertEquals(DType.INT32, i32.add(5L).dtype());               // scalar does not widen the tensor
        assertEquals(DType.FLOAT64, f32.add(f64).dtype());
        assertEquals(DType.FLOAT32, f32.add(tensor(1.0, DType.FLOAT64)).dtype()); // 0-d does not outrank a dim tensor
        assertEquals(DType.FLOAT64, i64.add(tensor(1.0, DType.FLOAT64)).dtype()); // ...unless of a higher category
        assertEquals(DType.INT64, b.add(b.to(DType.INT64)).dtype());
        assertEquals(DType.BOOL, f32.gt(1.0).dtype());
        assertEquals("tensor([False,  True])", f32.gt(1.0).toString());
        assertEquals(DType.INT16, promoteTypes(DType.UINT8, DType.INT8));
    }

    @Test
    void broadcastingShapes() {
        assertArrayEquals(new int[]{2, 3, 4}, ones(3, 1).add(ones(2, 1, 4)).shape());
        assertArrayEquals(new int[]{0, 3}, ones(0, 1).mul(ones(3)).shape());
        assertArrayEquals(new int[]{5}, ones(5).add(tensor(1.0)).shape());
    }

    @Test
    void factories() {
        assertEquals("tensor([0, 1, 2, 3, 4])", arange(5).toString());
        assertEquals("tensor([1., 3.])", arange(1.0, 4.0, 2.0).toString());
        assertEquals("tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])", linspace(0, 1, 5).toString());
        assertEquals("tensor([[1., 0., 0.],\n        [0., 1., 0.]])", eye(2, 3).toString());
        assertEquals("tensor([[7., 7.]])", full(new int[]{1, 2}, 7.0).toString());
        assertEquals(DType.FLOAT64, zerosLike(ones(new int[]{2}, DType.FLOAT64)).dtype());
        manualSeed(3);
        Tensor r1 = randn(4), u1 = rand(3), k1 = randint(0, 10, 6);
        manualSeed(3);
        assertTrue(r1.equal(randn(4)));
        assertTrue(u1.equal(rand(3)));
        assertTrue(k1.equal(randint(0, 10, 6)));
        assertEquals(DType.INT64, k1.dtype());
        for (long v : k1.toLongArray()) assertTrue(v >= 0 && v < 10);
        for (double v : u1.toDoubleArray()) assertTrue(v >= 0 && v < 1);
        Tensor big = randn(new int[]{20000}, new Generator().manualSeed(1));
        assertEquals(0.0, big.mean().item(), 0.03);
        assertEquals(1.0, big.pow(2).mean().item(), 0.03);
    }

    @Test
    void seededDrawsEqualPyTorchs() {
        // torch.manual_seed(0); torch.rand(3) / torch.randn(3) / torch.randn(4, 4) / torch.randint(0, 10, (5,))
        manualSeed(0);
        assertEquals("tensor([0.4963, 0.7682, 0.0885])", rand(3).toString());
        manualSeed(0);
        assertEquals("tensor([ 1.5410, -0.2934, -2.1788])", randn(3).toString());
        manualSeed(0);
        assertEquals("tensor([[-1.1258, -1.1524, -0.2506, -0.4339],\n"
                + "        [ 0.8487,  0.6920, -0.3160, -2.1152],\n"
                + "        [ 0.3223, -1.2633,  0.3500,  0.3081],\n"
                + "        [ 0.1198,  1.2377,  1.1168, -0.2473]])", randn(4, 4).toString());
        manualSeed(0);
        assertEquals("tensor([4, 9, 3, 0, 3])", randint(0, 10, 5).toString());
    }

    @Test
    void viewsShareStorageWithTheirBase() {
        Tensor x = arange(6).to(DType.FLOAT32).reshape(2, 3);
        Tensor t = x.t();
        assertFalse(t.isContiguous());
        assertSame(x.storage(), t.storage());
        t.select(0, 1).fill_(-1.0);               // x[:, 1] = -1 through the transpose
        assertEquals("tensor([[ 0., -1.,  2.],\n        [ 3., -1.,  5.]])", x.toString());
        Tensor s = x.slice(1, 0, 3, 2);            // x[:, ::2]
        assertArrayEquals(new int[]{2, 2}, s.shape());
        assertArrayEquals(new int[]{3, 2}, s.stride());
        Tensor e = tensor(new double[]{1, 2}).unsqueeze(1).expand(2, 3);
        assertArrayEquals(new int[]{1, 0}, e.stride());
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertNotSame(x.storage(), c.storage());
        assertEquals(x.t().toString(), c.toString());
        Tensor p = ones(2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new int[]{4, 2, 3}, p.shape());
        assertArrayEquals(new int[]{1, 12, 4}, p.stride());
        assertEquals(5.0, x.get(1, 2).item());
        assertEquals(3, x.view(3, 2).get(2).numel() + 1);
    }

    @Test
    void inPlaceOpsAndVersionCounter() {
        Tensor x = zeros(3);
        int v0 = x.version();
        x.add_(1.0).mul_(tensor(new double[]{1, 2, 3}));
        assertEquals("tensor([1., 2., 3.])", x.toString());
        assertEquals(v0 + 2, x.version());
        Tensor view = x.slice(0, 1, 3);
        view.zero_();
        assertEquals(v0 + 3, x.version());   // views share the counter
        assertEquals("tensor([1., 0., 0.])", x.toString());
        x.copy_(tensor(new long[]{4, 5, 6}));
        assertEquals("tensor([4., 5., 6.])", x.toString());
        x.maskedFill_(x.gt(4.5), 0.0);
        assertEquals("tensor([4., 0., 0.])", x.toString());
    }

    @Test
    void hooksAreRemovableAndCanReplaceTheGradient() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y = x.mul(2);
        List<String> seen = new ArrayList<>();
        RemovableHandle h = y.registerHook(g -> { seen.add(g.toString()); return g.mul(10); });
        y.sum().backward();
        assertEquals(List.of("tensor([1., 1.])"), seen);
        assertEquals("tensor([20., 20.])", x.grad().toString());
        h.remove();
        x.setGrad(null);
        Tensor y2 = x.mul(2);
        y2.sum().backward();
        assertEquals("tensor([2., 2.])", x.grad().toString());
        // a hook on a leaf sees the gradient before accumulation
        x.setGrad(null);
        x.registerHook(g -> g.neg());
        x.mul(3).sum().backward();
        assertEquals("tensor([-3., -3.])", x.grad().toString());
    }

    @Test
    void gradModesAndDetach() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        try (var g = Autograd.inferenceMode()) {
            assertFalse(x.mul(2).requiresGrad());
            try (var e = Autograd.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad());
            }
        }
        try (var g = Autograd.gradEnabled(false)) {
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        Tensor y = x.mul(2);
        Tensor d = y.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        assertSame(y.storage(), d.storage());
        y.detach_();
        assertNull(y.gradFn());
        assertFalse(y.requiresGrad());
    }

    @Test
    void unbindIsOneNodeAndUnusedSlicesGetZeroGradients() {
        Tensor x = arange(6).to(DType.FLOAT64).reshape(3, 2).requiresGrad_();
        java.util.List<Tensor> rows = x.unbind(0);
        assertEquals("UnbindBackward0", rows.get(0).gradFn().name());
        assertSame(rows.get(0).gradFn(), rows.get(2).gradFn());
        assertEquals(2, rows.get(2).outputNr());
        rows.get(1).mul(3).sum().backward();
        assertEquals("tensor([[0., 0.],\n        [3., 3.],\n        [0., 0.]], dtype=torch.float64)", x.grad().toString());
        assertTrue(org.grad4j.autograd.GradCheck.gradgradcheck(in -> {
            var r = in[0].unbind(1);
            return r.get(0).mul(r.get(1)).sum();
        }, Grad4j.randn(new int[]{3, 2}, DType.FLOAT64, new Generator().manualSeed(2)).requiresGrad_()));
    }

    @Test
    void integersNextToTensorIndicesAreAdvancedIndicesAsInNumPy() {
        Tensor x = arange(24).reshape(2, 3, 4);
        Tensor idx = tensor(new long[]{0, 2});
        // x[0, :, idx]: the advanced indices (0 and idx) are not adjacent, so their dim goes first
        assertEquals("tensor([[ 0,  4,  8],\n        [ 2,  6, 10]])", x.index(0, Index.slice(null, null), idx).toString());
        // x[:, 1, idx]: adjacent, so the dim stays in place
        assertEquals("tensor([[ 4,  6],\n        [16, 18]])", x.index(Index.slice(null, null), 1, idx).toString());
        assertArrayEquals(new int[]{2, 4}, x.index(-1, idx).shape());
        assertThrows(IndexOutOfBoundsException.class, () -> x.index(2, idx));
        Tensor xf = Grad4j.randn(new int[]{2, 3, 4}, DType.FLOAT64, new Generator().manualSeed(4)).requiresGrad_();
        assertTrue(org.grad4j.autograd.GradCheck.gradgradcheck(in -> in[0].index(-1, Index.slice(null, null), idx).pow(2), xf));
    }

    @Test
    void itemAndConversions() {
        assertEquals(3.5, tensor(3.5).item());
        assertEquals(7L, tensor(7L).itemLong());
        assertArrayEquals(new long[]{1, 2}, tensor(new double[]{1.7, 2.2}).toLongArray());
        assertEquals("tensor([1, 2], dtype=torch.int32)", tensor(new long[]{1, 2}).toInt().toString());
        assertEquals("tensor([ True, False])", tensor(new double[]{3, 0}).toBool().toString());
        assertEquals(DType.FLOAT64, tensor(new double[]{1}).toDouble().dtype());
    }
}
