package org.grad4j.distributed;

import java.nio.ByteBuffer;

/**
 * A run of primitive elements as the collectives move them: written into and read or reduced out
 * of byte buffers (native order), so a tensor's storage travels without an extra copy. float16 and
 * bfloat16 travel as shorts and are summed in float then rounded back, as a 16-bit all-reduce does.
 */
abstract sealed class Flat permits Flat.F32, Flat.F64, Flat.I64, Flat.I32, Flat.Half {
    final int offset, length;
    /** Makes the elements written into this run visible in the tensor it came from (off-heap storages are staged). */
    Runnable afterWrite = () -> {};

    Flat(int offset, int length) {
        this.offset = offset;
        this.length = length;
    }

    abstract int elementBytes();

    /** Puts elements [at, at+count) (relative to this run) into bb. */
    abstract void put(ByteBuffer bb, int at, int count);

    /** Reads count elements from bb into [at, at+count): copies when op is null, else combines. */
    abstract void take(ByteBuffer bb, int at, int count, ReduceOp op);

    /** this[at+i] = op(this[at+i], src[srcAt+i]) (SUM/AVG add; AVG's division is separate; null copies). */
    abstract void combine(int at, Flat src, int srcAt, int count, ReduceOp op);

    /** Divides every element by n (AVG). */
    abstract void divide(int n);

    /** A fresh zeroed run of the same kind and the given length. */
    abstract Flat scratch(int length);

    static final class F32 extends Flat {
        final float[] a;

        F32(float[] a, int offset, int length) { super(offset, length); this.a = a; }

        int elementBytes() { return 4; }

        void put(ByteBuffer bb, int at, int count) {
            bb.asFloatBuffer().put(a, offset + at, count);
            bb.position(bb.position() + 4 * count);
        }

        /** Per communication thread: received floats land here in bulk, then a plain loop the JIT vectorises adds them. */
        private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

        void take(ByteBuffer bb, int at, int count, ReduceOp op) {
            int o = offset + at, p = bb.position();
            if (op == null) {
                bb.asFloatBuffer().get(a, o, count);
            } else {
                float[] s = SCRATCH.get();
                if (s.length < count) SCRATCH.set(s = new float[count]);
                bb.asFloatBuffer().get(s, 0, count);
                if (op == ReduceOp.MAX) for (int i = 0; i < count; i++) a[o + i] = Math.max(a[o + i], s[i]);
                else for (int i = 0; i < count; i++) a[o + i] += s[i];
            }
            bb.position(p + 4 * count);
        }

        void combine(int at, Flat src, int srcAt, int count, ReduceOp op) {
            float[] s = ((F32) src).a;
            int o = offset + at, so = src.offset + srcAt;
            if (op == null) {
                System.arraycopy(s, so, a, o, count);
                return;
            }
            if (op == ReduceOp.MAX) for (int i = 0; i < count; i++) a[o + i] = Math.max(a[o + i], s[so + i]);
            else for (int i = 0; i < count; i++) a[o + i] += s[so + i];
        }

        void divide(int n) { for (int i = 0; i < length; i++) a[offset + i] /= n; }

        Flat scratch(int len) { return new F32(new float[len], 0, len); }
    }

    static final class F64 extends Flat {
        final double[] a;

        F64(double[] a, int offset, int length) { super(offset, length); this.a = a; }

        int elementBytes() { return 8; }

        void put(ByteBuffer bb, int at, int count) {
            bb.asDoubleBuffer().put(a, offset + at, count);
            bb.position(bb.position() + 8 * count);
        }

        void take(ByteBuffer bb, int at, int count, ReduceOp op) {
            int o = offset + at, p = bb.position();
            if (op == null) bb.asDoubleBuffer().get(a, o, count);
            else if (op == ReduceOp.MAX) for (int i = 0; i < count; i++) a[o + i] = Math.max(a[o + i], bb.getDouble(p + 8 * i));
            else for (int i = 0; i < count; i++) a[o + i] += bb.getDouble(p + 8 * i);
            bb.position(p + 8 * count);
        }

        void combine(int at, Flat src, int srcAt, int count, ReduceOp op) {
            double[] s = ((F64) src).a;
            int o = offset + at, so = src.offset + srcAt;
            if (op == null) {
                System.arraycopy(s, so, a, o, count);
                return;
            }
            if (op == ReduceOp.MAX) for (int i = 0; i < count; i++) a[o + i] = Math.max(a[o + i], s[so + i]);
            else for (int i = 0; i < count; i++) a[o + i] += s[so + i];
        }

        void divide(int n) { for (int i = 0; i < length; i++) a[offset + i] /= n; }

        Flat scratch(int len) { return new F64(new double[len], 0, len); }
    }

    static final class I64 extends Flat {
        final long[] a;

        I64(long[] a, int offset, int length) { super(offset, length); this.a = a; }

        int elementBytes() { return 8; }

        void put(ByteBuffer bb, int at, int count) {
            bb.asLongBuffer().put(a, offset + at, count);
            bb.position(bb.position() + 8 * count);
        }

