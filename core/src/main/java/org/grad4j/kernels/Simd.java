package org.grad4j.kernels;

/**
 * Whether the SIMD kernels (jdk.incubator.vector) can be used. The Vector API is an incubator
 * module: a JVM has it only with {@code --add-modules jdk.incubator.vector}. Like Apache Lucene,
 * grad4j checks for it once at start-up and otherwise runs plain Java loops, so a plain
 * {@code java -cp} user still works, only slower. Classes that touch the Vector API
 * ({@code Vector*}) are only loaded behind this flag.
 *
 * <p>{@code -Dgrad4j.simd=false} turns SIMD off (to compare, or to test the fallback).
 */
public final class Simd {
    private Simd() {}

    /** True when the Vector API module is present and not disabled. */
    public static final boolean ENABLED = detect();

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("grad4j.simd"))) return false;
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return false;
            return VectorKernels.F32_LANES >= 4;   // loads the Vector API classes: fails cleanly if absent
        } catch (Throwable t) {
            return false;
        }
    }

    /** Float lanes per vector of the SIMD kernels (8 without the Vector API: the scalar loops' tile width). */
    public static int floatLanes() { return ENABLED ? VectorKernels.F32_LANES : 8; }

    /** Double lanes per vector of the SIMD kernels (4 without the Vector API). */
    public static int doubleLanes() { return ENABLED ? VectorKernels.F64_LANES : 4; }
}
