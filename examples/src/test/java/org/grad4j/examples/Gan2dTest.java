package org.grad4j.examples;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.grad4j.Grad4j.manualSeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Gan2dTest {
    @Test
    void realSamplesLieNearTheirModes() {
        manualSeed(1);
        int[] counts = Gan2d.modeCounts(Gan2d.realSamples(4000));
        assertEquals(0, counts[Gan2d.MODES], "real samples near no mode: " + Arrays.toString(counts));
        for (int k = 0; k < Gan2d.MODES; k++) assertTrue(counts[k] > 350, Arrays.toString(counts));
    }

    @Test
    void generatedSamplesCoverTheModes() {
        Gan2d.Result r = Gan2d.run(1000, 0, false);
        String counts = Arrays.toString(r.counts());
        assertTrue(r.modesCovered() >= 6, "modes with >= 5% of the samples: " + r.modesCovered() + " " + counts);
        assertTrue(r.counts()[Gan2d.MODES] < 2000 / 4, "samples near no mode: " + counts);
    }
}
