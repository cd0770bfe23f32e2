package org.grad4j;

import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.ReLU;
import org.grad4j.optim.Adam;
import org.grad4j.storage.CudaStorage;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The CUDA wiring's checks: moving, where outputs land, the mixing rule, backward on the device, Module.to with
 * an optimizer. {@link EmulatedCudaTest} runs them on an emulated cuda:0 (every machine), {@link CudaWiringTest}
 * on a real one (GPU machines only).
 */
abstract class CudaWiringChecks {
    static final Device CUDA = Device.cuda(0);

    /** Whether results must equal the CPU's bit for bit (the emulation runs the CPU kernels); else a float tolerance. */
    abstract boolean exact();

    void assertSameFloats(float[] expected, float[] actual, String what) {
        if (exact()) assertArrayEquals(expected, actual, what);
        else assertArrayEquals(expected, actual, 1e-5f, what);
    }

    @Test
    void toCudaAndBackRoundTripsEveryDtypeBitForBit() {
        for (DType dt : DType.values()) {
            Tensor x = Grad4j.tensor(new double[]{-0.0, 1.5, Double.NaN, 3e38, -7, 1}, DType.FLOAT64).to(dt).reshape(2, 3);
            Tensor d = x.to(CUDA);
            assertInstanceOf(CudaStorage.class, d.storage(), dt.toString());
            assertEquals(CUDA, d.device());
            assertTrue(d.isCuda());
            Tensor back = d.cpu();
            assertEquals(Device.CPU, back.device());
            assertEquals(dt, back.dtype());
            assertArrayEquals(x.toDoubleArray(), back.toDoubleArray(), dt.toString());
        }
    }

    @Test
    void toReturnsTheSameTensorWhenAlreadyOnTheDevice() {
        Tensor d = Grad4j.ones(3).cuda();
        assertSame(d, d.to(CUDA));
        assertSame(d, d.cuda(0));
        Tensor c = Grad4j.ones(3);
        assertSame(c, c.cpu());
    }

    @Test
    void nonContiguousTensorsMoveAsTheirValues() {
        Tensor x = Grad4j.arange(0, 12, 1).reshape(3, 4).t().slice(0, 0, 4, 2);
        assertArrayEquals(x.toLongArray(), x.cuda().cpu().toLongArray());
    }

    @Test
    void toDeviceAndDtypeConvertsInOneCall() {
        Tensor d = Grad4j.tensor(new long[]{1, 2}).to(CUDA, DType.FLOAT64);
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(CUDA, d.device());
        assertArrayEquals(new double[]{1, 2}, d.toDoubleArray());
    }

    @Test
    void opOutputsLandOnTheDeviceOfTheirInputs() {
        Tensor a = Grad4j.randn(new int[]{2, 3}, DType.FLOAT32, CUDA), b = Grad4j.randn(new int[]{3, 4}, DType.FLOAT32, CUDA);
        List<Tensor> outs = List.of(a.add(1.0), a.exp(), a.matmul(b), a.sum(), a.sum(1), a.t().contiguous(), a.clone(),
                Grad4j.cat(List.of(a, a), 0), a.gt(0.0), a.argmax(), a.softmax(1), a.index(0), Grad4j.zerosLike(a),
                Grad4j.onesLike(a), Grad4j.randLike(a), a.where(a.gt(0.0), Grad4j.zerosLike(a)));
        for (int i = 0; i < outs.size(); i++) assertEquals(CUDA, outs.get(i).device(), "output " + i);
    }

    @Test
    void factoriesTakeADevice() {
        assertEquals(CUDA, Grad4j.zeros(new int[]{2}, DType.FLOAT32, CUDA).device());
        assertEquals(CUDA, Grad4j.ones(new int[]{2}, DType.INT64, CUDA).device());
        assertEquals(CUDA, Grad4j.full(new int[]{2}, 7, DType.FLOAT64, CUDA).device());
        assertEquals(CUDA, Grad4j.arange(0, 5, 1, CUDA).device());
        assertEquals(CUDA, Grad4j.tensor(new double[]{1, 2}, DType.FLOAT32, CUDA).device());
        assertArrayEquals(new double[]{7, 7}, Grad4j.full(new int[]{2}, 7, DType.FLOAT64, CUDA).toDoubleArray());
    }

