package org.grad4j.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static org.grad4j.kernels.SegmentLoops.D64;
import static org.grad4j.kernels.SegmentLoops.F32;

/**
 * {@link VectorKernels}' elementwise loops and sums over native memory: the same species, the
 * same loop bounds, the same lane order, so that every element and every sum is bit-identical to
 * the heap path ({@code fromMemorySegment} instead of {@code fromArray}). Offsets are element
 * indexes. Only loaded when {@link Simd#ENABLED}.
 */
final class SegmentVectors {
    private SegmentVectors() {}

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final VectorSpecies<Double> D = VectorKernels.D;

    private static FloatVector f(MemorySegment m, long i) { return FloatVector.fromMemorySegment(F, m, i * 4, NATIVE); }

    private static DoubleVector d(MemorySegment m, long i) { return DoubleVector.fromMemorySegment(D, m, i * 8, NATIVE); }

    static void binaryF32(BinaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, MemorySegment o, long oo, int n) {
        int i = 0, ub = F.loopBound(n), l = F.length();
        switch (op) {
            case ADD -> { for (; i < ub; i += l) f(x, xo + i).add(f(y, yo + i)).intoMemorySegment(o, (oo + i) * 4, NATIVE); }
            case SUB -> { for (; i < ub; i += l) f(x, xo + i).sub(f(y, yo + i)).intoMemorySegment(o, (oo + i) * 4, NATIVE); }
            case MUL -> { for (; i < ub; i += l) f(x, xo + i).mul(f(y, yo + i)).intoMemorySegment(o, (oo + i) * 4, NATIVE); }
            case DIV -> { for (; i < ub; i += l) f(x, xo + i).div(f(y, yo + i)).intoMemorySegment(o, (oo + i) * 4, NATIVE); }
            default -> throw new IllegalArgumentException(op.toString());
        }
        for (; i < n; i++) o.setAtIndex(F32, oo + i, op.f32(x.getAtIndex(F32, xo + i), y.getAtIndex(F32, yo + i)));
    }

    static void binaryScalarF32(BinaryOp op, MemorySegment x, long xo, float c, boolean first, MemorySegment o, long oo, int n) {
        int i = 0, ub = F.loopBound(n), l = F.length();
        FloatVector cv = FloatVector.broadcast(F, c);
        switch (op) {
            case ADD -> { for (; i < ub; i += l) f(x, xo + i).add(cv).intoMemorySegment(o, (oo + i) * 4, NATIVE); }
            case MUL -> { for (; i < ub; i += l) f(x, xo + i).mul(cv).intoMemorySegment(o, (oo + i) * 4, NATIVE); }
            case SUB -> {
                if (first) for (; i < ub; i += l) cv.sub(f(x, xo + i)).intoMemorySegment(o, (oo + i) * 4, NATIVE);
                else for (; i < ub; i += l) f(x, xo + i).sub(cv).intoMemorySegment(o, (oo + i) * 4, NATIVE);
            }
            case DIV -> {
                if (first) for (; i < ub; i += l) cv.div(f(x, xo + i)).intoMemorySegment(o, (oo + i) * 4, NATIVE);
                else for (; i < ub; i += l) f(x, xo + i).div(cv).intoMemorySegment(o, (oo + i) * 4, NATIVE);
            }
            default -> throw new IllegalArgumentException(op.toString());
        }
        for (; i < n; i++) {
            float v = x.getAtIndex(F32, xo + i);
            o.setAtIndex(F32, oo + i, first ? op.f32(c, v) : op.f32(v, c));
        }
    }

    static void binaryF64(BinaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, MemorySegment o, long oo, int n) {
        int i = 0, ub = D.loopBound(n), l = D.length();
        switch (op) {
            case ADD -> { for (; i < ub; i += l) d(x, xo + i).add(d(y, yo + i)).intoMemorySegment(o, (oo + i) * 8, NATIVE); }
            case SUB -> { for (; i < ub; i += l) d(x, xo + i).sub(d(y, yo + i)).intoMemorySegment(o, (oo + i) * 8, NATIVE); }
            case MUL -> { for (; i < ub; i += l) d(x, xo + i).mul(d(y, yo + i)).intoMemorySegment(o, (oo + i) * 8, NATIVE); }
            case DIV -> { for (; i < ub; i += l) d(x, xo + i).div(d(y, yo + i)).intoMemorySegment(o, (oo + i) * 8, NATIVE); }
            default -> throw new IllegalArgumentException(op.toString());
        }
        for (; i < n; i++) o.setAtIndex(D64, oo + i, op.f64(x.getAtIndex(D64, xo + i), y.getAtIndex(D64, yo + i)));
    }

