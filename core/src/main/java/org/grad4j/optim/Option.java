package org.grad4j.optim;

import java.util.List;
import java.util.Objects;

/**
 * A typed option of a parameter group, under its PyTorch name: {@code group.get(Adam.BETAS)} reads
 * {@code group["betas"]} as a {@code double[]}. The group's map keeps PyTorch's keys (state dicts,
 * schedulers and {@code group.set("lr", 0.01)} work by name); the key gives the type. A value of the
 * wrong type, however it got into the group, fails with a message naming the optimizer, the option,
 * the type expected and a Fix.
 *
 * <pre>{@code
 * ParamGroup g = opt.paramGroups().get(0);
 * double eps = g.get(Adam.EPS);
 * double[] betas = g.get(Adam.BETAS);
 * g.set(Adam.BETAS, new double[]{0.8, 0.99});
 * static final Option<Double> GAMMA = Option.doubleOption("gamma");   // an option of your own optimizer
 * }</pre>
 *
 * @param <T> the Java type of the value: Double, Boolean, double[] (a pair such as betas), Integer or String
 */
public final class Option<T> {
    private enum Kind { DOUBLE, BOOL, PAIR, INT, STRING }

    private final String name;
    private final Kind kind;
    private final boolean nullable;

    private Option(String name, Kind kind, boolean nullable) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = kind;
        this.nullable = nullable;
    }

    private Option(String name, Kind kind) { this(name, kind, kind == Kind.STRING); }

    /** The same option, also allowing null (PyTorch's None: LBFGS's max_eval until the constructor computes it). */
    public Option<T> orNull() { return new Option<>(name, kind, true); }

    /** A number, read as a double (PyTorch's float options: lr, eps, weight_decay, momentum...). */
    public static Option<Double> doubleOption(String name) { return new Option<>(name, Kind.DOUBLE); }

    /** A boolean (amsgrad, nesterov, maximize...). */
    public static Option<Boolean> boolOption(String name) { return new Option<>(name, Kind.BOOL); }

    /** Two numbers, read as a {@code double[2]} (PyTorch's tuples: betas, etas, step_sizes). */
    public static Option<double[]> pairOption(String name) { return new Option<>(name, Kind.PAIR); }

    /** A whole number, read as an int (LBFGS's max_iter, history_size); groups store numbers as doubles. */
    public static Option<Integer> intOption(String name) { return new Option<>(name, Kind.INT); }

    /** A string or null (LBFGS's line_search_fn). */
    public static Option<String> stringOption(String name) { return new Option<>(name, Kind.STRING); }

    /** The PyTorch name, the group's key. */
    public String name() { return name; }

    /** What the option holds, for messages: "a number (double)", "a pair of numbers (double[2])"... */
    public String expected() {
        return switch (kind) {
            case DOUBLE -> "a number (double)";
            case BOOL -> "a boolean";
            case PAIR -> "a pair of numbers (double[2])";
            case INT -> "a whole number (int)";
            case STRING -> "a string";
        } + (nullable ? " or null" : "");
    }

    /** Whether {@code v} (as a group stores it) is a value of this option. */
    boolean accepts(Object v) {
        if (v == null) return nullable;
        return switch (kind) {
            case DOUBLE -> v instanceof Number;
            case BOOL -> v instanceof Boolean;
            case PAIR -> v instanceof double[] d && d.length == 2;
            case INT -> v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE;
            case STRING -> v instanceof String;
        };
    }

    /** {@code v} as T; the caller checked {@link #accepts}. */
    @SuppressWarnings("unchecked")
    T cast(Object v) {
        if (v == null) return null;
        return switch (kind) {
            case DOUBLE -> v instanceof Double ? (T) v : (T) (Double) ((Number) v).doubleValue();   // no new box per read
            case INT -> (T) (Integer) ((Number) v).intValue();
            default -> (T) v;
        };
    }

    /** A Java literal of this option's type for a Fix, from an example value (the optimizer's default). */
    String example(Object value) {
        if (value == null || !accepts(value)) value = switch (kind) {
            case DOUBLE -> 0.01;
            case BOOL -> false;
            case PAIR -> new double[]{0.9, 0.999};
            case INT -> 20;
            case STRING -> "strong_wolfe";
        };
        return switch (kind) {
            case PAIR -> "new double[]{" + ((double[]) value)[0] + ", " + ((double[]) value)[1] + "}";
            case INT -> String.valueOf(((Number) value).intValue());
            case STRING -> "\"" + value + "\"";
            default -> String.valueOf(value);
        };
    }

    /** How a group stores a value: integers become doubles and lists of numbers double[] (as JSON state dicts give them). */
    static Object normalize(Object value) {
        if (value instanceof Integer i) return i.doubleValue();
        if (value instanceof List<?> l && l.stream().allMatch(o -> o instanceof Number)) {
            return l.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
        }
        return value;
    }

    @Override
    public boolean equals(Object o) { return o instanceof Option<?> other && other.name.equals(name) && other.kind == kind && other.nullable == nullable; }

    @Override
    public int hashCode() { return name.hashCode() * 31 + kind.hashCode(); }

    @Override
    public String toString() { return name + " (" + expected() + ")"; }
}
