package org.grad4j.autograd;

/**
 * Thread-local autograd state, like c10's GradMode: whether ops record a graph, and the counter
 * that orders graph nodes. One ThreadLocal lookup per op covers both.
 */
public final class GradMode {
    private GradMode() {}

    /** Per-thread state; fields are read on every op, so they live together. */
    public static final class State {
        boolean enabled = true;
        boolean inference = false;
        long nextSequenceNr = 0;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    public static State state() { return STATE.get(); }

    /** Like {@code torch.is_grad_enabled()}. */
    public static boolean isEnabled() { return STATE.get().enabled; }

    /** Sets grad mode for this thread and returns the previous value. */
    public static boolean setEnabled(boolean enabled) {
        State s = STATE.get();
        boolean prev = s.enabled;
        s.enabled = enabled;
        return prev;
    }

    /** Like {@code torch.is_inference_mode_enabled()}. */
    public static boolean isInference() { return STATE.get().inference; }

    /** Whether grad mode is on in a state read once (one thread-local lookup for several questions). */
    public static boolean isEnabled(State s) { return s.enabled; }

    public static boolean isInference(State s) { return s.inference; }

    static boolean setInference(boolean on) {
        State s = STATE.get();
        boolean prev = s.inference;
        s.inference = on;
        return prev;
    }

    static long nextSequenceNr(State s) { return s.nextSequenceNr++; }

    /**
     * A try-with-resources scope that sets grad mode and restores the previous value on close.
     *
     * <pre>{@code
     * try (var g = Autograd.noGrad()) {
     *     y = x.mul(2);          // y.requiresGrad() == false
     * }
     * }</pre>
     */
    public static final class Scope implements AutoCloseable {
        private final boolean prevEnabled;
        private final boolean prevInference;
        private final boolean inferenceScope;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        Scope(boolean enabled, boolean inference) {
            State s = STATE.get();
            prevEnabled = s.enabled;
            prevInference = s.inference;
            inferenceScope = inference;
            s.enabled = enabled;
            if (inference) s.inference = true;
        }

        @Override
        public void close() {
            if (closed) return;
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a grad-mode scope must be closed on the thread that opened it ("
                        + owner.getName() + "); grad mode is thread-local, open a scope in each thread");
            }
            closed = true;
            State s = STATE.get();
            s.enabled = prevEnabled;
            if (inferenceScope) s.inference = prevInference;
        }
    }
}
