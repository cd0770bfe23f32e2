package org.grad4j.ops;

import org.bytedeco.pytorch.NoGradGuard;
import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import static org.grad4j.ops.Torch.s;
import static org.grad4j.ops.TorchShapeOps.slice;

/**
 * Hand-written view and in-place cases (family "views"), each spelled for both sides: in-place ops on
 * views of non-leaves (views of views too), views that see their base modified in place, overlapping
 * (expanded) in-place writes, and the in-place errors PyTorch raises. The op tables apply in-place ops to
 * fresh non-leaves only, so these cover what they cannot.
 */
final class ViewScenarios {
    private ViewScenarios() {}

    private static Tensor f64(double... v) { return Grad4j.tensor(v, DType.FLOAT64); }

    static void run(Oracle o) {
        String v = "views";
        o.runScenario(v, "mul_on_slice_of_nonleaf", in -> {
            Tensor x = in[0].mul(1.0);
            x.slice(0, 0, 1).mul_(2.0);
            return x;
        }, in -> {
            var x = in[0].mul(s(1.0));
            slice(x, 0, 0L, 1L, 1).mul_(s(2.0));
            return x;
        }, f64(1, 2, 3));
        o.runScenario(v, "zero_on_select_of_nonleaf", in -> {
            Tensor x = in[0].mul(1.0);
            x.select(1, 0).zero_();
            return x;
        }, in -> {
            var x = in[0].mul(s(1.0));
            x.select(1, 0).zero_();
            return x;
        }, f64(1, 2, 3, 4, 5, 6).reshape(2, 3));
        o.runScenario(v, "exp_on_view_of_view", in -> {
            Tensor x = in[0].mul(1.0);
            x.transpose(0, 1).slice(0, 1, 3).exp_();
            return x;
        }, in -> {
            var x = in[0].mul(s(1.0));
            slice(x.transpose(0, 1), 0, 1L, 3L, 1).exp_();
            return x;
        }, f64(0.1, 0.2, 0.3, 0.4, 0.5, 0.6).reshape(2, 3));
        o.runScenario(v, "add_tensor_on_transposed_view", in -> {
            Tensor x = in[0].mul(1.0);
            x.t().add_(in[1]);
            return x;
        }, in -> {
            var x = in[0].mul(s(1.0));
            x.t().add_(in[1]);
            return x;
        }, f64(1, 2, 3, 4, 5, 6).reshape(2, 3), f64(1, -1, 2, -2, 3, -3).reshape(3, 2));
        o.runScenario(v, "view_sees_base_modified_in_place", in -> {
            Tensor y = in[0].mul(1.0);
            Tensor view = y.view(1, 2);
            y.mul_(in[1]);
            return view;
        }, in -> {
            var y = in[0].mul(s(1.0));
            var view = y.view(1, 2);
            y.mul_(in[1]);
            return view;
        }, f64(1, 1), f64(3, 5));
        o.runScenario(v, "overlapping_expand_add_", in -> {
            Tensor y = in[0].mul(1.0);
            y.expand(3).add_(1.0);
            return y;
        }, in -> {
            var y = in[0].mul(s(1.0));
            y.expand(3).add_(s(1.0));
            return y;
        }, f64(1));
        o.runScenario(v, "overlapping_expand_add_without_grad", in -> {
            Tensor c = Grad4j.ones(new int[]{1}, DType.FLOAT64);
            c.expand(3).add_(1.0);
            return in[0].mul(c);
        }, in -> {
            var c = org.bytedeco.pytorch.global.torch.ones(new long[]{1}, new org.bytedeco.pytorch.TensorOptions(org.bytedeco.pytorch.global.torch.ScalarType.Double));
            c.expand(3).add_(s(1.0));
            return in[0].mul(c);
        }, f64(1, 2, 3));
        o.runScenario(v, "in_place_on_view_of_leaf", in -> {
            in[0].view(3).add_(1.0);
            return in[0];
        }, in -> {
            in[0].view(3).add_(s(1.0));
            return in[0];
        }, f64(1, 2, 3));
        o.runScenario(v, "no_grad_view_modified_in_place", in -> {
            Tensor view;
            try (var ng = Autograd.noGrad()) {
                view = in[0].view(3);
            }
            view.mul_(2.0);
            return in[0].mul(1.0);
        }, in -> {
            org.bytedeco.pytorch.Tensor view;
            try (NoGradGuard g = new NoGradGuard()) {
                view = in[0].view(3);
            }
            view.mul_(s(2.0));
            return in[0].mul(s(1.0));
        }, f64(1, 2, 3));
        o.runScenario(v, "two_in_place_ops_on_overlapping_slices", in -> {
            Tensor x = in[0].mul(1.0);
            x.slice(0, 1, 3).sin_();
            x.slice(0, 0, 2).mul_(3.0);
            return x;
        }, in -> {
            var x = in[0].mul(s(1.0));
            slice(x, 0, 1L, 3L, 1).sin_();
            slice(x, 0, 0L, 2L, 1).mul_(s(3.0));
            return x;
        }, f64(0.5, 1, 1.5));
    }
}
