package org.grad4j.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A JVM without the Vector API says so once, on first use, with the cost and the fix; one with it says nothing. */
class SimdWarningTest {
    /** Runs {@link Child} in a fresh JVM with the given extra flags; returns its stderr. */
    static String runChild(String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
        assertEquals(0, p.exitValue(), err);
        return err;
    }

    @Test
    void withoutTheVectorApiGrad4jSaysOnceThatItRunsWithoutSimdAndHowMuchSlower() throws Exception {
        String err = runChild();
        assertEquals(1, err.split("grad4j runs without SIMD", -1).length - 1, err);
        assertTrue(err.contains("about 8-10x slower for matmul") && err.contains("Fix: start java with --add-modules jdk.incubator.vector"), err);
    }

    @Test
    void withTheVectorApiOrSimdTurnedOffOnPurposeNothingIsSaid() throws Exception {
        assertFalse(runChild("--add-modules", "jdk.incubator.vector").contains("without SIMD"));
        assertFalse(runChild("-Dgrad4j.simd=false").contains("without SIMD"));
    }

    /** A few ops of different kernels: the warning must still come only once. */
    public static final class Child {
        public static void main(String[] args) {
            var a = org.grad4j.Grad4j.ones(64, 64);
            a.matmul(a).exp().sum();
            a.add(a).mul(2).matmul(a);
        }
    }
}
