package org.grad4j.cuda;

import org.grad4j.storage.CudaStorage;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A CPU kernel family run for CUDA tensors: before each call every device storage among the arguments (a
 * {@code Storage}, or the storage of a {@code Strided}) is copied whole to a heap mirror, the CPU kernel runs
 * on the mirrors (its array fast paths, never one device copy per element), and every mirror is copied
 * back afterwards, since a family's signature does not say which storages it writes. Two copies per
 * device storage per call: correct and simple, until device kernels replace the family.
 */
final class HostStaged {
    private HostStaged() {}

    /** {@code cpu} seen through {@code family}, with device storages staged through the host around each call. */
    @SuppressWarnings("unchecked")
    static <T> T wrap(Class<T> family, T cpu) {
        return (T) Proxy.newProxyInstance(family.getClassLoader(), new Class<?>[]{family}, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "toString" -> "HostStaged(" + cpu + ")";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> m.invoke(cpu, args);
                };
            }
            Map<CudaStorage, HeapStorage> mirrors = null;
            Object[] a = args;
            if (args != null) {
                for (int i = 0; i < args.length; i++) {
                    Object o = args[i];
                    if (o instanceof CudaStorage c) {
                        if (mirrors == null) mirrors = new IdentityHashMap<>();
                        if (a == args) a = args.clone();
                        a[i] = mirror(mirrors, c);
                    } else if (o instanceof Strided s && s.storage() instanceof CudaStorage c) {
                        if (mirrors == null) mirrors = new IdentityHashMap<>();
                        if (a == args) a = args.clone();
                        a[i] = new Strided(mirror(mirrors, c), s.shape(), s.strides(), s.offset());
                    }
                }
            }
            Object result;
            try {
                result = m.invoke(cpu, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (mirrors != null) {
                for (Map.Entry<CudaStorage, HeapStorage> e : mirrors.entrySet()) {
                    e.getKey().copyFrom(0, e.getValue().array(), 0, e.getKey().size());
                }
            }
            return result;
        });
    }

    private static HeapStorage mirror(Map<CudaStorage, HeapStorage> mirrors, CudaStorage c) {
        return mirrors.computeIfAbsent(c, Storage::copyToHeap);
    }
}
