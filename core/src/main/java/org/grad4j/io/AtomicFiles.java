package org.grad4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way grad4j writes a file: to a temporary file next to the target, forced to disk, then
 * renamed over the target, so a reader or a crash sees the old file or the new one, never a torn
 * one. Unlike a plain temp file (mode 0600), the result looks like a file written in place: a new
 * file gets the default mode under the umask (0644 under umask 022), an existing file keeps its
 * mode, and a symbolic link is followed, so its target is replaced and the link stays a link.
 * Errors name the file you asked for, never the temporary one, which is removed on failure.
 *
 * <pre>{@code
 * AtomicFiles.writeString(Path.of("results.json"), json);
 * AtomicFiles.write(Path.of("model.bin"), ch -> ch.write(ByteBuffer.wrap(bytes)));
 * }</pre>
 */
public final class AtomicFiles {
    /** Links followed before giving up, as Linux's ELOOP limit. */
    private static final int MAX_LINKS = 40;

    private AtomicFiles() {}

    /** Writes the whole content of the new file to the channel (positioned at 0). */
    @FunctionalInterface
    public interface ChannelWriter { void write(FileChannel ch) throws IOException; }

    /** Atomically replaces (or creates) {@code file} with {@code bytes}. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, ch -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
        });
    }

    /** Atomically replaces (or creates) {@code file} with {@code text} in UTF-8. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Atomically replaces (or creates) {@code file} with what {@code writer} writes. */
    public static void write(Path file, ChannelWriter writer) throws IOException {
        Path target = resolveLinks(file.toAbsolutePath());
        Path dir = target.getParent();
        if (Files.isDirectory(target)) throw new FileSystemException(target.toString(), null, "is a directory");
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(target.toString(), null, "directory " + dir + " does not exist");
        boolean exists = Files.exists(target);
        // refuse like open(target, "wb") would (torch.save): the rename could replace a read-only file
        if (exists && !Files.isWritable(target)) throw new AccessDeniedException(target.toString(), null, "the file is not writable");
        Set<PosixFilePermission> mode = exists ? posixMode(target) : null;
        Path tmp = null;
        try {
            FileChannel ch = null;
            // CREATE_NEW without attributes: the OS applies the umask (Files.createTempFile forces 0600)
            for (int attempt = 0; ch == null; attempt++) {
                tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    if (attempt > 100) throw e;
                    tmp = null;
                }
            }
            try (FileChannel out = ch) {
                writer.write(out);
                out.force(true);     // the data is on disk before the rename makes it visible
            }
            if (mode != null) Files.setPosixFilePermissions(tmp, mode);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system does not support atomic rename", e);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw naming(target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    /** Follows symbolic links (also dangling ones, whose target the save creates) to the real file. */
    static Path resolveLinks(Path p) throws IOException {
        for (int i = 0; Files.isSymbolicLink(p); i++) {
            if (i >= MAX_LINKS) throw new FileSystemException(p.toString(), null, "too many levels of symbolic links");
            Path link = Files.readSymbolicLink(p);
            p = p.toAbsolutePath().getParent().resolve(link);
        }
        return p;
    }

    private static Set<PosixFilePermission> posixMode(Path file) throws IOException {
        PosixFileAttributeView v = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        return v == null ? null : v.readAttributes().permissions();
    }

    /** Makes the rename itself durable (POSIX); not possible on every OS, so best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    /** The same kind of exception, about the target instead of the temporary file. */
    private static IOException naming(Path target, IOException e) {
        String file = target.toString();
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        IOException out;
        if (e instanceof AccessDeniedException) {
            out = new AccessDeniedException(file, null, reason != null ? reason : "permission denied (writing in " + target.getParent() + ")");
        } else if (e instanceof NoSuchFileException) {
            out = new NoSuchFileException(file, null, reason != null ? reason : "directory " + target.getParent() + " does not exist");
        } else if (e instanceof FileSystemException fse) {
            if (file.equals(fse.getFile())) return e;
            out = new FileSystemException(file, null, reason != null ? reason : e.getClass().getSimpleName());
        } else {
            out = new IOException("cannot save " + file + ": " + (reason != null ? reason : e.getClass().getSimpleName()));
        }
        out.initCause(e);
        return out;
    }
}
