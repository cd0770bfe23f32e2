package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared loss base: reduction check, argument count, PyTorch printout and state dict keys. */
class LossBaseTest {
    @Test
    void validatesReductionLikePyTorch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HuberLoss("avg"));
        assertEquals("avg is not a valid value for reduction", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MSELoss("batchmean"));
        assertEquals("batchmean", new KLDivLoss(false, "batchmean").reduction);
        assertThrows(IllegalArgumentException.class, () -> new CTCLoss(0, "avg", false));
    }

    @Test
    void wrongArgumentCountNamesTheArguments() {
        Tensor x = Grad4j.ones(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TripletMarginLoss().forward(x, x));
        assertTrue(e.getMessage().startsWith("TripletMarginLoss expects 3 inputs [anchor, positive, negative], got 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MSELoss().call(x, x, x));
        assertThrows(IllegalArgumentException.class, () -> new GaussianNLLLoss().forward(x));
    }

    @Test
    void printsAndSavesLikePyTorch() {
        assertEquals("HuberLoss()", new HuberLoss(2.0, "sum").toString());
        assertEquals("BCEWithLogitsLoss()", new BCEWithLogitsLoss().toString());
        assertTrue(new NLLLoss().stateDict().isEmpty(), "a None weight is no state dict entry");
        assertNull(new BCELoss().weight());
        Tensor w = Grad4j.tensor(new double[]{1, 2}, DType.FLOAT64), pw = Grad4j.tensor(new double[]{3, 4}, DType.FLOAT64);
        BCEWithLogitsLoss l = new BCEWithLogitsLoss(w, pw, "mean");
        assertEquals(List.of("weight", "pos_weight"), List.copyOf(l.stateDict().keySet()));
        assertSame(w, l.weight);
    }

    @Test
    void weightBufferFollowsDtypeConversion() {
        Tensor w = Grad4j.tensor(new double[]{1, 2, 0.5}, DType.FLOAT64);
        CrossEntropyLoss ce = new CrossEntropyLoss(w, -100, 0.0, "mean");
        ce.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, ce.weight().dtype());
        Tensor x = Grad4j.randn(new int[]{4, 3}), cls = Grad4j.tensor(new long[]{0, 2, 1, 2});
        Map<String, Tensor> sd = ce.stateDict();
        assertEquals(F.crossEntropy(x, cls, sd.get("weight"), -100, "mean", 0.0).item(), ce.call(x, cls).item(), 0);
    }
}
