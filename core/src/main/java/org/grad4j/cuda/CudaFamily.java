package org.grad4j.cuda;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * What the device kernel families share: the runtime of their device, and the test "is every operand a
 * CudaStorage of this device?" that decides between a kernel launch and the host fallback.
 */
abstract class CudaFamily {
    final DeviceRuntime rt;

    CudaFamily(DeviceRuntime rt) { this.rt = rt; }

    /** Whether every storage lives on this family's device (null entries are "not wanted" outputs and pass). */
    final boolean onDevice(Storage... storages) {
        for (Storage s : storages) if (s != null && rt.address(s) < 0) return false;
        return true;
    }

    /** Whether every view's storage lives on this family's device. */
    final boolean onDevice(Strided... views) {
        for (Strided v : views) if (rt.address(v.storage()) < 0) return false;
        return true;
    }

    /** The kernel's view of a strided operand on this device. */
    final DeviceView view(Strided s) {
        return new DeviceView(rt.address(s.storage()), s.offset(), s.shape(), s.strides(), s.storage().dtype());
    }

    /** The device address of element {@code offset} of {@code s}. */
    final long at(Storage s, long offset) { return rt.address(s) + offset * s.dtype().itemSize(); }

    /** A contiguous view of the first {@code n} elements of {@code s}. */
    final DeviceView flat(Storage s, long offset, int n) {
        return new DeviceView(rt.address(s), offset, new int[]{n}, new int[]{1}, s.dtype());
    }

    static boolean floating(DType t) { return t == DType.FLOAT32 || t == DType.FLOAT64; }

    /** An int64 error slot set to NO_ERROR on the device (kernels record a bad element's position there). */
    final DeviceRuntime.Scratch errorSlot() {
        DeviceRuntime.Scratch s = rt.scratch(8);
        rt.writeLongs(s.pointer(), KernelCatalog.NO_ERROR);
        return s;
    }

    private volatile DeviceRuntime.Scratch unread;

    /**
     * An error slot for launches of ops that never flag (integer add, mul...): allocated once per family and
     * never read back, so those launches cost no synchronization. (The kernels take the pointer regardless.)
     */
    final long unreadSlot() {
        DeviceRuntime.Scratch s = unread;
        if (s == null) {
            synchronized (this) {
                if (unread == null) unread = errorSlot();   // kept for the family's life: a few bytes per device
                s = unread;
            }
        }
        return s.pointer();
    }

    /**
     * The kernel's view of an operand on this device, or of a host operand that is one broadcast element (a
     * 0-dim CPU tensor goes with tensors on any device, as a scalar): that element is copied into device
     * scratch, added to {@code held} for the caller to close, and seen with all strides 0. Null otherwise.
     */
    final DeviceView viewOrScalar(Strided s, java.util.List<DeviceRuntime.Scratch> held) {
        if (rt.address(s.storage()) >= 0) return view(s);
        for (int st : s.strides()) if (st != 0) return null;
        DeviceRuntime.Scratch one = rt.scratch(8);
        held.add(one);
        rt.writeLongs(one.pointer(), rawBits(s.storage(), s.offset()));
        return new DeviceView(one.pointer(), 0, s.shape(), new int[s.shape().length], s.storage().dtype());
    }

    /** Element i of s as the device stores it, in the low bytes of a long (little-endian, as CUDA devices). */
    static long rawBits(Storage s, int i) {
        return switch (s.dtype()) {
            case FLOAT64 -> Double.doubleToRawLongBits(s.getDouble(i));
            case FLOAT32 -> Float.floatToRawIntBits((float) s.getDouble(i)) & 0xffff_ffffL;
            case INT64 -> s.getLong(i);
            case INT32 -> s.getLong(i) & 0xffff_ffffL;
            case INT16 -> s.getLong(i) & 0xffffL;
            case INT8, UINT8, BOOL -> s.getLong(i) & 0xffL;
        };
    }

    static void closeAll(java.util.List<DeviceRuntime.Scratch> held) {
        for (DeviceRuntime.Scratch s : held) s.close();
    }

    /** Keeps the operands' storages (and so their device blocks) reachable until the launches are queued. */
    static void keep(Object... operands) { java.lang.ref.Reference.reachabilityFence(operands); }

    /** Whether the kernel flagged an element (reads the slot back: waits for the device). */
    final boolean flagged(DeviceRuntime.Scratch slot) { return rt.readLongs(slot.pointer(), 1)[0] != KernelCatalog.NO_ERROR; }
}
