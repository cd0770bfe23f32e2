package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.GradOptions;
import org.junit.jupiter.api.Test;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every error says what went wrong, where, and how to fix it. */
class ErrorMessagesTest {

    private static void assertContains(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }

    @Test
    void broadcastMismatchNamesBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ones(2, 3).add(ones(4)));
        assertContains(e, "add", "[2, 3]", "[4]", "must match", "Fix");
    }

    @Test
    void matmulInnerDimensions() {
        var e = assertThrows(IllegalArgumentException.class, () -> ones(2, 3).matmul(ones(4, 5)));
        assertContains(e, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", "Fix");
        var e2 = assertThrows(IllegalArgumentException.class, () -> ones(2, 2, 3).matmul(ones(2, 4, 5)));
        assertContains(e2, "[2, 2, 3]", "[2, 4, 5]");
    }

    @Test
    void backwardOfNonScalarWithoutGradient() {
        Tensor x = ones(3).requiresGrad_();
        var e = assertThrows(IllegalStateException.class, () -> x.mul(2).backward());
        assertContains(e, "grad can be implicitly created only for scalar outputs", "sum().backward()");
    }

    @Test
    void gradientOfWrongShape() {
        Tensor x = ones(3).requiresGrad_();
        var e = assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward(ones(2)));
        assertContains(e, "Mismatch in shape: grad_output[0] has a shape of [2] and output[0] has a shape of [3]");
    }

    @Test
    void secondBackward() {
        Tensor x = ones(3).requiresGrad_();
        Tensor y = x.mul(x).sum();
        y.backward();
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertContains(e, "Trying to backward through the graph a second time", "retain_graph=True");
    }

    @Test
    void requiresGradOnIntegerTensor() {
        var e = assertThrows(IllegalStateException.class, () -> tensor(new long[]{1, 2}).requiresGrad_());
        assertContains(e, "only Tensors of floating point and complex dtype can require gradients", "torch.int64", "Fix");
    }

    @Test
    void inPlaceOnLeafThatRequiresGrad() {
        Tensor w = ones(2).requiresGrad_();
        var e = assertThrows(IllegalStateException.class, () -> w.add_(1.0));
        assertContains(e, "a leaf Variable that requires grad is being used in an in-place operation", "noGrad");
        try (var g = Autograd.noGrad()) {
            w.add_(1.0);
        }
        assertEquals(2.0, w.getDouble(0));
    }

    @Test
    void inPlaceOnSavedTensor() {
        Tensor x = ones(3).requiresGrad_();
        Tensor y = x.mul(2);
        Tensor z = y.exp();
        z.mul_(2.0);   // exp saved its output z
        var e = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        assertContains(e, "one of the variables needed for gradient computation has been modified by an inplace operation",
                "[torch.FloatTensor [3]], which is output 0 of", "is at version 1; expected version 0 instead", "Hint");
    }

    @Test
    void unusedInputWithoutAllowUnused() {
        Tensor x = ones(1).requiresGrad_(), u = ones(1).requiresGrad_();
        var e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(new Tensor[]{x.mul(2).sum()}, new Tensor[]{u}, GradOptions.defaults()));
        assertContains(e, "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True");
    }

    @Test
    void backwardOfTensorThatDoesNotRequireGrad() {
        var e = assertThrows(IllegalStateException.class, () -> ones(1).sum().backward());
        assertContains(e, "element 0 of tensors does not require grad and does not have a grad_fn",
                "do not set requiresGrad on the loss", "noGrad");
    }

    @Test
    void viewOfIncompatibleStrides() {
        var e = assertThrows(IllegalStateException.class, () -> ones(2, 3).t().view(6));
        assertContains(e, "view size is not compatible", "Use .reshape(...) instead");
        assertArrayEquals(new int[]{6}, ones(2, 3).t().reshape(6).shape());
    }

    @Test
    void itemOfManyElements() {
        var e = assertThrows(IllegalStateException.class, () -> ones(2).item());
        assertContains(e, "a Tensor with 2 elements cannot be converted to Scalar");
    }

    @Test
    void tooLargeTensorFailsClearly() {
        var e = assertThrows(IllegalArgumentException.class, () -> zeros(100_000, 100_000));
        assertContains(e, "[100000, 100000]", "10000000000 elements", "one Java array");
    }
}
