package org.grad4j.optim.lr;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.optim.Adam;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.ParamGroup;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.*;

/** Each scheduler's sequence against PyTorch's documented closed forms. */
class SchedulersTest {
    static Optimizer sgd(double lr) {
        return new SGD(List.of(Grad4j.zeros(new int[]{2}, DType.FLOAT64).requiresGrad_()),
                new SGD.Options().lr(lr).momentum(0.9));
    }

    /** Steps the scheduler n times after construction; expected(e) is the rate during epoch e. */
    static void expectSequence(Optimizer opt, LRScheduler s, int n, IntToDoubleFunction expected) {
        for (int e = 0; e < n; e++) {
            if (e > 0) s.step();
            assertEquals(expected.applyAsDouble(e), opt.paramGroups().get(0).lr(), 1e-12, "epoch " + e);
            assertEquals(expected.applyAsDouble(e), s.getLastLr()[0], 1e-12, "last lr at epoch " + e);
        }
    }

    @Test
    void stepLR() {
        var opt = sgd(0.05);
        expectSequence(opt, new StepLR(opt, 3, 0.5), 10, e -> 0.05 * Math.pow(0.5, e / 3));
    }

    @Test
    void multiStepLRCountsRepeatedMilestones() {
        var opt = sgd(1.0);
        int[] ms = {2, 5, 5};
        expectSequence(opt, new MultiStepLR(opt, ms, 0.1), 8, e -> {
            int k = 0;
            for (int m : ms) if (m <= e) k++;
            return Math.pow(0.1, k);
        });
    }

    @Test
    void exponentialLR() {
        var opt = sgd(0.1);
        expectSequence(opt, new ExponentialLR(opt, 0.9), 10, e -> 0.1 * Math.pow(0.9, e));
    }

    @Test
    void cosineAnnealingMatchesClosedFormThroughSeveralPeriods() {
        var opt = sgd(0.1);
        double etaMin = 0.001;
        int tMax = 5;
        expectSequence(opt, new CosineAnnealingLR(opt, tMax, etaMin), 3 * tMax + 1,
                e -> etaMin + (0.1 - etaMin) * (1 + Math.cos(Math.PI * e / tMax)) / 2);
    }

