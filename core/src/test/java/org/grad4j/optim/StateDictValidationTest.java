package org.grad4j.optim;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.io.Checkpoints;
import org.grad4j.io.SafeTensors;
import org.grad4j.optim.lr.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Optimizer and scheduler state dicts: non-finite values survive a checkpoint exactly, and
 * malformed values fail at loadStateDict naming the entry, never later at step().
 */
class StateDictValidationTest {
    @TempDir
    Path tmp;

    static Tensor param() { return Grad4j.tensor(new double[]{0.5, -1.0, 2.0}, DType.FLOAT64).requiresGrad_(); }

    /** Every optimizer, built over one fresh parameter. */
    static List<Function<Tensor, Optimizer>> optimizers() {
        return List.of(p -> new SGD(List.of(p), new SGD.Options().lr(0.1).momentum(0.9)),
                p -> new Adam(List.of(p), 0.01), p -> new AdamW(List.of(p), 0.01), p -> new Adamax(List.of(p), 0.01),
                p -> new NAdam(List.of(p), 0.01), p -> new RAdam(List.of(p), 0.01), p -> new RMSprop(List.of(p), 0.01),
                p -> new Adagrad(List.of(p), 0.01), p -> new Adadelta(List.of(p)),
                p -> new LBFGS(List.of(p), new LBFGS.Options().maxIter(2)));
    }

    static void step(Optimizer opt, Tensor p) {
        Supplier<Tensor> closure = () -> {
            opt.zeroGrad();
            Tensor loss = p.pow(2).sum();
            loss.backward();
            return loss;
        };
        opt.step(closure);
    }

