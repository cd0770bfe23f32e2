package org.grad4j.examples;

import org.grad4j.Tensor;

import static org.grad4j.Grad4j.*;

/** The README example: seed cases S1 and S25 of the autograd tutorials, in Java. */
public final class QuickStart {
    private QuickStart() {}

    public static void main(String[] args) {
        // S1: x = torch.tensor(2.0, requires_grad=True); y = x**2 + 3*x + 1; y.backward()
        Tensor x = tensor(2.0).requiresGrad_();
        Tensor y = x.pow(2).add(x.mul(3)).add(1);
        y.backward();
        System.out.println(x.grad());                 // tensor(7.)

        // S25: x = torch.ones(2, 2, requires_grad=True); y = x**2; z = y*y*3; out = z.mean()
        Tensor a = ones(2, 2).requiresGrad_();
        Tensor z = a.pow(2).mul(a.pow(2)).mul(3);
        Tensor out = z.mean();
        System.out.println(out);                      // tensor(3., grad_fn=<MeanBackward0>)
        out.backward();
        System.out.println(a.grad());                 // tensor([[3., 3.],
                                                      //         [3., 3.]])
    }
}
