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

    /**
     * Said once (through {@link SimdNotice}), on the first use of a kernel, when the JVM lacks the Vector API (not when SIMD is
     * turned off on purpose). Figures: {@code tools/SimdCost.java} at 1 thread on the project's
     * 2-core machine, with and without {@code --add-modules jdk.incubator.vector}.
     */
    static final String NO_SIMD_WARNING = "grad4j runs without SIMD: this JVM lacks the Vector API (module jdk.incubator.vector),"
            + " so its kernels use plain Java loops, about 8-10x slower for matmul and 5-6x for a LeNet-5 training step."
            + " Fix: start java with --add-modules jdk.incubator.vector (see README.md, \"grad4j in your own project\")";

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("grad4j.simd"))) return false;
        boolean ok;
        try {
            ok = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    && VectorKernels.F32_LANES >= 4;   // loads the Vector API classes: fails cleanly if absent
        } catch (Throwable t) {
            ok = false;
        }
        if (!ok) SimdNotice.say(NO_SIMD_WARNING);
        return ok;
    }

    /** Float lanes per vector of the SIMD kernels (8 without the Vector API: the scalar loops' tile width). */
    public static int floatLanes() { return ENABLED ? VectorKernels.F32_LANES : 8; }

    /** Double lanes per vector of the SIMD kernels (4 without the Vector API). */
    public static int doubleLanes() { return ENABLED ? VectorKernels.F64_LANES : 4; }
}