    static void binaryScalarF64(BinaryOp op, MemorySegment x, long xo, double c, boolean first, MemorySegment o, long oo, int n) {
        int i = 0, ub = D.loopBound(n), l = D.length();
        DoubleVector cv = DoubleVector.broadcast(D, c);
        switch (op) {
            case ADD -> { for (; i < ub; i += l) d(x, xo + i).add(cv).intoMemorySegment(o, (oo + i) * 8, NATIVE); }
            case MUL -> { for (; i < ub; i += l) d(x, xo + i).mul(cv).intoMemorySegment(o, (oo + i) * 8, NATIVE); }
            case SUB -> {
                if (first) for (; i < ub; i += l) cv.sub(d(x, xo + i)).intoMemorySegment(o, (oo + i) * 8, NATIVE);
                else for (; i < ub; i += l) d(x, xo + i).sub(cv).intoMemorySegment(o, (oo + i) * 8, NATIVE);
            }
            case DIV -> {
                if (first) for (; i < ub; i += l) cv.div(d(x, xo + i)).intoMemorySegment(o, (oo + i) * 8, NATIVE);
                else for (; i < ub; i += l) d(x, xo + i).div(cv).intoMemorySegment(o, (oo + i) * 8, NATIVE);
            }
            default -> throw new IllegalArgumentException(op.toString());
        }
        for (; i < n; i++) {
            double v = x.getAtIndex(D64, xo + i);
            o.setAtIndex(D64, oo + i, first ? op.f64(c, v) : op.f64(v, c));
        }
    }

    /** As {@link VectorKernels#unaryF32}: false (nothing written) for ops without a vector form. */
    static boolean unaryF32(UnaryOp op, MemorySegment x, long xo, MemorySegment o, long oo, int n) {
        VectorOperators.Unary vop = switch (op) {
            case NEG -> VectorOperators.NEG;
            case ABS -> VectorOperators.ABS;
            case SQRT -> VectorOperators.SQRT;
            default -> null;
        };
        int i = 0, ub = F.loopBound(n), l = F.length();
        if (vop != null) {
            for (; i < ub; i += l) f(x, xo + i).lanewise(vop).intoMemorySegment(o, (oo + i) * 4, NATIVE);
        } else if (op == UnaryOp.RELU) {
            FloatVector zero = FloatVector.zero(F);
            for (; i < ub; i += l) {
                FloatVector v = f(x, xo + i);
                v.blend(zero, v.compare(VectorOperators.LT, zero)).intoMemorySegment(o, (oo + i) * 4, NATIVE);
            }
        } else if (op == UnaryOp.EXP) {
            for (; i < ub; i += l) {
                FloatVector v = f(x, xo + i);
                if (VectorKernels.expInRange(v)) VectorKernels.expF32(v).intoMemorySegment(o, (oo + i) * 4, NATIVE);
                else for (int j = i; j < i + l; j++) o.setAtIndex(F32, oo + j, op.apply(x.getAtIndex(F32, xo + j)));
            }
        } else if (op == UnaryOp.SIGMOID) {
            FloatVector one = FloatVector.broadcast(F, 1);
            for (; i < ub; i += l) {
                FloatVector v = f(x, xo + i).neg();
                if (VectorKernels.expInRange(v)) one.div(one.add(VectorKernels.expF32(v))).intoMemorySegment(o, (oo + i) * 4, NATIVE);
                else for (int j = i; j < i + l; j++) o.setAtIndex(F32, oo + j, op.apply(x.getAtIndex(F32, xo + j)));
            }
        } else if (op == UnaryOp.SQUARE) {
            for (; i < ub; i += l) {
                FloatVector v = f(x, xo + i);
                v.mul(v).intoMemorySegment(o, (oo + i) * 4, NATIVE);
            }
        } else {
            return false;
        }
        for (; i < n; i++) o.setAtIndex(F32, oo + i, op.apply(x.getAtIndex(F32, xo + i)));
        return true;
    }

