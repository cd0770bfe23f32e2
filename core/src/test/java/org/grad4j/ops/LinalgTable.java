package org.grad4j.ops;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.ops.OpTable.f64;
import static org.grad4j.ops.OpTable.in;
import static org.grad4j.ops.OpTable.op;
import static org.grad4j.ops.Samples.a;
import static org.grad4j.ops.Samples.s;
import static org.grad4j.ops.Samples.step;
import static org.grad4j.ops.Samples.t;

/** Linear algebra. */
final class LinalgTable {
    private LinalgTable() {}

    private static final String L = "Linear algebra";

    private static final Tensor A = f64(new double[][]{{1, 2}, {3, 4}});

    static List<OpInfo> ops() {
        List<OpInfo> l = new ArrayList<>();
        l.add(op(L, "mm", "a.mm(b)", in -> in[0].mm(in[1]), "torch.mm", "Tensor.mm").node("MmBackward0")
                .sample(s(a(2, 3), a(3, 4))).sample(s(t(2, 3), step(3, 2))).sample(s(a(0, 3), a(3, 2)))
                .known(in(() -> A, () -> A), f64(new double[][]{{7, 10}, {15, 22}}))
                .error("inner mismatch", () -> A.mm(Grad4j.zeros(3, 3)), "cannot be multiplied"));
        l.add(op(L, "matmul", "a.matmul(b)", in -> in[0].matmul(in[1]), "torch.matmul", "Tensor.matmul", "a @ b")
                .sample(s(a(2, 3), a(3))).sample(s(a(3), a(3, 2))).sample(s(a(2, 2, 3), a(3, 2))).sample(s(a(2, 1, 2, 3), a(3, 3, 2)))
                .sample(s(a(3), a(3))).sample(s(t(2, 2, 3), a(2, 3, 1)))
                .known(in(() -> A, () -> f64(1, 1)), f64(3, 7))
                .error("0-d", () -> Grad4j.tensor(1.0).matmul(A), "at least 1D"));
        l.add(op(L, "bmm", "Grad4j.bmm(a, b)", in -> Grad4j.bmm(in[0], in[1]), "torch.bmm", "Tensor.bmm").node("BmmBackward0")
                .sample(s(a(2, 2, 3), a(2, 3, 2))).sample(s(t(2, 2, 3), a(2, 3, 1)))
                .known(in(() -> A.unsqueeze(0), () -> A.unsqueeze(0)), f64(new double[][]{{7, 10}, {15, 22}}).unsqueeze(0)));
        l.add(op(L, "dot", "Grad4j.dot(a, b)", in -> Grad4j.dot(in[0], in[1]), "torch.dot", "Tensor.dot", "torch.inner (1-d)").node("DotBackward0")
                .sample(s(a(3), a(3))).sample(s(step(4), a(4)))
                .known(in(() -> f64(1, 2), () -> f64(3, 4)), OpTable.sc(11)));
        return l;
    }
}