        void take(ByteBuffer bb, int at, int count, ReduceOp op) {
            int o = offset + at, p = bb.position();
            if (op == null) bb.asLongBuffer().get(a, o, count);
            else if (op == ReduceOp.MAX) for (int i = 0; i < count; i++) a[o + i] = Math.max(a[o + i], bb.getLong(p + 8 * i));
            else for (int i = 0; i < count; i++) a[o + i] += bb.getLong(p + 8 * i);
            bb.position(p + 8 * count);
        }

        void combine(int at, Flat src, int srcAt, int count, ReduceOp op) {
            long[] s = ((I64) src).a;
            int o = offset + at, so = src.offset + srcAt;
            if (op == null) {
                System.arraycopy(s, so, a, o, count);
                return;
            }
            if (op == ReduceOp.MAX) for (int i = 0; i < count; i++) a[o + i] = Math.max(a[o + i], s[so + i]);
            else for (int i = 0; i < count; i++) a[o + i] += s[so + i];
        }

        // integer AVG truncates toward zero, as torch's integer division of a sum would floor; documented
        void divide(int n) { for (int i = 0; i < length; i++) a[offset + i] /= n; }

        Flat scratch(int len) { return new I64(new long[len], 0, len); }
    }

    static final class I32 extends Flat {
        final int[] a;

        I32(int[] a, int offset, int length) { super(offset, length); this.a = a; }

        int elementBytes() { return 4; }

        void put(ByteBuffer bb, int at, int count) {
            bb.asIntBuffer().put(a, offset + at, count);
            bb.position(bb.position() + 4 * count);
        }

        void take(ByteBuffer bb, int at, int count, ReduceOp op) {
            int o = offset + at, p = bb.position();
            if (op == null) bb.asIntBuffer().get(a, o, count);
            else if (op == ReduceOp.MAX) for (int i = 0; i < count; i++) a[o + i] = Math.max(a[o + i], bb.getInt(p + 4 * i));
            else for (int i = 0; i < count; i++) a[o + i] += bb.getInt(p + 4 * i);
            bb.position(p + 4 * count);
        }

        void combine(int at, Flat src, int srcAt, int count, ReduceOp op) {
            int[] s = ((I32) src).a;
            int o = offset + at, so = src.offset + srcAt;
            if (op == null) {
                System.arraycopy(s, so, a, o, count);
                return;
            }
            if (op == ReduceOp.MAX) for (int i = 0; i < count; i++) a[o + i] = Math.max(a[o + i], s[so + i]);
            else for (int i = 0; i < count; i++) a[o + i] += s[so + i];
        }

        void divide(int n) { for (int i = 0; i < length; i++) a[offset + i] /= n; }

        Flat scratch(int len) { return new I32(new int[len], 0, len); }
    }

    /** float16 ({@code bf16 == false}) or bfloat16 bits; arithmetic in float, rounded to nearest even. */
    static final class Half extends Flat {
        final short[] a;
        final boolean bf16;

        Half(short[] a, int offset, int length, boolean bf16) { super(offset, length); this.a = a; this.bf16 = bf16; }

        int elementBytes() { return 2; }

        float get(int i) { return toFloat(a[i], bf16); }

        void set(int i, float v) { a[i] = fromFloat(v, bf16); }

        static float toFloat(short h, boolean bf16) {
            return bf16 ? Float.intBitsToFloat((h & 0xFFFF) << 16) : Float.float16ToFloat(h);
        }

        static short fromFloat(float v, boolean bf16) {
            if (!bf16) return Float.floatToFloat16(v);
            int bits = Float.floatToRawIntBits(v);
            if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
            int rounding = 0x7FFF + ((bits >>> 16) & 1);          // round to nearest even, as c10::BFloat16
            return (short) ((bits + rounding) >>> 16);
        }

        void put(ByteBuffer bb, int at, int count) {
            bb.asShortBuffer().put(a, offset + at, count);
            bb.position(bb.position() + 2 * count);
        }

        void take(ByteBuffer bb, int at, int count, ReduceOp op) {
            int o = offset + at, p = bb.position();
            if (op == null) bb.asShortBuffer().get(a, o, count);
            else for (int i = 0; i < count; i++) combineOne(o + i, toFloat(bb.getShort(p + 2 * i), bf16), op);
            bb.position(p + 2 * count);
        }

        private void combineOne(int i, float x, ReduceOp op) {
            float v = get(i);
            set(i, op == ReduceOp.MAX ? Math.max(v, x) : v + x);
        }

        void combine(int at, Flat src, int srcAt, int count, ReduceOp op) {
            Half s = (Half) src;
            if (op == null) {
                System.arraycopy(s.a, s.offset + srcAt, a, offset + at, count);
                return;
            }
            for (int i = 0; i < count; i++) combineOne(offset + at + i, s.get(s.offset + srcAt + i), op);
        }

        void divide(int n) { for (int i = 0; i < length; i++) set(offset + i, get(offset + i) / n); }

        Flat scratch(int len) { return new Half(new short[len], 0, len, bf16); }
    }
}
