package org.grad4j.kernels;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The factory family called directly, on heap and off-heap storages. */
class FactoryKernelsTest {
    private static final FactoryKernels K = Backend.cpu().factory();

    @Test
    void fillOfAStridedOffsetViewWritesOnlyTheView() {
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL}) {
            Storage[] s = BothStorages.empty(t, 20);
            for (Storage st : s) K.fill(new Strided(st, new int[]{3, 2}, new int[]{5, 2}, 1), 1.0);
            BothStorages.assertSame(s[0], s[1], t.toString());
            int set = 0;
            for (int i = 0; i < 20; i++) if (s[1].getDouble(i) != 0) set++;
            assertEquals(6, set, t + ": elements written");
            assertEquals(1.0, s[1].getDouble(1 + 2 * 5 + 2));
        }
    }

    @Test
    void rangesAgreeOnHeapAndOffHeap() {
        Storage[] l = BothStorages.empty(DType.INT64, 9);
        for (Storage s : l) K.arange(s, -3L, 7L);
        BothStorages.assertSame(l[0], l[1], "arange long");
        assertEquals(-3 + 8 * 7, l[1].getLong(8));
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
            Storage[] d = BothStorages.empty(t, 11), lin = BothStorages.empty(t, 11);
            for (Storage s : d) K.arange(s, 0.5, 0.1);
            for (Storage s : lin) K.linspace(s, -1.0, 2.0);
            BothStorages.assertSame(d[0], d[1], "arange " + t);
            BothStorages.assertSame(lin[0], lin[1], "linspace " + t);
        }
    }

    @Test
    void linspaceOfOneStepIsStart() {
        assertArrayEquals(new float[]{2f}, Grad4j.linspace(2, 5, 1).toFloatArray());   // torch.linspace(2, 5, 1) == [2.]
        Storage[] s = BothStorages.empty(DType.FLOAT64, 1);
        for (Storage st : s) K.linspace(st, -4.0, 9.0);
        assertEquals(-4.0, s[0].getDouble(0));
        assertEquals(-4.0, s[1].getDouble(0));
    }

    @Test
    void copyFromJavaConvertsEveryArrayKindOnHeapAndOffHeap() {
        Object[] arrays = {new double[]{1.5, -0.0}, new float[]{2.5f, Float.NaN}, new long[]{1L << 40, -2}, new int[]{3, -4},
                new short[]{5, 6}, new byte[]{-7, 8}, new boolean[]{true, false}, new Object[]{9, 1.25, true}};
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL}) {
            Storage[] s = BothStorages.empty(t, 17);
            for (Storage st : s) {
                int at = 0;
                for (Object a : arrays) at += K.copyFromJava(a, st, at, "tensor(data)");
                assertEquals(17, at);
            }
            BothStorages.assertSame(s[0], s[1], t.toString());
        }
        Storage[] f = BothStorages.empty(DType.FLOAT64, 3);
        for (Storage st : f) K.copyFromJava(new Object[]{1, 2.5, false}, st, 0, "tensor(data)");
        assertEquals(2.5, f[1].getDouble(1));
        var e = assertThrows(IllegalArgumentException.class, () -> K.copyFromJava(new Object[]{"x"}, f[0], 0, "tensor(data)"));
        assertTrue(e.getMessage().startsWith("tensor(data): unsupported element x"), e.getMessage());
    }

    @Test
    void copyToJavaReadsARangeOfEitherKind() {
        Storage[] s = BothStorages.of(DType.INT64, 10, 1);
        assertArrayEquals((long[]) K.copyToJava(s[0], 3, 4), (long[]) K.copyToJava(s[1], 3, 4));
        assertEquals(s[1].getLong(3), ((long[]) K.copyToJava(s[1], 3, 4))[0]);
    }
}
