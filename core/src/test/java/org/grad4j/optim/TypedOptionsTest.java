package org.grad4j.optim;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.optim.lr.LRScheduler;
import org.grad4j.optim.lr.StepLR;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Group options read through typed keys, kept under PyTorch's names; values of the wrong type are refused with a Fix. */
class TypedOptionsTest {
    static Tensor p(double... v) { return Grad4j.tensor(v, DType.FLOAT64).requiresGrad_(); }

    @Test
    void typedKeysReadTheGroupsOptionsUnderPyTorchsNames() {
        var adam = new Adam(List.of(p(1, 2)), new Adam.Options().lr(0.01).betas(0.8, 0.9).eps(1e-6).amsgrad(true));
        ParamGroup g = adam.paramGroups().get(0);
        double[] betas = g.get(Adam.BETAS);
        assertArrayEquals(new double[]{0.8, 0.9}, betas);
        assertEquals(1e-6, g.get(Adam.EPS));
        assertTrue(g.get(Adam.AMSGRAD));
        assertEquals(0.01, g.get(Optimizer.LR));
        g.set(Adam.BETAS, new double[]{0.5, 0.6});
        assertArrayEquals(new double[]{0.5, 0.6}, (double[]) g.options().get("betas"), "stored under PyTorch's key");
        assertEquals(List.of("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "params"),
                List.copyOf(adam.stateDict().paramGroups().get(0).keySet()), "state dict keys stay PyTorch's");

        var lbfgs = new LBFGS(List.of(p(1)), new LBFGS.Options().maxIter(8));
        ParamGroup lg = lbfgs.paramGroups().get(0);
        assertEquals(8, lg.get(LBFGS.MAX_ITER));
        assertEquals(10, lg.get(LBFGS.MAX_EVAL), "max_iter * 5 / 4, as PyTorch's max_iter * 5 // 4");
        assertNull(lg.get(LBFGS.LINE_SEARCH_FN));
    }

    @Test
    void aWrongTypeSetIntoAGroupFailsNamingTheOptimizerOptionTypeAndFix() {
        var adam = new Adam(List.of(p(1)), new Adam.Options());
        ParamGroup g = adam.paramGroups().get(0);
        var e = assertThrows(IllegalArgumentException.class, () -> g.set("betas", 0.9));
        assertEquals("Adam: option \"betas\" of parameter group 0 must be a pair of numbers (double[2]), got 0.9 (a number). "
                + "Fix: g.set(\"betas\", new double[]{0.9, 0.999})", e.getMessage());
        assertArrayEquals(new double[]{0.9, 0.999}, g.get(Adam.BETAS), "a refused value changes nothing");

        var sgd = new SGD(List.of(new ParamGroup(List.of(p(1))), new ParamGroup(List.of(p(2)))), new SGD.Options().lr(0.1));
        e = assertThrows(IllegalArgumentException.class, () -> sgd.paramGroups().get(1).set("nesterov", "yes"));
        assertEquals("SGD: option \"nesterov\" of parameter group 1 must be a boolean, got \"yes\" (a string). "
                + "Fix: g.set(\"nesterov\", false)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sgd.paramGroups().get(0).set("lr", "fast"));
        assertTrue(e.getMessage().startsWith("SGD: option \"lr\" of parameter group 0 must be a number (double)"), e.getMessage());
        var lbfgs = new LBFGS(List.of(p(1)), new LBFGS.Options());
        e = assertThrows(IllegalArgumentException.class, () -> lbfgs.paramGroups().get(0).set("max_iter", 2.5));
        assertEquals("LBFGS: option \"max_iter\" of parameter group 0 must be a whole number (int), got 2.5 (a number). "
                + "Fix: g.set(\"max_iter\", 20)", e.getMessage());
    }

    @Test
    void aWrongTypeInAGroupBeforeItIsAddedFailsWhenTheOptimizerTakesIt() {
        var group = new ParamGroup(List.of(p(1))).set("betas", 0.9);   // no optimizer yet: nothing to check against
        var e = assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(group), new AdamW.Options()));
        assertTrue(e.getMessage().startsWith("AdamW: option \"betas\" of parameter group 0 must be a pair of numbers (double[2])"),
                e.getMessage());
    }

    @Test
    void aWrongTypePutIntoTheLiveMapFailsAtStepWithTheSameMessage() {
        Tensor w = p(1, 2);
        var rms = new RMSprop(List.of(w), new RMSprop.Options());
        rms.paramGroups().get(0).options().put("centered", 1.0);   // as Python's g['centered'] = 1.0: not checked on put
        w.sum().backward();
        var e = assertThrows(IllegalArgumentException.class, rms::step);
        assertEquals("RMSprop: option \"centered\" of parameter group 0 must be a boolean, got 1.0 (a number). "
                + "Fix: g.set(\"centered\", false)", e.getMessage());
    }

    @Test
    void schedulersAndUserKeysStillWorkByName() {
        Tensor w = p(1);
        var sgd = new SGD(List.of(w), new SGD.Options().lr(1.0).momentum(0.9));
        ParamGroup g = sgd.paramGroups().get(0);
        g.set("name", "encoder");   // PyTorch allows keys of your own in a group
        var sched = new StepLR(sgd, 1, 0.5);
        assertEquals(1.0, g.get(LRScheduler.INITIAL_LR));
        w.sum().backward();
        sgd.step();
        sched.step();
        assertEquals(0.5, g.lr());
        assertEquals("encoder", g.get("name"));
        Map<String, Object> saved = sgd.stateDict().paramGroups().get(0);
        assertEquals(0.5, saved.get("lr"));
        assertEquals(1.0, saved.get("initial_lr"));
    }
}
