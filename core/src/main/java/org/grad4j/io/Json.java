package org.grad4j.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader and writer for safetensors headers and checkpoint metadata.
 * Objects become {@link LinkedHashMap} (duplicate keys are an error), arrays {@link List},
 * integers {@link Long}, other numbers {@link Double}, plus String, Boolean and null. Nesting is
 * limited to 64 levels; anything that is not RFC 8259 JSON is rejected.
 */
final class Json {
    private static final int MAX_DEPTH = 64;

    /** Bytes of parsed values allowed per character of JSON text. */
    static final int MEMORY_FACTOR = 6;

    private final String s;
    private int pos;
    private long budget;    // estimated bytes the values may still take

    /** Charges an estimate of a value's heap size (object + the reference holding it). */
    private void charge(long bytes) throws JsonException {
        budget -= bytes;
        if (budget < 0) {
            throw error("JSON too large to read: its values would take more than " + MEMORY_FACTOR + " times the size of the text");
        }
    }

    private Json(String s) { this.s = s; }

    /** A JSON syntax error, with its character offset. */
    static final class JsonException extends Exception {
        JsonException(String message) { super(message); }
    }

    /**
     * Parses one JSON value; only whitespace may follow it. The boxed result may take at most
     * {@link #MEMORY_FACTOR} times the text's size (plus 1 MB): real checkpoint metadata (numbers,
     * a few keys) takes 2-4x, while a crafted text of empty arrays or strings took 10-17x.
     */
    static Object parse(String text) throws JsonException {
        Json p = new Json(text);
        p.budget = MEMORY_FACTOR * (long) text.length() + (1 << 20);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) throw p.error("unexpected content after the JSON value");
        return v;
    }

    private JsonException error(String what) {
        return new JsonException(what + " at offset " + pos);
    }

    private void ws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else break;
        }
    }

    private Object value(int depth) throws JsonException {
        if (depth > MAX_DEPTH) throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
        if (pos >= s.length()) throw error("unexpected end of JSON");
        char c = s.charAt(pos);
        charge(c == '{' || c == '[' ? 88 : c == '"' ? 56 : c == '-' || (c >= '0' && c <= '9') ? 32 : 8);
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected character '" + printable(c) + "'");
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private Object literal(String word, Object v) throws JsonException {
        if (!s.startsWith(word, pos)) throw error("invalid literal");
        pos += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) throws JsonException {
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            return m;
        }
        while (true) {
            ws();
            if (pos >= s.length() || s.charAt(pos) != '"') throw error("expected a string key");
            int keyPos = pos;
            charge(88);         // the key's String and the map entry
            String key = string();
            ws();
            expect(':');
            ws();
            Object v = value(depth + 1);
            if (m.containsKey(key)) {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            m.put(key, v);
            ws();
            if (pos >= s.length()) throw error("unterminated object");
            char c = s.charAt(pos++);
            if (c == '}') return m;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws JsonException {
        pos++;
        List<Object> l = new ArrayList<>();
        ws();
        if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            return l;
        }
        while (true) {
            ws();
            l.add(value(depth + 1));
            ws();
            if (pos >= s.length()) throw error("unterminated array");
            char c = s.charAt(pos++);
            if (c == ']') return l;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private void expect(char c) throws JsonException {
        if (pos >= s.length() || s.charAt(pos) != c) throw error("expected '" + c + "'");
        pos++;
    }

    private String string() throws JsonException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos++);
            if (c == '"') {
                charge(2L * sb.length());
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) throw error("unterminated escape");
            char e = s.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) throw error("truncated \\u escape");
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos++), 16);
                        if (d < 0) throw error("invalid \\u escape");
                        v = v * 16 + d;
                    }
                    sb.append((char) v);
                }
                default -> {
                    pos--;
                    throw error("invalid escape '\\" + printable(e) + "'");
                }
            }
        }
    }

    private Object number() throws JsonException {
        int start = pos, end = scanNumber(s, pos);
        boolean integral = end >= 0;
        pos = integral ? end : ~end;
        String text = s.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error("integer " + (text.length() > 30 ? text.substring(0, 30) + "..." : text) + " is out of range");
            }
        }
        return Double.parseDouble(text);
    }

    /**
     * Scans the JSON number starting at {@code pos} of {@code s} (shared by this parser and
     * {@link SafeTensorsHeader}): returns the index just past it when it is an integer, its
     * complement ({@code ~end}) when it has a fraction or an exponent.
     */
    static int scanNumber(String s, int pos) throws JsonException {
        if (s.charAt(pos) == '-') pos++;
        if (pos >= s.length()) throw new JsonException("invalid number at offset " + pos);
        if (s.charAt(pos) == '0') {
            pos++;
        } else if (s.charAt(pos) >= '1' && s.charAt(pos) <= '9') {
            pos = digits(s, pos);
        } else {
            throw new JsonException("invalid number at offset " + pos);
        }
        boolean integral = true;
        if (pos < s.length() && s.charAt(pos) == '.') {
            integral = false;
            int d = ++pos;
            pos = digits(s, pos);
            if (d == pos) throw new JsonException("invalid number: digits expected after '.' at offset " + pos);
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
            int d = pos;
            pos = digits(s, pos);
            if (d == pos) throw new JsonException("invalid number: digits expected in exponent at offset " + pos);
        }
        return integral ? pos : ~pos;
    }

    private static int digits(String s, int pos) {
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
        return pos;
    }

    // ------------------------------------------------------------------ writing

    /** Writes a value made of maps, lists/arrays, strings, numbers, booleans and null. */
    static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        switch (v) {
            case null -> sb.append("null");
            case String str -> quote(str, sb);
            case Boolean b -> sb.append(b);
            case Double d -> number(d, sb);
            case Float f -> number(f.doubleValue(), sb);
            case Number n -> sb.append(n.longValue());
            case double[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    if (i > 0) sb.append(',');
                    number(a[i], sb);
                }
                sb.append(']');
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    quote(String.valueOf(e.getKey()), sb);
                    sb.append(':');
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
            case Iterable<?> it -> {
                sb.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) sb.append(',');
                    first = false;
                    write(o, sb);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
        }
    }

    /**
     * JSON has no NaN or infinities: they are written as the strings "NaN", "Infinity" and
     * "-Infinity" (valid JSON, unlike Python's bare NaN), which {@code Checkpoints} reads back as doubles.
     */
    private static void number(double d, StringBuilder sb) {
        if (Double.isNaN(d)) sb.append("\"NaN\"");
        else if (Double.isInfinite(d)) sb.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        else sb.append(d);   // shortest text that reads back to the same double
    }

    private static void quote(String str, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < str.length() && Character.isLowSurrogate(str.charAt(i + 1));
                    if (paired) {
                        sb.append(c).append(str.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        // an unpaired surrogate as an escape: UTF-8 cannot carry it and would write '?'
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
