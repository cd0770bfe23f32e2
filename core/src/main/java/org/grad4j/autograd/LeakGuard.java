package org.grad4j.autograd;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A debug guard against graphs that grow from step to step, the {@code total_loss += loss}
 * mistake: a tensor that survives a training step keeps that step's whole graph alive, and the
 * next step adds another on top. When enabled, grad4j counts live graph nodes and tracks the
 * depth of the deepest node created in each step; if that depth grows for several consecutive
 * steps, it warns once, naming the node and the shape of the tensor that holds the graph, with
 * the Java call site that extended it.
 *
 * <pre>{@code
 * LeakGuard.enable();
 * for (...) {
 *     ...; loss.backward(); optimizer.step();
 *     LeakGuard.step();          // optimizers call it for you
 * }
 * LeakGuard.liveNodes();         // nodes currently reachable
 * }</pre>
 *
 * Off by default; when off it costs one volatile read per recorded node.
 */
public final class LeakGuard {
    private LeakGuard() {}

    /** Consecutive growing steps before the warning. */
    static final int GROWING_STEPS = 5;

    private static volatile boolean enabled;
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong LIVE = new AtomicLong();

    // per-step tracking (steps are driven by one training thread; synchronized for safety)
    private static int deepestThisStep;
    private static WeakReference<Node> deepestNode = new WeakReference<>(null);
    private static int deepestLastStep = -1;
    private static int growingSteps;
    private static boolean captureSite;
    private static String capturedSite;
    private static volatile String lastWarning;

    public static void enable() { enabled = true; }

    public static void disable() { enabled = false; }

    public static boolean isEnabled() { return enabled; }

    /** Graph nodes created while the guard was on and not yet garbage collected. */
    public static long liveNodes() { return LIVE.get(); }

    /** The last warning emitted (null if none), for tools and tests. */
    public static String lastWarning() { return lastWarning; }

    /** Forgets the step history (a new training run). */
    public static synchronized void reset() {
        deepestThisStep = 0;
        deepestNode = new WeakReference<>(null);
        deepestLastStep = -1;
        growingSteps = 0;
        captureSite = false;
        capturedSite = null;
        lastWarning = null;
    }

    /** Called for every recorded node while enabled. */
    static void onNode(Node n) {
        LIVE.incrementAndGet();
        CLEANER.register(n, LIVE::decrementAndGet);
        synchronized (LeakGuard.class) {
            if (n.depth > deepestThisStep) {
                deepestThisStep = n.depth;
                deepestNode = new WeakReference<>(n);
                // Only after growth was seen: the site of the node that goes deeper than last step's graph.
                if (captureSite && n.depth > deepestLastStep) capturedSite = NonFiniteCheck.callSite();
            }
        }
    }

    /** Marks the end of a training step (optimizers call this); warns once when the graph keeps growing. */
    public static synchronized void step() {
        if (!enabled) return;
        if (deepestLastStep >= 0 && deepestThisStep > deepestLastStep) growingSteps++;
        else growingSteps = 0;
        if (growingSteps >= GROWING_STEPS - 1) captureSite = true;
        if (growingSteps >= GROWING_STEPS && lastWarning == null) {
            Node n = deepestNode.get();
            String holder = n == null ? "a tensor" : "a tensor created by " + n.name() + " (shape "
                    + java.util.Arrays.toString(n.outputShapes == null ? new int[0] : n.outputShapes[0]) + ")";
            lastWarning = "The autograd graph kept alive grows step after step: " + holder + " holds a graph "
                    + deepestThisStep + " nodes deep, " + (deepestThisStep - deepestLastStep) + " deeper than the step "
                    + "before, for " + growingSteps + " steps" + (capturedSite != null ? "; it was extended at " + capturedSite : "")
                    + ". This is the `total_loss += loss` mistake: a value kept across steps drags every step's graph "
                    + "along. Fix: accumulate loss.item() (a double) or loss.detach(), not the loss tensor itself";
            org.grad4j.Warnings.warnOnce("leak-guard", lastWarning);
        }
        deepestLastStep = deepestThisStep;
        deepestThisStep = 0;
    }
}
