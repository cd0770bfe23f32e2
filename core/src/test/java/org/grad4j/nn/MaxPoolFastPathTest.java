package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** The 2x2 / stride 2 max pool (vector blends) picks what PyTorch picks: the first maximum, NaN first. */
class MaxPoolFastPathTest {
    @Test
    void tiesAndNaNsPickTheFirstCandidate() {
        Random r = new Random(7);
        for (int[] s : new int[][]{{2, 3, 9, 20}, {1, 2, 28, 28}, {3, 1, 10, 10}, {1, 1, 4, 33}, {2, 2, 7, 9}, {1, 1, 6, 70}, {1, 3, 5, 41}}) {
            int n = s[0] * s[1] * s[2] * s[3];
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = r.nextInt(10) == 0 ? Float.NaN : r.nextInt(3);   // many ties
            Tensor x = fromArray(v, s);
            Tensor[] got = F.maxPool2dWithIndices(x, new int[]{2, 2}, new int[]{2, 2}, new int[]{0, 0}, new int[]{1, 1}, false);
            float[] out = got[0].toFloatArray();
            long[] idx = got[1].toLongArray();
            int oh = s[2] / 2, ow = s[3] / 2;
            for (int p = 0; p < s[0] * s[1]; p++)
                for (int y = 0; y < oh; y++)
                    for (int c = 0; c < ow; c++) {
                        int bi = -1;
                        float best = 0;
                        for (int k = 0; k < 4; k++) {
                            int pos = (2 * y + k / 2) * s[3] + 2 * c + k % 2;
                            float e = v[p * s[2] * s[3] + pos];
                            if (bi < 0 || e > best || e != e) {
                                best = e;
                                bi = pos;
                                if (e != e) break;
                            }
                        }
                        int o = (p * oh + y) * ow + c;
                        assertEquals(bi, idx[o], "shape " + java.util.Arrays.toString(s) + " output " + o);
                        assertEquals(best, out[o], 0f);
                    }
        }
    }
}
