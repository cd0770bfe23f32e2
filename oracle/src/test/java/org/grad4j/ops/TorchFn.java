package org.grad4j.ops;

import org.bytedeco.pytorch.Tensor;

/** A row's libtorch spelling: the same computation as the row's grad4j function, on libtorch tensors. */
@FunctionalInterface
interface TorchFn {
    Tensor apply(Tensor... in);
}
