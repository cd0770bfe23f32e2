package org.grad4j.nn.functional;

import org.grad4j.Tensor;

import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Errors name the function the user called: a loss built from {@code sub}, {@code mul} and
 * {@code where} reports a shape mismatch as {@code kl_div: ...}, not {@code mul: ...}. The
 * internal error stays attached as the cause.
 */
final class OpErrors {
    private OpErrors() {}

    /** An "op: " or "op(): " prefix as the library's messages start. */
    private static final Pattern PREFIX = Pattern.compile("^([a-z][a-z0-9_]*)(\\(\\))?: ");

    /** Runs body; an IllegalArgumentException it raises under another op's name is re-raised under {@code op}. */
    static Tensor named(String op, Supplier<Tensor> body) {
        try {
            return body.get();
        } catch (IllegalArgumentException e) {
            throw renamed(op, e);
        }
    }

    static IllegalArgumentException renamed(String op, IllegalArgumentException e) {
        String m = e.getMessage();
        if (m == null) return e;
        Matcher p = PREFIX.matcher(m);
        if (p.find()) {
            if (p.group(1).equals(op)) return e;
            m = m.substring(p.end());
        }
        return new IllegalArgumentException(op + ": " + m, e);
    }
}
