package org.grad4j.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of one CUDA kernel launch, in the order of the kernel's {@code extern "C"} signature.
 * Built by the kernel catalog (which knows each kernel's signature) and turned into
 * {@code cuLaunchKernel}'s {@code void** kernelParams} by the launcher (which knows the driver), so that
 * the two sides meet at one small value type. Each argument knows the PTX parameter type it must match,
 * which lets a CPU-only test check the catalog against the compiled PTX's {@code .entry} signatures.
 *
 * <pre>{@code
 * KernelArgs args = new KernelArgs().ptr(out).ptr(a).ptr(b).i64(n);
 * }</pre>
 */
final class KernelArgs {
    /** The C parameter kinds grad4j's kernels use. */
    enum Kind {
        /** A device pointer ({@code T*}): 8 bytes, PTX {@code .u64}. */
        PTR(8),
        /** {@code int}: PTX {@code .u32} or {@code .s32}. */
        I32(4),
        /** {@code long long}: PTX {@code .u64} or {@code .s64}. */
        I64(8),
        /** {@code float}: PTX {@code .f32}. */
        F32(4),
        /** {@code double}: PTX {@code .f64}. */
        F64(8),
        /** A struct passed by value (e.g. a tensor's shape and strides): PTX {@code .align A .b8 name[size]}. */
        STRUCT(0);

        final int bytes;

        Kind(int bytes) { this.bytes = bytes; }
    }

    /**
     * One argument: scalars keep their raw bits in {@code bits} (a float's {@code floatToRawIntBits}, a
     * double's {@code doubleToRawLongBits}); a struct keeps its bytes (native byte order) and alignment.
     */
    record Arg(Kind kind, long bits, byte[] struct, int align) {
        /** Bytes the value occupies in the launch's parameter buffer. */
        int size() { return kind == Kind.STRUCT ? struct.length : kind.bytes; }
    }

    private final List<Arg> args = new ArrayList<>();

    KernelArgs ptr(long devicePointer) { return add(new Arg(Kind.PTR, devicePointer, null, 8)); }

    KernelArgs i32(int v) { return add(new Arg(Kind.I32, v, null, 4)); }

    KernelArgs i64(long v) { return add(new Arg(Kind.I64, v, null, 8)); }

    KernelArgs f32(float v) { return add(new Arg(Kind.F32, Float.floatToRawIntBits(v), null, 4)); }

    KernelArgs f64(double v) { return add(new Arg(Kind.F64, Double.doubleToRawLongBits(v), null, 8)); }

    /** A struct by value; {@code bytes} in native byte order, laid out as the C struct (padding included). */
    KernelArgs struct(byte[] bytes, int align) {
        if (bytes.length == 0 || Integer.bitCount(align) != 1) {
            throw new IllegalArgumentException("struct argument needs bytes and a power-of-two alignment, got "
                    + bytes.length + " bytes, align " + align);
        }
        return add(new Arg(Kind.STRUCT, 0, bytes.clone(), align));
    }

    /** The arguments in signature order. */
    List<Arg> args() { return List.copyOf(args); }

    private KernelArgs add(Arg a) {
        args.add(a);
        return this;
    }
}
