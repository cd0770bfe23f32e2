package org.grad4j.internal;

import org.grad4j.kernels.Backend;

import java.util.function.IntFunction;

/**
 * The door from {@code Tensor} to {@code org.grad4j.cuda.CudaBackend} (package-private there): a CUDA
 * tensor's ops dispatch to the backend of its device. {@code org.grad4j.cuda.Cuda} installs the factory
 * when its class initializes, which loads no driver. One backend per device index, made on first use.
 */
public final class CudaBackends {
    private static volatile IntFunction<Backend> factory;
    private static volatile Backend[] made = new Backend[0];

    private CudaBackends() {}

    /** Called once, by {@code org.grad4j.cuda.Cuda}'s static initializer. */
    public static void install(IntFunction<Backend> f) {
        if (factory != null) throw new IllegalStateException("CudaBackends is installed by org.grad4j.cuda.Cuda only");
        factory = f;
    }

    /** The backend of CUDA device {@code index} (the same object on every call). */
    public static Backend of(int index) {
        Backend[] all = made;
        if (index < all.length && all[index] != null) return all[index];
        return make(index);
    }

    private static synchronized Backend make(int index) {
        if (factory == null) {
            try {
                Class.forName("org.grad4j.cuda.Cuda", true, CudaBackends.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        Backend[] all = made;
        if (index >= all.length) all = java.util.Arrays.copyOf(all, index + 1);
        if (all[index] == null) all[index] = factory.apply(index);
        made = all;
        return all[index];
    }
}
