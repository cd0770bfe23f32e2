package org.grad4j.io;

import java.io.IOException;

/**
 * A {@code torch.save} file that {@link TorchFiles} cannot or will not read: broken, forged, or
 * naming a global outside the allow-list. The message names the file and the problem.
 */
public final class TorchFilesFormatException extends IOException {
    public TorchFilesFormatException(String message) { super(message); }

    public TorchFilesFormatException(String message, Throwable cause) { super(message, cause); }
}