    @Test
    void randomFillsOnCudaDrawTheCpuGeneratorsNumbers() {
        Generator g1 = new Generator().manualSeed(5), g2 = new Generator().manualSeed(5);
        org.junit.jupiter.api.Assumptions.assumeTrue(exact(), "a device random kernel may draw other numbers");
        assertArrayEquals(Grad4j.randn(new int[]{100}, DType.FLOAT32, g1).toFloatArray(),
                Grad4j.randn(new int[]{100}, DType.FLOAT32, g2, CUDA).toFloatArray());
    }

    @Test
    void mixingDevicesRaisesPyTorchsMessageNamingTheOp() {
        Tensor d = Grad4j.ones(2).cuda(), c = Grad4j.ones(2);
        var e = assertThrows(IllegalArgumentException.class, () -> d.add(c));
        assertTrue(e.getMessage().contains("add: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"));
        var m = assertThrows(IllegalArgumentException.class, () -> c.reshape(1, 2).matmul(d.reshape(2, 1)));
        assertTrue(m.getMessage().contains("cpu and cuda:0!"), m.getMessage());
    }

    /** A small CNN (conv, batch norm, max pool, dropout, linear, cross entropy) trained 3 SGD-momentum steps on both devices. */
    @Test
    void aConvNetTrainingStepMatchesTheCpu() {
        java.util.function.Supplier<Module> make = () -> new Sequential(new org.grad4j.nn.Conv2d(1, 4, 3),
                new org.grad4j.nn.BatchNorm2d(4), new ReLU(), new org.grad4j.nn.MaxPool2d(2), new org.grad4j.nn.Dropout(0.25),
                new org.grad4j.nn.Flatten(), new Linear(4 * 3 * 3, 3));
        Grad4j.manualSeed(11);
        Module cpuModel = make.get();
        Grad4j.manualSeed(11);
        Module model = make.get().to(CUDA);
        var cpuOpt = new org.grad4j.optim.SGD(cpuModel.parameters(), new org.grad4j.optim.SGD.Options().lr(0.1).momentum(0.9));
        var opt = new org.grad4j.optim.SGD(model.parameters(), new org.grad4j.optim.SGD.Options().lr(0.1).momentum(0.9));
        Tensor x = Grad4j.randn(new int[]{4, 1, 8, 8}, DType.FLOAT32, new Generator().manualSeed(2));
        Tensor y = Grad4j.tensor(new long[]{0, 1, 2, 1});
        Tensor xd = x.to(CUDA), yd = y.to(CUDA);
        double cpuLoss = 0, devLoss = 0;
        for (int step = 0; step < 3; step++) {
            Grad4j.manualSeed(100 + step);   // the same dropout masks: drawn on the host on both devices
            cpuOpt.zeroGrad();
            Tensor lc = org.grad4j.nn.functional.F.crossEntropy(cpuModel.forward(x), y);
            lc.backward();
            cpuOpt.step();
            Grad4j.manualSeed(100 + step);
            opt.zeroGrad();
            Tensor ld = org.grad4j.nn.functional.F.crossEntropy(model.forward(xd), yd);
            assertEquals(CUDA, ld.device());
            ld.backward();
            opt.step();
            cpuLoss = lc.item();
            devLoss = ld.item();
        }
        assertEquals(cpuLoss, devLoss, exact() ? 0 : 1e-5);
        List<Tensor> cp = cpuModel.parameters(), dp = model.parameters();
        for (int i = 0; i < cp.size(); i++) assertSameFloats(cp.get(i).toFloatArray(), dp.get(i).toFloatArray(), "parameter " + i);
        Tensor runningMean = model.stateDict().get("1.running_mean");
        assertEquals(CUDA, runningMean.device(), "buffers move and stay");
        assertSameFloats(cpuModel.stateDict().get("1.running_mean").toFloatArray(), runningMean.toFloatArray(), "running_mean");
    }

