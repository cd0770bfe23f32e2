package org.grad4j.io;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Every file grad4j saves goes through {@link AtomicFiles}: mode, links, errors, concurrent loads. */
@DisabledOnOs(OS.WINDOWS)
class AtomicFilesTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().toString();
        }
    }

    @Test
    void newFilesGetTheUmaskModeNotTheTempFileMode() throws IOException {
        Path plain = Files.createFile(tmp.resolve("plain"));   // what the umask gives a new file (0644 under 022)
        Path saved = tmp.resolve("m.safetensors");
        SafeTensors.save(Map.of("x", Grad4j.ones(2)), saved);
        assertEquals(mode(plain), mode(saved));
        assertTrue(mode(saved).startsWith("rw-"), mode(saved));
        if (mode(plain).equals("rw-r--r--")) assertEquals("rw-r--r--", mode(saved));
    }

    @Test
    void savingOverAFileKeepsItsMode() throws IOException {
        Path f = tmp.resolve("m.safetensors");
        SafeTensors.save(Map.of("x", Grad4j.ones(2)), f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        SafeTensors.save(Map.of("x", Grad4j.zeros(3)), f);
        assertEquals("rw-rw-r--", mode(f));
        assertEquals(3, SafeTensors.load(f).get("x").numel());
    }

    @Test
    void savingThroughASymlinkReplacesItsTargetAndKeepsTheLink() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("real"));
        Path real = dir.resolve("m.safetensors");
        SafeTensors.save(Map.of("x", Grad4j.ones(2)), real);
        Path link = Files.createSymbolicLink(tmp.resolve("latest.safetensors"), Path.of("real", "m.safetensors"));
        SafeTensors.save(Map.of("x", Grad4j.zeros(5)), link);
        assertTrue(Files.isSymbolicLink(link), "the link was replaced by a file");
        assertEquals(5, SafeTensors.load(real).get("x").numel());
        assertEquals("[m.safetensors]", names(dir));
    }

    @Test
    void savingThroughADanglingSymlinkCreatesItsTarget() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("new.safetensors"));
        SafeTensors.save(Map.of("x", Grad4j.ones(4)), link);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(4, SafeTensors.load(tmp.resolve("new.safetensors")).get("x").numel());
    }

    @Test
    void aFailedWriteNamesTheTargetKeepsTheOldFileAndRemovesTheTempFile() throws IOException {
        Path f = tmp.resolve("out.bin");
        AtomicFiles.writeString(f, "old");
        var e = assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{1, 2, 3}));
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("No space left on device"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals("[out.bin]", names(tmp));
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, ch -> { throw new IllegalStateException("boom"); }));
        assertEquals("[out.bin]", names(tmp));
    }

    @Test
    void saveErrorsNameTheTargetPath() throws IOException {
        Path missing = tmp.resolve("no-such-dir").resolve("m.safetensors");
        var e = assertThrows(IOException.class, () -> SafeTensors.save(Map.of("x", Grad4j.ones(1)), missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
        Path dir = Files.createDirectory(tmp.resolve("adir"));
        e = assertThrows(IOException.class, () -> SafeTensors.save(Map.of("x", Grad4j.ones(1)), dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("is a directory"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }

    @Test
    void aLoadRacingRepeatedSavesSeesTheOldOrTheNewFileNeverATruncatedOne() throws Exception {
        Path f = tmp.resolve("race.safetensors");
        // two sizes: a load that mixed one file's size with the other file's bytes would fail
        Map<String, Tensor> small = Map.of("x", Grad4j.full(new int[]{8}, 1));
        Map<String, Tensor> big = Map.of("x", Grad4j.full(new int[]{4096}, 2), "y", Grad4j.ones(64));
        SafeTensors.save(small, f);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread saver = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) SafeTensors.save(i % 2 == 0 ? big : small, f);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        saver.start();
        long end = System.nanoTime() + 2_000_000_000L;
        int loads = 0;
        try {
            while (System.nanoTime() < end && failure.get() == null) {
                Map<String, Tensor> got = SafeTensors.load(f);
                Tensor x = got.get("x");
                assertEquals(x.numel() == 8 ? 1.0 : 2.0, x.max().item(), "a load mixed two saves");
                loads++;
            }
        } finally {
            stop.set(true);
            saver.join();
        }
        assertNull(failure.get());
        assertTrue(loads > 10, "loads: " + loads);
    }

    /** An IDX file of {@code n} bytes all equal to {@code v}. */
    static byte[] idx(int n, int v) {
        var b = java.nio.ByteBuffer.allocate(8 + n).put(new byte[]{0, 0, 8, 1}).putInt(n);
        while (b.hasRemaining()) b.put((byte) v);
        return b.array();
    }

    @Test
    void anIdxReadRacingRepeatedReplacementsSeesOneWholeFile() throws Exception {
        Path f = tmp.resolve("labels-idx1-ubyte");
        byte[] small = idx(16, 1), big = idx(1 << 16, 2);
        AtomicFiles.write(f, small);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) AtomicFiles.write(f, i % 2 == 0 ? big : small);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        long end = System.nanoTime() + 1_500_000_000L;
        try {
            while (System.nanoTime() < end && failure.get() == null) {
                var a = org.grad4j.data.Idx.read(f);
                assertEquals(a.dims(0) == 16 ? 1 : 2, a.data()[a.data().length - 1], "a read mixed two files");
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertNull(failure.get());
    }
}
