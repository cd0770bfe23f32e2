package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Recurrent cells agree with one step of the full layers; instance norm, upsampling and padding modules. */
class CellsAndExtrasTest {
    private static final Generator GEN = new Generator().manualSeed(31);

    static Map<String, Tensor> cellState(RNNBase layer) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : layer.stateDict().entrySet()) m.put(e.getKey().replace("_l0", ""), e.getValue());
        return m;
    }

    @Test
    void cellsMatchOneStepOfTheLayers() {
        Tensor x = Grad4j.randn(new int[]{3, 4}, DType.FLOAT64, GEN), h = Grad4j.randn(new int[]{3, 5}, DType.FLOAT64, GEN);
        Tensor c = Grad4j.randn(new int[]{3, 5}, DType.FLOAT64, GEN);
        LSTM lstm = new LSTM(4, 5);
        lstm.toDouble();
        LSTMCell lc = new LSTMCell(4, 5);
        lc.toDouble();
        lc.loadStateDict(cellState(lstm));
        RNNBase.Output o = lstm.run(x.unsqueeze(0), h.unsqueeze(0), c.unsqueeze(0));
        Tensor[] hc = lc.step(x, h, c);
        assertTrue(hc[0].allclose(o.h().squeeze(0), 1e-12, 1e-12));
        assertTrue(hc[1].allclose(o.c().squeeze(0), 1e-12, 1e-12));
        GRU gru = new GRU(4, 5);
        gru.toDouble();
        GRUCell gc = new GRUCell(4, 5);
        gc.toDouble();
        gc.loadStateDict(cellState(gru));
        assertTrue(gc.forward(x, h).allclose(gru.run(x.unsqueeze(0), h.unsqueeze(0), null).h().squeeze(0), 1e-12, 1e-12));
        RNNCell rc = new RNNCell(4, 5, true, "relu");
        assertEquals("RNNCell(4, 5, nonlinearity=relu)", rc.toString());
        assertArrayEquals(new int[]{5}, rc.call(Grad4j.randn(4)).shape(), "unbatched input");
    }

    @Test
    void instanceNormNormalisesEachSampleAndChannel() {
        InstanceNorm2d in = new InstanceNorm2d(3);
        assertEquals("InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)", in.toString());
        Tensor x = Grad4j.randn(new int[]{2, 3, 4, 4}, DType.FLOAT64, GEN).mul(3.0).add(2.0);
        Tensor y = in.call(x);
        assertTrue(y.mean(new int[]{2, 3}, false).abs().max().item() < 1e-12);
        double var = y.get(1, 2).mul(y.get(1, 2)).mean().item();
        assertEquals(1.0, var, 1e-4);
        InstanceNorm1d tracked = new InstanceNorm1d(2, 1e-5, 0.1, true, true);
        Tensor z = Grad4j.randn(new int[]{4, 2, 6}, DType.FLOAT32, GEN);
        tracked.call(z);
        double expect = 0.1 * z.mean(new int[]{2}, false).mean(0).get(0).item();
        assertEquals(expect, tracked.getBuffer("running_mean").get(0).item(), 1e-6);
        tracked.eval();
        assertArrayEquals(new int[]{2, 6}, tracked.call(z.get(0)).shape(), "unbatched");
    }

    @Test
    void resamplingAndPaddingModules() {
        Tensor x = Grad4j.arange(0.0, 4.0, 1.0).reshape(1, 1, 2, 2);
        assertTrue(new Upsample(2.0).call(x).equal(F.interpolate(x, 2.0, "nearest", null)));
        assertEquals("Upsample(scale_factor=2.0, mode='nearest')", new Upsample(2.0).toString());
        Tensor p = new ZeroPad2d(1, 0, 0, 2).call(x);
        assertArrayEquals(new int[]{1, 1, 4, 3}, p.shape());
        assertArrayEquals(new double[]{0, 0, 1, 0, 2, 3, 0, 0, 0, 0, 0, 0}, p.toDoubleArray(), 0);
        assertArrayEquals(new int[]{1, 1, 4, 4}, new PixelShuffle(2).call(Grad4j.randn(1, 4, 2, 2)).shape());
        Tensor u = new Unflatten(1, 2, 5).call(Grad4j.randn(3, 10));
        assertArrayEquals(new int[]{3, 2, 5}, u.shape());
        assertArrayEquals(new int[]{3, 10}, new Flatten().call(u).shape());
        assertArrayEquals(new int[]{30}, new Flatten(0, -1).call(u).shape());
        assertEquals("Unflatten(dim=1, unflattened_size=(2, 5))", new Unflatten(1, 2, 5).toString());
        Tensor a = Grad4j.randn(3, 4), b = Grad4j.randn(3, 4);
        assertTrue(new CosineSimilarity().forward(a, b).equal(F.cosineSimilarity(a, b)));
        assertTrue(new PairwiseDistance().forward(a, b).equal(F.pairwiseDistance(a, b)));
    }
}
