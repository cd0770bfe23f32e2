package org.grad4j.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a safetensors JSON header straight into its entries, never into a tree of boxed JSON
 * values: a crafted header under the 100 MB cap once cost 10-15x its size in maps, lists and
 * Longs while being parsed. Here a tensor entry costs its name, an int per dimension and one
 * small record; anything the format does not allow (a nested array where a string belongs,
 * unknown fields) is only syntax-checked, without keeping it. Limits: {@link #MAX_TENSORS}
 * tensors, {@link #MAX_METADATA} metadata entries, {@link #MAX_DIMS} dimensions per shape.
 *
 * <p>The accepted language is exactly that of {@link Json} (RFC 8259, no duplicate keys, at most
 * 64 levels of nesting); as there, a syntax error anywhere is reported before a schema error
 * (a value of the wrong kind), which is remembered while the rest is checked.
 */
final class SafeTensorsHeader {
    /** Most tensors in one file (real checkpoints hold thousands; sharded giants a few 10^4 per file). */
    static final int MAX_TENSORS = 1 << 18;
    /** Most {@code __metadata__} entries (real files hold a handful). */
    static final int MAX_METADATA = 1 << 16;
    /** Most dimensions of a shape: PyTorch's limit for tensors built from nested lists. */
    static final int MAX_DIMS = 128;
    private static final int MAX_DEPTH = 64;

    /** One tensor as the header states it, before its dtype and sizes are checked. */
    record Raw(String name, String code, int[] shape, long begin, long end) {}

    record Parsed(List<Raw> tensors, Map<String, String> metadata) {}

    /** A header that is valid JSON but not a safetensors header, or over a limit. */
    static final class SchemaException extends Exception {
        SchemaException(String message) { super(message); }
    }

    private final String s;
    private int pos;
    private String schemaError;      // the first one; the rest of the text is still syntax-checked
    private final List<Raw> tensors = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private SafeTensorsHeader(String s) { this.s = s; }

    static Parsed parse(String json) throws Json.JsonException, SchemaException {
        SafeTensorsHeader p = new SafeTensorsHeader(json);
        p.top();
        if (p.schemaError != null) throw new SchemaException(p.schemaError);
        return new Parsed(p.tensors, p.metadata);
    }

    private void schema(String message) {
        if (schemaError == null) schemaError = message;
    }

    private Json.JsonException error(String what) { return new Json.JsonException(what + " at offset " + pos); }

    private void top() throws Json.JsonException, SchemaException {
        ws();
        expect('{');
        ws();
        Set<String> names = new HashSet<>();
        int keys = 0;
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                ws();
                if (peek() != '"') throw error("expected a string key");
                int keyPos = pos;
                String key = string();
                if (!names.add(key)) {
                    pos = keyPos;
                    throw error("duplicate key \"" + key + "\"");
                }
                if (!key.equals(SafeTensors.METADATA_KEY) && ++keys > MAX_TENSORS) {
                    throw new SchemaException("header lists more than " + MAX_TENSORS + " tensors, the limit grad4j reads (a "
                            + "crafted file, or split the checkpoint into shards)");
                }
                ws();
                expect(':');
                ws();
                if (key.equals(SafeTensors.METADATA_KEY)) metadata();
                else entry(key);
                ws();
                char c = next("unterminated object");
                if (c == '}') break;
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }
        ws();
        if (pos != s.length()) throw error("unexpected content after the JSON value");
    }

    private void metadata() throws Json.JsonException, SchemaException {
        if (peek() != '{') {
            schema("__metadata__ must be an object of strings");
            skipValue(1);
            return;
        }
        pos++;
        ws();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            ws();
            if (peek() != '"') throw error("expected a string key");
            int keyPos = pos;
            String key = string();
            ws();
            expect(':');
            ws();
            if (metadata.containsKey(key)) {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            if (peek() == '"') {
                String v = string();
                if (schemaError == null) {
                    if (metadata.size() >= MAX_METADATA) {
                        throw new SchemaException("__metadata__ has more than " + MAX_METADATA + " entries, the limit grad4j reads");
                    }
                    metadata.put(key, v);
                }
            } else {
                schema("__metadata__ value of '" + key + "' is not a string");
                skipValue(2);
            }
            ws();
            char c = next("unterminated object");
            if (c == '}') return;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private void entry(String name) throws Json.JsonException {
        String where = "tensor '" + name + "'";
        if (peek() != '{') {
            schema(where + ": expected an object with dtype, shape, data_offsets");
            skipValue(1);
            return;
        }
        pos++;
        String code = null, shapeText = null;
        int[] shape = null;
        long[] offsets = null;
        boolean seenDtype = false, seenShape = false, seenOffsets = false;   // a field twice is a duplicate key
        ws();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                ws();
                if (peek() != '"') throw error("expected a string key");
                int keyPos = pos;
                String key = string();
                ws();
                expect(':');
                ws();
                boolean dup = switch (key) {
                    case "dtype" -> seenDtype;
                    case "shape" -> seenShape;
                    case "data_offsets" -> seenOffsets;
                    default -> false;
                };
                if (dup) {
                    pos = keyPos;
                    throw error("duplicate key \"" + key + "\"");
                }
                switch (key) {
                    case "dtype" -> {
                        seenDtype = true;
                        if (peek() == '"') code = canonical(string());
                        else skipValue(2);
                    }
                    case "shape" -> {
                        seenShape = true;
                        int start = pos;
                        if (peek() == '[') {
                            shape = dims(where);
                            if (shape == null) shapeText = abbreviate(s.substring(start, Math.min(pos, start + 120)), pos - start);
                        } else {
                            skipValue(2);
                        }
                    }
                    case "data_offsets" -> {
                        seenOffsets = true;
                        if (peek() == '[') offsets = offsets();
                        else skipValue(2);
                    }
                    default -> {
                        schema(where + ": unexpected field \"" + key + "\"");
                        skipValue(2);
                    }
                }
                ws();
                char c = next("unterminated object");
                if (c == '}') break;
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }
        if (code == null) schema(where + ": missing or non-string dtype");
        else if (shape == null && shapeText == null) schema(where + ": missing or invalid shape");
        else if (shape == null) schema(where + ": shape " + shapeText + " must hold non-negative integers below 2^31");
        else if (offsets == null) schema(where + ": data_offsets must be [begin, end] integers");
        if (schemaError == null) tensors.add(new Raw(name, code, shape, offsets[0], offsets[1]));
    }

    private static String abbreviate(String text, int fullLength) {
        return fullLength > text.length() ? text + "..." : text;
    }

    /** The dtype code as a shared constant when it is a known one (no copy per tensor). */
    private static String canonical(String code) {
        return switch (code) {
            case "F64" -> "F64";
            case "F32" -> "F32";
            case "F16" -> "F16";
            case "BF16" -> "BF16";
            case "I64" -> "I64";
            case "I32" -> "I32";
            case "I16" -> "I16";
            case "I8" -> "I8";
            case "U8" -> "U8";
            case "BOOL" -> "BOOL";
            default -> code;
        };
    }

    /** A shape: integers in [0, 2^31), at most MAX_DIMS; null (after checking the syntax) when it is not one. */
    private int[] dims(String where) throws Json.JsonException {
        pos++;
        int[] out = new int[8];
        int n = 0;
        boolean ok = true;
        ws();
        if (peek() == ']') {
            pos++;
            return new int[0];
        }
        while (true) {
            ws();
            char c = peek();
            if (c == '-' || (c >= '0' && c <= '9')) {
                long v = number();
                if (!integral || v < 0 || v > Integer.MAX_VALUE) ok = false;
                if (ok && n == MAX_DIMS) {
                    schema(where + ": shape has more than " + MAX_DIMS + " dimensions, the limit grad4j reads");
                    ok = false;
                }
                if (ok) {
                    if (n == out.length) out = Arrays.copyOf(out, 2 * n);
                    out[n++] = (int) v;
                }
            } else {
                ok = false;
                skipValue(3);
            }
            ws();
            char e = next("unterminated array");
            if (e == ']') return ok ? Arrays.copyOf(out, n) : null;
            if (e != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    /** data_offsets: exactly two integers, or null (after checking the syntax). */
    private long[] offsets() throws Json.JsonException {
        pos++;
        long[] out = new long[2];
        int n = 0;
        boolean ok = true;
        ws();
        if (peek() == ']') {
            pos++;
            return null;
        }
        while (true) {
            ws();
            char c = peek();
            if (c == '-' || (c >= '0' && c <= '9')) {
                long v = number();
                if (!integral || n >= 2) ok = false;
                else out[n] = v;
                n++;
            } else {
                ok = false;
                skipValue(3);
            }
            ws();
            char e = next("unterminated array");
            if (e == ']') return ok && n == 2 ? out : null;
            if (e != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    // ------------------------------------------------------------------ JSON, as Json reads it

    private char peek() throws Json.JsonException {
        if (pos >= s.length()) throw error("unexpected end of JSON");
        return s.charAt(pos);
    }

    private char next(String what) throws Json.JsonException {
        if (pos >= s.length()) throw error(what);
        return s.charAt(pos++);
    }

    private void ws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else break;
        }
    }

    private void expect(char c) throws Json.JsonException {
        if (pos >= s.length() || s.charAt(pos) != c) throw error("expected '" + c + "'");
        pos++;
    }

    /** Checks one JSON value at nesting {@code depth} and moves past it, keeping nothing. */
    private void skipValue(int depth) throws Json.JsonException {
        if (depth > MAX_DEPTH) throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
        char c = peek();
        switch (c) {
            case '{' -> {
                pos++;
                ws();
                if (peek() == '}') {
                    pos++;
                    return;
                }
                while (true) {
                    ws();
                    if (peek() != '"') throw error("expected a string key");
                    skipString();
                    ws();
                    expect(':');
                    ws();
                    skipValue(depth + 1);
                    ws();
                    char e = next("unterminated object");
                    if (e == '}') return;
                    if (e != ',') {
                        pos--;
                        throw error("expected ',' or '}'");
                    }
                }
            }
            case '[' -> {
                pos++;
                ws();
                if (peek() == ']') {
                    pos++;
                    return;
                }
                while (true) {
                    ws();
                    skipValue(depth + 1);
                    ws();
                    char e = next("unterminated array");
                    if (e == ']') return;
                    if (e != ',') {
                        pos--;
                        throw error("expected ',' or ']'");
                    }
                }
            }
            case '"' -> skipString();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) number();
                else throw error("unexpected character '" + printable(c) + "'");
            }
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private void literal(String word) throws Json.JsonException {
        if (!s.startsWith(word, pos)) throw error("invalid literal");
        pos += word.length();
    }

    private String string() throws Json.JsonException {
        int start = pos + 1;
        skipString();
        String raw = s.substring(start, pos - 1);
        return raw.indexOf('\\') < 0 ? raw : unescape(raw);
    }

    /** Checks a string literal (control characters, escapes) and moves past its closing quote. */
    private void skipString() throws Json.JsonException {
        pos++;
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos++);
            if (c == '"') return;
            if (c < 0x20) {
                pos--;
                throw error("control character in string");
            }
            if (c != '\\') continue;
            if (pos >= s.length()) throw error("unterminated escape");
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> { }
                case 'u' -> {
                    if (pos + 4 > s.length()) throw error("truncated \\u escape");
                    for (int i = 0; i < 4; i++) {
                        if (Character.digit(s.charAt(pos++), 16) < 0) throw error("invalid \\u escape");
                    }
                }
                default -> {
                    pos--;
                    throw error("invalid escape '\\" + printable(e) + "'");
                }
            }
        }
    }

    /** The text of an already checked string body with escapes. */
    private static String unescape(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(raw, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> sb.append(e);     // " \ /
            }
        }
        return sb.toString();
    }

    private boolean integral;

    /** A JSON number (Json's grammar); its value when integral ({@link #integral}), else 0. */
    private long number() throws Json.JsonException {
        int start = pos, end = Json.scanNumber(s, pos);
        integral = end >= 0;
        pos = integral ? end : ~end;
        if (!integral) return 0;
        try {
            return Long.parseLong(s, start, pos, 10);
        } catch (NumberFormatException e) {
            String text = s.substring(start, Math.min(pos, start + 31));
            throw error("integer " + (pos - start > 30 ? text.substring(0, 30) + "..." : text) + " is out of range");
        }
    }
}