    /** The state dict with group 0's option replaced. */
    static OptimizerStateDict withOption(OptimizerStateDict sd, String name, Object value) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (var g : sd.paramGroups()) groups.add(new LinkedHashMap<>(g));
        groups.get(0).put(name, value);
        return new OptimizerStateDict(sd.state(), groups);
    }

    static void rejected(Runnable load, String... fragments) {
        var e = assertThrows(IllegalArgumentException.class, load::run);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void malformedOptionsOfEveryOptimizerFailAtLoadNamingTheOption() {
        for (var make : optimizers()) {
            Tensor p = param();
            Optimizer opt = make.apply(p);
            step(opt, p);
            OptimizerStateDict sd = opt.stateDict();
            String name = opt.getClass().getSimpleName();
            rejected(() -> opt.loadStateDict(withOption(sd, "lr", "fast")), name + ".loadStateDict", "option \"lr\"",
                    "must be a number", "\"fast\" (a string)");
            rejected(() -> opt.loadStateDict(withOption(sd, "lr", null)), "option \"lr\"", "must be a number, got null");
            rejected(() -> opt.loadStateDict(withOption(sd, "lr", -1.0)), "option \"lr\"", "Invalid learning rate: -1.0");
            rejected(() -> opt.loadStateDict(withOption(sd, "lr", List.of(1))), "option \"lr\"", "a list of 1 values");
            Map<String, Object> g = sd.paramGroups().get(0);
            if (g.containsKey("betas")) {
                rejected(() -> opt.loadStateDict(withOption(sd, "betas", List.of(0.9))), "option \"betas\"", "a list of 2 numbers");
                rejected(() -> opt.loadStateDict(withOption(sd, "betas", List.of(0.9, 0.99, 0.1))), "a list of 2 numbers");
                rejected(() -> opt.loadStateDict(withOption(sd, "betas", List.of(0.9, "x"))), "option \"betas\"");
                rejected(() -> opt.loadStateDict(withOption(sd, "betas", List.of(0.9, 1.5))), "Invalid beta parameter at index 1: 1.5");
            }
            if (g.containsKey("eps")) rejected(() -> opt.loadStateDict(withOption(sd, "eps", -1e-8)), "Invalid epsilon value");
            if (g.containsKey("maximize")) rejected(() -> opt.loadStateDict(withOption(sd, "maximize", "yes")), "must be a boolean");
            if (g.containsKey("weight_decay")) rejected(() -> opt.loadStateDict(withOption(sd, "weight_decay", -0.1)), "Invalid weight_decay");
            // nothing changed: the optimizer still steps with its own options
            assertEquals(sd.paramGroups().get(0).get("lr"), opt.paramGroups().get(0).options().get("lr"), name);
            step(opt, p);
            opt.loadStateDict(sd);     // the unmodified dict still loads
        }
    }

    @Test
    void lbfgsCountsAndLineSearchAreCheckedAtLoad() {
        Tensor p = param();
        var opt = new LBFGS(List.of(p), new LBFGS.Options());
        var sd = opt.stateDict();
        rejected(() -> opt.loadStateDict(withOption(sd, "history_size", 0)), "option \"history_size\"", ">= 1");
        rejected(() -> opt.loadStateDict(withOption(sd, "max_iter", "NaN")), "option \"max_iter\"");
        rejected(() -> opt.loadStateDict(withOption(sd, "line_search_fn", "armijo")), "strong_wolfe");
        opt.loadStateDict(withOption(sd, "line_search_fn", "strong_wolfe"));
        opt.loadStateDict(withOption(sd, "line_search_fn", null));
    }

    @Test
    void nullMistypedOrMisshapedStateFailsAtLoadNamingTheEntry() {
        Tensor p = param();
        var opt = new Adam(List.of(p), 0.01);
        step(opt, p);
        var sd = opt.stateDict();
        Function<Object, OptimizerStateDict> withExpAvg = v -> {
            Map<String, Object> st = new LinkedHashMap<>(sd.state().get(0));
            st.put("exp_avg", v);
            return new OptimizerStateDict(Map.of(0, st), sd.paramGroups());
        };
        rejected(() -> opt.loadStateDict(withExpAvg.apply(null)), "state \"exp_avg\" of parameter 0", "must be a tensor, got null");
        rejected(() -> opt.loadStateDict(withExpAvg.apply(0.5)), "state \"exp_avg\"", "must be a tensor, got 0.5");
        rejected(() -> opt.loadStateDict(withExpAvg.apply(Grad4j.zeros(1))), "has shape [1] but its parameter has shape [3]");
        Map<Integer, Map<String, Object>> nullState = new LinkedHashMap<>();
        nullState.put(0, null);
        rejected(() -> opt.loadStateDict(new OptimizerStateDict(nullState, sd.paramGroups())), "state of parameter 0 is null");
        // a numeric step (old PyTorch checkpoints) becomes a float32 scalar tensor, as PyTorch converts it
        Map<String, Object> st = new LinkedHashMap<>(sd.state().get(0));
        st.put("step", 1);
        opt.loadStateDict(new OptimizerStateDict(Map.of(0, st), sd.paramGroups()));
        step(opt, p);
        assertEquals(2.0, ((Tensor) opt.stateDict().state().get(0).get("step")).item());
    }

    @Test
    void nonFiniteOptionsAndLbfgsStateAfterANanLossSurviveACheckpointExactly() throws Exception {
        Tensor x = Grad4j.tensor(new double[]{1.0, 2.0}, DType.FLOAT64).requiresGrad_();
        var lbfgs = new LBFGS(List.of(x), new LBFGS.Options().maxIter(3));
        lbfgs.step(() -> {
            lbfgs.zeroGrad();
            Tensor loss = x.mul(Double.NaN).sum();      // a NaN loss: NaN gradient, direction, prev_loss
            loss.backward();
            return loss;
        });
        Map<String, Object> before = lbfgs.stateDict().state().get(0);
        assertTrue(Double.isNaN((Double) before.get("prev_loss")));
        Path f = tmp.resolve("lbfgs.safetensors");
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("x", x), lbfgs.stateDict(), 0, Map.of()));
        var back = Checkpoints.load(f).optimizer();
        Tensor x2 = Grad4j.tensor(new double[]{1.0, 2.0}, DType.FLOAT64).requiresGrad_();
        var lbfgs2 = new LBFGS(List.of(x2), new LBFGS.Options());
        lbfgs2.loadStateDict(back);
        Map<String, Object> after = lbfgs2.stateDict().state().get(0);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) assertEquals(Json(before.get(k)), Json(after.get(k)), k);

        Tensor w = param();
        var sgd = new SGD(List.of(w), new SGD.Options().lr(Double.POSITIVE_INFINITY));
        var adam = new Adam(List.of(param()), new Adam.Options().eps(Double.POSITIVE_INFINITY).weightDecay(Double.POSITIVE_INFINITY));
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("w", w), sgd.stateDict(), 0, Map.of()));
        var sgd2 = new SGD(List.of(param()), 0.1);
        sgd2.loadStateDict(Checkpoints.load(f).optimizer());
        assertEquals(Double.POSITIVE_INFINITY, sgd2.paramGroups().get(0).lr());
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("w", w), adam.stateDict(), 0, Map.of()));
        var adam2 = new Adam(List.of(param()), 0.1);
        adam2.loadStateDict(Checkpoints.load(f).optimizer());
        assertEquals(Double.POSITIVE_INFINITY, adam2.paramGroups().get(0).get(Adam.EPS));
        assertEquals(Double.POSITIVE_INFINITY, adam2.paramGroups().get(0).get(Adam.WEIGHT_DECAY));
    }

    /** A comparable text of a state value (arrays and lists by content, NaN equal to NaN). */
    static String Json(Object v) {
        if (v instanceof double[] d) return Arrays.toString(d);
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) out.add(Json(o));
            return out.toString();
        }
        return v instanceof Number n ? Double.toString(n.doubleValue()) : String.valueOf(v);
    }

    @Test
    void aMalformedOptionInACheckpointFileFailsAtLoadNotAtStep() throws Exception {
        Tensor w = param();
        var opt = new Adam(List.of(w), 0.01);
        step(opt, w);
        Path f = tmp.resolve("ck.safetensors");
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("w", w), opt.stateDict(), 0, Map.of()));
        // edit the file as a hand-edited or corrupted checkpoint would be
        var c = SafeTensors.read(f);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put("optimizer.param_groups", meta.get("optimizer.param_groups").replaceFirst("\"lr\":[0-9.eE-]+", "\"lr\":\"fast\""));
        SafeTensors.save(c.tensors(), f, meta);
        var opt2 = new Adam(List.of(param()), 0.01);
        var loaded = Checkpoints.load(f).optimizer();
        rejected(() -> opt2.loadStateDict(loaded), "Adam.loadStateDict: option \"lr\" of parameter group 0 must be a number");
    }

    /** Every scheduler with a state dict: mistyped entries fail at load, naming the entry. */
    @Test
    void malformedSchedulerStateFailsAtLoadNamingTheEntry() throws Exception {
        List<Function<Optimizer, LRScheduler>> all = List.of(o -> new StepLR(o, 2), o -> new MultiStepLR(o, new int[]{1, 3}, 0.5),
                o -> new ExponentialLR(o, 0.9), o -> new CosineAnnealingLR(o, 5), o -> new ConstantLR(o), o -> new LinearLR(o),
                o -> new PolynomialLR(o, 4, 1.0), o -> new LambdaLR(o, e -> 1.0 / (e + 1)), o -> new MultiplicativeLR(o, e -> 0.9),
                o -> new OneCycleLR(o, new OneCycleLR.Options(0.1).totalSteps(10)), o -> new CosineAnnealingWarmRestarts(o, 3),
                o -> new ReduceLROnPlateau(o));
        for (var make : all) {
            Optimizer opt = new SGD(List.of(param()), new SGD.Options().lr(0.1).momentum(0.9));
            LRScheduler s = make.apply(opt);
            if (s instanceof ReduceLROnPlateau r) r.step(1.0);
            else s.step();
            Map<String, Object> sd = s.stateDict();
            String name = s.getClass().getSimpleName() + ".loadStateDict";
            for (String key : sd.keySet()) {
                if (key.equals("_last_lr")) continue;      // may be null (before the first step)
                Map<String, Object> bad = new LinkedHashMap<>(sd);
                bad.put(key, "x");
                rejected(() -> s.loadStateDict(bad), name + ": \"" + key + "\" must be");
                bad.put(key, null);
                rejected(() -> s.loadStateDict(bad), name + ": \"" + key + "\" must be", "got null");
            }
            Map<String, Object> shortLrs = new LinkedHashMap<>(sd);
            shortLrs.put("base_lrs", new double[]{0.1, 0.2});
            rejected(() -> s.loadStateDict(shortLrs), "\"base_lrs\"", "a list of 1 numbers");
            assertEquals(sd.get("last_epoch"), s.stateDict().get("last_epoch"), "a failed load changes nothing");
            // and the real state round-trips through a checkpoint file
            Path f = tmp.resolve("s.safetensors");
            Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of(), null, sd, 0, Map.of()));
            s.loadStateDict(Checkpoints.load(f).scheduler());
            assertEquals(Json(sd.get("base_lrs")), Json(s.stateDict().get("base_lrs")), name);
        }
    }

    @Test
    void sequentialAndChainedSchedulersResumeTheirSchedulersFromACheckpoint() throws Exception {
        for (boolean chained : new boolean[]{false, true}) {
            Function<Optimizer, LRScheduler> make = o -> chained
                    ? new ChainedScheduler(List.of(new StepLR(o, 2, 0.5), new ExponentialLR(o, 0.9)))
                    : new SequentialLR(o, List.of(new LinearLR(o, 0.5, 1.0, 3), new StepLR(o, 2, 0.5)), new int[]{3});
            Optimizer a = new SGD(List.of(param()), 1.0);
            LRScheduler sa = make.apply(a);
            for (int i = 0; i < 4; i++) sa.step();
            Path f = tmp.resolve("seq.safetensors");
            Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of(), a.stateDict(), sa.stateDict(), 4, Map.of()));
            Optimizer b = new SGD(List.of(param()), 1.0);
            LRScheduler sb = make.apply(b);
            var ck = Checkpoints.load(f);
            b.loadStateDict(ck.optimizer());
            sb.loadStateDict(ck.scheduler());
            for (int i = 0; i < 5; i++) {
                sa.step();
                sb.step();
                assertEquals(a.paramGroups().get(0).lr(), b.paramGroups().get(0).lr(), 0.0, (chained ? "chained" : "sequential") + " step " + i);
            }
            Map<String, Object> bad = new LinkedHashMap<>(sa.stateDict());
            bad.put("_schedulers", List.of(Map.of()));
            rejected(() -> sb.loadStateDict(bad), "\"_schedulers\" must be a list of 2 scheduler state dicts");
        }
    }
}
