package org.grad4j.ops;

import org.grad4j.Device;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.DynamicNode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The device-generic leg of the op table: every row, sample and dtype runs on the CPU and on {@code device}
 * (inputs copied there as leaves), and the two are compared with a {@link Compare}: outputs (and, for
 * differentiable rows, the gradients of {@code out.sum()}) must land on {@code device} and agree. A row whose
 * CPU call raises must raise the same exception type on the device.
 */
final class DeviceOpTable {
    private DeviceOpTable() {}

    static final long SEED = 7;

    /**
     * Rows whose values come from a random generator: on the emulated device they are the CPU's numbers; a device
     * random kernel (Philox) draws others, so the real leg compares only their shape and dtype.
     */
    static final java.util.Set<String> RANDOM = java.util.Set.of("dropout", "dropout2d", "alpha_dropout", "feature_alpha_dropout",
            "rrelu", "dropout1d", "dropout3d");

    /** Null when dtype and shape agree. */
    static String sameShape(Tensor cpu, Tensor device) {
        if (cpu.dtype() != device.dtype()) return "dtype " + device.dtype() + ", expected " + cpu.dtype();
        return java.util.Arrays.equals(cpu.shape(), device.shape()) ? null
                : "shape " + java.util.Arrays.toString(device.shape()) + ", expected " + java.util.Arrays.toString(cpu.shape());
    }

    /** Rows whose result is a Java value (a boolean, an array) wrapped in a new CPU tensor: only the values are compared. */
    static final java.util.Set<String> HOST_RESULTS = java.util.Set.of("allclose", "equal", "to_java_array");

    /** How a device result is compared with the CPU's. */
    interface Compare {
        /** Null when {@code device} (moved to the CPU) agrees with {@code cpu} for {@code op}, else what differs. */
        String check(OpInfo op, DType dtype, boolean gradient, Tensor[] cpuInputs, Tensor cpu, Tensor device);
    }

    static Stream<DynamicNode> tests(Device device, Compare compare) {
        return OpTable.all().stream().map(op -> dynamicTest(op.name, () -> {
            List<String> problems = new ArrayList<>();
            for (Samples.Sample s : op.samples) {
                for (DType dt : op.dtypes) {
                    try {
                        String p = runOne(op, s, dt, device, compare);
                        if (p != null) problems.add(s.desc() + " " + dt + ": " + p);
                    } catch (RuntimeException | AssertionError e) {
                        problems.add(s.desc() + " " + dt + ": " + e);
                    }
                }
            }
            if (!problems.isEmpty()) throw new AssertionError(op.name + " on " + device + ":\n  " + String.join("\n  ", problems));
        }));
    }

    /** One sample in one dtype on both devices; null when they agree. */
    static String runOne(OpInfo op, Samples.Sample s, DType dt, Device device, Compare compare) {
        Tensor[] cpuIn = Samples.make(s, dt, op.lo, op.hi, SEED);
        boolean grad = op.grad != OpInfo.Grad.NONE && dt.isFloatingPoint();
        Tensor[] devIn = new Tensor[cpuIn.length];
        for (int i = 0; i < cpuIn.length; i++) {
            Tensor c = cpuIn[i];
            devIn[i] = sameLayoutOn(c.detach(), device);
            if (grad && c.isFloatingPoint() && Samples.differentiable(s, i)) {
                cpuIn[i] = c.detach().clone().requiresGrad_();
                devIn[i].requiresGrad_();
            }
        }
        Tensor cpuOut;
        Grad4j.manualSeed(SEED);
        try {
            cpuOut = op.fn.apply(cpuIn);
        } catch (RuntimeException e) {
            Grad4j.manualSeed(SEED);
            try {
                op.fn.apply(devIn);
                return "the CPU raised " + e + " but " + device + " did not";
            } catch (RuntimeException d) {
                return d.getClass() == e.getClass() ? null : "the CPU raised " + e + ", " + device + " " + d;
            }
        }
        Grad4j.manualSeed(SEED);
        Tensor devOut = op.fn.apply(devIn);
        if (!devOut.device().equals(device) && !HOST_RESULTS.contains(op.name)) return "output on " + devOut.device() + ", expected " + device;
        String p = compare.check(op, dt, false, cpuIn, cpuOut, devOut);
        if (p != null) return "forward: " + p;
        if (!grad || !cpuOut.requiresGrad() || !cpuOut.isFloatingPoint()) return null;
        cpuOut.sum().backward();
        devOut.sum().backward();
        for (int i = 0; i < cpuIn.length; i++) {
            Tensor gc = cpuIn[i].grad(), gd = devIn[i].isLeaf() ? devIn[i].grad() : null;
            if (gc == null && gd == null) continue;
            if (gc == null || gd == null) return "gradient " + i + ": " + (gc == null ? "only on " + device : "missing on " + device);
            if (!gd.device().equals(device)) return "gradient " + i + " on " + gd.device() + ", expected " + device;
            p = compare.check(op, dt, true, cpuIn, gc, gd);
            if (p != null) return "gradient " + i + ": " + p;
        }
        return null;
    }

    /**
     * {@code t} on {@code device} with the same strides and offset (its whole storage copied): transposed and
     * stepped samples stay non-contiguous there, so device kernels see the layouts the CPU ones do.
     */
    static Tensor sameLayoutOn(Tensor t, Device device) {
        if (t.device().equals(device)) return t;
        org.grad4j.storage.Storage src = t.storage();
        Tensor whole = Grad4j.fromStorage(src, 0, new int[]{src.size()}, new int[]{1}).to(device);
        return Grad4j.fromStorage(whole.storage(), t.storageOffset(), t.shape(), t.stride());
    }

    /** Bit-for-bit equality of dtype, shape and every element (NaN payloads aside; -0.0 differs from 0.0). */
    static String bitwise(Tensor cpu, Tensor device) {
        if (cpu.dtype() != device.dtype()) return "dtype " + device.dtype() + ", expected " + cpu.dtype();
        if (!java.util.Arrays.equals(cpu.shape(), device.shape())) {
            return "shape " + java.util.Arrays.toString(device.shape()) + ", expected " + java.util.Arrays.toString(cpu.shape());
        }
        Tensor d = device.detach().cpu();
        if (!cpu.isFloatingPoint()) {
            long[] a = cpu.detach().toLongArray(), b = d.toLongArray();
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return "element " + i + ": " + b[i] + ", expected " + a[i];
            return null;
        }
        double[] a = cpu.detach().toDoubleArray(), b = d.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) && Double.isNaN(b[i])) continue;
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) return "element " + i + ": " + b[i] + ", expected " + a[i];
        }
        return null;
    }
}
