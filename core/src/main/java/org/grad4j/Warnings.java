package org.grad4j;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * User warnings, each shown once per process like Python's default warning filter. They go to
 * {@code System.Logger} "org.grad4j" at WARNING, and to a listener when one is installed (tests).
 */
public final class Warnings {
    private Warnings() {}

    private static final Set<String> SHOWN = ConcurrentHashMap.newKeySet();
    private static volatile Consumer<String> listener;
    private static final System.Logger LOG = System.getLogger("org.grad4j");

    /** Emits {@code message} unless the warning {@code key} was shown before. */
    public static void warnOnce(String key, String message) {
        if (!SHOWN.add(key)) return;
        Consumer<String> l = listener;
        if (l != null) l.accept(message);
        else LOG.log(System.Logger.Level.WARNING, message);
    }

    /** Installs a listener that receives warnings instead of the logger (null to remove). */
    public static void setListener(Consumer<String> l) { listener = l; }

    /** Forgets which warnings were shown, so they show again (tests). */
    public static void reset() { SHOWN.clear(); }
}
