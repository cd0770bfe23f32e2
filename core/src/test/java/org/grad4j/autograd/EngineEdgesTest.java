package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.nn.Linear;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** Engine edges: memory overlap on in-place writes, hook results, gradient counts, duplicate inputs, release. */
class EngineEdgesTest {
    static final String INTERNAL = "unsupported operation: more than one element of the written-to tensor refers to a single "
            + "memory location. Please clone() the tensor before performing the operation.";
    static final String PARTIAL = "unsupported operation: some elements of the input tensor and the written-to tensor refer "
            + "to a single memory location. Please clone() the tensor before performing the operation.";

    // ---------------------------------------------------------------- item 4: overlapping writes

    @Test
    void inPlaceOnExpandedTensorRaisesInsteadOfCorrupting() {
        Tensor base = ones(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> base.expand(3).add_(1.0));
        assertTrue(e.getMessage().startsWith(INTERNAL), e.getMessage());
        assertEquals(1.0, base.item());
    }

    @Test
    void everyInPlacePathRefusesAnOverlappingDestination() {
        List<Consumer<Tensor>> ops = List.of(t -> t.add_(1.0), t -> t.mul_(ones(3)), t -> t.sub_(1.0), t -> t.div_(2.0),
                t -> t.fill_(2.0), t -> t.zero_(), t -> t.copy_(tensor(new double[]{1, 2, 3}).to(DType.FLOAT32)),
                t -> t.clamp_(0.0, 0.5), t -> t.maskedFill_(ones(3).gt(0), 3.0), t -> t.exp_(), t -> t.relu_(),
                t -> t.indexPut_(new Tensor[]{tensor(new long[]{0})}, tensor(new double[]{5}).to(DType.FLOAT32), false),
                t -> t.set(":", 4.0));
        for (Consumer<Tensor> op : ops) {
            Tensor base = ones(1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> op.accept(base.expand(3)));
            assertTrue(e.getMessage().startsWith(INTERNAL), e.getMessage());
            assertEquals(1.0, base.item());
        }
    }

    @Test
    void accumulatingIntoAnExpandedGradRaises() {
        Tensor x = ones(3).requiresGrad_();
        x.setGrad(zeros(1).expand(3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2.0).sum().backward());
        assertTrue(e.getMessage().startsWith(INTERNAL), e.getMessage());
    }

