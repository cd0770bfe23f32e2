package org.grad4j.examples;

import org.grad4j.distributed.ProcessGroup;
import org.grad4j.io.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The demo's data-parallel training on a few hundred digits: DDP ranks as threads, and gradient accumulation. */
class DataParallelDemoTest {

    static DataParallelDemo.Config cfg(Path out, int epochs, boolean resume) {
        return new DataParallelDemo.Config(epochs, 64, 0.01, 0.9, 0, null, out, resume, 1, 320);
    }

    /** Runs every rank of a deterministic loopback group in its own thread. */
    static void ddp(int world, DataParallelDemo.Config c) throws Exception {
        var groups = ProcessGroup.loopback(world, new ProcessGroup.Options().deterministic(true).timeout(Duration.ofSeconds(60)));
        ExecutorService ex = Executors.newFixedThreadPool(world);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (ProcessGroup g : groups) fs.add(ex.submit(() -> {
                try (g) {
                    DataParallelDemo.train(g, c, null);
                }
                return null;
            }));
            for (Future<?> f : fs) f.get();
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void ddpOnTwoRanksWritesBitIdenticalWeightsToAccumulatingTheirTwoMicroBatches(@TempDir Path dir) throws Exception {
        ddp(2, cfg(dir.resolve("ddp"), 1, false));
        DataParallelDemo.trainAccumulate(cfg(dir.resolve("acc"), 1, false), 2, null);
        assertArrayEquals(Files.readAllBytes(dir.resolve("acc/model.safetensors")), Files.readAllBytes(dir.resolve("ddp/model.safetensors")));
    }

    @Test
    void aResumedRunEqualsAnUninterruptedOneAndResumesWithAnotherProcessCount(@TempDir Path dir) throws Exception {
        DataParallelDemo.trainAccumulate(cfg(dir.resolve("straight"), 2, false), 2, null);
        ddp(2, cfg(dir.resolve("resumed"), 1, false));                       // epoch 1 on 2 ranks
        DataParallelDemo.trainAccumulate(cfg(dir.resolve("resumed"), 2, true), 2, null);   // epoch 2 in one process
        assertArrayEquals(Files.readAllBytes(dir.resolve("straight/model.safetensors")), Files.readAllBytes(dir.resolve("resumed/model.safetensors")));
        assertEquals(2, Checkpoints.load(dir.resolve("resumed/checkpoint.safetensors")).epoch());
        ddp(3, new DataParallelDemo.Config(3, 63, 0.01, 0.9, 0, null, dir.resolve("resumed"), true, 1, 320));   // epoch 3 on 3 ranks
        assertEquals(3, Checkpoints.load(dir.resolve("resumed/checkpoint.safetensors")).epoch());
    }
}
