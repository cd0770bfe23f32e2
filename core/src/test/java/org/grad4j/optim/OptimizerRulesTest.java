package org.grad4j.optim;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each optimizer runs several steps on f(x) = sum(0.5 * a * x^2 + b * x) (gradient a * x + b) in
 * float64 and is compared with a scalar re-implementation of PyTorch's documented update rule.
 */
class OptimizerRulesTest {
    static final double[] X0 = {1.5, -2.0, 0.3};
    static final double[] A = {1.0, 3.0, 0.5};
    static final double[] B = {0.2, -0.1, 0.4};
    static final int STEPS = 6;

    /** A scalar reference: given step t (1-based), element i, param x and grad g, returns the new x. */
    interface Rule { double update(int t, int i, double x, double g); }

    static Tensor param() { return Grad4j.tensor(X0.clone(), DType.FLOAT64).requiresGrad_(); }

    static void backward(Tensor x) {
        Tensor a = Grad4j.tensor(A, DType.FLOAT64), b = Grad4j.tensor(B, DType.FLOAT64);
        x.mul(x).mul(a).mul(0.5).add(b.mul(x)).sum().backward();
    }

    static void check(Function<List<Tensor>, Optimizer> make, Rule rule) {
        Tensor x = param();
        Optimizer opt = make.apply(List.of(x));
        double[] ref = X0.clone();
        for (int t = 1; t <= STEPS; t++) {
            opt.zeroGrad();
            backward(x);
            opt.step();
            for (int i = 0; i < ref.length; i++) ref[i] = rule.update(t, i, ref[i], A[i] * ref[i] + B[i]);
            double[] got = x.toDoubleArray();
            for (int i = 0; i < ref.length; i++) {
                assertEquals(ref[i], got[i], 1e-12 * Math.max(1, Math.abs(ref[i])), "step " + t + " element " + i);
            }
        }
        assertNotEquals(X0[0], x.toDoubleArray()[0], "the optimizer must move the parameter");
    }

    @Test
    void sgdPlain() {
        check(p -> new SGD(p, 0.1), (t, i, x, g) -> x - 0.1 * g);
    }

    @Test
    void sgdMomentumDampeningWeightDecay() {
        double lr = 0.05, m = 0.9, damp = 0.1, wd = 0.01;
        double[] buf = new double[3];
        check(p -> new SGD(p, new SGD.Options().lr(lr).momentum(m).dampening(damp).weightDecay(wd)), (t, i, x, g) -> {
            double d = g + wd * x;
            buf[i] = t == 1 ? d : m * buf[i] + (1 - damp) * d;   // buffer starts as the first gradient
            return x - lr * buf[i];
        });
    }

    @Test
    void sgdNesterovMaximize() {
        double lr = 0.05, m = 0.8;
        double[] buf = new double[3];
        check(p -> new SGD(p, new SGD.Options().lr(lr).momentum(m).nesterov(true).maximize(true)), (t, i, x, g) -> {
            double d = -g;
            buf[i] = t == 1 ? d : m * buf[i] + d;
            return x - lr * (d + m * buf[i]);
        });
    }

