package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.Edge;
import org.grad4j.autograd.FunctionNode;
import org.grad4j.autograd.GradOptions;
import org.grad4j.autograd.Node;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** Engine behaviour: ordering, accumulation, release of saved values, deep graphs, options. */
class AutogradEngineTest {

    @Test
    void chainOf100kOpsBackpropagatesWithoutRecursion() {
        Tensor x = tensor(1.0).requiresGrad_();
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) y = y.mul(1.0).add(0.0);
        y.backward();
        assertEquals(1.0, x.grad().item());
    }

    @Test
    void savedTensorsAreReleasedAfterBackward() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y = x.exp();
        FunctionNode node = (FunctionNode) y.gradFn();
        assertFalse(node.savedReleased());
        y.sum().backward();
        assertTrue(node.savedReleased());
    }

    @Test
    void retainedGraphCanBeWalkedTwice() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y = x.exp().sum();
        y.backward(null, true);
        assertFalse(((FunctionNode) y.gradFn().nextFunctions().get(0).node()).savedReleased());
        y.backward();
        assertEquals(2 * Math.exp(1), x.grad().getDouble(0), 1e-6);
    }

    @Test
    void secondBackwardSucceedsWhenNothingWasSaved() {
        Tensor x = tensor(1.0).requiresGrad_(), y = tensor(2.0).requiresGrad_();
        Tensor z = x.add(y);
        z.backward();
        z.backward();
        assertEquals(2.0, x.grad().item());
    }

    @Test
    void gradientsFromSeveralPathsAreSummed() {
        Tensor x = tensor(3.0).requiresGrad_();
        Tensor a = x.mul(x), b = x.mul(4);
        a.add(b).add(x).backward();
        assertEquals(2 * 3 + 4 + 1, x.grad().item());
    }

    @Test
    void broadcastGradientsAreSummedToInputShape() {
        Tensor a = ones(2, 3).requiresGrad_();
        Tensor b = ones(3).requiresGrad_();
        Tensor c = tensor(2.0).requiresGrad_();
        a.mul(b).mul(c).sum().backward();
        assertArrayEquals(new int[]{3}, b.grad().shape());
        assertArrayEquals(new double[]{4, 4, 4}, b.grad().toDoubleArray());
        assertEquals(6.0, c.grad().item());
    }

    @Test
    void nextFunctionsWalkTheGraph() {
        Tensor x = tensor(2.0).requiresGrad_();
        Tensor y = x.mul(x).add(3.0);
        assertEquals("AddBackward0", y.gradFn().name());
        assertEquals(1, y.gradFn().nextFunctions().size(), "a Java scalar is not a graph input");
        Node mul = y.gradFn().nextFunctions().get(0).node();
        assertEquals("MulBackward0", mul.name());
        Edge e = mul.nextFunctions().get(0);
        assertEquals("AccumulateGrad", e.node().name());
        assertSame(e.node(), mul.nextFunctions().get(1).node());
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> q = new ArrayDeque<>();
        q.add(y.gradFn());
        while (!q.isEmpty()) {
            Node n = q.poll();
            if (seen.put(n, true) != null) continue;
            for (Edge ed : n.nextFunctions()) if (ed.node() != null) q.add(ed.node());
        }
        assertEquals(3, seen.size());
    }

    @Test
    void backwardInputsRestrictsAccumulation() {
        Tensor x = tensor(1.0).requiresGrad_(), y = tensor(2.0).requiresGrad_();
        Tensor z = x.mul(y);
        z.backward(GradOptions.defaults().inputs(x));
        assertEquals(2.0, x.grad().item());
        assertNull(y.grad());
    }

    @Test
    void gradOfNonLeafAndLeafInputs() {
        Tensor x = tensor(2.0).requiresGrad_();
        Tensor h = x.mul(3);
        Tensor z = h.mul(h);
        Tensor[] g = Autograd.grad(new Tensor[]{z}, new Tensor[]{h, x}, GradOptions.defaults());
        assertEquals(12.0, g[0].item());
        assertEquals(36.0, g[1].item());
        assertNull(x.grad(), "autograd.grad does not accumulate into .grad");
    }

    @Test
    void unusedInputNeedsAllowUnused() {
        Tensor x = tensor(2.0).requiresGrad_(), unused = tensor(1.0).requiresGrad_();
        Tensor z = x.mul(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(new Tensor[]{z}, new Tensor[]{x, unused}, GradOptions.defaults().retainGraph(true)));
        assertTrue(e.getMessage().startsWith("One of the differentiated Tensors appears to not have been used in the graph."));
        assertTrue(e.getMessage().contains("allowUnused(true)"));
        Tensor[] g = Autograd.grad(new Tensor[]{z}, new Tensor[]{x, unused}, GradOptions.defaults().allowUnused(true));
        assertEquals(2.0, g[0].item());
        assertNull(g[1]);
    }

    @Test
    void thirdOrderGradient() {
        Tensor x = tensor(2.0).requiresGrad_();
        Tensor y = x.pow(4);
        Tensor d1 = Autograd.grad(y, x, GradOptions.defaults().createGraph(true));
        Tensor d2 = Autograd.grad(d1, x, GradOptions.defaults().createGraph(true));
        Tensor d3 = Autograd.grad(d2, x);
        assertEquals(32.0, d1.item(), 1e-9);
        assertEquals(48.0, d2.item(), 1e-9);
        assertEquals(48.0, d3.item(), 1e-9);
    }

    @Test
    void gradModeIsThreadLocal() throws Exception {
        Tensor x = tensor(1.0).requiresGrad_();
        try (var g = Autograd.noGrad()) {
            Tensor[] fromOtherThread = new Tensor[1];
            Thread t = new Thread(() -> fromOtherThread[0] = x.mul(2));
            t.start();
            t.join();
            assertTrue(fromOtherThread[0].requiresGrad(), "another thread still records");
            assertFalse(x.mul(2).requiresGrad());
        }
    }

    @Test
    void anomalyModeNamesTheBackwardNodeAndForwardCall() {
        Tensor x = tensor(0.0).requiresGrad_();
        Tensor y;
        try (var a = Autograd.detectAnomaly()) {
            y = x.mul(0.0).log();      // log'(0) = inf, then 0 * inf = NaN in MulBackward0
            Tensor yy = y;
            IllegalStateException e = assertThrows(IllegalStateException.class, yy::backward);
            assertTrue(e.getMessage().startsWith("Function 'MulBackward0' returned nan values in its 0th output."), e.getMessage());
            assertNotNull(e.getCause());
            boolean mentionsTest = false;
            for (StackTraceElement el : e.getCause().getStackTrace()) {
                if (el.getMethodName().equals("anomalyModeNamesTheBackwardNodeAndForwardCall")) mentionsTest = true;
            }
            assertTrue(mentionsTest, "the cause carries the forward call's stack trace");
        }
        assertFalse(Autograd.isAnomalyEnabled());
    }

    @Test
    void dataVersusDetachInPlaceRules() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y = x.mul(x);
        x.data().mul_(10);
        y.sum().backward();
        assertArrayEquals(new double[]{20, 40}, x.grad().toDoubleArray(), "backward silently uses the new value");

        Tensor x2 = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y2 = x2.mul(x2);
        x2.detach().mul_(10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y2.sum().backward());
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
    }

    @Test
    void inPlaceOnNonLeafRebasesHistory() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y = x.mul(2);
        y.add_(1);
        assertEquals("AddBackward0", y.gradFn().name());
        y.mul_(tensor(new double[]{3, 5}));
        y.sum().backward();
        assertArrayEquals(new double[]{6, 10}, x.grad().toDoubleArray());

        Tensor x2 = tensor(new double[]{1, 2}).requiresGrad_();
        Tensor y2 = x2.mul(2);
        y2.mul_(y2.detach());    // the saved factor is y2 itself, changed by this very op: PyTorch fails too
        var e = assertThrows(IllegalStateException.class, () -> y2.sum().backward());
        assertTrue(e.getMessage().contains("modified by an inplace operation"));
    }

    @Test
    void createGraphGradIsDifferentiable() {
        Tensor x = tensor(new double[]{1, 2}).requiresGrad_();
        x.pow(3).sum().backward(GradOptions.defaults().createGraph(true));
        Tensor g = x.grad();
        assertArrayEquals(new double[]{3, 12}, g.toDoubleArray(), 1e-12);
        Tensor gg = Autograd.grad(g.sum(), x);
        assertArrayEquals(new double[]{6, 12}, gg.toDoubleArray(), 1e-12);
    }
}
