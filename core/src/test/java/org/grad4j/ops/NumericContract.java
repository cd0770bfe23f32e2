package org.grad4j.ops;

import org.grad4j.Tensor;
import org.grad4j.storage.DType;

import java.util.Set;

/**
 * docs/cuda.md's "Numbers: CUDA vs CPU" as a comparator for the device-generic op table on a real GPU:
 * <ul>
 *   <li>bitwise: integer and bool results, copies/casts/views/indexing (shape family), add/sub/mul/div/sqrt and
 *       the other exactly rounded elementwise ops, comparisons, max/min/argmax/argmin/all/any;</li>
 *   <li>transcendentals: float64 relative 1e-14, float32 at most 1 float ulp (NaN/inf/-0 identical);</li>
 *   <li>softmax/log_softmax: float64 relative 1e-14, float32 2 float ulps;</li>
 *   <li>matmul-like rows (mm, bmm, matmul, mv, dot, linear, conv): |gpu - cpu| <= 2 K u sum_k |a_ik b_kj|, the sum of
 *       absolute products computed by running the row on |inputs|;</li>
 *   <li>sums and everything else (reductions, norms, losses, pooling, batch norm, linalg, gradients, which sum
 *       over broadcast dims): float64 relative 1e-12, float32 relative 2^-20 (a few float ulps), each scaled by the
 *       largest CPU magnitude of the result.</li>
 * </ul>
 */
final class NumericContract implements DeviceOpTable.Compare {
    /** Elementwise ops that are correctly rounded or exact on both sides (the contract's bitwise rows). */
    static final Set<String> BITWISE = Set.of("add", "sub", "mul", "div", "sqrt", "neg", "abs", "relu", "square", "reciprocal",
            "floor", "ceil", "round", "trunc", "frac", "sign", "clamp", "clamp_min", "clamp_max", "maximum", "minimum", "fmod",
            "remainder", "div_trunc", "div_floor", "floor_divide", "eq", "ne", "lt", "le", "gt", "ge", "where", "masked_fill",
            "max", "min", "amax", "amin", "argmax", "argmin", "all", "any", "clone", "contiguous", "positive", "hardtanh",
            "relu6", "threshold", "max_pool2d", "max_pool1d", "nonzero", "sort", "topk", "isnan", "isinf", "isfinite");
    static final Set<String> SOFTMAX = Set.of("softmax", "log_softmax");
    /** Rows whose value is a bilinear sum of products: K is the length of the contracted dim (first input's last dim). */
    static final Set<String> BILINEAR = Set.of("mm", "bmm", "matmul", "mv", "dot", "inner", "linear", "conv1d", "conv2d");

    /** Shape-family rows that add values (atomicAdd on the device, or scans): compared as sums. */
    static final java.util.regex.Pattern SUMMING_INDEX = java.util.regex.Pattern.compile("add|reduce|cum|accumulate|sum|mean|prod");

    enum Kind { BITWISE, ULP, SOFTMAX, BILINEAR, SUM }

    static Kind kind(OpInfo op, DType dt, boolean gradient) {
        if (!dt.isFloatingPoint()) return Kind.BITWISE;
        if (gradient) return Kind.SUM;
        String base = op.name.replaceAll("_$", "");
        if (BITWISE.contains(base) || op.family.startsWith("Casts")) return Kind.BITWISE;
        if (op.family.startsWith("Shape")) return SUMMING_INDEX.matcher(base).find() ? Kind.SUM : Kind.BITWISE;
        if (SOFTMAX.contains(base)) return Kind.SOFTMAX;
        if (BILINEAR.contains(base)) return Kind.BILINEAR;
        boolean elementwise = op.family.equals("Unary") || op.family.equals("Binary") || op.family.equals("In-place");
        if (elementwise && (op.ref1 != null || op.ref2 != null)) return Kind.ULP;
        return Kind.SUM;
    }

    @Override
    public String check(OpInfo op, DType dt, boolean gradient, Tensor[] cpuInputs, Tensor cpu, Tensor device) {
        if (DeviceOpTable.RANDOM.contains(op.name)) return DeviceOpTable.sameShape(cpu, device);
        Kind k = kind(op, cpu.dtype(), gradient);
        if (k == Kind.BITWISE) return DeviceOpTable.bitwise(cpu, device);
        if (cpu.dtype() != device.dtype()) return "dtype " + device.dtype() + ", expected " + cpu.dtype();
        double[] a = cpu.detach().toDoubleArray(), b = device.detach().cpu().toDoubleArray();
        if (a.length != b.length) return "numel " + b.length + ", expected " + a.length;
        boolean f32 = cpu.dtype() == DType.FLOAT32;
        double[] bound = null;
        if (k == Kind.BILINEAR) {
            Tensor[] abs = new Tensor[cpuInputs.length];
            for (int i = 0; i < abs.length; i++) abs[i] = cpuInputs[i].detach().abs();
            bound = op.fn.apply(abs).toDoubleArray();
            int kk = Math.max(1, cpuInputs[0].dim() == 0 ? 1 : cpuInputs[0].size(-1));
            double u = f32 ? 0x1p-24 : 0x1p-53;
            for (int i = 0; i < bound.length; i++) bound[i] *= 2 * kk * u;
        }
        double scale = 0;
        for (double v : a) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++) {
            double x = a[i], y = b[i];
            if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
                if (Double.compare(x, y) != 0 && !(Double.isNaN(x) && Double.isNaN(y))) return at(i, x, y, "non-finite values differ");
                continue;
            }
            double diff = Math.abs(x - y);
            boolean ok = switch (k) {
                case ULP -> f32 ? diff <= Math.ulp((float) x) : diff <= 1e-14 * Math.abs(x) || diff == 0;
                case SOFTMAX -> f32 ? diff <= 2 * Math.ulp((float) x) : diff <= 1e-14 * Math.abs(x) || diff == 0;
                case BILINEAR -> diff <= bound[i];
                default -> diff <= (f32 ? 0x1p-20 : 1e-12) * Math.max(Math.abs(x), scale) || diff == 0;
                case BITWISE -> false;
            };
            if (!ok) return at(i, x, y, k + " bound");
        }
        return null;
    }

    private static String at(int i, double cpu, double dev, String what) {
        return "element " + i + ": device " + dev + ", cpu " + cpu + " (" + what + ")";
    }
}
