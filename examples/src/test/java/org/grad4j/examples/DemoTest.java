package org.grad4j.examples;

import org.grad4j.Tensor;
import org.grad4j.io.Checkpoints;
import org.grad4j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        Checkpoints.Checkpoint ck = Checkpoints.load(r.checkpointFile());
        assertEquals(2, ck.epoch());
        Tensor w = ck.model().get("0.weight");
        assertArrayEquals(new int[]{6, 1, 5, 5}, w.shape());
        assertTrue(ck.model().containsKey("11.bias"));
        byte[] png = Files.readAllBytes(r.curveFile());
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG image");
    }

    /**
     * The model file is the state dict alone, under PyTorch's own names for the same
     * nn.Sequential, with no metadata: what model.load_state_dict(safetensors.torch.load_file(f))
     * takes as is. (It used to be the checkpoint, whose "model."-prefixed keys PyTorch rejects.)
     */
    @Test
    void modelFileIsThePlainStateDictBesideTheCheckpoint(@TempDir Path out) throws Exception {
        Demo demo = new Demo();
        var stdout = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(stdout, true));
        int rc;
        try {
            rc = new CommandLine(demo).execute("--epochs", "1", "--no-progress", "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        Demo.Report r = demo.report();
        assertEquals(out.resolve("lenet5.safetensors"), r.modelFile());
        assertEquals(out.resolve("lenet5-checkpoint.safetensors"), r.checkpointFile());
        SafeTensors.Contents plain = SafeTensors.read(r.modelFile());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias",
                "11.weight", "11.bias"), List.copyOf(plain.tensors().keySet()));
        assertTrue(plain.metadata().isEmpty(), plain.metadata().toString());
        Demo.lenet5().loadStateDict(plain.tensors());   // strict: every key, every shape
        Checkpoints.Checkpoint ck = Checkpoints.load(r.checkpointFile());
        assertEquals(plain.tensors().get("11.bias").toString(), ck.model().get("11.bias").toString());
        String text = stdout.toString();
        assertTrue(text.contains("model:      " + r.modelFile()) && text.contains("the weights alone"), text);
        assertTrue(text.contains("checkpoint: " + r.checkpointFile()) && text.contains("to resume training"), text);
    }

    /** Written files get the permissions the umask gives new files, not a temp file's 0600. */
    @Test
    void curvesFileHonoursTheUmask(@TempDir Path out) throws Exception {
        Path f = out.resolve("curves.png");
        org.grad4j.io.AtomicFiles.write(f, new byte[]{1, 2, 3});
        Path ref = Files.createFile(out.resolve("reference"));   // a new file under this process's umask
        assertEquals(Files.getPosixFilePermissions(ref), Files.getPosixFilePermissions(f));
        try (var files = Files.list(out)) {
            assertEquals(2, files.count(), "no temp file left behind");
        }
    }

    /** Without a CUDA driver, --device cuda is one line on stderr naming the problem and the fix, and exit code 1. */
    @Test
    void deviceCudaWithoutADriverIsOneLineAndNonZeroExit(@TempDir Path out) {
        if (org.grad4j.Device.cudaIsAvailable()) return;   // a GPU machine: the demo trains there
        var err = new java.io.ByteArrayOutputStream();
        var old = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        int rc;
        try {
            rc = new CommandLine(new Demo()).execute("--device", "cuda", "--epochs", "1", "--out", out.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(1, rc);
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("grad4j demo: --device cuda: no CUDA device or driver was found"), text);
        assertTrue(text.contains("Fix: "), text);
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