    @Test
    void loadingAnOptimizerStateDictPutsTheStateOnTheParametersDevice() {
        Tensor p = Grad4j.tensor(new double[]{1, 2}, DType.FLOAT32).requiresGrad_();
        var cpuOpt = new Adam(List.of(p), 0.1);
        p.sum().backward();
        cpuOpt.step();
        Tensor pd = Grad4j.tensor(new double[]{1, 2}, DType.FLOAT32).cuda().requiresGrad_();
        var opt = new Adam(List.of(pd), 0.1);
        opt.loadStateDict(cpuOpt.stateDict());
        pd.sum().backward();
        opt.step();   // mixing devices would raise here
        assertEquals(CUDA, pd.device());
    }

    @Test
    void aCpuStateDictLoadsIntoAModelOnTheDeviceAndCopyCrossesDevices() {
        Grad4j.manualSeed(4);
        Module cpuModel = new Linear(3, 2);
        Module model = new Linear(3, 2).to(CUDA);
        model.loadStateDict(cpuModel.stateDict());
        for (Tensor p : model.parameters()) assertEquals(CUDA, p.device());
        assertArrayEquals(cpuModel.parameters().get(0).toFloatArray(), model.parameters().get(0).toFloatArray());
        Tensor d = Grad4j.zeros(new int[]{2}, DType.FLOAT64, CUDA);
        d.copy_(Grad4j.tensor(new double[]{1, 2}, DType.FLOAT64));
        assertArrayEquals(new double[]{1, 2}, d.toDoubleArray());
        assertEquals(CUDA, d.device());
    }

    @Test
    void checkpointedSegmentsBackpropagateOnTheDevice() {
        Tensor w = Grad4j.tensor(new double[]{0.5, -1, 2}, DType.FLOAT64).cuda().requiresGrad_();
        Tensor h = w.mul(3.0);   // a non-leaf captured by the segment below
        Tensor x = Grad4j.tensor(new double[]{1, 2, 3}, DType.FLOAT64).cuda().requiresGrad_();
        Tensor y = org.grad4j.autograd.Checkpoint.checkpoint(t -> t.mul(h).tanh(), x);
        y.sum().backward();
        assertEquals(CUDA, x.grad().device());
        assertEquals(CUDA, w.grad().device());
        Tensor xc = Grad4j.tensor(new double[]{1, 2, 3}, DType.FLOAT64).requiresGrad_();
        Tensor wc = Grad4j.tensor(new double[]{0.5, -1, 2}, DType.FLOAT64).requiresGrad_();
        xc.mul(wc.mul(3.0)).tanh().sum().backward();
        assertArrayEquals(xc.grad().toDoubleArray(), x.grad().toDoubleArray(), exact() ? 0 : 1e-14);
        assertArrayEquals(wc.grad().toDoubleArray(), w.grad().toDoubleArray(), exact() ? 0 : 1e-14);
    }

    @Test
    void inPlaceOpsCheckTheDevicesToo() {
        Tensor d = Grad4j.ones(new int[]{2}, DType.FLOAT32, CUDA);
        var e = assertThrows(IllegalArgumentException.class, () -> d.add_(Grad4j.ones(2), 2.0));
        assertTrue(e.getMessage().contains("Expected all tensors to be on the same device"), e.getMessage());
        d.mul_(Grad4j.tensor(3.0));   // a 0-dim CPU tensor is a scalar
        assertArrayEquals(new float[]{3, 3}, d.toFloatArray());
    }

    @Test
    void zeroDimCpuTensorsAreScalarsForCudaTensors() {
        Tensor d = Grad4j.tensor(new double[]{1, 2}, DType.FLOAT32).cuda();
        Tensor r = d.mul(Grad4j.tensor(3.0));
        assertEquals(CUDA, r.device());
        assertArrayEquals(new float[]{3, 6}, r.toFloatArray());
    }

    @Test
    void backwardRunsOnTheDeviceOfTheGradientsAndToCopyMovesItBack() {
        Tensor w = Grad4j.tensor(new double[]{1, -2, 3}, DType.FLOAT64).requiresGrad_();
        Tensor wd = w.to(CUDA);
        assertEquals("ToCopyBackward0", wd.gradFn().name());
        Tensor loss = wd.mul(wd).sum();
        loss.backward();
        assertEquals(Device.CPU, w.grad().device());
        assertArrayEquals(new double[]{2, -4, 6}, w.grad().toDoubleArray());

        Tensor leaf = Grad4j.tensor(new double[]{1, 2}, DType.FLOAT64).cuda().requiresGrad_();
        leaf.exp().sum().backward();
        assertEquals(CUDA, leaf.grad().device());
        assertArrayEquals(new double[]{Math.exp(1), Math.exp(2)}, leaf.grad().toDoubleArray(), exact() ? 0 : 1e-14);
    }

