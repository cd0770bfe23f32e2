package org.grad4j.io;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.optim.Adam;
import org.grad4j.optim.LBFGS;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.ParamGroup;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointsTest {
    @TempDir
    Path tmp;

    static void train(Optimizer opt, Tensor w, Tensor b, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            w.sub(1.0).pow(2).sum().add(b.add(2.0).pow(2).sum()).backward();
            opt.step();
        }
    }

    @Test
    void resumingFromACheckpointContinuesExactly() throws IOException {
        Tensor w = Grad4j.randn(3, 2).requiresGrad_(), b = Grad4j.zeros(2).requiresGrad_();
        var opt = new Adam(List.of(new ParamGroup(List.of(w)), new ParamGroup(List.of(b)).set("lr", 0.05)),
                new Adam.Options().lr(0.1).amsgrad(true));
        train(opt, w, b, 3);
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("fc.weight", w);
        model.put("fc.bias", b);
        Path f = tmp.resolve("ckpt.safetensors");
        Checkpoints.save(f, new Checkpoints.Checkpoint(model, opt.stateDict(), 3, Map.of("arch", "toy")));

        var ck = Checkpoints.load(f);
        assertEquals(3, ck.epoch());
        assertEquals(Map.of("arch", "toy"), ck.extra());
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(ck.model().keySet()));
        Tensor w2 = ck.model().get("fc.weight").requiresGrad_(), b2 = ck.model().get("fc.bias").requiresGrad_();
        var opt2 = new Adam(List.of(new ParamGroup(List.of(w2)), new ParamGroup(List.of(b2))), new Adam.Options());
        opt2.loadStateDict(ck.optimizer());
        assertEquals(0.05, opt2.paramGroups().get(1).lr());
        assertTrue(opt2.paramGroups().get(0).get(Adam.AMSGRAD));
        assertArrayEquals(new double[]{0.9, 0.999}, opt2.paramGroups().get(0).get(Adam.BETAS));
        train(opt, w, b, 4);
        train(opt2, w2, b2, 4);
        assertArrayEquals(w.toFloatArray(), w2.toFloatArray());
        assertArrayEquals(b.toFloatArray(), b2.toFloatArray());
    }

    @Test
    void layoutIsReadableAsPlainSafetensors() throws IOException {
        Tensor w = Grad4j.ones(2).requiresGrad_();
        var opt = new SGD(List.of(w), new SGD.Options().lr(0.1).momentum(0.9));
        train(opt, w, Grad4j.zeros(1).requiresGrad_(), 1);
        Path f = tmp.resolve("c.safetensors");
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("w", w), opt.stateDict(), 7, Map.of()));
        var raw = SafeTensors.read(f);
        assertEquals(java.util.Set.of("model.w", "optimizer.state.0.momentum_buffer"), raw.tensors().keySet());
        assertEquals("7", raw.metadata().get("epoch"));
        assertTrue(raw.metadata().get("optimizer.param_groups").contains("\"momentum\":0.9"));
        assertThrows(SafeTensorsFormatException.class, () -> {
            Path plain = tmp.resolve("plain.safetensors");
            SafeTensors.save(Map.of("w", w), plain);
            Checkpoints.load(plain);
        });
    }

    @Test
    void lbfgsHistorySurvivesACheckpoint() throws IOException {
        Tensor x = Grad4j.tensor(new double[]{-1.5, 2.0}, DType.FLOAT64).requiresGrad_();
        var opt = new LBFGS(List.of(x), new LBFGS.Options().maxIter(3).historySize(5));
        Supplier<Tensor> closure = () -> {
            opt.zeroGrad();
            Tensor a = x.get(0), b = x.get(1);
            Tensor loss = a.rsub(1.0).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100));
            loss.backward();
            return loss;
        };
        opt.step(closure);
        Path f = tmp.resolve("lbfgs.safetensors");
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("x", x), opt.stateDict(), 0, Map.of()));
        var ck = Checkpoints.load(f);
        Tensor x2 = ck.model().get("x").requiresGrad_();
        var opt2 = new LBFGS(List.of(x2), new LBFGS.Options());
        opt2.loadStateDict(ck.optimizer());
        Supplier<Tensor> closure2 = () -> {
            opt2.zeroGrad();
            Tensor a = x2.get(0), b = x2.get(1);
            Tensor loss = a.rsub(1.0).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100));
            loss.backward();
            return loss;
        };
        opt.step(closure);
        opt2.step(closure2);
        assertArrayEquals(x.toDoubleArray(), x2.toDoubleArray(), 0.0);
    }

    @Test
    void schedulerStateTravelsInTheCheckpoint() throws IOException {
        Tensor w = Grad4j.ones(2).requiresGrad_();
        var opt = new SGD(List.of(w), new SGD.Options().lr(1.0).momentum(0.9));
        var sched = new org.grad4j.optim.lr.ReduceLROnPlateau(opt, new org.grad4j.optim.lr.ReduceLROnPlateau.Options().patience(1));
        Path f = tmp.resolve("s.safetensors");
        // before any metric, best is +infinity: stored as "inf"
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("w", w), opt.stateDict(), sched.stateDict(), 0, Map.of()));
        var sched2 = new org.grad4j.optim.lr.ReduceLROnPlateau(new SGD(List.of(Grad4j.ones(2).requiresGrad_()), 1.0));
        sched2.loadStateDict(Checkpoints.load(f).scheduler());
        assertEquals(Double.POSITIVE_INFINITY, sched2.best());
        sched.step(3.0);
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("w", w), opt.stateDict(), sched.stateDict(), 1, Map.of()));
        sched2.loadStateDict(Checkpoints.load(f).scheduler());
        assertEquals(3.0, sched2.best());
        assertNull(Checkpoints.load(tmp.resolve("s.safetensors")).optimizer().state().get(0), "no momentum buffer before a step");
    }
}
