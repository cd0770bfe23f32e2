package org.grad4j.autograd;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * float64 gradcheck and gradgradcheck for every differentiable op of the foundation, each on plain,
 * broadcast and non-contiguous (transposed or sliced) inputs. The operator-table tests extend this
 * to the full op library.
 */
class FoundationGradCheckTest {
    private static final Generator GEN = new Generator().manualSeed(7);

    /** A float64 leaf of the shape, values drawn from N(0,1). */
    static Tensor rnd(int... shape) {
        return Grad4j.randn(shape, DType.FLOAT64, GEN).requiresGrad_();
    }

    /** A float64 leaf with values in [0.5, 2): safe for log, sqrt, division, pow. */
    static Tensor pos(int... shape) {
        return Grad4j.rand(shape, DType.FLOAT64, GEN).mul(1.5).add(0.5).detach().requiresGrad_();
    }

    /** A non-contiguous [rows, cols] leaf: the transpose of a contiguous [cols, rows] one. */
    static Tensor rndT(int rows, int cols) {
        return Grad4j.randn(new int[]{cols, rows}, DType.FLOAT64, GEN).t().requiresGrad_();
    }

    static Tensor posT(int rows, int cols) {
        return Grad4j.rand(new int[]{cols, rows}, DType.FLOAT64, GEN).mul(1.5).add(0.5).detach().t().requiresGrad_();
    }

    /** A non-contiguous leaf: every other column of a wider tensor. */
    static Tensor rndStrided(int rows, int cols) {
        Tensor wide = Grad4j.randn(new int[]{rows, 2 * cols}, DType.FLOAT64, GEN);
        return wide.slice(1, 0, 2 * cols, 2).requiresGrad_();
    }

