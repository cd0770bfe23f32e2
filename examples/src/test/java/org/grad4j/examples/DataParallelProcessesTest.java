package org.grad4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ranks as separate JVMs, started the way {@code ./grad4j run --nproc N} starts them (RANK,
 * WORLD_SIZE, MASTER_ADDR, MASTER_PORT), on a few hundred digits; and the faults: a rank killed
 * mid-step, a rank that hangs, a rank that never joins.
 */
class DataParallelProcessesTest {

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts rank {@code rank} of {@code world}; output goes to out/rankK.log. */
    static Process rank(int rank, int world, int port, Path out, Map<String, String> extraEnv, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-Dgrad4j.numThreads=1", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "org.grad4j.examples.DataParallelDemo",
                "--limit", "320", "--out", out.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("rank" + rank + ".log").toFile());
        pb.environment().putAll(Map.of("RANK", "" + rank, "WORLD_SIZE", "" + world, "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "" + port));
        pb.environment().putAll(extraEnv);
        return pb.start();
    }

    static String log(Path out, int rank) throws IOException { return Files.readString(out.resolve("rank" + rank + ".log")); }

    @Test
    void twoJvmsTrainTheSameWeightsAsOneProcessAccumulatingTheirMicroBatches(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("jvms"));
        int port = freePort();
        Process p0 = rank(0, 2, port, out, Map.of()), p1 = rank(1, 2, port, out, Map.of());
        assertTrue(p0.waitFor(240, TimeUnit.SECONDS) && p1.waitFor(60, TimeUnit.SECONDS), "finished");
        assertEquals(0, p0.exitValue(), log(out, 0));
        assertEquals(0, p1.exitValue(), log(out, 1));
        int threads = org.grad4j.Grad4j.getNumThreads();
        org.grad4j.Grad4j.setNumThreads(1);          // the same kernels' split as in the rank JVMs
        try {
            DataParallelDemo.trainAccumulate(DataParallelDemoTest.cfg(dir.resolve("acc"), 1, false), 2, null);
        } finally {
            org.grad4j.Grad4j.setNumThreads(threads);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("acc/model.safetensors")), Files.readAllBytes(out.resolve("model.safetensors")));
    }

    @Test
    void aRankKilledMidStepFailsTheOtherAtOnceNamingItAndTheCollective(@TempDir Path out) throws Exception {
        int port = freePort();
        Map<String, String> env = Map.of("GRAD4J_FAULT", "1:2:die", "GRAD4J_DIST_TIMEOUT_S", "60");
        Process p0 = rank(0, 2, port, out, env), p1 = rank(1, 2, port, out, env);
        long t0 = System.nanoTime();
        assertTrue(p1.waitFor(120, TimeUnit.SECONDS));
        assertEquals(137, p1.exitValue(), log(out, 1));
        assertTrue(p0.waitFor(30, TimeUnit.SECONDS), "rank 0 did not wait for its 60 s timeout");
        assertNotEquals(0, p0.exitValue());
        String l = log(out, 0);
        assertTrue(l.contains("rank 0 of 2: allReduce") && l.contains("rank 1"), l);
        assertTrue((System.nanoTime() - t0) / 1e9 < 60, "well within the timeout");
    }

    @Test
    void aRankThatHangsFailsTheOtherAfterTheTimeoutNamingIt(@TempDir Path out) throws Exception {
        int port = freePort();
        Map<String, String> env = Map.of("GRAD4J_FAULT", "1:2:hang", "GRAD4J_DIST_TIMEOUT_S", "3");
        Process p0 = rank(0, 2, port, out, env), p1 = rank(1, 2, port, out, env);
        try {
            assertTrue(p0.waitFor(120, TimeUnit.SECONDS));
            assertNotEquals(0, p0.exitValue());
            String l = log(out, 0);
            assertTrue(l.contains("timed out waiting for rank 1"), l);
            assertTrue(l.contains("rank 0 of 2: allReduce"), l);
        } finally {
            p1.destroyForcibly().waitFor();
        }
    }

    @Test
    void aRankThatNeverJoinsFailsTheRendezvousWithinTheTimeout(@TempDir Path out) throws Exception {
        Process p0 = rank(0, 2, freePort(), out, Map.of("GRAD4J_DIST_TIMEOUT_S", "2"));
        assertTrue(p0.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, p0.exitValue());
        assertTrue(log(out, 0).contains("rank(s) [1] never joined"), log(out, 0));
    }
}
