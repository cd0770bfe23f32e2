package org.grad4j.cuda;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link DeviceRuntime} without a GPU for the families' decision tests: storages registered with
 * {@link #put} count as "on the device" at made-up addresses, launches and cuBLAS calls are recorded,
 * scratch gets addresses of its own. {@link #host} makes a fallback family that records the methods called.
 */
final class FakeRuntime implements DeviceRuntime {
    final List<KernelLaunch> launches = new ArrayList<>();
    final List<String> cublasCalls = new ArrayList<>();
    final List<Long> scratchSizes = new ArrayList<>();
    final List<String> hostCalls = new ArrayList<>();
    final Map<Storage, Long> addresses = new IdentityHashMap<>();
    boolean cublas;
    long errorValue = KernelCatalog.NO_ERROR;
    double[] readBack = new double[0];
    private long next = 0x7f00_0000_0000L;

    /** Registers s as a storage of this device and returns its address. */
    long put(Storage s) {
        long p = next;
        next += 1 << 24;
        addresses.put(s, p);
        return p;
    }

    @Override public int device() { return 0; }

    @Override public long address(Storage s) { return addresses.getOrDefault(s, -1L); }

    @Override public void launch(KernelLaunch l) { if (!l.isEmpty()) launches.add(l); }

    @Override
    public Scratch scratch(long bytes) {
        scratchSizes.add(bytes);
        long p = next;
        next += 1 << 24;
        return new Scratch() {
            @Override public long pointer() { return p; }
            @Override public void close() {}
        };
    }

    @Override public void writeLongs(long pointer, long... values) {}

    @Override public void writeFloats(long pointer, float... values) {}

    @Override public long[] readLongs(long pointer, int n) { return new long[]{errorValue}; }

    @Override public double[] readDoubles(long pointer, int n, DType t) { return java.util.Arrays.copyOf(readBack, n); }

    @Override public boolean cublas() { return cublas; }

    @Override
    public void cublasGemm(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
                           long strideB, long c, int ldc, long strideC, int batch, DType t) {
        cublasCalls.add((transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " lda=" + lda
                + " ldb=" + ldb + " ldc=" + ldc + " sA=" + strideA + " sB=" + strideB + " sC=" + strideC + " batch=" + batch
                + " a=" + Long.toHexString(a) + " b=" + Long.toHexString(b) + " c=" + Long.toHexString(c));
    }

    /** A family of interface {@code type} that records each method called into {@link #hostCalls}. */
    <T> T host(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, m, args) -> {
            hostCalls.add(m.getName());
            Class<?> r = m.getReturnType();
            if (r == boolean.class) return false;
            if (r == int.class) return -1;
            return null;
        }));
    }

    /** The names of the recorded launches. */
    List<String> names() { return launches.stream().map(KernelLaunch::name).toList(); }
}
