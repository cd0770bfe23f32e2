package org.grad4j.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The committed PTX, fatbin and manifest are what tools/cuda/build-kernels.sh makes of the current sources. */
class KernelResourcesTest {
    static final Path SOURCES = Path.of("src/main/cuda");
    static final Path SCRIPT = Path.of("../tools/cuda/build-kernels.sh");
    static final String FIX = "Fix: run tools/cuda/build-kernels.sh (needs nvcc 13) and commit core/src/main/resources/org/grad4j/cuda";

    static String resource(String name) throws IOException {
        try (InputStream in = KernelResourcesTest.class.getResourceAsStream("/org/grad4j/cuda/" + name)) {
            assertNotNull(in, name + " is not on the class path. " + FIX);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void manifestListsTheSha256OfEveryCudaSource() throws Exception {
        TreeMap<String, String> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.toList()) {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                expected.put(f.getFileName().toString(), HexFormat.of().formatHex(h));
            }
        }
        TreeMap<String, String> listed = new TreeMap<>();
        for (String line : resource("grad4j_kernels.manifest").split("\n")) {
            if (line.startsWith("source: ")) {
                String[] p = line.substring(8).split(" ");
                listed.put(p[1], p[0]);
            }
        }
        assertEquals(expected, listed, "the CUDA sources changed since the kernels were built. " + FIX);
    }

    @Test
    void fatbinIsCompressedSmallAndCarriesTheFatbinMagic() throws IOException {
        String fat = new String(KernelCatalog.fatbin(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(fat.length() < 8 << 20, "fatbin is " + fat.length() + " bytes; keep it under 8 MB (core jar travels in a 64 MiB bundle)");
        // fatbinary header magic 0xBA55ED50, little-endian
        assertEquals(0x50, fat.charAt(0));
        assertEquals(0xED, fat.charAt(1));
        assertEquals(0x55, fat.charAt(2));
        assertEquals(0xBA, fat.charAt(3));
    }

    @Test
    void committedPtxEqualsAFreshCompileOfTheSources() throws Exception {
        assumeTrue(TensorDescTest.onPath("nvcc"), "nvcc not on PATH: the committed PTX is not recompiled here");
        Path dir = Files.createTempDirectory("g4ptx");
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), "--ptx-only", dir.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "nvcc took over 5 minutes");
        assertEquals(0, p.exitValue(), "nvcc failed:\n" + log);
        String fresh = Files.readString(dir.resolve("grad4j_kernels.ptx"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(fresh.equals(resource("grad4j_kernels.ptx")), "the committed grad4j_kernels.ptx differs from nvcc's output for the current sources. " + FIX);
    }
}
