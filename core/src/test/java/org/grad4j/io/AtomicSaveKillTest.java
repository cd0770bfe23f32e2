package org.grad4j.io;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A child JVM saves a file over and over and is killed (SIGKILL) at random moments: the file under
 * the final name must always be a complete save (old or new), never a torn one.
 */
class AtomicSaveKillTest {
    @TempDir
    Path tmp;

    @Test
    void killedWriterNeverLeavesATornFile() throws Exception {
        Path file = tmp.resolve("model.safetensors");
        int n = 1 << 20;                       // 4 MB per save: each write takes a few milliseconds
        SafeTensors.save(Map.of("x", Grad4j.full(new int[]{n}, 0)), file, Map.of("version", "0"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random rnd = new Random(1);
        int kills = 6;
        for (int k = 0; k < kills; k++) {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    AtomicSaveChild.class.getName(), file.toString(), Integer.toString(n)).redirectErrorStream(true).start();
            try (var out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                // wait until the child has replaced the file at least once, then kill it at a random
                // moment of a later save
                int wanted = 2 + rnd.nextInt(2);
                String line;
                while ((line = out.readLine()) != null && !line.equals("saved " + wanted)) {
                    assertTrue(line.startsWith("saved "), "child: " + line);
                }
                assertNotNull(line, "child stopped before saving version " + wanted);
                Thread.sleep(rnd.nextInt(15));
                p.destroyForcibly();
                p.waitFor();
            }
            var c = SafeTensors.read(file);
            int version = Integer.parseInt(c.metadata().get("version"));
            Tensor x = c.tensors().get("x");
            assertEquals(n, x.numel());
            assertEquals(version, x.min().item(), "file content must be one whole save");
            assertEquals(version, x.max().item(), "file content must be one whole save");
            assertTrue(version >= 2, "version " + version);
        }
    }
}
