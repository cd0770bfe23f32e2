package org.grad4j.examples;

import org.grad4j.Tensor;
import org.grad4j.io.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The main job end to end, shortened to two epochs: it learns, reports metrics and writes its files. */
class DemoTest {

    @Test
    void twoEpochsLearnAndWriteTheModelAndTheCurves(@TempDir Path out) throws Exception {
        Demo demo = new Demo();
        int rc = new CommandLine(demo).execute("--epochs", "2", "--no-progress", "--workers", "2", "--out", out.toString());
        assertEquals(0, rc);
        Demo.Report r = demo.report();
        assertTrue(r.testAccuracy() > 0.90, "test accuracy after 2 epochs: " + r.testAccuracy());
        assertTrue(r.epochLoss().get(1) < r.epochLoss().get(0), "loss falls: " + r.epochLoss());
        for (int c = 0; c < 10; c++) {
            assertTrue(r.precision()[c] > 0.7 && r.recall()[c] > 0.7, "class " + c);
        }
        Checkpoints.Checkpoint ck = Checkpoints.load(r.modelFile());
        assertEquals(2, ck.epoch());
        Tensor w = ck.model().get("0.weight");
        assertArrayEquals(new int[]{6, 1, 5, 5}, w.shape());
        assertTrue(ck.model().containsKey("11.bias"));
        byte[] png = Files.readAllBytes(r.curveFile());
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG image");
    }

    @Test
    void badOptionsAreReportedWithTheFix() {
        Demo demo = new Demo();
        CommandLine cl = new CommandLine(demo);
        var err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err));
        assertNotEquals(0, cl.execute("--optimizer", "rmsprop"));
        assertTrue(err.toString().contains("expected one of [sgd, adam]"), err.toString());
        assertNotEquals(0, cl.execute("--epochs", "0"));
        assertTrue(err.toString().contains("--epochs must be at least 1, got 0"), err.toString());
    }
}
