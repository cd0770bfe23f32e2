package org.grad4j.optim;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class OptimizerApiTest {
    static Tensor p(double... v) { return Grad4j.tensor(v, DType.FLOAT64).requiresGrad_(); }

    static void gradOnes(Tensor... ps) {
        for (Tensor t : ps) t.sum().backward();
    }

    @Test
    void paramGroupsUseTheirOwnOptions() {
        Tensor a = p(1, 2), b = p(3);
        var opt = new SGD(List.of(new ParamGroup(List.of(a)), new ParamGroup(List.of(b)).set("lr", 0.5)),
                new SGD.Options().lr(0.1));
        gradOnes(a, b);
        opt.step();
        assertArrayEquals(new double[]{0.9, 1.9}, a.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{2.5}, b.toDoubleArray(), 1e-12);
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals(0.0, opt.paramGroups().get(1).get(SGD.MOMENTUM), "defaults fill missing options");
        var adam = new Adam(List.of(new ParamGroup(List.of(p(1))).set("betas", List.of(0.5, 0.6)).set("lr", 1)), new Adam.Options());
        assertArrayEquals(new double[]{0.5, 0.6}, adam.paramGroups().get(0).get(Adam.BETAS));
        assertEquals(1.0, adam.paramGroups().get(0).get("lr"));
    }

    @Test
    void duplicateParameterRejected() {
        Tensor a = p(1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(new ParamGroup(List.of(a)), new ParamGroup(List.of(a))), new SGD.Options()));
        assertTrue(e.getMessage().contains("more than one parameter group"));
    }

    @Test
    void nonLeafRejected() {
        Tensor a = p(1);
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a.mul(2)), 0.1));
        assertTrue(e.getMessage().contains("non-leaf"));
    }

    @Test
    void zeroGradSetsToNoneByDefaultOrZeroes() {
        Tensor a = p(1, 2);
        var opt = new SGD(List.of(a), 0.1);
        gradOnes(a);
        opt.zeroGrad(false);
        assertNotNull(a.grad());
        assertArrayEquals(new double[]{0, 0}, a.grad().toDoubleArray());
        opt.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void paramsWithoutGradAreSkipped() {
        Tensor a = p(1), b = p(2);
        var opt = new Adam(List.of(a, b), 0.1);
        gradOnes(a);
        opt.step();
        assertEquals(2.0, b.item());
        assertTrue(opt.state(b).isEmpty());
        assertNotEquals(1.0, a.item());
    }

    @Test
    void stepDoesNotRecordGraph() {
        Tensor a = p(1, 2);
        var opt = new SGD(List.of(a), new SGD.Options().lr(0.1).momentum(0.9));
        gradOnes(a);
        opt.step();
        assertTrue(a.isLeaf());
        assertNull(a.gradFn());
    }

    @Test
    void stateDictRoundTripContinuesIdentically() {
        Tensor a = p(1, -2), b = p(0.5);
        var opt = new Adam(List.of(new ParamGroup(List.of(a)), new ParamGroup(List.of(b)).set("lr", 0.01)),
                new Adam.Options().lr(0.1).amsgrad(true));
        for (int i = 0; i < 3; i++) {
            opt.zeroGrad();
            a.mul(a).sum().add(b.mul(b).sum()).backward();
            opt.step();
        }
        OptimizerStateDict sd = opt.stateDict();
        assertEquals(List.of(0), sd.paramGroups().get(0).get("params"));
        assertEquals(List.of(1), sd.paramGroups().get(1).get("params"));
        assertEquals(0.01, sd.paramGroups().get(1).get("lr"));
        Map<String, Object> s0 = sd.state().get(0);
        assertEquals(3.0, ((Tensor) s0.get("step")).item());
        assertTrue(s0.containsKey("exp_avg") && s0.containsKey("exp_avg_sq") && s0.containsKey("max_exp_avg_sq"));

        Tensor a2 = a.detach().clone().requiresGrad_(), b2 = b.detach().clone().requiresGrad_();
        var opt2 = new Adam(List.of(new ParamGroup(List.of(a2)), new ParamGroup(List.of(b2))), new Adam.Options());
        opt2.loadStateDict(sd);
        assertEquals(0.1, opt2.paramGroups().get(0).lr());
        assertTrue(opt2.paramGroups().get(0).get(Adam.AMSGRAD));
        for (int i = 0; i < 2; i++) {
            for (var pair : List.of(new Object[]{opt, a, b}, new Object[]{opt2, a2, b2})) {
                Optimizer o = (Optimizer) pair[0];
                Tensor x = (Tensor) pair[1], y = (Tensor) pair[2];
                o.zeroGrad();
                x.mul(x).sum().add(y.mul(y).sum()).backward();
                o.step();
            }
        }
        assertArrayEquals(a.toDoubleArray(), a2.toDoubleArray(), 0);
        assertArrayEquals(b.toDoubleArray(), b2.toDoubleArray(), 0);
    }

    @Test
    void loadStateDictChecksGroupSizes() {
        var opt = new SGD(List.of(p(1), p(2)), 0.1);
        var other = new SGD(List.of(p(1)), 0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(other.stateDict()));
        assertTrue(e.getMessage().contains("doesn't match the size"));
    }

    @Test
    void lbfgsFirstIterationIsScaledSteepestDescent() {
        Tensor x = p(1.5, -2.0);
        var opt = new LBFGS(List.of(x), new LBFGS.Options().maxIter(1));
        double[] g = {2 * 1.5, 2 * -2.0};
        opt.step(() -> {
            opt.zeroGrad();
            Tensor loss = x.mul(x).sum();
            loss.backward();
            return loss;
        });
        double t = Math.min(1, 1 / (Math.abs(g[0]) + Math.abs(g[1])));
        assertArrayEquals(new double[]{1.5 - t * g[0], -2.0 - t * g[1]}, x.toDoubleArray(), 1e-12);
    }

    static Tensor rosenbrock(Tensor x) {
        Tensor a = x.get(0), b = x.get(1);
        return a.rsub(1.0).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100));
    }

    @Test
    void lbfgsMinimisesQuadraticAndRosenbrock() {
        Tensor x = p(1.5, -2.0, 0.3);
        Tensor a = Grad4j.tensor(new double[]{1, 3, 0.5}, DType.FLOAT64), b = Grad4j.tensor(new double[]{0.2, -0.1, 0.4}, DType.FLOAT64);
        var opt = new LBFGS(List.of(x), new LBFGS.Options());
        opt.step(() -> {
            opt.zeroGrad();
            Tensor loss = x.mul(x).mul(a).mul(0.5).add(b.mul(x)).sum();
            loss.backward();
            return loss;
        });
        // stops once the loss changes by less than tolerance_change (1e-9), as PyTorch does
        assertArrayEquals(new double[]{-0.2, 0.1 / 3, -0.8}, x.toDoubleArray(), 1e-4);

        for (String ls : new String[]{null, "strong_wolfe"}) {
            Tensor r = p(-1.5, 2.0);
            var o = new LBFGS(List.of(r), new LBFGS.Options().lr(ls == null ? 0.1 : 1).historySize(10).maxIter(200).lineSearch(ls));
            for (int i = 0; i < (ls == null ? 20 : 3); i++) {
                o.step(() -> {
                    o.zeroGrad();
                    Tensor loss = rosenbrock(r);
                    loss.backward();
                    return loss;
                });
            }
            assertArrayEquals(new double[]{1, 1}, r.toDoubleArray(), 1e-4, "line search " + ls);
        }
    }

    @Test
    void lbfgsNeedsClosure() {
        var opt = new LBFGS(List.of(p(1)), new LBFGS.Options());
        assertThrows(IllegalStateException.class, opt::step);
    }

    @Test
    void cubicInterpolationFindsMinimumOfCubic() {
        // f(x) = (x - 1)^2 on [0, 3]: f(0) = 1, f'(0) = -2, f(3) = 4, f'(3) = 4 -> minimum at 1
        assertEquals(1.0, StrongWolfe.cubicInterpolate(0, 1, -2, 3, 4, 4, 0, 3), 1e-12);
    }

    @Test
    void toStringListsGroups() {
        var opt = new SGD(List.of(p(1)), new SGD.Options().lr(0.1).momentum(0.9));
        String s = opt.toString();
        assertTrue(s.startsWith("SGD (\nParameter Group 0"), s);
        assertTrue(s.contains("momentum: 0.9"), s);
    }
}
