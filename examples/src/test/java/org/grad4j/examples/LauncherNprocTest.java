package org.grad4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./grad4j run --nproc 2} itself (on this test's classpath, so it does not rebuild): prefixes, exit codes, no process left. */
class LauncherNprocTest {

    static Process launch(Path out, String fault) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("..", "grad4j").toString(), "run", "--nproc", "2", "DataParallelDemo",
                "--limit", "128", "--out", out.toString()).redirectErrorStream(true).redirectOutput(out.resolve("launcher.log").toFile());
        pb.environment().put("GRAD4J_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("GRAD4J_DIST_TIMEOUT_S", "60");
        if (fault != null) pb.environment().put("GRAD4J_FAULT", fault);
        return pb.start();
    }

    /** Whether a process whose command line names {@code out} (our ranks) still runs. */
    static boolean ranksAlive(Path out) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(out.toString())
                && p.info().commandLine().orElse("").contains("DataParallelDemo") && !p.info().commandLine().orElse("").startsWith("bash"));
    }

    @Test
    void runNprocStartsTwoRanksWithPrefixedOutputAndExitsZero(@TempDir Path out) throws Exception {
        Process p = launch(out, null);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        String log = Files.readString(out.resolve("launcher.log"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("[rank0] data-parallel: 2 ranks"), log);
        assertTrue(Files.exists(out.resolve("model.safetensors")));
        assertFalse(ranksAlive(out));
    }

    @Test
    void aRankThatDiesStopsTheOthersAndTheLauncherExitsNonZero(@TempDir Path out) throws Exception {
        Process p = launch(out, "1:1:die");
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        String log = Files.readString(out.resolve("launcher.log"));
        assertNotEquals(0, p.exitValue(), log);
        assertTrue(log.contains("[rank1] fault injected"), log);
        assertTrue(log.contains("exited with status"), log);
        Thread.sleep(500);
        assertFalse(ranksAlive(out), "no rank left behind");
    }
}
