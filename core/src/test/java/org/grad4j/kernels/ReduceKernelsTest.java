package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.kernels.ReduceKernels.Kind;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reduce family called directly, on heap and off-heap storages. */
class ReduceKernelsTest {
    private static final ReduceKernels K = Backend.cpu().reduce();
    private static final boolean[][] MASKS = {{false, true}, {true, false}, {true, true}};

    /** A [3, 4] view with strides [1, 5] at offset 2 (transposed-like and offset) of a 24-element storage. */
    private static Strided view(Storage s) { return new Strided(s, new int[]{3, 4}, new int[]{1, 5}, 2); }

    private static DType outType(Kind k, DType in) {
        return switch (k) {
            case ARGMAX, ARGMIN -> DType.INT64;
            case ALL, ANY -> DType.BOOL;
            case SUM, PROD -> in.isFloatingPoint() ? in : DType.INT64;
            default -> in;
        };
    }

    @Test
    void heapAndOffHeapAgreeForEveryKindOnAStridedOffsetView() {
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.BOOL}) {
            Storage[] in = BothStorages.of(t, 24, 7);
            for (Kind k : Kind.values()) {
                for (boolean[] mask : MASKS) {
                    int outN = (mask[0] ? 1 : 3) * (mask[1] ? 1 : 4);
                    Storage[] out = BothStorages.empty(outType(k, t), outN);
                    K.reduce(k, view(in[0]), mask, out[0]);
                    K.reduce(k, view(in[1]), mask, out[1]);
                    BothStorages.assertSame(out[0], out[1], t + " " + k + " " + mask[0] + "," + mask[1]);
                }
            }
        }
    }

    @Test
    void sumOfAStridedViewIsTheDoubleSumOfItsElements() {
        Storage[] in = BothStorages.of(DType.FLOAT64, 24, 3);
        for (Storage s : in) {
            for (int i = 0; i < 24; i++) if (Double.isNaN(s.getDouble(i)) || Double.isInfinite(s.getDouble(i))) s.setDouble(i, i);
            Storage out = HeapStorage.allocate(DType.FLOAT64, 4);
            K.reduce(Kind.SUM, view(s), new boolean[]{true, false}, out);
            for (int j = 0; j < 4; j++) {
                double ref = 0;
                for (int i = 0; i < 3; i++) ref += s.getDouble(2 + i + 5 * j);
                assertEquals(ref, out.getDouble(j), 1e-12, "column " + j + " of " + s.kind());
            }
        }
    }

    @Test
    void argmaxReturnsTheFirstNanAndMaxPropagatesIt() {
        Storage[] in = BothStorages.empty(DType.FLOAT32, 4);
        for (Storage s : in) {
            double[] v = {1, Double.NaN, 5, Double.NaN};
            for (int i = 0; i < 4; i++) s.setDouble(i, v[i]);
            Strided x = new Strided(s, new int[]{4}, new int[]{1}, 0);
            Storage idx = HeapStorage.allocate(DType.INT64, 1), max = HeapStorage.allocate(DType.FLOAT32, 1);
            K.reduce(Kind.ARGMAX, x, new boolean[]{true}, idx);
            K.reduce(Kind.MAX, x, new boolean[]{true}, max);
            assertEquals(1, idx.getLong(0));
            assertEquals(Double.NaN, max.getDouble(0));
        }
    }

    @Test
    void scaleRoundsEachProductToTheStoragesDtype() {
        Storage[] f = BothStorages.empty(DType.FLOAT32, 3);
        for (Storage s : f) {
            for (int i = 0; i < 3; i++) s.setDouble(i, 0.1f * (i + 1));
            K.scale(s, 1.0 / 3);
            for (int i = 0; i < 3; i++) assertEquals((float) ((double) (0.1f * (i + 1)) * (1.0 / 3)), (float) s.getDouble(i), 0f);
        }
        Storage[] d = BothStorages.of(DType.FLOAT64, 10, 5);
        K.scale(d[0], 0.25);
        K.scale(d[1], 0.25);
        BothStorages.assertSame(d[0], d[1], "float64 scale");
    }
}
