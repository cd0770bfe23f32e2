package org.grad4j.io;

import java.io.IOException;

/** A safetensors file that breaks the format: the message names the file and the problem. */
public final class SafeTensorsFormatException extends IOException {
    public SafeTensorsFormatException(String message) { super(message); }

    public SafeTensorsFormatException(String message, Throwable cause) { super(message, cause); }
}