    @Test
    void inPlaceWithPartlyOverlappingInputRaises() {
        Tensor x = arange(4).to(DType.FLOAT64);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.slice(0, 1, 4).add_(x.slice(0, 0, 3)));
        assertTrue(e.getMessage().startsWith(PARTIAL), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> x.slice(0, 1, 4).copy_(x.slice(0, 0, 3)));
        assertTrue(e.getMessage().startsWith(PARTIAL), e.getMessage());
        assertArrayEquals(new double[]{0, 1, 2, 3}, x.toDoubleArray());
        x.add_(x);                                      // the same memory exactly is fine
        x.slice(0, 0, 2).add_(x.slice(0, 2, 4));        // disjoint parts of one storage too
        assertArrayEquals(new double[]{4, 8, 4, 6}, x.toDoubleArray());
    }

    // ---------------------------------------------------------------- item 5: hooks and custom functions

    @Test
    void hookChangingTheGradientShapeRaises() {
        Tensor x = ones(2).requiresGrad_();
        x.registerHook(g -> ones(3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
        assertTrue(e.getMessage().startsWith("hook 'hook' has changed the size of value"), e.getMessage());
        assertNull(x.grad());
        Tensor y = ones(2).requiresGrad_().mul(2.0);
        y.registerHook(g -> g.sum());
        assertThrows(IllegalStateException.class, () -> y.sum().backward());
    }

    @Test
    void hookChangingTheGradientDtypeRaises() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        x.registerHook(g -> g.to(DType.FLOAT64));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
        assertTrue(e.getMessage().startsWith("hook 'hook' has changed the type of value (was CPUFloatType got CPUDoubleType)"),
                e.getMessage());
    }

    @Test
    void customFunctionReturningTooManyGradientsRaises() {
        class Twice extends Function {
            @Override
            protected Tensor forward(FunctionCtx ctx, Tensor... in) { return in[0].add(in[1]); }

            @Override
            protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return new Tensor[]{g[0], g[0], g[0]}; }
        }
        Tensor a = ones(2).requiresGrad_(), b = ones(2).requiresGrad_();
        Tensor y = new Twice().apply(a, b);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().startsWith("function TwiceBackward returned an incorrect number of gradients (expected 2, got 3)"),
                e.getMessage());
    }

    // ---------------------------------------------------------------- item 6: the same input twice

    @Test
    void gradOfTheSameInputTwiceReturnsItTwice() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y = x.mul(x).sum();
        Tensor[] g = Autograd.grad(new Tensor[]{y}, new Tensor[]{x, x}, GradOptions.defaults().retainGraph(true));
        assertArrayEquals(new double[]{2, 4}, g[0].toDoubleArray());
        assertArrayEquals(new double[]{2, 4}, g[1].toDoubleArray());
        Tensor h = x.mul(3.0);
        Tensor[] gh = Autograd.grad(new Tensor[]{h.sum()}, new Tensor[]{h, x, h}, GradOptions.defaults());
        assertArrayEquals(new double[]{1, 1}, gh[0].toDoubleArray());
        assertArrayEquals(new double[]{3, 3}, gh[1].toDoubleArray());
        assertArrayEquals(new double[]{1, 1}, gh[2].toDoubleArray());
        Tensor z = x.mul(2.0).sum();
        Autograd.backward(new Tensor[]{z}, null, false, false, x, x);    // accumulated once, as PyTorch
        assertArrayEquals(new double[]{2, 2}, x.grad().toDoubleArray());
    }

    // ---------------------------------------------------------------- item 7: release frees activations

    @Test
    void activationsAreNotReachableFromAKeptLossAfterBackward() throws Exception {
        manualSeed(0);
        Linear l1 = new Linear(64, 256), l2 = new Linear(256, 1);
        List<Tensor> params = new ArrayList<>(l1.parameters());
        params.addAll(l2.parameters());
        SGD opt = new SGD(params, 0.01);
        List<Tensor> losses = new ArrayList<>();
        List<WeakReference<Object>> activations = new ArrayList<>();
        for (int step = 0; step < 5; step++) {
            Tensor x = randn(32, 64), target = randn(32, 1);
            Tensor h = F.relu(l1.forward(x));
            Tensor hs = h.sigmoid().mul(h).add(h.tanh());     // a few ops whose formulas saved or captured h
            Tensor loss = F.mseLoss(l2.forward(hs), target);
            activations.add(new WeakReference<>(h.storage()));
            activations.add(new WeakReference<>(hs.storage()));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            losses.add(loss);
        }
        for (int i = 0; i < 20 && activations.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, activations.stream().filter(r -> r.get() != null).count(), "activations still reachable");
        assertEquals(5, losses.size());
    }

    /** Issue 12 item 4 (b): the same for a conv / max pool / embedding net, whose formulas need indices. */
    @Test
    void convPoolEmbeddingActivationsAreNotReachableFromAKeptLossAfterBackward() throws Exception {
        manualSeed(0);
        var conv = new org.grad4j.nn.Conv2d(3, 4, 3);
        var emb = new org.grad4j.nn.Embedding(10, 4);
        List<Tensor> losses = new ArrayList<>();
        List<WeakReference<Object>> activations = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            Tensor img = randn(2, 3, 8, 8), ids = fromArray(new long[]{1, 5, 9, 2}, 2, 2);
            Tensor c = F.relu(conv.forward(img));
            Tensor[] pooled = F.maxPool2dWithIndices(c, new int[]{2, 2}, new int[]{2, 2}, new int[]{0, 0}, new int[]{1, 1}, false);
            Tensor e = emb.forward(ids);
            Tensor where = pooled[0].gt(0.5);
            Tensor loss = pooled[0].maskedFill(where, 0.0).sum().add(e.gather(2, ids.unsqueeze(2).remainder(4L)).sum());
            for (Tensor t : new Tensor[]{c, pooled[0], pooled[1], e, where}) activations.add(new WeakReference<>(t.storage()));
            loss.backward();
            losses.add(loss);
        }
        for (int i = 0; i < 20 && activations.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, activations.stream().filter(r -> r.get() != null).count(), "activations still reachable from kept losses");
        assertEquals(3, losses.size());
    }

    @Test
    void keptLossesDoNotGrowTheHeapByTheirActivations() {
        manualSeed(0);
        Linear l1 = new Linear(64, 1024), l2 = new Linear(1024, 1);
        List<Tensor> params = new ArrayList<>(l1.parameters());
        params.addAll(l2.parameters());
        SGD opt = new SGD(params, 0.01);
        List<Tensor> losses = new ArrayList<>();
        Tensor x = randn(32, 64), target = randn(32, 1);
        Runnable step = () -> {
            Tensor h = F.relu(l1.forward(x));
            Tensor loss = F.mseLoss(l2.forward(h.sigmoid().mul(h).add(h.tanh())), target);   // ~5 activations of 128 KB
            opt.zeroGrad();
            loss.backward();
            opt.step();
            losses.add(loss);
        };
        for (int i = 0; i < 10; i++) step.run();
        long before = usedAfterGc();
        int steps = 40;
        for (int i = 0; i < steps; i++) step.run();
        long perStep = (usedAfterGc() - before) / steps;
        assertTrue(perStep < 64 * 1024, "heap grows by " + perStep + " bytes per step with the losses kept");
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    @Test
    void releaseDropsAFormulaThatCapturedATensor() throws Exception {
        Tensor x = ones(4).requiresGrad_();
        Tensor out = x.mul(1.0);
        WeakReference<Object> captured = captureInFormula(x, out);
        Tensor loss = out.sum();
        loss.backward();
        for (int i = 0; i < 20 && captured.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(captured.get(), "the formula's captured tensor is still reachable from the kept loss");
        assertEquals("CustomCapture", loss.gradFn().nextFunctions().get(0).node().name());
    }

    private static WeakReference<Object> captureInFormula(Tensor x, Tensor out) {
        Tensor activation = randn(1000);
        org.grad4j.internal.Graph.record(out, "CustomCapture", (g, n) -> new Tensor[]{g[0].mul(activation.sum().mul(0.0).add(1.0))}, null, x);
        return new WeakReference<>(activation.storage());
    }

    @Test
    void secondBackwardThroughNodesThatSavedNothingStillWorks() {
        Tensor a = ones(2).requiresGrad_(), b = ones(2).requiresGrad_();
        Tensor y = a.add(b).sub(b.mul(2.0)).sum();
        y.backward();
        y.backward();
        assertArrayEquals(new double[]{2, 2}, a.grad().toDoubleArray());
        assertArrayEquals(new double[]{-2, -2}, b.grad().toDoubleArray());
    }
}
