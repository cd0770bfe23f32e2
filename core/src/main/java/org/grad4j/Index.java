package org.grad4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Index items for {@link Tensor#index(Object...)}, the counterpart of Python's {@code x[...]}:
 * integers select, {@link #slice} ranges, {@link #NONE} inserts a dim, {@link #ELLIPSIS} skips
 * dims, and int64/bool tensors index advanced-style. The string form parses Python's syntax.
 *
 * <pre>{@code
 * x.index("1:, ::2, None, 0");                 // x[1:, ::2, None, 0]
 * x.index(slice(1, null), slice(null, null, 2), NONE, 0);
 * x.index(idx, "...");                          // x[idx, ...] with an int64 tensor idx
 * x.index(x.gt(0));                             // x[x > 0]
 * }</pre>
 */
public final class Index {
    private Index() {}

    /** Python's {@code start:stop:step}; null bounds mean "from the start" / "to the end". */
    public record Slice(Integer start, Integer stop, Integer step) {}

    private enum Marker { NONE, ELLIPSIS }

    /** Python's {@code None}: a new dim of size 1. */
    public static final Object NONE = Marker.NONE;

    /** Python's {@code ...}: as many full slices as needed. */
    public static final Object ELLIPSIS = Marker.ELLIPSIS;

    public static Slice slice(Integer start, Integer stop) { return new Slice(start, stop, null); }

    public static Slice slice(Integer start, Integer stop, Integer step) { return new Slice(start, stop, step); }

    /** The full slice {@code :}. */
    public static Slice all() { return new Slice(null, null, null); }

    /** Parses Python index syntax: {@code "1:, ::2, None, ..., -1"}. */
    static List<Object> parse(String spec) {
        List<Object> items = new ArrayList<>();
        if (spec.isBlank()) return items;
        for (String raw : spec.split(",")) {
            String s = raw.strip();
            try {
                if (s.equals("None")) items.add(NONE);
                else if (s.equals("...")) items.add(ELLIPSIS);
                else if (s.contains(":")) {
                    String[] p = s.split(":", -1);
                    if (p.length > 3) throw new IllegalArgumentException("too many ':'");
                    Integer a = p[0].isBlank() ? null : Integer.valueOf(p[0].strip());
                    Integer b = p.length < 2 || p[1].isBlank() ? null : Integer.valueOf(p[1].strip());
                    Integer c = p.length < 3 || p[2].isBlank() ? null : Integer.valueOf(p[2].strip());
                    items.add(new Slice(a, b, c));
                } else items.add(Integer.valueOf(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("index: cannot parse '" + s + "' in \"" + spec + "\"; use integers, "
                        + "slices like 1:, ::2 or -3:-1, None and ...");
            }
        }
        return items;
    }

    /** Expands string items into parsed items. */
    static List<Object> flatten(Object[] items) {
        List<Object> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof String s) out.addAll(parse(s));
            else out.add(o);
        }
        return out;
    }
}
