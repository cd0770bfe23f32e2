package org.grad4j.optim;

import org.grad4j.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of values in optimizer and scheduler state dicts, which may come from a checkpoint
 * (JSON) or be built by hand: a wrong type or a null fails at {@code loadStateDict} with a message
 * naming the entry and the expected type, not later at {@code step()} as a ClassCastException.
 * Non-finite doubles are accepted as numbers or as the strings JSON stores them as
 * ({@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; also {@code "nan"}, {@code "inf"},
 * {@code "-inf"}).
 *
 * <pre>{@code
 * double lr = StateValues.number(state.get("lr"), "MyScheduler.loadStateDict: \"lr\"");
 * }</pre>
 */
public final class StateValues {
    private StateValues() {}

    private static final String FIX = ". Fix: load a state dict saved by the same class with the same parameters, "
            + "or correct the value";

    /** The non-finite double a JSON string stands for, or null when it is not one. */
    public static Double nonFinite(String s) {
        return switch (s) {
            case "NaN", "nan" -> Double.NaN;
            case "Infinity", "inf" -> Double.POSITIVE_INFINITY;
            case "-Infinity", "-inf" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    /** What a value is, for messages: {@code "fast" (a string)}, {@code null}, {@code a list of 3 values}. */
    public static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\" (a string)";
            case Boolean b -> b + " (a boolean)";
            case Number n -> n + " (a number)";
            case double[] d -> "a list of " + d.length + " numbers";
            case List<?> l -> "a list of " + l.size() + " values";
            case Map<?, ?> m -> "an object";
            case Tensor t -> "a tensor of shape " + Arrays.toString(t.shape());
            default -> "a " + v.getClass().getSimpleName();
        };
    }

    static IllegalArgumentException wrong(String where, String expected, Object got) {
        return new IllegalArgumentException(where + " must be " + expected + ", got " + describe(got) + FIX);
    }

    /** A number (or a non-finite string) as a double. */
    public static double number(Object v, String where) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s && nonFinite(s) != null) return nonFinite(s);
        throw wrong(where, "a number", v);
    }

    /** An integral number in int range (2 and 2.0 both). */
    public static int integer(Object v, String where) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) return (int) d;
        }
        throw wrong(where, "an integer", v);
    }

    public static boolean bool(Object v, String where) {
        if (v instanceof Boolean b) return b;
        throw wrong(where, "a boolean (true or false)", v);
    }

    /** A list of numbers (double[] or a List), of {@code length} elements unless it is negative. */
    public static double[] numbers(Object v, int length, String where) {
        String expected = length < 0 ? "a list of numbers" : "a list of " + length + " numbers";
        double[] out;
        if (v instanceof double[] d) {
            out = d.clone();
        } else if (v instanceof List<?> l) {
            out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                Object o = l.get(i);
                if (o instanceof Number n) out[i] = n.doubleValue();
                else if (o instanceof String s && nonFinite(s) != null) out[i] = nonFinite(s);
                else throw wrong(where, expected, v);
            }
        } else {
            throw wrong(where, expected, v);
        }
        if (length >= 0 && out.length != length) throw wrong(where, expected, v);
        return out;
    }

    /**
     * A loaded option brought to the type of the option the optimizer has now: a number, a
     * boolean, a list of the same length (betas) or a string (which may be null, as LBFGS's
     * {@code line_search_fn}); an option without a value here accepts any simple value.
     */
    public static Object like(Object current, Object loaded, String where) {
        if (current instanceof Boolean) return bool(loaded, where);
        if (current instanceof double[] c) return numbers(loaded, c.length, where);
        if (current instanceof Integer) return integer(loaded, where);
        if (current instanceof Long) return (long) integer(loaded, where);
        if (current instanceof Number) return number(loaded, where);
        if (current instanceof String) {
            if (loaded == null || loaded instanceof String) return loaded;
            throw wrong(where, "a string or null", loaded);
        }
        if (loaded == null || loaded instanceof String || loaded instanceof Boolean) return loaded;
        if (loaded instanceof Number n) return n.doubleValue();
        return numbers(loaded, -1, where);
    }
}
