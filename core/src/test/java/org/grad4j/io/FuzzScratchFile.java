package org.grad4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One scratch file per fuzz test JVM, rewritten for every input. It lives in /dev/shm where that
 * exists: on a disk, writing a file costs milliseconds and would cut fuzzing speed some 30-fold.
 */
public final class FuzzScratchFile {
    private static Path file;

    private FuzzScratchFile() {}

    /** The scratch file holding {@code content}. */
    public static synchronized Path write(byte[] content, String suffix) throws IOException {
        if (file == null) {
            Path shm = Path.of("/dev/shm");
            file = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempFile(shm, "grad4j-fuzz", suffix)
                    : Files.createTempFile("grad4j-fuzz", suffix);
            file.toFile().deleteOnExit();
        }
        Files.write(file, content);
        return file;
    }
}
