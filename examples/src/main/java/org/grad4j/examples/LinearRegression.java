package org.grad4j.examples;

import org.grad4j.Tensor;
import org.grad4j.optim.SGD;

import java.util.List;

import static org.grad4j.Grad4j.*;

/**
 * Seed 000's linear regression, line by line, then trained to convergence with SGD.
 *
 * <pre>
 * x_data = torch.tensor([1.0, 2.0, 3.0]); y_data = torch.tensor([2.0, 4.0, 6.0])
 * weight = torch.tensor([1.0], requires_grad=True)
 * l = ((x_data * weight - y_data) ** 2).sum(); l.backward(); print(weight.grad)   # tensor([-28.])
 * </pre>
 *
 * Run: {@code ./grad4j example LinearRegression}
 */
public final class LinearRegression {
    private LinearRegression() {}

    /** The fitted weight and the final loss. */
    public record Result(double weight, double loss, Tensor firstGradient) {}

    public static Result run(int steps, double lr, boolean print) {
        Tensor xData = tensor(new double[]{1.0, 2.0, 3.0});
        Tensor yData = tensor(new double[]{2.0, 4.0, 6.0});
        Tensor weight = tensor(new double[]{1.0}).requiresGrad_();

        Tensor l = xData.mul(weight).sub(yData).pow(2).sum();
        l.backward();
        Tensor first = weight.grad().clone();
        if (print) System.out.println("gradient of the first loss: " + first);   // tensor([-28.])

        SGD opt = new SGD(List.of(weight), lr);
        double loss = l.item();
        for (int step = 1; step <= steps; step++) {
            opt.zeroGrad();
            Tensor lossT = xData.mul(weight).sub(yData).pow(2).mean();
            lossT.backward();
            opt.step();
            loss = lossT.item();
            if (print && (step % 10 == 0 || step == 1)) {
                System.out.printf("step %3d  loss %.6f  weight %.6f%n", step, loss, weight.item());
            }
        }
        return new Result(weight.item(), loss, first);
    }

    public static void main(String[] args) {
        Result r = run(50, 0.05, true);
        System.out.printf("learned weight %.4f (true 2.0), final loss %.2e%n", r.weight(), r.loss());
    }
}