    @Test
    void cosineWarmRestarts() {
        var opt = sgd(0.1);
        var s = new CosineAnnealingWarmRestarts(opt, 3, 2, 0.0);
        // cycles of 3, 6, 12 epochs
        expectSequence(opt, s, 20, e -> {
            int tI = 3, tCur = e;
            while (tCur >= tI) {
                tCur -= tI;
                tI *= 2;
            }
            return 0.1 * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
        });
        s.step(4.5);   // fractional epoch: second cycle (length 6), 1.5 epochs in
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 1.5 / 6)) / 2, s.getLastLr()[0], 1e-12);
    }

    @Test
    void linearLRWarmup() {
        var opt = sgd(0.5);
        expectSequence(opt, new LinearLR(opt, 0.25, 1.0, 4), 8, e -> 0.5 * (0.25 + 0.75 * Math.min(e, 4) / 4.0));
        var opt2 = sgd(0.3);
        expectSequence(opt2, new LinearLR(opt2), 7, e -> 0.3 * (1.0 / 3 + (2.0 / 3) * Math.min(e, 5) / 5.0));
    }

    @Test
    void lambdaLRPerGroup() {
        var a = Grad4j.zeros(1).requiresGrad_();
        var b = Grad4j.zeros(1).requiresGrad_();
        var opt = new SGD(List.of(new ParamGroup(List.of(a)), new ParamGroup(List.of(b)).set("lr", 2.0)), new SGD.Options().lr(1.0));
        var s = new LambdaLR(opt, List.of(e -> 1.0 / (e + 1), e -> Math.pow(0.5, e)));
        for (int e = 0; e < 5; e++) {
            if (e > 0) s.step();
            assertEquals(1.0 / (e + 1), s.getLastLr()[0], 1e-12);
            assertEquals(2.0 * Math.pow(0.5, e), s.getLastLr()[1], 1e-12);
        }
    }

    @Test
    void sequentialWarmupThenDecay() {
        var opt = sgd(1.0);
        var warm = new LinearLR(opt, 0.1, 1.0, 5);
        var decay = new ExponentialLR(opt, 0.9);
        var s = new SequentialLR(opt, List.of(warm, decay), new int[]{3});
        // epochs 0-2: LinearLR; at 3 ExponentialLR restarts from its base lr (step(0), closed form)
        expectSequence(opt, s, 7, e -> e < 3 ? 0.1 + 0.9 * e / 5.0 : Math.pow(0.9, e - 3));
    }

    static double anneal(double start, double end, double pct, boolean cos) {
        return cos ? end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
    }

    @Test
    void oneCycleCosTwoPhasesWithMomentum() {
        var opt = sgd(0.1);
        int total = 20;
        double max = 1.0, initial = max / 25, min = initial / 1e4, up = 0.3 * total - 1;
        var s = new OneCycleLR(opt, new OneCycleLR.Options(max).totalSteps(total));
        for (int e = 0; e < total; e++) {
            if (e > 0) s.step();
            double lr, mom;
            if (e <= up) {
                lr = anneal(initial, max, e / up, true);
                mom = anneal(0.95, 0.85, e / up, true);
            } else {
                double pct = (e - up) / (total - 1 - up);
                lr = anneal(max, min, pct, true);
                mom = anneal(0.85, 0.95, pct, true);
            }
            assertEquals(lr, s.getLastLr()[0], 1e-12, "lr at " + e);
            assertEquals(mom, opt.paramGroups().get(0).get(SGD.MOMENTUM), 1e-12, "momentum at " + e);
        }
        assertEquals(min, s.getLastLr()[0], 1e-15);
        s.step();
        var ex = assertThrows(IllegalStateException.class, s::step);
        assertTrue(ex.getMessage().contains("total steps is 20"));
    }

    @Test
    void oneCycleLinearThreePhaseCyclesAdamBeta1() {
        var opt = new Adam(List.of(Grad4j.zeros(1).requiresGrad_()), new Adam.Options().betas(0.9, 0.99));
        int total = 10;
        double max = 0.5, initial = max / 10, min = initial / 100;
        var s = new OneCycleLR(opt, new OneCycleLR.Options(max).totalSteps(total).annealStrategy("linear")
                .threePhase(true).divFactor(10).finalDivFactor(100).pctStart(0.4));
        double e1 = 0.4 * total - 1, e2 = 2 * 0.4 * total - 2, e3 = total - 1;
        for (int e = 0; e < total; e++) {
            if (e > 0) s.step();
            double lr, mom;
            if (e <= e1) {
                lr = anneal(initial, max, e / e1, false);
                mom = anneal(0.95, 0.85, e / e1, false);
            } else if (e <= e2) {
                lr = anneal(max, initial, (e - e1) / (e2 - e1), false);
                mom = anneal(0.85, 0.95, (e - e1) / (e2 - e1), false);
            } else {
                lr = anneal(initial, min, (e - e2) / (e3 - e2), false);
                mom = 0.95;
            }
            assertEquals(lr, s.getLastLr()[0], 1e-12, "lr at " + e);
            double[] betas = opt.paramGroups().get(0).get(Adam.BETAS);
            assertEquals(mom, betas[0], 1e-12, "beta1 at " + e);
            assertEquals(0.99, betas[1]);
        }
    }

    @Test
    void reduceOnPlateauMinRel() {
        var opt = sgd(1.0);
        var s = new ReduceLROnPlateau(opt, new ReduceLROnPlateau.Options().patience(2).factor(0.5).cooldown(1).minLr(0.2));
        double[] metrics = {10, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
        // epoch: 1 best 10; 2 best 9; 3,4 bad (1,2); 5 bad 3 > 2 -> 0.5, cooldown 1;
        // 6 cooldown (bad reset to 0); 7,8 bad 1,2; 9 bad 3 -> 0.25; 10 cooldown; 11,12 bad 1,2
        double[] expected = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25};
        for (int i = 0; i < metrics.length; i++) {
            s.step(metrics[i]);
            assertEquals(expected[i], s.getLastLr()[0], 1e-12, "after metric " + (i + 1));
        }
        for (int i = 0; i < 10; i++) s.step(9);   // an int metric, not an epoch
        assertEquals(0.2, s.getLastLr()[0], 1e-12, "never below min_lr");
    }

    @Test
    void reduceOnPlateauMaxAbsThreshold() {
        var opt = sgd(1.0);
        var s = new ReduceLROnPlateau(opt, new ReduceLROnPlateau.Options().mode("max").thresholdMode("abs").threshold(0.1).patience(0));
        s.step(0.5);                 // best 0.5
        assertEquals(1.0, s.getLastLr()[0]);
        s.step(0.55);                // not better by 0.1 -> bad 1 > 0 -> reduce
        assertEquals(0.1, s.getLastLr()[0], 1e-12);
        s.step(0.7);                 // better
        assertEquals(0.1, s.getLastLr()[0], 1e-12);
        assertEquals(0.7, s.best());
    }

    @Test
    void badArgumentsAreRejected() {
        var opt = sgd(1.0);
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau.Options().factor(1.5));
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> new SequentialLR(opt, List.of(new StepLR(opt, 2)), new int[]{1}));
        var plain = new org.grad4j.optim.Adagrad(List.of(Grad4j.zeros(1).requiresGrad_()), 0.1);
        var ex = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(plain, new OneCycleLR.Options(1).totalSteps(5)));
        assertTrue(ex.getMessage().contains("momentum or beta1"), ex.getMessage());
    }

    @Test
    void schedulerStateDictsResumeTheSchedule() {
        var opt = sgd(0.1);
        var s = new CosineAnnealingWarmRestarts(opt, 3, 2, 0.0);
        for (int i = 0; i < 4; i++) s.step();
        var state = s.stateDict();
        var opt2 = sgd(0.1);
        var s2 = new CosineAnnealingWarmRestarts(opt2, 3, 2, 0.0);
        s2.loadStateDict(state);
        for (int i = 0; i < 5; i++) {
            s.step();
            s2.step();
            assertEquals(s.getLastLr()[0], s2.getLastLr()[0], 0.0);
        }

        var p1 = sgd(1.0);
        var r1 = new ReduceLROnPlateau(p1, new ReduceLROnPlateau.Options().patience(1));
        r1.step(5.0);
        r1.step(6.0);
        var p2 = sgd(1.0);
        var r2 = new ReduceLROnPlateau(p2, new ReduceLROnPlateau.Options().patience(1));
        r2.loadStateDict(r1.stateDict());
        r1.step(6.0);
        r2.step(6.0);
        assertEquals(0.1, p1.paramGroups().get(0).lr(), 1e-12);
        assertEquals(0.1, p2.paramGroups().get(0).lr(), 1e-12, "bad-epoch count restored");
    }

    @Test
    void constantMultiplicativePolynomial() {
        var opt = sgd(0.6);
        expectSequence(opt, new ConstantLR(opt, 0.5, 3), 6, e -> e < 3 ? 0.3 : 0.6);
        var opt2 = sgd(1.0);
        expectSequence(opt2, new MultiplicativeLR(opt2, e -> 0.9), 5, e -> Math.pow(0.9, e));
        var opt3 = sgd(0.05);
        expectSequence(opt3, new PolynomialLR(opt3, 5, 0.9), 8, e -> 0.05 * Math.pow(1 - Math.min(e, 5) / 5.0, 0.9));
    }

    @Test
    void chainedSchedulerDocumentedSequence() {
        // ConstantLR(factor=0.1, total_iters=2) chained with ExponentialLR(gamma=0.9), lr = 1, from the recursive
        // get_lr of torch/optim/lr_scheduler.py (the initial steps leave 0.1; at epoch 2 ConstantLR divides by 0.1).
        // (Older PyTorch docstrings listed other values here; PyTorch replaced those comments with plots in
        // pytorch/pytorch#149189, so the expected values follow the code.)
        var opt = sgd(1.0);
        var s = new ChainedScheduler(List.of(new ConstantLR(opt, 0.1, 2), new ExponentialLR(opt, 0.9)));
        double[] expected = {0.1, 0.09, 0.81, 0.729, 0.6561};
        for (int e = 0; e < expected.length; e++) {
            if (e > 0) s.step();
            assertEquals(expected[e], s.getLastLr()[0], 1e-12, "epoch " + e);
        }
    }

    @Test
    void sequentialWithConstantWarmupRestartsTheNextScheduler() {
        // SequentialLR([ConstantLR(0.1, 2), ExponentialLR(0.9)], milestones=[2]), lr = 1: at the milestone the
        // exponential schedule restarts from its base rate through its closed form (step(0))
        var opt = sgd(1.0);
        var s = new SequentialLR(opt, List.of(new ConstantLR(opt, 0.1, 2), new ExponentialLR(opt, 0.9)), new int[]{2});
        double[] expected = {0.1, 0.1, 1.0, 0.9, 0.81};
        for (int e = 0; e < expected.length; e++) {
            if (e > 0) s.step();
            assertEquals(expected[e], s.getLastLr()[0], 1e-12, "epoch " + e);
        }
    }
}
