package org.grad4j.rng;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.io.Checkpoints;
import org.grad4j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Checkpoints store generator states under rng.<name> and restore them. */
class CheckpointRngStatesTest {
    @TempDir
    Path tmp;

    @Test
    void checkpointsStoreAndRestoreRngStates() throws IOException {
        Grad4j.manualSeed(31);
        Grad4j.randn(1);                                         // a cached spare normal travels too
        Generator loader = new Generator().manualSeed(32);
        loader.nextLong64();
        Path f = tmp.resolve("ck.safetensors");
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("w", Grad4j.ones(2)), null, null, 5, Map.of(),
                Checkpoints.rngStates(loader)));
        Tensor expectedGlobal = Grad4j.randn(3);
        long expectedLoader = loader.nextLong64();

        var raw = SafeTensors.read(f);
        assertEquals(DType.UINT8, raw.tensors().get("rng.default").dtype(), "stored as plain uint8 tensors");
        assertTrue(raw.tensors().containsKey("rng.loader"));

        Grad4j.manualSeed(0);
        Generator fresh = new Generator();
        var ck = Checkpoints.load(f);
        assertEquals(java.util.Set.of("default", "loader"), ck.rng().keySet());
        assertEquals(Map.of("w", 2), Map.of("w", ck.model().get("w").numel()), "rng entries are not model entries");
        Checkpoints.restoreRngStates(ck, fresh);
        assertTrue(Grad4j.randn(3).equal(expectedGlobal));
        assertEquals(expectedLoader, fresh.nextLong64());
    }

    @Test
    void restoringAMissingRngStateSaysWhatIsMissing() throws IOException {
        Path f = tmp.resolve("old.safetensors");
        Checkpoints.save(f, new Checkpoints.Checkpoint(Map.of("w", Grad4j.ones(2)), null, 1, Map.of()));
        var ck = Checkpoints.load(f);
        assertTrue(ck.rng().isEmpty(), "a checkpoint without RNG states loads with none");
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.restoreRngStates(ck, null));
        assertTrue(e.getMessage().contains("no RNG state 'default'") && e.getMessage().contains("Fix:"), e.getMessage());
    }
}
