package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.GradCheck;
import org.grad4j.autograd.GradOptions;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The catalogue of errors a user can hit, as one table: each entry triggers the error, checks
 * its message, and is written to {@code docs/errors.md} with the message and the fix. The test
 * fails when the committed page differs from what this table generates; regenerate it with
 * {@code ./grad4j test -pl core -Dtest=ErrorCatalogTest -Dgrad4j.regenerateDocs=true}.
 */
class ErrorCatalogTest {
    static final Path DOC = Path.of("..", "docs", "errors.md");

    record Entry(String category, String title, String code, Class<? extends Throwable> type, String fragment,
                 String fix, Executable trigger) {}

    /** TorchFiles.load of a test fixture copied to a relative path, so the message (and the page) names just the file. */
    static void loadFixtureAs(String fixture, String name) throws Exception {
        Path p = Path.of(name);
        Files.copy(Path.of(ErrorCatalogTest.class.getResource("io/torch/" + fixture).toURI()), p,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            org.grad4j.io.TorchFiles.load(p);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    static List<Entry> catalogue() {
        List<Entry> c = new ArrayList<>();
        // ---------------------------------------------------------------- shapes
        c.add(new Entry("Shapes", "Shapes that do not broadcast", "ones(2, 3).add(ones(4))",
                IllegalArgumentException.class, "must match the size of tensor b",
                "Make each dimension equal or 1, aligning shapes from the right (reshape/unsqueeze one operand).",
                () -> ones(2, 3).add(ones(4))));
        c.add(new Entry("Shapes", "Matrix product with mismatched inner dimensions", "ones(2, 3).matmul(ones(4, 5))",
                IllegalArgumentException.class, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)",
                "The columns of the first operand must equal the rows of the second; transpose one of them (t()).",
                () -> ones(2, 3).matmul(ones(4, 5))));
        c.add(new Entry("Shapes", "view() on a non-contiguous tensor", "ones(2, 3).t().view(6)",
                IllegalStateException.class, "view size is not compatible",
                "Use reshape(), which copies when it must, or call contiguous() first.",
                () -> ones(2, 3).t().view(6)));
        c.add(new Entry("Shapes", "item() of a tensor with several elements", "ones(2).item()",
                IllegalStateException.class, "a Tensor with 2 elements cannot be converted to Scalar",
                "Reduce or index first: t.sum().item(), t.get(0).item().",
                () -> ones(2).item()));
        c.add(new Entry("Shapes", "cat() of tensors whose other dimensions differ", "cat(new Tensor[]{ones(2, 3), ones(2, 4)}, 0)",
                IllegalArgumentException.class, "Sizes of tensors must match except in dimension 0",
                "All sizes except the concatenated dimension must agree; concatenate along the dimension that differs.",
                () -> cat(new Tensor[]{ones(2, 3), ones(2, 4)}, 0)));
        c.add(new Entry("Shapes", "stack() of tensors of different shapes", "stack(ones(2), ones(3))",
                IllegalArgumentException.class, "stack expects each tensor to be equal size",
                "stack() needs equal shapes; pad or slice the tensors, or use cat() along an existing dimension.",
                () -> stack(ones(2), ones(3))));
        c.add(new Entry("Shapes", "Dimension out of range", "ones(2, 3).sum(2)",
                IndexOutOfBoundsException.class, "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
                "Dimensions count from 0; negative ones count from the end (-1 is the last).",
                () -> ones(2, 3).sum(2)));
        c.add(new Entry("Shapes", "A tensor larger than one Java array", "zeros(100_000, 100_000)",
                IllegalArgumentException.class, "10000000000 elements",
                "A tensor holds at most 2^31-9 elements; split the data into several tensors.",
                () -> zeros(100_000, 100_000)));
        c.add(new Entry("Shapes", "A size that does not fit one Java array (arange, bincount, one_hot, repeat...)",
                "arange(0, 3_000_000_000L, 1)",
                IllegalArgumentException.class, "arange: a range of 3000000000 elements (start 0, end 3000000000, step 1) is too large",
                "The op names the size it was asked for; one tensor holds at most 2^31-9 elements, so ask for less or split the work.",
                () -> arange(0, 3_000_000_000L, 1)));
        c.add(new Entry("Shapes", "arange whose step points away from the end", "arange(0, -5, 1)",
                IllegalArgumentException.class, "upper bound and larger bound inconsistent with step sign",
                "A positive step needs end >= start, a negative step end <= start.",
                () -> arange(0, -5, 1)));
        c.add(new Entry("Shapes", "narrow() past the end of a dimension", "ones(3).narrow(0, 2, 2)",
                IndexOutOfBoundsException.class, "start (2) + length (2) exceeds dimension size (3)",
                "narrow never clips (slice does): keep start + length within the dimension.",
                () -> ones(3).narrow(0, 2, 2)));
        c.add(new Entry("Shapes", "A negative or too large index in gather / scatter / scatter_add / scatter_reduce",
                "ones(3).gather(0, tensor(new long[]{-1}))",
                IndexOutOfBoundsException.class, "index -1 is out of bounds for dimension 0 with size 3",
                "These ops take indices in [0, size) only; negative indices do not count from the end (as in PyTorch).",
                () -> ones(3).gather(0, tensor(new long[]{-1}))));
        c.add(new Entry("Shapes", "A negative or too large index in index_select / index_add / embedding",
                "nn.functional.F.embedding(tensor(new long[]{3}), ones(3, 2))",
                IndexOutOfBoundsException.class, "index out of range in self (index 3 for dimension 0 with size 3)",
                "Indices must lie in [0, size); for an Embedding, num_embeddings must exceed the largest index.",
                () -> org.grad4j.nn.functional.F.embedding(tensor(new long[]{3}), ones(3, 2))));
        c.add(new Entry("Shapes", "take() beyond the number of elements", "ones(3).take(tensor(new long[]{3}))",
                IndexOutOfBoundsException.class, "out of range: tried to access index 3 on a tensor of 3 elements",
                "take indexes the flattened tensor: use indices in [-numel, numel).",
                () -> ones(3).take(tensor(new long[]{3}))));
        c.add(new Entry("Shapes", "Array length and shape disagree", "fromArray(new float[5], 2, 3)",
                IllegalArgumentException.class, "shape [2, 3] needs 6 elements but the array has 5",
                "Pass an array with as many elements as the shape's product.",
                () -> fromArray(new float[5], 2, 3)));
        // ---------------------------------------------------------------- dtypes
        c.add(new Entry("Shapes", "Reflect / replicate / circular padding of an input without batch or channel dims",
                "pad(ones(4), new int[]{1, 1}, \"reflect\", 0.0)",
                IllegalArgumentException.class, "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now",
                "Non-constant modes pad the last pad.length / 2 dims of an [N,] C, spatial... input: add the missing dims, e.g. x.unsqueeze(0).",
                () -> pad(ones(4), new int[]{1, 1}, "reflect", 0.0)));
        c.add(new Entry("Shapes", "Reflect padding as large as the padded dimension", "pad(ones(1, 3), new int[]{3, 0}, \"reflect\", 0.0)",
                IllegalArgumentException.class, "Padding size should be less than the corresponding input dimension",
                "Reflect padding must be smaller than the dimension it pads; pad less, or use \"replicate\" or \"circular\".",
                () -> pad(ones(1, 3), new int[]{3, 0}, "reflect", 0.0)));
        c.add(new Entry("Dtypes", "requiresGrad on an integer tensor", "tensor(new long[]{1, 2}).requiresGrad_()",
                IllegalStateException.class, "only Tensors of floating point and complex dtype can require gradients",
                "Convert first: t.to(DType.FLOAT32).requiresGrad_(), or create the tensor from double values.",
                () -> tensor(new long[]{1, 2}).requiresGrad_()));
        c.add(new Entry("Dtypes", "where() with a non-bool condition", "ones(2).where(ones(2), zeros(2))",
                IllegalArgumentException.class, "where expected condition to be a boolean tensor",
                "Pass a comparison result such as x.gt(0), or cond.toBool().",
                () -> ones(2).where(ones(2), zeros(2))));
        c.add(new Entry("Dtypes", "maskedFill() with a non-bool mask", "ones(2).maskedFill(ones(2), 0.0)",
                IllegalArgumentException.class, "masked_fill only supports boolean masks",
                "Use a comparison result (x.lt(0)) or mask.toBool().",
                () -> ones(2).maskedFill(ones(2), 0.0)));
        c.add(new Entry("Dtypes", "Subtracting bool tensors", "tensor(new boolean[]{true}).sub(tensor(new boolean[]{false}))",
                IllegalArgumentException.class, "Subtraction, the `-` operator, with two bool tensors is not supported",
                "Use logicalXor() for masks, or convert to an integer dtype first.",
                () -> tensor(new boolean[]{true}).sub(tensor(new boolean[]{false}))));
        c.add(new Entry("Dtypes", "Assigning a gradient of another dtype", "x.setGrad(zeros(new int[]{2}, DType.FLOAT64)) // x is float32",
                IllegalArgumentException.class, "assigned grad has data of a different type",
                "Convert the gradient: g.to(x.dtype()).",
                () -> ones(2).setGrad(zeros(new int[]{2}, DType.FLOAT64))));
        // ---------------------------------------------------------------- devices
        c.add(new Entry("Devices", "Moving to a GPU that is not there", "ones(2).to(Device.cuda(0))   // no NVIDIA driver or GPU",
                org.grad4j.cuda.CudaException.class, "no CUDA device is available",
                "Run on a machine with an NVIDIA GPU and its driver, and choose the device with "
                        + "Device.cudaIsAvailable() ? Device.cuda(0) : Device.CPU.",
                () -> ones(2).to(Device.cuda(0))));
        c.add(new Entry("Devices", "Pinning memory without a GPU", "ones(2).pinMemory()   // no NVIDIA driver or GPU",
                IllegalStateException.class, "Cannot access accelerator device when none is available",
                "Pinned memory comes from the CUDA driver: pin only when Device.cudaIsAvailable() (DataLoader's pinMemory(true) "
                        + "checks that itself and warns).",
                () -> ones(2).pinMemory()));
        c.add(new Entry("Devices", "Inputs on two devices", "a.add(b)   // a on cuda:0, b on the CPU",
                IllegalArgumentException.class, "Expected all tensors to be on the same device",
                "Move every input to one device first (x.to(device)); 0-dim CPU tensors may stay as scalars.",
                () -> {   // on the emulated cuda:0 of the tests, which every machine has
                    try (var emu = org.grad4j.cuda.EmulatedCuda.install()) {
                        ones(2).cuda().add(ones(2));
                    }
                }));
        // ---------------------------------------------------------------- distributed
        c.add(new Entry("Distributed", "A rank that never joins a collective (timeout)",
                "groups = ProcessGroup.loopback(2, new ProcessGroup.Options().timeout(Duration.ofMillis(300)));\n"
                        + "groups.get(0).allReduce(zeros(4), ReduceOp.SUM)   // rank 1 never calls allReduce",
                org.grad4j.distributed.DistributedException.class, "timed out waiting for rank 1",
                "Every rank must call the same collectives in the same order; find the rank that stopped (an exception, "
                        + "a branch on rank, a shorter data shard) or raise ProcessGroup.Options.timeout for slow steps.",
                ErrorCatalogTest::collectiveTimeout));
        c.add(new Entry("Distributed", "Ranks calling different collectives",
                "// rank 0: pg.allReduce(zeros(4), ReduceOp.SUM); rank 1: pg.broadcast(zeros(4), 0)",
                org.grad4j.distributed.DistributedException.class, "does not match rank 1's",
                "Every rank must issue the same collectives in the same order with the same sizes and dtypes; "
                        + "look for a branch on rank() or a rank that skipped a step.",
                ErrorCatalogTest::mismatchedCollectives));
        // ---------------------------------------------------------------- graph
        c.add(new Entry("Autograd graph", "backward() of a non-scalar without a gradient", "ones(3).requiresGrad_().mul(2).backward()",
                IllegalStateException.class, "grad can be implicitly created only for scalar outputs",
                "Reduce to one element (loss.sum().backward()) or pass a gradient of the output's shape.",
                () -> ones(3).requiresGrad_().mul(2).backward()));
        c.add(new Entry("Autograd graph", "backward() with a gradient of the wrong shape", "ones(3).requiresGrad_().mul(2).backward(ones(2))",
                IllegalArgumentException.class, "Mismatch in shape: grad_output[0] has a shape of [2] and output[0] has a shape of [3]",
                "The gradient passed to backward must have the output's shape.",
                () -> ones(3).requiresGrad_().mul(2).backward(ones(2))));
        c.add(new Entry("Autograd graph", "Backward through a freed graph", "y = x.mul(x).sum(); y.backward(); y.backward()",
                IllegalStateException.class, "Trying to backward through the graph a second time",
                "Pass retainGraph=true to the first backward if you need a second one, or recompute the forward.",
                () -> { Tensor x = ones(3).requiresGrad_(); Tensor y = x.mul(x).sum(); y.backward(); y.backward(); }));
        c.add(new Entry("Autograd graph", "backward() of a tensor that does not require grad", "ones(1).sum().backward()",
                IllegalStateException.class, "element 0 of tensors does not require grad and does not have a grad_fn",
                "Do not set requiresGrad on the loss; make the parameters require grad and compute the loss outside "
                        + "noGrad() and without detach()/data()/item().",
                () -> ones(1).sum().backward()));
        c.add(new Entry("Autograd graph", "Autograd.grad() for an input the output does not use",
                "Autograd.grad(new Tensor[]{x.mul(2).sum()}, new Tensor[]{unused}, GradOptions.defaults())",
                IllegalArgumentException.class, "One of the differentiated Tensors appears to not have been used in the graph",
                "Pass allowUnused(true) to get null (or zeros with materializeGrads) for it.",
                () -> Autograd.grad(new Tensor[]{ones(1).requiresGrad_().mul(2).sum()}, new Tensor[]{ones(1).requiresGrad_()},
                        GradOptions.defaults())));
        c.add(new Entry("Autograd graph", "Autograd.grad() for an input that does not require grad",
                "Autograd.grad(new Tensor[]{y}, new Tensor[]{ones(1)}, GradOptions.defaults())",
                IllegalArgumentException.class, "One of the differentiated Tensors does not require grad",
                "Call requiresGrad_() on the input before computing the outputs.",
                () -> Autograd.grad(new Tensor[]{ones(1).requiresGrad_().sum()}, new Tensor[]{ones(1)}, GradOptions.defaults())));
        c.add(new Entry("Autograd graph", "Turning off requiresGrad on a non-leaf", "x.mul(2).requiresGrad_(false)",
                IllegalStateException.class, "you can only change requires_grad flags of leaf variables",
                "Use y.detach() to get a tensor that does not require grad.",
                () -> ones(1).requiresGrad_().mul(2).requiresGrad_(false)));
        c.add(new Entry("Autograd graph", "retainGrad() on a tensor that does not require grad", "ones(1).retainGrad()",
                IllegalStateException.class, "can't retain_grad on Tensor that has requires_grad=False",
                "Only tensors computed from tensors that require grad have a gradient to retain.",
                () -> ones(1).retainGrad()));
        c.add(new Entry("Autograd graph", "A hook on a tensor that does not require grad", "ones(1).registerHook(g -> g)",
                IllegalStateException.class, "cannot register a hook on a tensor that doesn't require gradient",
                "Register hooks on tensors that require grad.",
                () -> ones(1).registerHook(g -> g)));
        c.add(new Entry("Autograd graph", "A hook that changes the gradient's shape", "x.registerHook(g -> g.sum())",
                IllegalStateException.class, "hook 'hook' has changed the size of value",
                "A hook may return a new gradient only of the same shape and dtype (or null to keep it).",
                () -> { Tensor x = ones(2).requiresGrad_(); x.registerHook(g -> g.sum()); x.sum().backward(); }));
        c.add(new Entry("Autograd graph", "A custom Function whose backward returns the wrong number of gradients",
                "backward(ctx, g) returns 3 gradients for 2 inputs",
                IllegalStateException.class, "returned an incorrect number of gradients (expected 2, got 3)",
                "Return exactly one gradient per forward input, null for inputs without one.",
                () -> {
                    org.grad4j.autograd.Function f = new org.grad4j.autograd.Function() {
                        @Override
                        protected Tensor forward(org.grad4j.autograd.FunctionCtx ctx, Tensor... in) { return in[0].add(in[1]); }

                        @Override
                        protected Tensor[] backward(org.grad4j.autograd.FunctionCtx ctx, Tensor... g) {
                            return new Tensor[]{g[0], g[0], g[0]};
                        }

                        @Override
                        protected String nodeName() { return "MyAddBackward"; }
                    };
                    f.apply(ones(2).requiresGrad_(), ones(2).requiresGrad_()).sum().backward();
                }));
        // ---------------------------------------------------------------- in-place
        c.add(new Entry("In-place operations", "In-place op on a leaf that requires grad", "w.add_(1.0) // w requires grad",
                IllegalStateException.class, "a leaf Variable that requires grad is being used in an in-place operation",
                "Update parameters inside try (var g = Autograd.noGrad()) { ... }, or use the out-of-place op.",
                () -> ones(2).requiresGrad_().add_(1.0)));
        c.add(new Entry("In-place operations", "In-place change of a value backward needs", "z = y.exp(); z.mul_(2.0); z.sum().backward()",
                IllegalStateException.class, "one of the variables needed for gradient computation has been modified by an inplace operation",
                "Use the out-of-place op (z = z.mul(2.0)) or clone() before changing it.",
                () -> { Tensor z = ones(3).requiresGrad_().mul(2).exp(); z.mul_(2.0); z.sum().backward(); }));
        c.add(new Entry("In-place operations", "detach_() on a view", "x.mul(1.0).t().detach_()",
                IllegalStateException.class, "Can't detach views in-place",
                "Use detach(), which returns a new tensor.",
                () -> ones(2, 2).requiresGrad_().mul(1.0).t().detach_()));
        c.add(new Entry("In-place operations", "In-place op on a view of a leaf that requires grad",
                "w.slice(0, 0, 1).mul_(2.0) // w requires grad",
                IllegalStateException.class, "a view of a leaf Variable that requires grad is being used in an in-place operation.",
                "Modify the leaf under try (var g = Autograd.noGrad()) { ... }, or modify a clone().",
                () -> ones(3).requiresGrad_().slice(0, 0, 1).mul_(2.0)));
        c.add(new Entry("In-place operations", "In-place op on a view made under noGrad()",
                "try (var g = Autograd.noGrad()) { v = y.view(2); } v.mul_(2.0)",
                IllegalStateException.class, "A view was created in no_grad mode and is being modified inplace with grad mode enabled.",
                "Create the view and modify it both inside the noGrad block, or both outside it.",
                () -> {
                    Tensor y = ones(2).requiresGrad_().mul(1.0), v;
                    try (var g = Autograd.noGrad()) { v = y.view(2); }
                    v.mul_(2.0);
                }));
        c.add(new Entry("In-place operations", "In-place op on an output of unbind/split/chunk", "y.unbind(0).get(0).mul_(2.0)",
                IllegalStateException.class, "Output 0 of UnbindBackward0 is a view and is being modified inplace. This view is the "
                + "output of a function that returns multiple views.",
                "Use the out-of-place op, or clone() the piece before changing it.",
                () -> ones(2, 2).requiresGrad_().mul(1.0).unbind(0).get(0).mul_(2.0)));
        c.add(new Entry("In-place operations", "In-place op on an expanded tensor", "ones(1).expand(3).add_(1.0)",
                IllegalStateException.class, "unsupported operation: more than one element of the written-to tensor refers to a "
                + "single memory location. Please clone() the tensor before performing the operation.",
                "Several elements share one memory location: clone() first (or expand after the in-place op).",
                () -> ones(1).expand(3).add_(1.0)));
        c.add(new Entry("In-place operations", "In-place op reading a partly overlapping part of itself",
                "x.slice(0, 1, 4).add_(x.slice(0, 0, 3))",
                IllegalStateException.class, "unsupported operation: some elements of the input tensor and the written-to tensor "
                + "refer to a single memory location.",
                "Pass a clone() of the input, e.g. x.slice(0, 1, 4).add_(x.slice(0, 0, 3).clone()).",
                () -> { Tensor x = ones(4); x.slice(0, 1, 4).add_(x.slice(0, 0, 3)); }));
        // ---------------------------------------------------------------- layers and losses
        c.add(new Entry("Layers and losses", "Convolution input with the wrong number of channels",
                "new Conv2d(3, 6, 5).forward(ones(1, 1, 28, 28))",
                IllegalArgumentException.class, "expected input[1, 1, 28, 28] to have 3 channels, but got 1 channels instead",
                "Give the layer in_channels equal to the input's dimension 1 (NCHW layout), or convert the input.",
                () -> new org.grad4j.nn.Conv2d(3, 6, 5).forward(ones(1, 1, 28, 28))));
        c.add(new Entry("Layers and losses", "Linear layer input with the wrong number of features",
                "new Linear(10, 2).forward(ones(4, 9))",
                IllegalArgumentException.class, "the input's last dim must equal in_features=10",
                "Flatten or reshape the input so that its last dimension is in_features.",
                () -> new org.grad4j.nn.Linear(10, 2).forward(ones(4, 9))));
        c.add(new Entry("Layers and losses", "cross_entropy with float class labels",
                "F.crossEntropy(logits, ones(4))",
                IllegalArgumentException.class, "expected target of dtype int64 (class indices)",
                "Class indices are int64: target.toLong(); or pass class probabilities of the logits' shape.",
                () -> org.grad4j.nn.functional.F.crossEntropy(ones(4, 3), ones(4))));
        c.add(new Entry("Layers and losses", "A class label out of range",
                "F.crossEntropy(ones(4, 3), tensor(new long[]{0, 1, 2, 3}))",
                IndexOutOfBoundsException.class, "Target 3 is out of bounds",
                "Labels run from 0 to classes-1; check the label encoding and the size of the last layer.",
                () -> org.grad4j.nn.functional.F.crossEntropy(ones(4, 3), tensor(new long[]{0, 1, 2, 3}))));
        c.add(new Entry("Layers and losses", "Pooling window larger than the input",
                "F.maxPool2d(ones(1, 1, 1, 1), 2)",
                IllegalArgumentException.class, "Output size is too small",
                "Use a smaller kernel, padding, or a larger input (check the shapes after each layer).",
                () -> org.grad4j.nn.functional.F.maxPool2d(ones(1, 1, 1, 1), 2)));
        c.add(new Entry("Layers and losses", "Loading a state dict with missing or unexpected keys",
                "model.loadStateDict(stateDictWithoutBiasAndWithFoo)",
                IllegalArgumentException.class, "Missing key(s) in state_dict: \"bias\"",
                "Load the matching model's state dict, rename the keys, or pass strict=false to load what matches.",
                () -> {
                    var m = new org.grad4j.nn.Linear(2, 2);
                    var sd = new java.util.LinkedHashMap<>(m.stateDict());
                    sd.remove("bias");
                    sd.put("foo", ones(1));
                    m.loadStateDict(sd);
                }));
        c.add(new Entry("Layers and losses", "Loading a state dict with a tensor of another shape",
                "model.loadStateDict(Map.of(\"weight\", ones(3, 2), ...))   // model weight is [2, 2]",
                IllegalArgumentException.class, "size mismatch for weight",
                "The checkpoint was saved from a differently sized model; build the model with the same sizes.",
                () -> {
                    var m = new org.grad4j.nn.Linear(2, 2);
                    var sd = new java.util.LinkedHashMap<>(m.stateDict());
                    sd.put("weight", ones(3, 2));
                    m.loadStateDict(sd);
                }));
        c.add(new Entry("Layers and losses", "Loading a state dict with a null value",
                "sd.put(\"weight\", null); model.loadStateDict(sd)",
                IllegalArgumentException.class, "expected torch.Tensor or Tensor-like object from checkpoint but received null",
                "A null is a broken checkpoint, not a missing key (the old weights would silently stay): give a tensor, or "
                        + "leave the key out and load with strict=false.",
                () -> {
                    var m = new org.grad4j.nn.Linear(2, 2);
                    var sd = new java.util.HashMap<>(m.stateDict());
                    sd.put("weight", null);
                    m.loadStateDict(sd);
                }));
        c.add(new Entry("Layers and losses", "An optimizer given no parameters", "new SGD(model.parameters(), 0.1)   // the model registered nothing",
                IllegalArgumentException.class, "optimizer got an empty parameter list",
                "Give the layers to the model as fields (final Linear fc = new Linear(4, 1);) or register them; plain tensors need "
                        + "Parameter.of(t) to become parameters.",
                () -> new org.grad4j.optim.SGD(new org.grad4j.nn.Module() {}.parameters(), 0.1)));
        c.add(new Entry("Layers and losses", "An optimizer option of the wrong type in a parameter group",
                "opt.paramGroups().get(0).set(\"betas\", 0.9)   // Adam's betas is a pair",
                IllegalArgumentException.class, "Adam: option \"betas\" of parameter group 0 must be a pair of numbers (double[2])",
                "Set a value of the option's type, by PyTorch name or with the optimizer's typed key: "
                        + "g.set(Adam.BETAS, new double[]{0.9, 0.999}); read it back with g.get(Adam.BETAS).",
                () -> new org.grad4j.optim.Adam(java.util.List.of(org.grad4j.Grad4j.ones(1).requiresGrad_()), 0.01)
                        .paramGroups().get(0).set("betas", 0.9)));
        c.add(new Entry("Layers and losses", "Registering another module under the name of a final field",
                "registerModule(\"fc\", new Linear(3, 3))   // final Linear fc = new Linear(2, 2);",
                IllegalArgumentException.class, "the final field 'fc' holds another Linear",
                "Assign the field instead (make it non-final), or register the new module under another name.",
                () -> {
                    class Net extends org.grad4j.nn.Module {
                        final org.grad4j.nn.Linear fc = new org.grad4j.nn.Linear(2, 2);
                    }
                    new Net().registerModule("fc", new org.grad4j.nn.Linear(3, 3));
                }));
        // ---------------------------------------------------------------- data and model files
        c.add(new Entry("Data and model files", "A truncated safetensors file", "SafeTensors.deserialize(firstTenBytesOfAFile)",
                org.grad4j.io.SafeTensorsFormatException.class, "runs past the end of the file",
                "The file is incomplete (interrupted copy or download) or not a safetensors file; get it again. "
                        + "grad4j writes model files atomically, so its own saves are never torn.",
                () -> org.grad4j.io.SafeTensors.deserialize(new byte[]{8, 0, 0, 0, 0, 0, 0, 0, '{', '}'})));
        c.add(new Entry("Data and model files", "A safetensors header of absurd size", "SafeTensors.deserialize(forgedBytes)",
                org.grad4j.io.SafeTensorsFormatException.class, "exceeds the limit of 100000000 bytes",
                "Not a safetensors file, or a malicious one: nothing is allocated from the forged length.",
                () -> org.grad4j.io.SafeTensors.deserialize(new byte[]{-1, -1, -1, -1, 0, 0, 0, 0, '{', '}'})));
        c.add(new Entry("Data and model files", "A crafted safetensors header: too many tensors or dimensions",
                "SafeTensors.deserialize(headerWithA129DimensionalShape)",
                org.grad4j.io.SafeTensorsFormatException.class, "more than 128 dimensions",
                "grad4j reads at most 262144 (2^18) tensors, 65536 metadata entries and 128 dimensions per shape (PyTorch's "
                        + "limit), and parses a header without building a JSON tree: reading one costs about twice its size plus "
                        + "~1 KB per tensor, so the largest header (100 MB) needs well under 1 GB. SafeTensors.save refuses to write "
                        + "more; split larger checkpoints into shards.",
                () -> org.grad4j.io.SafeTensors.deserialize(header("{\"a\":{\"dtype\":\"U8\",\"shape\":["
                        + "1,".repeat(128) + "1],\"data_offsets\":[0,1]}}", 1))));
        c.add(new Entry("Data and model files", "Saving a tensor name UTF-8 cannot encode",
                "SafeTensors.save(Map.of(\"w\\uD800\", w), file)   // an unpaired surrogate",
                IllegalArgumentException.class, "unpaired UTF-16 surrogate",
                "Names and metadata must be valid Unicode: an unpaired surrogate would be written as '?', so two names "
                        + "could collide and the file could not be read back. Fix the string (often a substring cut through a "
                        + "surrogate pair).",
                () -> org.grad4j.io.SafeTensors.serialize(java.util.Map.of("w\uD800", ones(1)), java.util.Map.of())));
        c.add(new Entry("Data and model files", "Saving into a directory that does not exist",
                "SafeTensors.save(tensors, Path.of(\"/no-such-dir/model.safetensors\"))",
                java.nio.file.NoSuchFileException.class, "/no-such-dir/model.safetensors",
                "Create the directory first (Files.createDirectories). Saves write a temporary file next to the target and "
                        + "rename it over the target (atomic, keeping an existing file's mode and following symlinks); errors "
                        + "name the target, never the temporary file.",
                () -> org.grad4j.io.SafeTensors.save(java.util.Map.of("w", ones(1)), Path.of("/no-such-dir/model.safetensors"))));
        c.add(new Entry("Data and model files", "An optimizer checkpoint with a malformed option",
                "opt.loadStateDict(Checkpoints.load(file).optimizer())   // \"lr\": \"fast\" in the file",
                IllegalArgumentException.class, "option \"lr\" of parameter group 0 must be a number, got \"fast\" (a string)",
                "Every option and state entry is checked at loadStateDict (type, length, range, null, tensor shape), never "
                        + "later at step(). Load the checkpoint into the optimizer class that saved it, or correct the value. "
                        + "Non-finite values are fine: checkpoints store them as the strings \"NaN\", \"Infinity\", \"-Infinity\".",
                () -> {
                    var p = ones(2).requiresGrad_();
                    var opt = new org.grad4j.optim.Adam(java.util.List.of(p), 0.01);
                    var sd = opt.stateDict();
                    var g = new java.util.LinkedHashMap<>(sd.paramGroups().get(0));
                    g.put("lr", "fast");
                    opt.loadStateDict(new org.grad4j.optim.OptimizerStateDict(sd.state(), java.util.List.of(g)));
                }));
        c.add(new Entry("Data and model files", "A PyTorch .pt file given to SafeTensors", "SafeTensors.load(Path.of(\"model.pt\"))",
                org.grad4j.io.SafeTensorsFormatException.class, "most likely a PyTorch torch.save file",
                "Read it with TorchFiles.load(path) (a state dict) or TorchFiles.read(path) (anything else).",
                () -> org.grad4j.io.SafeTensors.deserialize(new byte[]{'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0})));
        c.add(new Entry("Data and model files", "A torch.save file that would run code", "TorchFiles.load(Path.of(\"evil.pt\"))",
                org.grad4j.io.TorchFilesFormatException.class, "Unsupported global: GLOBAL posix.system was not an allowed global",
                "Nothing was run. Save the state dict in Python (torch.save(model.state_dict(), path)), not the model, "
                        + "or convert the file with safetensors.torch.save_file.",
                () -> loadFixtureAs("evil_os_system.pt", "evil.pt")));
        c.add(new Entry("Data and model files", "A training checkpoint given to TorchFiles.load", "TorchFiles.load(Path.of(\"checkpoint.pt\"))",
                org.grad4j.io.TorchFilesFormatException.class, "a checkpoint rather than a state dict",
                "Read the whole file with TorchFiles.read(path) and take the model's entry: TorchFiles.stateDict(ckpt.get(\"model_state_dict\")).",
                () -> loadFixtureAs("checkpoint.pt", "checkpoint.pt")));
        c.add(new Entry("Data and model files", "A file that is not in IDX format", "Idx.read(someOtherFile)",
                org.grad4j.data.Idx.IdxFormatException.class, "not an IDX file",
                "Point MNIST at the four IDX files (train/t10k images and labels, gzip or not).",
                () -> org.grad4j.data.Idx.read(new java.io.ByteArrayInputStream(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}), 8, "digits.idx")));
        c.add(new Entry("Data and model files", "A DataLoader batch size of zero", "DataLoader.builder(dataset).batchSize(0)",
                IllegalArgumentException.class, "batch_size should be a positive integer value",
                "Use a batch size of 1 or more.",
                () -> org.grad4j.data.DataLoader.builder(new org.grad4j.data.TensorDataset(ones(3))).batchSize(0)));
        c.add(new Entry("Data and model files", "Restoring an RNG state that is not one", "Grad4j.setRngState(zeros(5056))",
                IllegalArgumentException.class, "RNG state must be a torch.ByteTensor",
                "Pass the uint8 tensor that getRngState() / Generator.getState() returned (5056 bytes, PyTorch's layout), "
                        + "unconverted; Checkpoints.rngStates / restoreRngStates store and restore them.",
                () -> Grad4j.setRngState(zeros(5056))));
        // ---------------------------------------------------------------- numerics and checks
        c.add(new Entry("Numerics", "NaN/Inf check mode: an op produced a non-finite value",
                "try (var c = Autograd.detectNonFinite()) { x.log(); }   // x holds a 0",
                ArithmeticException.class, "op log (LogBackward0) produced -inf",
                "Look at the op's inputs (log of 0, division by 0, exp overflow...): clamp them or add an epsilon.",
                () -> { try (var ck = Autograd.detectNonFinite()) { tensor(new double[]{0, 1}).requiresGrad_().log(); } }));
        c.add(new Entry("Numerics", "gradcheck finds a wrong gradient", "GradCheck.gradcheck(fn, x)",
                GradCheck.GradcheckError.class, "Jacobian mismatch for output 0 with respect to input 0",
                "The report names the worst element with both values; fix the backward formula of the op involved.",
                () -> GradCheck.gradcheck(in -> in[0].mul(in[0].detach()), tensor(new double[]{1, 2}, DType.FLOAT64).requiresGrad_())));
        return c;
    }

    /** Rank 0 of a two-rank loopback group calls allReduce alone and times out. */
    static void collectiveTimeout() {
        var groups = org.grad4j.distributed.ProcessGroup.loopback(2,
                new org.grad4j.distributed.ProcessGroup.Options().timeout(java.time.Duration.ofMillis(300)));
        try {
            groups.get(0).allReduce(zeros(4), org.grad4j.distributed.ReduceOp.SUM);
        } finally {
            groups.forEach(org.grad4j.distributed.ProcessGroup::close);
        }
    }

    /** Rank 0 calls allReduce while rank 1 (in its own thread, as another process would) calls broadcast. */
    static void mismatchedCollectives() throws Exception {
        var groups = org.grad4j.distributed.ProcessGroup.loopback(2,
                new org.grad4j.distributed.ProcessGroup.Options().timeout(java.time.Duration.ofSeconds(20)));
        Thread rank1 = new Thread(() -> {
            try {
                groups.get(1).broadcast(zeros(4), 0);
            } catch (RuntimeException expected) {
                // rank 1 sees the mismatch too; the page shows rank 0's message
            }
        });
        rank1.start();
        try {
            groups.get(0).allReduce(zeros(4), org.grad4j.distributed.ReduceOp.SUM);
        } finally {
            rank1.join();
            groups.forEach(org.grad4j.distributed.ProcessGroup::close);
        }
    }

    /** A safetensors file of a JSON header and {@code dataBytes} zero bytes. */
    static byte[] header(String json, int dataBytes) {
        byte[] h = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var b = java.nio.ByteBuffer.allocate(8 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    @TestFactory
    List<DynamicTest> everyCatalogueEntryThrowsItsDocumentedMessage() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Entry e : catalogue()) {
            tests.add(DynamicTest.dynamicTest(e.category() + ": " + e.title(), () -> {
                Throwable t = assertThrows(e.type(), e.trigger());
                assertTrue(t.getMessage().contains(e.fragment()), () -> "message: " + t.getMessage());
            }));
        }
        return tests;
    }

    /** The page, with call sites (file:line) masked so that editing this file does not change it. */
    static String generate() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Errors you can hit, and their fixes\n\n");
        sb.append("Generated from `core/src/test/java/org/grad4j/ErrorCatalogTest.java`, which triggers every error below ")
                .append("and checks its message; do not edit by hand (regenerate with ")
                .append("`./grad4j test -pl core -Dtest=ErrorCatalogTest -Dgrad4j.regenerateDocs=true`).\n");
        String category = null;
        for (Entry e : catalogue()) {
            if (!e.category().equals(category)) {
                category = e.category();
                sb.append("\n## ").append(category).append("\n");
            }
            Throwable t;
            try {
                e.trigger().execute();
                throw new AssertionError("no error from " + e.title());
            } catch (Throwable thrown) {
                t = thrown;
            }
            String msg = t.getMessage().replaceAll("\\([A-Za-z0-9_$]+\\.java:\\d+\\)", "(...)")
                    .replaceAll("lambda\\$[A-Za-z0-9_$]+", "lambda");
            sb.append("\n### ").append(e.title()).append("\n\n");
            sb.append("```java\n").append(e.code()).append("\n```\n\n");
            sb.append("`").append(t.getClass().getName()).append("`:\n\n");
            sb.append("> ").append(msg.replace("\n", "\n> ")).append("\n\n");
            sb.append("**Fix:** ").append(e.fix()).append("\n");
        }
        return sb.toString();
    }

    @Test
    void docsPageMatchesTheCatalogue() throws IOException {
        String expected = generate();
        if (Boolean.getBoolean("grad4j.regenerateDocs")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, expected);
        }
        assertTrue(Files.exists(DOC), "docs/errors.md is missing; regenerate it (see the class comment)");
        assertEquals(expected, Files.readString(DOC), "docs/errors.md is out of date; regenerate it (see the class comment)");
    }
}