    @Test
    void aGradientOnTheWrongDeviceIsRefusedWithPyTorchsMessage() {
        Tensor leaf = Grad4j.ones(new int[]{2}, DType.FLOAT64, CUDA).requiresGrad_();
        Tensor y = leaf.mul(2.0);
        y.registerHook(g -> g.cpu());   // a hook that moves the gradient off the device
        var e = assertThrows(RuntimeException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("invalid gradient at index 0 - expected device cuda:0 but got cpu"), e.getMessage());
    }

    @Test
    void printingAndItemReadTheDevice() {
        Tensor d = Grad4j.tensor(new double[]{1, 2}, DType.FLOAT32).cuda();
        assertEquals("tensor([1., 2.], device='cuda:0')", d.toString());
        assertEquals(3.0, d.sum().item());
    }

    @Test
    void moduleToKeepsParameterIdentityAndAnAdamStepMatchesTheCpuBitForBit() {
        Grad4j.manualSeed(3);
        Module cpuModel = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
        Grad4j.manualSeed(3);
        Module model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
        List<Tensor> params = model.parameters();
        var opt = new Adam(params, 0.01);
        var cpuOpt = new Adam(cpuModel.parameters(), 0.01);
        model.to(CUDA);
        List<Tensor> after = model.parameters();
        for (int i = 0; i < params.size(); i++) {
            assertSame(params.get(i), after.get(i));
            assertEquals(CUDA, after.get(i).device());
        }
        Tensor x = Grad4j.randn(new int[]{5, 4}, DType.FLOAT32, new Generator().manualSeed(1));
        for (int step = 0; step < 3; step++) {
            opt.zeroGrad();
            cpuOpt.zeroGrad();
            model.forward(x.cuda()).pow(2).mean().backward();
            cpuModel.forward(x).pow(2).mean().backward();
            opt.step();
            cpuOpt.step();
        }
        List<Tensor> cp = cpuModel.parameters();
        for (int i = 0; i < params.size(); i++) {
            assertEquals(CUDA, params.get(i).grad().device());
            assertSameFloats(cp.get(i).toFloatArray(), params.get(i).toFloatArray(), "parameter " + i);
        }
        model.to(Device.CPU);
        assertEquals(Device.CPU, params.get(0).device());
        assertEquals(Device.CPU, params.get(0).grad().device());
    }

