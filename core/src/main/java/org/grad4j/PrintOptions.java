package org.grad4j;

import java.util.Objects;

/**
 * Options that control how tensors are rendered by {@code toString()}, the counterpart of PyTorch's
 * {@code torch.set_printoptions}.
 *
 * <p>Instances are immutable; use the {@code withXxx} methods to derive modified copies. A single
 * process-wide current value is kept in {@link #get()} / {@link #set(PrintOptions)}; it starts out
 * as {@link #DEFAULT}.
 *
 * <pre>{@code
 * PrintOptions previous = PrintOptions.set(PrintOptions.get().withPrecision(2));
 * try {
 *     System.out.println(t);          // tensor([1.12])
 * } finally {
 *     PrintOptions.set(previous);
 * }
 * }</pre>
 *
 * @param precision number of digits after the decimal point for floating point output (PyTorch
 *     default 4); must be {@code >= 0}
 * @param threshold total number of elements above which the output is summarized with
 *     {@code ...} instead of printing every element (default 1000). {@link Integer#MAX_VALUE} acts
 *     as PyTorch's {@code inf}: never summarize
 * @param edgeitems number of items printed at the beginning and at the end of each dimension when
 *     summarizing (default 3); must be {@code >= 0}. As in PyTorch, {@code 0} additionally makes
 *     the repr of a non-empty tensor include a {@code size=(...)} suffix
 * @param linewidth number of characters per line used to decide where to insert line breaks
 *     (default 80)
 * @param sciMode {@code true} to force scientific notation for floating point tensors,
 *     {@code false} to forbid it, or {@code null} (default) to let the formatter decide from the
 *     values, exactly like PyTorch's {@code sci_mode=None}
 */
public record PrintOptions(int precision, int threshold, int edgeitems, int linewidth, Boolean sciMode) {

    /** PyTorch's defaults: precision 4, threshold 1000, edgeitems 3, linewidth 80, automatic sci mode. */
    public static final PrintOptions DEFAULT = new PrintOptions(4, 1000, 3, 80, null);

    private static volatile PrintOptions current = DEFAULT;

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if {@code precision} or {@code edgeitems} is negative
     */
    public PrintOptions {
        if (precision < 0) {
            throw new IllegalArgumentException("precision must be >= 0, got " + precision);
        }
        if (edgeitems < 0) {
            throw new IllegalArgumentException("edgeitems must be >= 0, got " + edgeitems);
        }
    }

    /**
     * Returns the process-wide options currently used by tensor {@code toString()}.
     *
     * @return the current options, never {@code null}
     */
    public static PrintOptions get() {
        return current;
    }

    /**
     * Replaces the process-wide options used by tensor {@code toString()}.
     *
     * @param options the new options
     * @return the options that were current before this call, convenient for restoring them
     * @throws NullPointerException if {@code options} is {@code null}
     */
    public static PrintOptions set(PrintOptions options) {
        Objects.requireNonNull(options, "options");
        PrintOptions previous = current;
        current = options;
        return previous;
    }

    /**
     * Returns one of PyTorch's named print profiles, as {@code torch.set_printoptions(profile=...)}
     * sets them (which also resets {@code sci_mode} to automatic):
     *
     * <ul>
     *   <li>{@code "default"}: precision 4, threshold 1000, edgeitems 3, linewidth 80
     *   <li>{@code "short"}: precision 2, threshold 1000, edgeitems 2, linewidth 80
     *   <li>{@code "full"}: precision 4, threshold infinite ({@link Integer#MAX_VALUE}), edgeitems
     *       3, linewidth 80
     * </ul>
     *
     * @param name {@code "default"}, {@code "short"} or {@code "full"}
     * @return the profile's options, with {@code sciMode} {@code null}
     * @throws IllegalArgumentException for any other name
     */
    public static PrintOptions profile(String name) {
        return switch (Objects.requireNonNull(name, "name")) {
            case "default" -> DEFAULT;
            case "short" -> new PrintOptions(2, 1000, 2, 80, null);
            case "full" -> new PrintOptions(4, Integer.MAX_VALUE, 3, 80, null);
            default -> throw new IllegalArgumentException(
                    "unknown print profile '" + name + "', expected default, short or full");
        };
    }

    /**
     * Returns a copy with a different precision.
     *
     * @param precision digits after the decimal point, {@code >= 0}
     * @return the modified copy
     */
    public PrintOptions withPrecision(int precision) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }

    /**
     * Returns a copy with a different summarization threshold.
     *
     * @param threshold element count above which output is summarized; {@link Integer#MAX_VALUE}
     *     means never
     * @return the modified copy
     */
    public PrintOptions withThreshold(int threshold) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }

    /**
     * Returns a copy with a different number of edge items.
     *
     * @param edgeitems items shown at each end of a summarized dimension, {@code >= 0}
     * @return the modified copy
     */
    public PrintOptions withEdgeitems(int edgeitems) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }

    /**
     * Returns a copy with a different line width.
     *
     * @param linewidth characters per line used for wrapping
     * @return the modified copy
     */
    public PrintOptions withLinewidth(int linewidth) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }

    /**
     * Returns a copy with a different scientific-notation mode.
     *
     * @param sciMode {@code true} (always), {@code false} (never) or {@code null} (automatic)
     * @return the modified copy
     */
    public PrintOptions withSciMode(Boolean sciMode) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }
}
