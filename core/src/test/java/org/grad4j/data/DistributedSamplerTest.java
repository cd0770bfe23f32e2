package org.grad4j.data;

import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistributedSamplerTest {

    static List<Integer> list(DistributedSampler s) {
        List<Integer> out = new ArrayList<>();
        s.forEach(out::add);
        return out;
    }

    @Test
    void ranksTakeEveryNthIndexOfTheSeededPermutation() {
        long[] perm = Grad4j.randperm(12, new Generator().manualSeed(5 + 3)).toLongArray();
        for (int r = 0; r < 3; r++) {
            var s = new DistributedSampler(12, 3, r, true, 5, false);
            s.setEpoch(3);
            List<Integer> want = new ArrayList<>();
            for (int i = r; i < 12; i += 3) want.add((int) perm[i]);
            assertEquals(want, list(s));
            assertEquals(4, s.size());
        }
    }

    /** torch.manual_seed(seed); torch.randperm(n)[:12] from libtorch 2.5.1 (the oracle in ~/.m2), the order DistributedSampler splits. */
    @Test
    void theEpochOrderIsTorchsRandpermForSeedPlusEpoch() {
        assertEquals(List.of(4, 1, 7, 5, 3, 9, 0, 8, 6, 2), new DistributedSampler(10, 1, 0, true, 0, false).epochOrder());
        var s = new DistributedSampler(10, 1, 0, true, 40, false);
        s.setEpoch(2);
        assertEquals(List.of(2, 6, 1, 8, 4, 5, 0, 9, 3, 7), s.epochOrder(), "seed 40 + epoch 2 = torch seed 42");
        assertEquals(List.of(44, 19, 93, 90, 71, 69, 37, 95, 53, 91, 81, 42),
                new DistributedSampler(100, 1, 0, true, 0, false).epochOrder().subList(0, 12));
        assertEquals(List.of(31, 6, 24, 23, 73, 42, 82, 18, 8, 22, 2, 99),
                new DistributedSampler(100, 1, 0, true, 1234567, false).epochOrder().subList(0, 12));
        // rank 1 of 2 with torch's seed-5 order 1 4 9 6 3 5 0 2 8 7: every second index from the second
        assertEquals(List.of(4, 6, 5, 2, 7), list(new DistributedSampler(10, 2, 1, true, 5, false)));
    }

    @Test
    void ranksAreDisjointAndCoverTheDatasetWhenItDivides() {
        Set<Integer> all = new HashSet<>();
        for (int r = 0; r < 4; r++) all.addAll(list(new DistributedSampler(20, 4, r)));
        assertEquals(20, all.size());
    }

    @Test
    void withoutDropLastTheOrderIsPaddedWithItsOwnHead() {
        // 10 indices over 4 ranks: 3 each, total 12, padded with the first two of the order
        var s0 = new DistributedSampler(10, 4, 0, false, 0, false);
        var s1 = new DistributedSampler(10, 4, 1, false, 0, false);
        assertEquals(List.of(0, 4, 8), list(s0));
        assertEquals(List.of(1, 5, 9), list(s1));
        assertEquals(List.of(2, 6, 0), list(new DistributedSampler(10, 4, 2, false, 0, false)));
        assertEquals(List.of(3, 7, 1), list(new DistributedSampler(10, 4, 3, false, 0, false)));
        // padding longer than the dataset repeats it (PyTorch's indices * ceil(padding / len))
        // 3 indices over 5 ranks: order 0 1 2 0 1
        assertEquals(List.of(1), list(new DistributedSampler(3, 5, 1, false, 0, false)));
        assertEquals(List.of(0), list(new DistributedSampler(3, 5, 3, false, 0, false)));
        assertEquals(List.of(1), list(new DistributedSampler(3, 5, 4, false, 0, false)));
    }

    @Test
    void dropLastCutsTheTailAsPyTorchs() {
        var s = new DistributedSampler(10, 4, 1, false, 0, true);
        assertEquals(2, s.size());                    // ceil((10 - 4) / 4)
        assertEquals(List.of(1, 5), list(s));
    }

    @Test
    void setEpochReshufflesAndTheSameEpochRepeats() {
        var s = new DistributedSampler(50, 2, 0);
        List<Integer> e0 = list(s), again = list(s);
        s.setEpoch(1);
        assertEquals(e0, again);
        assertNotEquals(e0, list(s));
    }

    @Test
    void aRankOutsideTheGroupFailsWithPyTorchsMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(10, 2, 2));
        assertEquals("Invalid rank 2, rank should be in the interval [0, 1]", e.getMessage());
        assertTrue(new DistributedSampler(0, 2, 1).size() == 0);
    }
}
