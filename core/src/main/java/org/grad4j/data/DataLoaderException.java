package org.grad4j.data;

/** A sample failed to load in a {@link DataLoader} worker; {@link #getCause()} is the worker's exception. */
public final class DataLoaderException extends RuntimeException {
    private final int workerId, batchIndex;

    public DataLoaderException(String message, Throwable cause, int workerId, int batchIndex) {
        super(message, cause);
        this.workerId = workerId;
        this.batchIndex = batchIndex;
    }

    /** The worker that failed. */
    public int workerId() { return workerId; }

    /** The index of the batch (in this epoch) that failed. */
    public int batchIndex() { return batchIndex; }
}
