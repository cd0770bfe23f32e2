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
            else if (l.name().equals("g4_im2col_f64")) im2col(mem, a, false);
            else if (l.name().equals("g4_col2im_f64")) im2col(mem, a, true);
            else if (l.name().equals("g4_binary_f64") && a.get(7).bits() == org.grad4j.kernels.BinaryOp.ADD.ordinal()) add(mem, a);
            else if (l.name().equals("g4_fill_f64")) fill(mem, a);
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

    /** im2col (col [N, C*kh*kw, L] from im) or col2im (im = the sum of the columns over each pixel), as conv_pool.cu. */
    private static void im2col(Map<Long, Storage> mem, List<KernelArgs.Arg> a, boolean back) {
        Object[] dst = resolve(mem, a.get(0).bits()), src = resolve(mem, a.get(1).bits());
        java.nio.ByteBuffer wb = java.nio.ByteBuffer.wrap(a.get(2).struct()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int c = wb.getInt(), h = wb.getInt(), w = wb.getInt(), kh = wb.getInt(), kw = wb.getInt(), sh = wb.getInt(), sw = wb.getInt(),
                ph = wb.getInt(), pw = wb.getInt(), dh = wb.getInt(), dw = wb.getInt(), oh = wb.getInt(), ow = wb.getInt();
        int batch = (int) a.get(3).bits(), l = oh * ow, rows = c * kh * kw;
        Storage d = (Storage) dst[0], s = (Storage) src[0];
        int d0 = (int) dst[1], s0 = (int) src[1];
        if (!back) {
            for (int n = 0; n < batch; n++) for (int r = 0; r < rows; r++) for (int p = 0; p < l; p++) {
                int kj = r % kw, ki = r / kw % kh, ch = r / (kw * kh), y = p / ow * sh - ph + ki * dh, x = p % ow * sw - pw + kj * dw;
                d.setDouble(d0 + (n * rows + r) * l + p, y >= 0 && y < h && x >= 0 && x < w ? s.getDouble(s0 + ((n * c + ch) * h + y) * w + x) : 0);
            }
            return;
        }
        for (int n = 0; n < batch; n++) for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            double acc = 0;
            for (int ki = 0; ki < kh; ki++) {
                int hh = y + ph - ki * dh;
                if (hh < 0 || hh % sh != 0 || hh / sh >= oh) continue;
                for (int kj = 0; kj < kw; kj++) {
                    int xx = x + pw - kj * dw;
                    if (xx < 0 || xx % sw != 0 || xx / sw >= ow) continue;
                    acc += s.getDouble(s0 + (n * rows + (ch * kh + ki) * kw + kj) * l + hh / sh * ow + xx / sw);
                }
            }
            d.setDouble(d0 + ((n * c + ch) * h + y) * w + x, acc);
        }
    }

    private static void add(Map<Long, Storage> mem, List<KernelArgs.Arg> a) {
        Object[] o = resolve(mem, a.get(0).bits()), x = resolve(mem, a.get(1).bits()), y = resolve(mem, a.get(2).bits());
        long[] od = decode(a.get(3).struct()), xd = decode(a.get(4).struct()), yd = decode(a.get(5).struct());
        long n = a.get(6).bits();
        for (long i = 0; i < n; i++) {
            double v = ((Storage) x[0]).getDouble((int) x[1] + (int) at(xd, i)) + ((Storage) y[0]).getDouble((int) y[1] + (int) at(yd, i));
            ((Storage) o[0]).setDouble((int) o[1] + (int) at(od, i), v);
        }
    }

    private static void fill(Map<Long, Storage> mem, List<KernelArgs.Arg> a) {
        Object[] d = resolve(mem, a.get(0).bits());
        long[] dd = decode(a.get(1).struct());
        for (long i = 0; i < a.get(2).bits(); i++) ((Storage) d[0]).setDouble((int) d[1] + (int) at(dd, i), Double.longBitsToDouble(a.get(3).bits()));
    }

    /** The element offset of row-major position i in a decoded TensorDesc. */
    private static long at(long[] desc, long i) {
        long off = desc[0];
        for (int r = (int) desc[17] - 1; r >= 0; r--) {
            off += i % desc[1 + r] * desc[9 + r];
            i /= desc[1 + r];
        }
        return off;
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
