package org.grad4j;

import java.net.URL;
import java.security.CodeSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * User warnings, shown as Python's default warning filter shows them: once per message and call
 * site (the first stack frame outside grad4j, that is the user's line), as one line on standard
 * error: {@code Train.java:42: UserWarning: Using a target size ...}. Tests install a listener
 * that receives the messages instead.
 *
 * <pre>{@code
 * Warnings.warn("Using a target size (torch.Size([3])) that is different to ...");
 * }</pre>
 */
public final class Warnings {
    private Warnings() {}

    private static final Set<String> SHOWN = ConcurrentHashMap.newKeySet();
    private static volatile Consumer<String> listener;
    private static final URL LIBRARY = location(Warnings.class);
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** Emits {@code message} unless it was shown before from the same call site. */
    public static void warn(String message) { warnOnce(message, message); }

    /** Emits {@code message} unless the warning {@code key} was shown before from the same call site. */
    public static void warnOnce(String key, String message) {
        StackWalker.StackFrame site = callSite();
        String where = site == null ? "<unknown>" : site.getFileName() + ":" + site.getLineNumber();
        String frameKey = site == null ? where : site.getClassName() + "#" + site.getMethodName() + ":" + site.getLineNumber();
        if (!SHOWN.add(key + "\u0000" + frameKey)) return;
        Consumer<String> l = listener;
        if (l != null) l.accept(message);
        else System.err.println(where + ": UserWarning: " + message);
    }

    /** The first frame of the caller's code: not grad4j's own classes, not the JDK's. */
    static StackWalker.StackFrame callSite() {
        return WALKER.walk(s -> s.filter(f -> !isLibrary(f.getDeclaringClass())).findFirst().orElse(null));
    }

    private static boolean isLibrary(Class<?> c) {
        String n = c.getName();
        if (n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.")) return true;
        URL here = location(c);
        if (LIBRARY != null && here != null) return LIBRARY.equals(here);
        return n.startsWith("org.grad4j.") && !n.startsWith("org.grad4j.examples.");
    }

    private static URL location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs == null ? null : cs.getLocation();
    }

    /** Installs a listener that receives warnings instead of standard error (null to remove). */
    public static void setListener(Consumer<String> l) { listener = l; }

    /** Forgets which warnings were shown, so they show again (tests). */
    public static void reset() { SHOWN.clear(); }
}
