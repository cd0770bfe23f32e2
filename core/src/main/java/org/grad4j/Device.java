package org.grad4j;

import java.util.Objects;

/**
 * Where a tensor's storage lives. Only the CPU exists today; the type is here so that code written
 * now ({@code model.to(device)}, {@code x.to(device)}) keeps working when a GPU backend arrives.
 *
 * <pre>{@code
 * Device device = Device.cudaIsAvailable() ? Device.cuda(0) : Device.CPU;
 * Tensor x = Grad4j.ones(2, 2).to(device);
 * }</pre>
 */
public final class Device {
    /** The host CPU, always present. */
    public static final Device CPU = new Device("cpu", -1);

    private final String type;
    private final int index;

    private Device(String type, int index) {
        this.type = type;
        this.index = index;
    }

    /** Parses {@code "cpu"} or {@code "cuda:1"} like {@code torch.device(...)}. */
    public static Device of(String spec) {
        Objects.requireNonNull(spec, "device spec");
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) return CPU;
        if (s.startsWith("cuda")) {
            int idx = 0;
            if (s.length() > 4) {
                if (s.charAt(4) != ':') throw new IllegalArgumentException("Invalid device string: '" + spec + "'; expected 'cpu' or 'cuda:<index>'");
                idx = Integer.parseInt(s.substring(5));
            }
            return cuda(idx);
        }
        throw new IllegalArgumentException("Invalid device string: '" + spec + "'; expected 'cpu' or 'cuda:<index>'");
    }

    /** A CUDA device handle. Tensors cannot be moved there until a GPU backend is installed. */
    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("cuda device index must be >= 0, got " + index);
        return new Device("cuda", index);
    }

    /** Like {@code torch.cuda.is_available()}: false until a GPU backend is on the class path. */
    public static boolean cudaIsAvailable() { return false; }

    public String type() { return type; }

    public int index() { return index; }

    public boolean isCpu() { return type.equals("cpu"); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.type.equals(type) && d.index == index;
    }

    @Override
    public int hashCode() { return type.hashCode() * 31 + index; }

    @Override
    public String toString() { return index < 0 ? type : type + ":" + index; }
}
