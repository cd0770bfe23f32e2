package org.grad4j;

import java.util.Objects;

/**
 * Where a tensor's storage lives: the CPU or a CUDA device ({@code torch.device}). A tensor's device
 * comes from its storage; ops run where their inputs are (docs/cuda.md, "Using a GPU").
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

    /** Handles of the first CUDA devices, made once so that a tensor's device is a lookup, not an allocation. */
    private static final Device[] CUDA = new Device[64];

    static {
        for (int i = 0; i < CUDA.length; i++) CUDA[i] = new Device("cuda", i);
    }

    /**
     * CUDA device {@code index} ({@code torch.device("cuda", index)}). Naming a device checks nothing;
     * allocating a tensor there fails with a {@code CudaException} when the device does not exist.
     */
    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("cuda device index must be >= 0, got " + index);
        return index < CUDA.length ? CUDA[index] : new Device("cuda", index);
    }

    /** Whether this is a CUDA device. */
    public boolean isCuda() { return type.equals("cuda"); }

    /**
     * Like {@code torch.cuda.is_available()}: whether a CUDA driver is installed and reports at
     * least one device. The driver is asked once, on the first call (through the FFM API, so
     * the JVM needs {@code --enable-native-access=ALL-UNNAMED} to do so without a warning);
     * {@code -Dgrad4j.cuda=false} answers false without asking.
     *
     * <pre>{@code
     * if (!Device.cudaIsAvailable()) System.out.println("no CUDA device: running on the CPU");
     * }</pre>
     */
    public static boolean cudaIsAvailable() { return org.grad4j.cuda.Cuda.isAvailable(); }

    /** Like {@code torch.cuda.device_count()}: the CUDA devices the driver reports (0 without a driver). */
    public static int cudaDeviceCount() { return org.grad4j.cuda.Cuda.deviceCount(); }

    public String type() { return type; }

    public int index() { return index; }

    public boolean isCpu() { return this == CPU; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.type.equals(type) && d.index == index;
    }

    @Override
    public int hashCode() { return type.hashCode() * 31 + index; }

    @Override
    public String toString() { return index < 0 ? type : type + ":" + index; }
}