    @Test
    void nesterovNeedsMomentum() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(param()), new SGD.Options().nesterov(true)));
        assertTrue(e.getMessage().contains("Nesterov"));
    }

    static Rule adamRule(double lr, double b1, double b2, double eps, double wd, boolean decoupled, boolean amsgrad) {
        double[] m = new double[3], v = new double[3], vmax = new double[3];
        return (t, i, x, g) -> {
            if (decoupled) x = x * (1 - lr * wd);
            else g = g + wd * x;
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            vmax[i] = Math.max(vmax[i], v[i]);
            double vv = amsgrad ? vmax[i] : v[i];
            double mhat = m[i] / (1 - Math.pow(b1, t));
            double denom = Math.sqrt(vv) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
            return x - lr * mhat / denom;
        };
    }

    @Test
    void adam() {
        check(p -> new Adam(p, 0.1), adamRule(0.1, 0.9, 0.999, 1e-8, 0, false, false));
    }

    @Test
    void adamAmsgradWeightDecayBetas() {
        check(p -> new Adam(p, new Adam.Options().lr(0.2).betas(0.8, 0.9).eps(1e-3).weightDecay(0.1).amsgrad(true)),
                adamRule(0.2, 0.8, 0.9, 1e-3, 0.1, false, true));
    }

    @Test
    void adamMaximize() {
        Rule r = adamRule(0.1, 0.9, 0.999, 1e-8, 0, false, false);
        check(p -> new Adam(p, new Adam.Options().lr(0.1).maximize(true)), (t, i, x, g) -> r.update(t, i, x, -g));
    }

    @Test
    void adamWDecoupledDecay() {
        check(p -> new AdamW(p, 0.1), adamRule(0.1, 0.9, 0.999, 1e-8, 1e-2, true, false));
        check(p -> new AdamW(p, new AdamW.Options().lr(0.1).weightDecay(0.5).amsgrad(true)),
                adamRule(0.1, 0.9, 0.999, 1e-8, 0.5, true, true));
    }

    @Test
    void adagrad() {
        double lr = 0.3, decay = 0.1, init = 0.2, eps = 1e-10, wd = 0.05;
        double[] sum = {init, init, init};
        check(p -> new Adagrad(p, new Adagrad.Options().lr(lr).lrDecay(decay).initialAccumulatorValue(init).weightDecay(wd)),
                (t, i, x, g) -> {
                    g = g + wd * x;
                    double clr = lr / (1 + (t - 1) * decay);
                    sum[i] += g * g;
                    return x - clr * g / (Math.sqrt(sum[i]) + eps);
                });
    }

    @Test
    void rmspropPlain() {
        double lr = 0.01, alpha = 0.99, eps = 1e-8;
        double[] sq = new double[3];
        check(p -> new RMSprop(p, lr), (t, i, x, g) -> {
            sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
            return x - lr * g / (Math.sqrt(sq[i]) + eps);    // eps outside the sqrt
        });
    }

    @Test
    void rmspropCenteredMomentum() {
        double lr = 0.02, alpha = 0.9, eps = 1e-4, m = 0.7, wd = 0.1;
        double[] sq = new double[3], ga = new double[3], buf = new double[3];
        check(p -> new RMSprop(p, new RMSprop.Options().lr(lr).alpha(alpha).eps(eps).momentum(m).centered(true).weightDecay(wd)),
                (t, i, x, g) -> {
                    g = g + wd * x;
                    sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
                    ga[i] = alpha * ga[i] + (1 - alpha) * g;
                    double avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + eps;
                    buf[i] = m * buf[i] + g / avg;
                    return x - lr * buf[i];
                });
    }

    @Test
    void adadelta() {
        double lr = 1.0, rho = 0.9, eps = 1e-6, wd = 0.02;
        double[] sq = new double[3], acc = new double[3];
        check(p -> new Adadelta(p, new Adadelta.Options().weightDecay(wd)), (t, i, x, g) -> {
            g = g + wd * x;
            sq[i] = rho * sq[i] + (1 - rho) * g * g;
            double delta = Math.sqrt(acc[i] + eps) / Math.sqrt(sq[i] + eps) * g;
            acc[i] = rho * acc[i] + (1 - rho) * delta * delta;
            return x - lr * delta;
        });
    }

    @Test
    void adamax() {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] m = new double[3], u = new double[3];
        check(p -> new Adamax(p, lr), (t, i, x, g) -> {
            m[i] = b1 * m[i] + (1 - b1) * g;
            u[i] = Math.max(b2 * u[i], Math.abs(g) + eps);
            return x - lr / (1 - Math.pow(b1, t)) * m[i] / u[i];
        });
    }

    static Rule nadamRule(double lr, double b1, double b2, double eps, double psi, double wd, boolean decoupled) {
        double[] m = new double[3], v = new double[3], muProd = {1, 1, 1};
        return (t, i, x, g) -> {
            if (decoupled) x = x * (1 - lr * wd);
            else g = g + wd * x;
            double mu = b1 * (1 - 0.5 * Math.pow(0.96, t * psi));
            double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
            muProd[i] *= mu;
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            double denom = Math.sqrt(v[i] / (1 - Math.pow(b2, t))) + eps;
            x = x - lr * (1 - mu) / (1 - muProd[i]) * g / denom;
            return x - lr * muNext / (1 - muProd[i] * muNext) * m[i] / denom;
        };
    }

    @Test
    void nadam() {
        // mu_product is kept in float32 as in PyTorch: compare with a looser tolerance through a float64 rule
        checkLoose(p -> new NAdam(p, 0.1), nadamRule(0.1, 0.9, 0.999, 1e-8, 4e-3, 0, false), 1e-6);
        checkLoose(p -> new NAdam(p, new NAdam.Options().lr(0.1).weightDecay(0.1).momentumDecay(0.01).decoupledWeightDecay(true)),
                nadamRule(0.1, 0.9, 0.999, 1e-8, 0.01, 0.1, true), 1e-6);
    }

    static Rule radamRule(double lr, double b1, double b2, double eps, double wd) {
        double[] m = new double[3], v = new double[3];
        return (t, i, x, g) -> {
            g = g + wd * x;
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
            double mhat = m[i] / bc1;
            double rhoInf = 2 / (1 - b2) - 1;
            double rhoT = rhoInf - 2 * t * Math.pow(b2, t) / bc2;
            if (rhoT > 5) {
                double r = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                return x - lr * mhat * r * Math.sqrt(bc2) / (Math.sqrt(v[i]) + eps);
            }
            return x - lr * mhat;
        };
    }

    @Test
    void radamBothBranches() {
        // with beta2 = 0.9, rho_t passes 5 at step 5: the test covers both branches
        check(p -> new RAdam(p, new RAdam.Options().lr(0.1).betas(0.9, 0.9).weightDecay(0.01)), radamRule(0.1, 0.9, 0.9, 1e-8, 0.01));
        check(p -> new RAdam(p, 0.1), radamRule(0.1, 0.9, 0.999, 1e-8, 0));
    }

    static void checkLoose(Function<List<Tensor>, Optimizer> make, Rule rule, double tol) {
        Tensor x = param();
        Optimizer opt = make.apply(List.of(x));
        double[] ref = X0.clone();
        for (int t = 1; t <= STEPS; t++) {
            opt.zeroGrad();
            backward(x);
            opt.step();
            for (int i = 0; i < ref.length; i++) ref[i] = rule.update(t, i, ref[i], A[i] * ref[i] + B[i]);
            assertArrayEquals(ref, x.toDoubleArray(), tol, "step " + t);
        }
    }

    @Test
    void float32ParametersFollowTheFloat64ResultsAndKeepTheirDtype() {
        List<Function<List<Tensor>, Optimizer>> makers = List.of(
                p -> new SGD(p, new SGD.Options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(0.01)),
                p -> new Adam(p, new Adam.Options().lr(0.1).amsgrad(true)),
                p -> new AdamW(p, 0.1),
                p -> new Adagrad(p, new Adagrad.Options().lr(0.3).lrDecay(0.1)),
                p -> new RMSprop(p, new RMSprop.Options().lr(0.01).centered(true).momentum(0.5)),
                p -> new Adadelta(p),
                p -> new Adamax(p, 0.1),
                p -> new NAdam(p, 0.1),
                p -> new RAdam(p, new RAdam.Options().lr(0.1).betas(0.9, 0.9)));
        for (var make : makers) {
            Tensor x64 = param(), x32 = param().detach().toFloat().requiresGrad_();
            Optimizer o64 = make.apply(List.of(x64)), o32 = make.apply(List.of(x32));
            for (int t = 0; t < STEPS; t++) {
                for (var pair : List.of(new Object[]{o64, x64}, new Object[]{o32, x32})) {
                    Optimizer o = (Optimizer) pair[0];
                    Tensor x = (Tensor) pair[1];
                    o.zeroGrad();
                    Tensor a = Grad4j.tensor(A, x.dtype()), b = Grad4j.tensor(B, x.dtype());
                    x.mul(x).mul(a).mul(0.5).add(b.mul(x)).sum().backward();
                    o.step();
                }
            }
            String name = o32.getClass().getSimpleName();
            assertEquals(DType.FLOAT32, x32.dtype(), name);
            assertArrayEquals(x64.toDoubleArray(), x32.toDoubleArray(), 2e-5, name);
            for (Object v : o32.state(x32).values()) {
                if (v instanceof Tensor t && t.dim() > 0) assertEquals(DType.FLOAT32, t.dtype(), name + " state buffer");
            }
        }
    }
}
