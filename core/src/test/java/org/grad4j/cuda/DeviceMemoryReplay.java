package org.grad4j.cuda;

import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays recorded g4_gemm and float64 g4_copy launches in Java over the heap storages behind a
 * {@link FakeRuntime}'s addresses (scratch gets storages of its own): the kernels' index arithmetic
 * transcribed from gemm.cu and elementwise.cu, so that tests check the families' arguments by their result.
 */
final class DeviceMemoryReplay {
    private DeviceMemoryReplay() {}

    static void run(FakeRuntime rt, Map<Long, Storage> extra) {
        Map<Long, Storage> mem = new HashMap<>(extra);
        rt.addresses.forEach((s, p) -> mem.put(p, s));
        for (KernelLaunch l : rt.launches) {
            List<KernelArgs.Arg> a = l.args().args();
            if (l.name().equals("g4_gemm_f64")) gemm(mem, a);
            else if (l.name().equals("g4_copy_f64_f64")) copy(mem, a);
            else throw new IllegalStateException("no replay for " + l.name());
        }
    }

    /** The storage holding address p and the element index there (scratch: made on first touch). */
    private static Object[] resolve(Map<Long, Storage> mem, long p) {
        for (var e : mem.entrySet()) {
            long d = p - e.getKey();
            if (d >= 0 && d < (1 << 24)) return new Object[]{e.getValue(), (int) (d / 8)};
        }
        Storage s = HeapStorage.allocate(DType.FLOAT64, 1 << 20);
        mem.put(p, s);
        return new Object[]{s, 0};
    }

    private static void gemm(Map<Long, Storage> mem, List<KernelArgs.Arg> a) {
        Object[] c = resolve(mem, a.get(0).bits()), x = resolve(mem, a.get(1).bits()), y = resolve(mem, a.get(2).bits());
        int m = (int) a.get(3).bits(), n = (int) a.get(4).bits(), k = (int) a.get(5).bits();
        long lda = a.get(6).bits(), ldb = a.get(7).bits(), ldc = a.get(8).bits();
        long sa = a.get(9).bits(), sb = a.get(10).bits(), sc = a.get(11).bits();
        int batch = (int) a.get(12).bits();
        boolean ta = a.get(13).bits() != 0, tb = a.get(14).bits() != 0;
        Storage C = (Storage) c[0], A = (Storage) x[0], B = (Storage) y[0];
        int c0 = (int) c[1], a0 = (int) x[1], b0 = (int) y[1];
        for (int bt = 0; bt < batch; bt++)
            for (int row = 0; row < m; row++)
                for (int col = 0; col < n; col++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        double av = A.getDouble((int) (a0 + bt * sa + (ta ? p * lda + row : row * lda + p)));
                        double bv = B.getDouble((int) (b0 + bt * sb + (tb ? col * ldb + p : p * ldb + col)));
                        acc = acc + av * bv;
                    }
                    C.setDouble((int) (c0 + bt * sc + row * ldc + col), acc);
                }
    }

    private static void copy(Map<Long, Storage> mem, List<KernelArgs.Arg> a) {
        Object[] d = resolve(mem, a.get(0).bits()), s = resolve(mem, a.get(1).bits());
        long[] dd = decode(a.get(2).struct()), sd = decode(a.get(3).struct());
        int rank = (int) dd[17];
        long n = a.get(4).bits();
        for (long i = 0; i < n; i++) {
            long rem = i, od = dd[0], os = sd[0];
            for (int r = rank - 1; r >= 0; r--) {
                long ix = rem % dd[1 + r];
                rem /= dd[1 + r];
                od += ix * dd[9 + r];
                os += ix * sd[9 + r];
            }
            ((Storage) d[0]).setDouble((int) ((int) d[1] + od), ((Storage) s[0]).getDouble((int) ((int) s[1] + os)));
        }
    }

    /** TensorDesc bytes as {offset, shape[8], strides[8], rank}. */
    private static long[] decode(byte[] b) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[18];
        for (int i = 0; i < 17; i++) out[i] = bb.getLong();
        out[17] = bb.getInt();
        return out;
    }
}
