package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Device;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Module.to(dtype) swaps the data of its parameters, gradients and buffers and keeps the objects (issue 11). */
class ModuleToDtypeTest {
    @Test
    void optimizerBuiltBeforeToDoubleStillTrainsTheModel() {
        Grad4j.manualSeed(1);
        Linear lin = new Linear(3, 1);
        var opt = new SGD(lin.parameters(), 0.1);
        List<Tensor> before = lin.parameters();
        lin.toDouble();
        for (int i = 0; i < 2; i++) assertSame(before.get(i), lin.parameters().get(i), "the same parameter objects");
        assertEquals(DType.FLOAT64, lin.weight().dtype());
        Tensor w0 = lin.weight().detach().clone();
        F.mseLoss(lin.call(Grad4j.ones(4, 3).toDouble()), Grad4j.zeros(4, 1).toDouble()).backward();
        opt.step();
        assertFalse(lin.weight().detach().equal(w0), "the optimizer built before toDouble() updated the weight");
        assertEquals(DType.FLOAT64, lin.weight().grad().dtype());
    }

    @Test
    void gradientAndHooksSurviveTheConversion() {
        Linear lin = new Linear(2, 2);
        lin.call(Grad4j.ones(1, 2)).sum().backward();
        Tensor grad = lin.weight().grad();
        int[] calls = {0};
        lin.weight().registerHook(g -> { calls[0]++; return null; });
        lin.toDouble();
        assertSame(grad, lin.weight().grad(), ".grad keeps its object too, as PyTorch's param.grad.data = ...");
        assertEquals(DType.FLOAT64, grad.dtype());
        lin.zeroGrad();
        lin.call(Grad4j.ones(1, 2).toDouble()).sum().backward();
        assertEquals(1, calls[0], "the hook registered before toDouble() still runs");
        assertEquals(DType.FLOAT64, lin.weight().grad().dtype());
    }

    @Test
    void buffersKeepTheirObjectsAndFieldsStayRegistered() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor mean = bn.runningMean();
        Tensor count = bn.getBuffer("num_batches_tracked");
        bn.toDouble();
        assertSame(mean, bn.runningMean());
        assertEquals(DType.FLOAT64, mean.dtype());
        assertEquals(DType.INT64, count.dtype(), "integer buffers are left alone");

        class WithFields extends Module {
            final Tensor scale = Parameter.of(Grad4j.ones(2));
            final Tensor steps = Buffer.of(Grad4j.zeros(1));
        }
        WithFields m = new WithFields();
        m.toDouble();
        assertEquals(DType.FLOAT64, m.scale.dtype());
        assertEquals(DType.FLOAT64, m.steps.dtype());
        assertEquals(List.of("scale", "steps"), new ArrayList<>(m.stateDict().keySet()));
        m.toFloat();
        assertEquals(DType.FLOAT32, m.scale.dtype());
    }

    @Test
    void toDeviceKeepsTheObjects() {
        Linear lin = new Linear(2, 2);
        Tensor w = lin.weight();
        lin.to(Device.CPU);
        assertSame(w, lin.weight());
    }

    @Test
    void setDataOfANonLeafIsRefused() {
        Tensor x = Grad4j.ones(2).requiresGrad_(true).mul(2.0);
        var e = assertThrows(IllegalArgumentException.class, () -> x.setData(Grad4j.zeros(2)));
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
        Tensor leaf = Grad4j.ones(2).requiresGrad_(true);
        assertThrows(IllegalArgumentException.class, () -> leaf.setData(Grad4j.zeros(2).to(DType.INT64)));
    }
}
