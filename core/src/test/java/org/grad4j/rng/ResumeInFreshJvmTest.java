package org.grad4j.rng;

import org.grad4j.Tensor;
import org.grad4j.io.Checkpoints;
import org.grad4j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Checkpoint after 3 epochs, resume in a fresh JVM for 3 more: the weights equal 6 uninterrupted epochs bit for bit. */
class ResumeInFreshJvmTest {
    @TempDir
    Path tmp;

    @Test
    void resumingInAFreshJvmEqualsUninterruptedTrainingBitForBit() throws Exception {
        ResumeTraining run = new ResumeTraining();
        for (int e = 1; e <= 3; e++) run.trainEpoch();
        Path ckpt = tmp.resolve("epoch3.safetensors");
        Checkpoints.save(ckpt, run.checkpoint(3));
        for (int e = 4; e <= ResumeTraining.TOTAL_EPOCHS; e++) run.trainEpoch();
        Map<String, Tensor> uninterrupted = run.model.stateDict();

        Path out = tmp.resolve("resumed.safetensors");
        String output = runChild(ckpt.toString(), out.toString());
        Map<String, Tensor> resumed = SafeTensors.load(out);
        assertEquals(uninterrupted.keySet(), resumed.keySet(), output);
        for (String k : uninterrupted.keySet()) {
            assertArrayEquals(uninterrupted.get(k).toFloatArray(), resumed.get(k).toFloatArray(), k + " differs after resume");
        }
        assertTrue(output.contains("resumed from epoch 3"), output);

        // without the RNG states the same resume diverges: the states are what makes it exact
        ResumeTraining noRng = new ResumeTraining();
        noRng.load(Checkpoints.load(ckpt));
        for (int e = 4; e <= ResumeTraining.TOTAL_EPOCHS; e++) noRng.trainEpoch();
        assertFalse(java.util.Arrays.equals(uninterrupted.get("0.weight").toFloatArray(),
                noRng.model.stateDict().get("0.weight").toFloatArray()), "a resume without RNG states should differ");
    }

    /** Runs {@link ResumeTraining#main} in a new JVM with this one's classpath and flags (minus debug agents). */
    static String runChild(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")) cmd.add(a);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ResumeTraining.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out: " + out);
        assertEquals(0, p.exitValue(), "child JVM failed: " + cmd + "\n" + out);
        return out;
    }
}