    record Case(String name, GradCheck.Fn fn, Supplier<Tensor[]> inputs, boolean twice) {}

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // binary arithmetic: plain, broadcast, non-contiguous, with Java scalars
        c.add(new Case("add", in -> in[0].add(in[1]), () -> new Tensor[]{rnd(2, 3), rnd(2, 3)}, true));
        c.add(new Case("add broadcast", in -> in[0].add(in[1]), () -> new Tensor[]{rnd(3, 1), rnd(1, 4)}, true));
        c.add(new Case("add alpha noncontig", in -> in[0].add(in[1], 2.5), () -> new Tensor[]{rndT(3, 2), rnd(2)}, true));
        c.add(new Case("add scalar", in -> in[0].add(3.0), () -> new Tensor[]{rndStrided(2, 3)}, true));
        c.add(new Case("sub broadcast", in -> in[0].sub(in[1]), () -> new Tensor[]{rnd(2, 1, 3), rndT(4, 3)}, true));
        c.add(new Case("sub alpha", in -> in[0].sub(in[1], 0.5), () -> new Tensor[]{rnd(3), rnd(3)}, true));
        c.add(new Case("rsub", in -> in[0].rsub(2.0), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("mul", in -> in[0].mul(in[1]), () -> new Tensor[]{rnd(2, 3), rndT(2, 3)}, true));
        c.add(new Case("mul broadcast 0-d", in -> in[0].mul(in[1]), () -> new Tensor[]{rnd(2, 3), rnd()}, true));
        c.add(new Case("mul scalar", in -> in[0].mul(-1.5), () -> new Tensor[]{rnd(4)}, true));
        c.add(new Case("div", in -> in[0].div(in[1]), () -> new Tensor[]{rnd(2, 3), posT(2, 3)}, true));
        c.add(new Case("div broadcast", in -> in[0].div(in[1]), () -> new Tensor[]{rnd(3, 1), pos(1, 4)}, true));
        c.add(new Case("rdiv", in -> in[0].rdiv(2.0), () -> new Tensor[]{pos(3)}, true));
        c.add(new Case("neg", in -> in[0].neg(), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("pow scalar 3", in -> in[0].pow(3.0), () -> new Tensor[]{rndStrided(2, 3)}, true));
        c.add(new Case("pow scalar 2", in -> in[0].pow(2), () -> new Tensor[]{rnd(2, 3)}, true));
        c.add(new Case("pow scalar -0.5", in -> in[0].pow(-0.5), () -> new Tensor[]{pos(5)}, true));
        c.add(new Case("pow tensor", in -> in[0].pow(in[1]), () -> new Tensor[]{pos(2, 3), rnd(3)}, true));
        c.add(new Case("rpow", in -> in[0].rpow(2.0), () -> new Tensor[]{rnd(2, 2)}, true));
        c.add(new Case("maximum", in -> in[0].maximum(in[1]), () -> new Tensor[]{rnd(2, 3), rndT(2, 3)}, true));
        c.add(new Case("minimum broadcast", in -> in[0].minimum(in[1]), () -> new Tensor[]{rnd(3, 1), rnd(4)}, true));
        // unary
        c.add(new Case("exp", in -> in[0].exp(), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("log", in -> in[0].log(), () -> new Tensor[]{posT(2, 3)}, true));
        c.add(new Case("sqrt", in -> in[0].sqrt(), () -> new Tensor[]{pos(4)}, true));
        c.add(new Case("abs", in -> in[0].abs(), () -> new Tensor[]{rndStrided(2, 3)}, true));
        c.add(new Case("tanh", in -> in[0].tanh(), () -> new Tensor[]{rnd(2, 3)}, true));
        c.add(new Case("sigmoid", in -> in[0].sigmoid(), () -> new Tensor[]{rndT(3, 2)}, true));
        c.add(new Case("relu", in -> in[0].relu(), () -> new Tensor[]{rnd(2, 3)}, true));
        c.add(new Case("sin", in -> in[0].sin(), () -> new Tensor[]{rnd(3)}, true));
        c.add(new Case("cos", in -> in[0].cos(), () -> new Tensor[]{rndT(2, 2)}, true));
        c.add(new Case("reciprocal", in -> in[0].reciprocal(), () -> new Tensor[]{pos(3)}, true));
        c.add(new Case("square", in -> in[0].square(), () -> new Tensor[]{rnd(3)}, true));
        c.add(new Case("clamp", in -> in[0].clamp(-0.5, 0.5), () -> new Tensor[]{rndT(3, 3)}, true));
        c.add(new Case("clampMin", in -> in[0].clampMin(0.1), () -> new Tensor[]{rnd(6)}, true));
        c.add(new Case("clampMax", in -> in[0].clampMax(0.1), () -> new Tensor[]{rnd(6)}, true));
        // selection
        c.add(new Case("where", in -> in[0].where(in[0].gt(0.0), in[1]), () -> new Tensor[]{rnd(2, 3), rnd(3)}, true));
        c.add(new Case("maskedFill", in -> in[0].maskedFill(in[0].lt(0.0), 2.0), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("maskedFill tensor value", in -> in[0].maskedFill(in[0].lt(0.0), in[1]),
                () -> new Tensor[]{rnd(2, 3), rnd()}, true));
        c.add(new Case("clone", in -> in[0].clone(), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("contiguous", in -> in[0].contiguous(), () -> new Tensor[]{rndT(2, 3)}, true));
        // reductions
        c.add(new Case("sum", in -> in[0].sum(), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("sum dim", in -> in[0].sum(1), () -> new Tensor[]{rnd(2, 3, 2)}, true));
        c.add(new Case("sum dims keepdim", in -> in[0].sum(new int[]{0, 2}, true), () -> new Tensor[]{rnd(2, 3, 2)}, true));
        c.add(new Case("mean", in -> in[0].mean(), () -> new Tensor[]{rndStrided(3, 2)}, true));
        c.add(new Case("mean dim keepdim", in -> in[0].mean(-1, true), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("norm", in -> in[0].norm(), () -> new Tensor[]{rnd(2, 3)}, true));
        c.add(new Case("norm p=3", in -> in[0].norm(3.0), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("norm p=1 dim", in -> in[0].norm(1.0, new int[]{1}, false), () -> new Tensor[]{rnd(2, 3)}, false));
        c.add(new Case("max", in -> in[0].max(), () -> new Tensor[]{rnd(2, 3)}, true));
        c.add(new Case("min", in -> in[0].min(), () -> new Tensor[]{rndT(2, 3)}, true));
        // linear algebra
        c.add(new Case("mm", in -> in[0].mm(in[1]), () -> new Tensor[]{rnd(2, 3), rndT(3, 4)}, true));
        c.add(new Case("matmul vec", in -> in[0].matmul(in[1]), () -> new Tensor[]{rnd(3), rnd(3)}, true));
        c.add(new Case("matmul mat-vec", in -> in[0].matmul(in[1]), () -> new Tensor[]{rndT(2, 3), rnd(3)}, true));
        c.add(new Case("matmul vec-mat", in -> in[0].matmul(in[1]), () -> new Tensor[]{rnd(3), rnd(3, 2)}, true));
        c.add(new Case("matmul batched broadcast", in -> in[0].matmul(in[1]),
                () -> new Tensor[]{rnd(2, 1, 2, 3), rnd(3, 3, 2)}, true));
        c.add(new Case("bmm", in -> Grad4j.bmm(in[0], in[1]), () -> new Tensor[]{rnd(2, 2, 3), rnd(2, 3, 2)}, true));
        c.add(new Case("dot", in -> Grad4j.dot(in[0], in[1]), () -> new Tensor[]{rnd(4), rnd(4)}, true));
        // views
        c.add(new Case("t", in -> in[0].t().mul(in[1]), () -> new Tensor[]{rnd(2, 3), rnd(3, 2)}, true));
        c.add(new Case("transpose", in -> in[0].transpose(0, 2), () -> new Tensor[]{rnd(2, 3, 2)}, true));
        c.add(new Case("permute", in -> in[0].permute(2, 0, 1), () -> new Tensor[]{rnd(2, 3, 2)}, true));
        c.add(new Case("view", in -> in[0].view(3, 2), () -> new Tensor[]{rnd(2, 3)}, true));
        c.add(new Case("reshape noncontig", in -> in[0].reshape(-1), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("expand", in -> in[0].expand(2, 3, 4), () -> new Tensor[]{rnd(3, 1)}, true));
        c.add(new Case("unsqueeze", in -> in[0].unsqueeze(1), () -> new Tensor[]{rnd(2, 3)}, true));
        c.add(new Case("squeeze", in -> in[0].squeeze(), () -> new Tensor[]{rnd(2, 1, 3)}, true));
        c.add(new Case("select", in -> in[0].select(1, -1), () -> new Tensor[]{rndT(2, 3)}, true));
        c.add(new Case("slice step", in -> in[0].slice(0, 1, 5, 2), () -> new Tensor[]{rnd(6, 2)}, true));
        c.add(new Case("narrow", in -> in[0].narrow(1, 1, 2), () -> new Tensor[]{rndStrided(2, 3)}, true));
        c.add(new Case("get", in -> in[0].get(1, 0), () -> new Tensor[]{rnd(2, 2, 3)}, true));
        c.add(new Case("cat", in -> Grad4j.cat(new Tensor[]{in[0], in[1]}, 1), () -> new Tensor[]{rnd(2, 3), rndT(2, 1)}, true));
        c.add(new Case("stack", in -> Grad4j.stack(new Tensor[]{in[0], in[1]}, -1), () -> new Tensor[]{rnd(2, 3), rnd(2, 3)}, true));
        // in-place on non-leaves records a graph too
        c.add(new Case("add_ on non-leaf", in -> in[0].mul(1.0).add_(in[1]), () -> new Tensor[]{rnd(2, 3), rnd(3)}, true));
        c.add(new Case("mul_ on non-leaf", in -> in[0].mul(2.0).mul_(in[1]), () -> new Tensor[]{rnd(2, 3), rnd(2, 3)}, true));
        c.add(new Case("div_ on non-leaf", in -> in[0].sin().div_(in[1]), () -> new Tensor[]{rnd(3), pos(3)}, true));
        // a composite: a small two-layer network
        c.add(new Case("mlp", in -> in[0].matmul(in[1].t()).add(in[2]).tanh().matmul(in[3]).sigmoid().mean(),
                () -> new Tensor[]{rnd(4, 3), rnd(5, 3), rnd(5), rnd(5, 2)}, true));
        return c;
    }

    @TestFactory
    List<DynamicTest> gradcheckEveryOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case k : cases()) {
            tests.add(DynamicTest.dynamicTest("gradcheck " + k.name(), () -> assertTrue(GradCheck.gradcheck(k.fn(), k.inputs().get()))));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> gradgradcheckEveryTwiceDifferentiableOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case k : cases()) {
            if (!k.twice()) continue;
            tests.add(DynamicTest.dynamicTest("gradgradcheck " + k.name(), () -> assertTrue(GradCheck.gradgradcheck(k.fn(), k.inputs().get()))));
        }
        return tests;
    }
}