    /** As {@link VectorKernels#unaryF64}. */
    static boolean unaryF64(UnaryOp op, MemorySegment x, long xo, MemorySegment o, long oo, int n) {
        VectorOperators.Unary vop = switch (op) {
            case NEG -> VectorOperators.NEG;
            case ABS -> VectorOperators.ABS;
            case SQRT -> VectorOperators.SQRT;
            default -> null;
        };
        int i = 0, ub = D.loopBound(n), l = D.length();
        if (vop != null) {
            for (; i < ub; i += l) d(x, xo + i).lanewise(vop).intoMemorySegment(o, (oo + i) * 8, NATIVE);
        } else if (op == UnaryOp.RELU) {
            DoubleVector zero = DoubleVector.zero(D);
            for (; i < ub; i += l) {
                DoubleVector v = d(x, xo + i);
                v.blend(zero, v.compare(VectorOperators.LT, zero)).intoMemorySegment(o, (oo + i) * 8, NATIVE);
            }
        } else if (op == UnaryOp.SQUARE) {
            for (; i < ub; i += l) {
                DoubleVector v = d(x, xo + i);
                v.mul(v).intoMemorySegment(o, (oo + i) * 8, NATIVE);
            }
        } else {
            return false;
        }
        for (; i < n; i++) o.setAtIndex(D64, oo + i, op.apply(x.getAtIndex(D64, xo + i)));
        return true;
    }

    /** As {@link VectorKernels#sumF32}: float lanes per block of 1024, blocks added in double. */
    static double sumF32(MemorySegment x, long o, int n) {
        final int block = 1024, l = F.length();
        double total = 0;
        int i = 0;
        for (; i + block <= n; i += block) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (long j = o + i, e = o + i + block; j < e; j += 4L * l) {
                a0 = a0.add(f(x, j));
                a1 = a1.add(f(x, j + l));
                a2 = a2.add(f(x, j + 2L * l));
                a3 = a3.add(f(x, j + 3L * l));
            }
            total += VectorKernels.laneSumInDouble(a0.add(a1).add(a2.add(a3)));
        }
        for (; i < n; i++) total += x.getAtIndex(F32, o + i);
        return total;
    }

    /** As {@link VectorKernels#sumF64}. */
    static double sumF64(MemorySegment x, long o, int n) {
        final int block = 1024, l = D.length();
        double total = 0;
        int i = 0;
        for (; i + block <= n; i += block) {
            DoubleVector a0 = DoubleVector.zero(D), a1 = DoubleVector.zero(D), a2 = DoubleVector.zero(D), a3 = DoubleVector.zero(D);
            for (long j = o + i, e = o + i + block; j < e; j += 4L * l) {
                a0 = a0.add(d(x, j));
                a1 = a1.add(d(x, j + l));
                a2 = a2.add(d(x, j + 2L * l));
                a3 = a3.add(d(x, j + 3L * l));
            }
            total += VectorKernels.laneSum(a0.add(a1).add(a2.add(a3)));
        }
        for (; i < n; i++) total += x.getAtIndex(D64, o + i);
        return total;
    }

    /** As {@link VectorKernels#reluBackwardF32}: out[i] = y[yo+i] <= 0 ? 0 : g[go+i] by whole vectors of [lo, hi); returns where it stopped. */
    static int reluBackwardF32(MemorySegment g, long go, MemorySegment y, long yo, MemorySegment out, int lo, int hi) {
        final int l = F.length();
        FloatVector zero = FloatVector.zero(F);
        int i = lo;
        for (; i + l <= hi; i += l) {
            FloatVector yv = f(y, yo + i);
            f(g, go + i).blend(zero, yv.compare(VectorOperators.LE, 0f)).intoMemorySegment(out, i * 4L, NATIVE);
        }
        return i;
    }

    /** As {@link VectorKernels#axpyF32}: whole vectors of [lo, hi); returns where it stopped. */
    static int axpyF32(MemorySegment y, long yo, float alpha, MemorySegment x, long xo, int lo, int hi) {
        final int l = F.length();
        FloatVector a = FloatVector.broadcast(F, alpha);
        int i = lo;
        for (; i + l <= hi; i += l) f(x, xo + i).fma(a, f(y, yo + i)).intoMemorySegment(y, (yo + i) * 4, NATIVE);
        return i;
    }
}
