/**
 * grad4j's core: tensors, autograd, nn, optimizers, data loading, files and distributed training.
 *
 * <p>The module exports the API packages only. {@code org.grad4j.internal} (grad4j's own glue between
 * its packages) and {@code org.grad4j.kernels} (the numeric loops behind the backend seam) are not
 * exported: on the module path they cannot be imported; on the class path, where most projects run,
 * nothing changes. {@code org.grad4j.storage} is exported: the sealed {@code Storage} (heap or
 * off-heap) is what {@code Tensor.storage()} returns and {@code Grad4j.fromStorage} takes.
 *
 * <pre>{@code
 * module com.example.app {
 *     requires grad4j.core;
 *     opens com.example.models;   // grad4j registers the fields of your nn.Module subclasses
 * }
 * }</pre>
 *
 *
 * The Vector API is optional ({@code requires static}): start java with
 * {@code --add-modules jdk.incubator.vector} for the SIMD kernels; without it grad4j warns once and runs
 * plain Java loops.
 */
module grad4j.core {
    requires static jdk.incubator.vector;

    exports org.grad4j;
    exports org.grad4j.autograd;
    exports org.grad4j.cuda;
    exports org.grad4j.data;
    exports org.grad4j.distributed;
    exports org.grad4j.io;
    exports org.grad4j.nn;
    exports org.grad4j.nn.functional;
    exports org.grad4j.nn.init;
    exports org.grad4j.nn.utils;
    exports org.grad4j.optim;
    exports org.grad4j.optim.lr;
    exports org.grad4j.storage;
}
