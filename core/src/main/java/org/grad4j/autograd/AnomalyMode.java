package org.grad4j.autograd;

/**
 * Anomaly detection (PyTorch's {@code set_detect_anomaly}): when on, every node remembers the
 * stack trace of the forward call that created it, and backward fails at the first node that
 * returns NaN, naming that node and pointing at the forward call. Global like PyTorch's flag.
 */
public final class AnomalyMode {
    private AnomalyMode() {}

    private static volatile boolean enabled;
    private static volatile boolean checkNan = true;

    public static boolean isEnabled() { return enabled; }

    public static boolean checksNan() { return checkNan; }

    /** Turns anomaly detection on or off; returns the previous state. */
    public static boolean setEnabled(boolean on, boolean checkNan) {
        boolean prev = enabled;
        enabled = on;
        AnomalyMode.checkNan = checkNan;
        return prev;
    }

    /** Scope form: {@code try (var a = Autograd.detectAnomaly()) { loss.backward(); }}. */
    public static final class Scope implements AutoCloseable {
        private final boolean prev;
        private final boolean prevCheck;

        Scope(boolean checkNan) {
            prevCheck = AnomalyMode.checkNan;
            prev = setEnabled(true, checkNan);
        }

        @Override
        public void close() { setEnabled(prev, prevCheck); }
    }
}