    @org.junit.jupiter.api.Test
    void safetensorsSavesACudaTensorAndLoadsOntoADevice(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Tensor w = Grad4j.tensor(new double[]{1.5, -2, 3}, DType.FLOAT32).cuda();
        java.nio.file.Path f = dir.resolve("w.safetensors");
        org.grad4j.io.SafeTensors.save(java.util.Map.of("w", w), f);
        Tensor cpu = org.grad4j.io.SafeTensors.load(f).get("w");
        org.junit.jupiter.api.Assertions.assertEquals(Device.CPU, cpu.device());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[]{1.5f, -2, 3}, cpu.toFloatArray());
        Tensor onDevice = org.grad4j.io.SafeTensors.load(f, CUDA).get("w");
        org.junit.jupiter.api.Assertions.assertEquals(CUDA, onDevice.device());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[]{1.5f, -2, 3}, onDevice.toFloatArray());
    }

    // ------------------------------------------------------------------ to() keeps the layout (preserve_format)

    @Test
    void toKeepsTheStridesOfATransposedOrPermutedDenseTensorBothWays() {
        Tensor t = Grad4j.arange(0, 12, 1).reshape(3, 4).t();                      // [4, 3] @ (1, 4)
        Tensor d = t.to(CUDA);
        assertArrayEquals(new int[]{1, 4}, d.stride());
        assertArrayEquals(t.toLongArray(), d.toLongArray());
        assertArrayEquals(new int[]{1, 4}, d.cpu().stride());
        assertArrayEquals(t.toLongArray(), d.cpu().toLongArray());
        Tensor nhwc = Grad4j.arange(0, 120, 1).toFloat().reshape(2, 3, 4, 5).permute(0, 2, 3, 1);
        assertArrayEquals(nhwc.stride(), nhwc.cuda().stride());
        assertArrayEquals(nhwc.toFloatArray(), nhwc.cuda().toFloatArray());
        Tensor wide = t.to(CUDA, DType.FLOAT64);                                       // device and dtype in one copy
        assertArrayEquals(new int[]{1, 4}, wide.stride());
        assertArrayEquals(t.toDoubleArray(), wide.toDoubleArray());
    }

    @Test
    void toMakesTensorsWithGapsOrOverlapsContiguous() {
        Tensor stepped = Grad4j.arange(0, 12, 1).reshape(3, 4).slice(1, 0, 4, 2);     // [3, 2] @ (4, 2): gaps
        assertArrayEquals(new int[]{2, 1}, stepped.cuda().stride());
        assertArrayEquals(stepped.toLongArray(), stepped.cuda().toLongArray());
        Tensor expanded = Grad4j.arange(0, 3, 1).reshape(3, 1).expand(3, 4);         // [3, 4] @ (1, 0): overlaps
        assertArrayEquals(new int[]{4, 1}, expanded.cuda().stride());
        assertArrayEquals(expanded.toLongArray(), expanded.cuda().cpu().toLongArray());
    }

    @Test
    void toGivesAChannelsLastTensorWithGapsChannelsLastStrides() {
        Tensor cl = Grad4j.arange(0, 2 * 8 * 4 * 6, 1).toFloat().reshape(2, 4, 6, 8).permute(0, 3, 1, 2);  // [2,8,4,6] @ (192,1,48,8)
        Tensor everyOtherChannel = cl.slice(1, 0, 8, 2);                               // [2,4,4,6] @ (192,2,48,8): not dense
        Tensor d = everyOtherChannel.cuda();
        assertArrayEquals(new int[]{96, 1, 24, 4}, d.stride(), "suggest_memory_format: channels_last");
        assertArrayEquals(everyOtherChannel.toFloatArray(), d.toFloatArray());
    }

    @Test
    void toOfATransposedTensorKeepsValuesAndGradient() {
        Tensor x = Grad4j.tensor(new double[]{1, -2, 3, 4, 0.5, 6}, DType.FLOAT32).reshape(2, 3).requiresGrad_();
        Tensor w = Grad4j.tensor(new double[]{1, 2, 3, 4, 5, 6}, DType.FLOAT32).reshape(3, 2);
        Tensor y = x.t().to(CUDA);
        assertArrayEquals(new int[]{1, 3}, y.stride());
        y.mul(w.to(CUDA)).sum().backward();
        assertEquals(Device.CPU, x.grad().device());
        assertSameFloats(w.t().contiguous().toFloatArray(), x.grad().toFloatArray(), "d/dx sum(x^T * w) = w^T");
    }

    // ------------------------------------------------------------------ index ops: the index on self's device

    @Test
    void indexOpsRefuseAnIndexOnAnotherDeviceWithPyTorchsMessage() {
        Tensor x = Grad4j.arange(0, 6, 1).toFloat().reshape(2, 3), idx = Grad4j.tensor(new long[]{1, 0}), gidx = Grad4j.tensor(new long[]{0, 1, 0, 1, 0, 1}).reshape(2, 3);
        Tensor xd = x.to(CUDA), src = Grad4j.ones(2, 3);
        java.util.Map<String, org.junit.jupiter.api.function.Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("gather", () -> xd.gather(1, gidx));
        calls.put("scatter", () -> xd.scatter(1, gidx, src.to(CUDA)));
        calls.put("scatter_add", () -> xd.scatterAdd(1, gidx, src.to(CUDA)));
        calls.put("scatter_reduce", () -> xd.scatterReduce(1, gidx, src.to(CUDA), "amax", true));
        calls.put("index_select", () -> xd.indexSelect(0, idx));
        calls.put("index_add", () -> xd.indexAdd(0, idx, src.to(CUDA)));
        calls.put("take", () -> xd.take(idx));
        calls.put("embedding", () -> org.grad4j.nn.functional.F.embedding(idx, xd));
        for (var e : calls.entrySet()) {
            var ex = assertThrows(IllegalArgumentException.class, e.getValue(), e.getKey());
            assertTrue(ex.getMessage().startsWith(e.getKey() + ": Expected all tensors to be on the same device, but found at least two "
                    + "devices, cuda:0 and cpu!"), e.getKey() + ": " + ex.getMessage());
        }
        var cpuSelf = assertThrows(IllegalArgumentException.class, () -> x.gather(1, gidx.to(CUDA)));
        assertTrue(cpuSelf.getMessage().contains("cpu and cuda:0!"), "self's device first: " + cpuSelf.getMessage());
        var cpuSrc = assertThrows(IllegalArgumentException.class, () -> xd.indexAdd(0, idx.to(CUDA), src));
        assertTrue(cpuSrc.getMessage().startsWith("index_add: Expected all tensors"), cpuSrc.getMessage());
        // no scalar exemption: a 0-dim CPU index is another device too (PyTorch's wrappers check every tensor argument)
        assertThrows(IllegalArgumentException.class, () -> xd.reshape(-1).indexSelect(0, Grad4j.scalarTensor(1, DType.INT64, Device.CPU)));
        assertArrayEquals(x.gather(1, gidx).toFloatArray(), xd.gather(1, gidx.to(CUDA)).toFloatArray(), "same device: works");
        assertArrayEquals(x.take(idx).toFloatArray(), xd.take(idx.to(CUDA)).toFloatArray());
    }

    // ------------------------------------------------------------------ pinned host memory

    @Test
    void pinMemoryCopiesIntoPinnedHostMemoryKeepingStridesValuesAndGradient() {
        Tensor x = Grad4j.tensor(new double[]{1, -2, 3, 4, 0.5, 6}, DType.FLOAT32).reshape(2, 3).requiresGrad_();
        assertFalse(x.isPinned());
        Tensor t = x.t();                                                    // [3, 2] @ (1, 3)
        Tensor p = t.pinMemory();
        assertTrue(p.isPinned());
        assertEquals(Device.CPU, p.device());
        assertArrayEquals(new int[]{1, 3}, p.stride(), "pin_memory keeps the strides");
        assertArrayEquals(t.toFloatArray(), p.toFloatArray());
        assertTrue(p.slice(0, 1, 3).isPinned(), "views share the pinned storage");
        assertSame(p, p.pinMemory(), "already pinned: itself");
        assertFalse(p.to(CUDA).isPinned(), "CUDA tensors are never pinned");
        assertFalse(p.clone().isPinned());
        assertEquals("PinMemoryBackward0", p.gradFn().name());
        Tensor w = Grad4j.tensor(new double[]{1, 2, 3, 4, 5, 6}, DType.FLOAT32).reshape(3, 2);
        p.to(CUDA).mul(w.to(CUDA)).sum().backward();
        assertSameFloats(w.t().contiguous().toFloatArray(), x.grad().toFloatArray(), "the gradient passes through");
        Tensor expanded = Grad4j.arange(0, 3, 1).reshape(3, 1).expand(3, 4);   // overlapping: pinned contiguous
        Tensor pe = expanded.pinMemory();
        assertArrayEquals(new int[]{4, 1}, pe.stride());
        assertArrayEquals(expanded.toLongArray(), pe.toLongArray());
        Tensor stepped = Grad4j.arange(0, 12, 1).reshape(3, 4).slice(1, 0, 4, 2);  // gaps: kept, as PyTorch's set_ with self's strides
        assertArrayEquals(new int[]{4, 2}, stepped.pinMemory().stride());
        assertArrayEquals(stepped.toLongArray(), stepped.pinMemory().toLongArray());
        assertEquals(0, Grad4j.zeros(0, 3).pinMemory().numel());
    }

    @Test
    void pinMemoryOfACudaTensorRaisesPyTorchsMessage() {
        Tensor d = Grad4j.ones(2).to(CUDA);
        var e = assertThrows(IllegalArgumentException.class, d::pinMemory);
        assertTrue(e.getMessage().startsWith("pinMemory: cannot pin 'CUDAFloatType' only dense CPU tensors can be pinned."), e.getMessage());
    }
}
