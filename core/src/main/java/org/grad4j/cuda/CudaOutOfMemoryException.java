package org.grad4j.cuda;

/**
 * The device has no memory left for an allocation, even after grad4j returned its cached blocks to the
 * driver (as {@code torch.cuda.OutOfMemoryError}). The message says how much was asked for, what grad4j
 * holds (allocated to tensors, reserved in its cache) and the device's total and free memory.
 *
 * <pre>{@code
 * try {
 *     model.to(Device.cuda(0));
 * } catch (CudaOutOfMemoryException e) {
 *     System.err.println("asked for " + e.requestedBytes() + " bytes");
 * }
 * }</pre>
 */
public final class CudaOutOfMemoryException extends CudaException {
    private final long requestedBytes;

    CudaOutOfMemoryException(String message, long requestedBytes) {
        super(2, "CUDA_ERROR_OUT_OF_MEMORY", "cuMemAlloc_v2", message);
        this.requestedBytes = requestedBytes;
    }

    /** The size of the allocation that failed, in bytes (after rounding to the allocator's size class). */
    public long requestedBytes() { return requestedBytes; }
}
