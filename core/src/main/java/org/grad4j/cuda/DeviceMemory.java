package org.grad4j.cuda;

/**
 * What the {@link CachingAllocator} needs from a device: the driver's {@code cuMemAlloc_v2},
 * {@code cuMemFree_v2} and {@code cuMemGetInfo_v2} on that device's context, or a fake in tests.
 */
interface DeviceMemory {
    /** A new device block of exactly {@code bytes}, or 0 when the device is out of memory (other errors throw). */
    long malloc(long bytes);

    /** Returns a block {@link #malloc} gave to the device. */
    void free(long pointer);

    /** {@code {free, total}} bytes of the device, as {@code cuMemGetInfo} reports them. */
    long[] memGetInfo();
}
