package org.grad4j.cuda;

/**
 * A CUDA driver or cuBLAS call that failed, or CUDA asked for where none is available. The message names
 * the call, the error ({@code CUDA_ERROR_OUT_OF_MEMORY: out of memory}) and, where there is a usual one,
 * a {@code Fix:}.
 *
 * <pre>{@code
 * try {
 *     Cuda.synchronize();
 * } catch (CudaException e) {
 *     System.err.println(e.errorName() + " in " + e.call());
 * }
 * }</pre>
 */
public class CudaException extends RuntimeException {
    private final int code;
    private final String errorName;
    private final String call;

    CudaException(int code, String errorName, String call, String message) {
        super(message);
        this.code = code;
        this.errorName = errorName;
        this.call = call;
    }

    /** The driver's {@code CUresult} (or cuBLAS's status); 0 when no call failed (e.g. no driver at all). */
    public int code() { return code; }

    /** The error's name, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}; empty when no call failed. */
    public String errorName() { return errorName; }

    /** The failing call, e.g. {@code cuMemAlloc_v2}; empty when no call failed. */
    public String call() { return call; }

    /** An error that no driver call returned (no driver, no kernel image...). */
    static CudaException plain(String message) { return new CudaException(0, "", "", message); }

    /**
     * The error for {@code call} returning {@code code}: {@code "cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY:
     * out of memory. Fix: ..."}; the fix is omitted when there is no usual one.
     */
    static CudaException of(int code, String name, String text, String call) {
        String fix = fix(code);
        String msg = call + " failed: " + name + ": " + text + (fix == null ? "" : ". Fix: " + fix);
        return new CudaException(code, name, call, msg);
    }

    /** The usual remedy for the driver's common errors (CUresult values from cuda.h). */
    static String fix(int code) {
        return switch (code) {
            case 2 -> "free tensors you no longer need, call Cuda.emptyCache(), or use smaller batches";
            case 3, 4 -> "this is a grad4j bug if it persists (the driver was not initialized or is shutting down); report it";
            case 35, 803, 804 -> "install or update the NVIDIA driver (nvidia-smi must work)";
            case 100 -> "no CUDA device is visible: check nvidia-smi and CUDA_VISIBLE_DEVICES";
            case 101 -> "use a device index below Cuda.deviceCount()";
            case 209, 218, 222 -> "update the NVIDIA driver: grad4j's kernels are built with CUDA 13 and need a driver that supports it";
            case 700, 719 -> "a kernel touched memory it must not; the CUDA context is unusable now: restart the JVM and report the op";
            case 701 -> "a kernel asked for more registers or threads than the device has; report the op and shape";
            default -> null;
        };
    }
}
