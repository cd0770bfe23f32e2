package org.grad4j.cuda;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs a test program in a child JVM whose CUDA driver is the fake libcuda (fake_libcuda.c: host memory,
 * no kernels) built with gcc in {@code dir}: the driver is loaded once per process, so each test that needs
 * it gets a JVM of its own. Skips (never passes) without gcc; fails unless the child exits 0 printing "OK"
 * last.
 *
 * <pre>{@code
 * FakeDriverChild.run(dir, Child.class);   // Child.main does the checks and prints OK
 * }</pre>
 */
final class FakeDriverChild {
    private FakeDriverChild() {}

    static void run(Path dir, Class<?> child, String... jvmArgs) throws Exception {
        Path lib = dir.resolve("libfakecuda.so");
        assumeTrue(FakeDriverTest.gcc("fake_libcuda.c", lib), "no gcc to build the fake driver");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Dgrad4j.cuda.library=" + lib));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), child.getName()));
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in 120 s");
        assertEquals(0, p.exitValue(), out + Files.readString(err));
        assertTrue(out.strip().endsWith("OK"), out + Files.readString(err));
    }
}
