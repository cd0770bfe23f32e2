package org.grad4j.cuda;

import org.grad4j.storage.DType;

import java.util.Arrays;

/**
 * A strided view of device memory, what a kernel needs of a CUDA tensor: the allocation's base
 * pointer, the element offset into it, shape, strides (elements) and dtype ({@code storage.Strided}'s
 * geometry with a device pointer instead of a storage).
 *
 * <pre>{@code
 * DeviceView x = new DeviceView(ptr, 0, new int[]{2, 3}, new int[]{3, 1}, DType.FLOAT32);
 * }</pre>
 */
record DeviceView(long base, long offset, int[] shape, int[] strides, DType dtype) {
    DeviceView {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("cuda view: shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in rank. Fix: pass one stride per dim");
        }
    }

    /** A contiguous view of {@code shape} at {@code base}. */
    static DeviceView contiguous(long base, DType dtype, int... shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return new DeviceView(base, 0, shape, st, dtype);
    }

    long numel() {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** The address of element 0 (for kernels that take contiguous pointers). */
    long address() { return base + offset * dtype.itemSize(); }

    boolean isContiguous() {
        long expect = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expect) return false;
            expect *= shape[d];
        }
        return true;
    }
}
