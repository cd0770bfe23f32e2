package org.grad4j.kernels;

import java.util.function.Consumer;

/**
 * Where the kernels say that they run without SIMD: the op layer installs the sink (grad4j's warnings) when
 * {@code Tensor} initializes, since kernels import nothing above them; {@link Simd} speaks through it on
 * the first use of a kernel, when it finds the Vector API missing.
 */
public final class SimdNotice {
    private static volatile Consumer<String> sink = System.err::println;

    private SimdNotice() {}

    /** Called by {@code Tensor}'s static initializer. */
    public static void install(Consumer<String> warn) { sink = warn; }

    static void say(String message) { sink.accept(message); }
}
