package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.kernels.NeuralKernels.Window;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import static org.grad4j.kernels.KindPair.agree;
import static org.grad4j.kernels.KindPair.of;
import static org.grad4j.kernels.KindPair.ramp;
import static org.grad4j.kernels.KindPair.zeros;
import static org.junit.jupiter.api.Assertions.*;

/** The nn family (im2col, convolution, pooling, batch norm, ReLU's gradient) on heap and off-heap storages. */
class NeuralKernelsTest {
    private static final NeuralKernels K = Backend.cpu().nn();
    // [N=2, C=2, 4, 4] input, 3x3 kernel, stride 1, padding 1 -> 4x4 outputs
    private static final Window G = new Window(2, 2, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4, 4);

    @Test
    void im2colThenCol2imAgreeAcrossKindsAndDtypes() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            double[][] out = agree(kind -> {
                Storage x = of(kind, dt, ramp(64)), cols = zeros(kind, dt, G.cols() * G.positions()), back = zeros(kind, dt, 64);
                K.im2col(x, cols, G);
                K.col2im(cols, back, G);
                return new Storage[]{cols, back};
            });
            // the centre tap (row c*9 + 4) of an unpadded position is the pixel itself
            assertEquals(ramp(64)[5], out[0][4 * G.positions() + 5], dt.toString());
            // an interior pixel is covered by all 9 windows
            assertEquals(9 * ramp(64)[5], out[1][5], 1e-5, dt.toString());
        }
    }

    @Test
    void conv2dForwardAndBackwardAgreeAcrossKinds() {
        int o = 3;
        double[][] out = agree(kind -> {
            Storage x = of(kind, DType.FLOAT32, ramp(64)), w = of(kind, DType.FLOAT32, ramp(o * 18)), b = of(kind, DType.FLOAT32, 1, 2, 3);
            Storage y = zeros(kind, DType.FLOAT32, 2 * o * 16);
            K.conv2dForward(x, w, b, y, o, G);
            Storage gx = zeros(kind, DType.FLOAT32, 64), gw = zeros(kind, DType.FLOAT32, o * 18), gb = zeros(kind, DType.FLOAT32, o);
            K.conv2dBackward(x, w, y, o, G, gx, gw, gb);
            return new Storage[]{y, gx, gw, gb};
        });
        double[] y = out[0];
        double sum0 = 0;
        for (int i = 0; i < 16; i++) sum0 += y[i] + y[o * 16 + i];       // channel 0 of both images
        assertEquals(sum0, out[3][0], 1e-3, "bias gradient is the sum of the output gradient");
    }

    @Test
    void maxPoolForwardAndBackwardAgreeAcrossKinds() {
        Window p = new Window(2, 2, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1, 2, 2);
        double[][] out = agree(kind -> {
            Storage x = of(kind, DType.FLOAT32, ramp(64)), y = zeros(kind, DType.FLOAT32, 16), idx = zeros(kind, DType.INT64, 16);
            K.maxPool2d(x, y, idx, 4, p);
            Storage g = of(kind, DType.FLOAT32, ramp(17)), gx = zeros(kind, DType.FLOAT32, 64);
            K.maxPoolBackward(g, 1, idx, 0, gx, 4, 4, 16);
            return new Storage[]{y, idx, gx};
        });
        double[] x = ramp(64);
        int i0 = (int) out[1][0];
        assertEquals(x[i0], out[0][0]);
        assertEquals(Math.max(Math.max(x[0], x[1]), Math.max(x[4], x[5])), out[0][0]);
        assertEquals(ramp(17)[1], out[2][i0]);
    }

    @Test
    void adaptiveMaxIndicesOfAStridedViewAgreeAcrossKinds() {
        double[] idx = agree(kind -> {
            // planes [2, 3, 3] read transposed (h and w swapped) from the storage
            Storage x = of(kind, DType.FLOAT64, ramp(18)), i = zeros(kind, DType.INT64, 2 * 4);
            K.adaptiveMaxPool2dIndices(new Strided(x, new int[]{2, 3, 3}, new int[]{9, 1, 3}, 0), 2, 2, i);
            return new Storage[]{i};
        })[0];
        double[] x = ramp(18);
        // window (0, 0) of plane 0 covers rows 0..1, columns 0..1 of the transposed plane
        int best = -1;
        double bv = 0;
        for (int r = 0; r < 2; r++) for (int c = 0; c < 2; c++) {
            double e = x[c * 3 + r];
            if (best < 0 || e > bv) { bv = e; best = r * 3 + c; }
        }
        assertEquals(best, (int) idx[0]);
    }

    @Test
    void reluBackwardAndBatchNormAgreeAcrossKinds() {
        double[][] out = agree(kind -> {
            Storage g = of(kind, DType.FLOAT32, 9, 1, 2, 3), y = of(kind, DType.FLOAT32, 0, 1, 0, Double.NaN), r = zeros(kind, DType.FLOAT32, 3);
            K.reluBackward(g, 1, y, 1, r, 3);
            Storage x = of(kind, DType.FLOAT32, ramp(12)), bn = zeros(kind, DType.FLOAT32, 12);
            double[] mean = new double[2], var = new double[2];
            K.batchNormStats(x, 2, 2, 3, mean, var);
            K.batchNormApply(x, bn, 2, 2, 3, new float[]{2, 3}, new float[]{(float) mean[0], (float) var[1]});
            Storage gx = zeros(kind, DType.FLOAT32, 12), gw = zeros(kind, DType.FLOAT32, 2), gb = zeros(kind, DType.FLOAT32, 2);
            K.batchNormBackward(x, x, 2, 2, 3, mean, new double[]{1, 2}, of(kind, DType.FLOAT32, 1, 1), true, gx, gw, gb);
            return new Storage[]{r, bn, gx, gw, gb};
        });
        assertArrayEquals(new double[]{1, 0, 3}, out[0]);       // NaN outputs pass the gradient
        double[] x = ramp(12);
        double m0 = (x[0] + x[1] + x[2] + x[6] + x[7] + x[8]) / 6;
        assertEquals(2 * x[0] + m0, out[1][0], 1e-5);
    }
}
