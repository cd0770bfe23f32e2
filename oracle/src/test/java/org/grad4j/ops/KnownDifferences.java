package org.grad4j.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The accepted differences (known-differences.txt next to this class): one {@code pattern | reason} per
 * line, the pattern a glob over {@code family/row/dtype/variant/sample/check} ({@code *} matches anything).
 * Reasons are either a deliberate choice, explained, or {@code PENDING <branch>: <item>} for a fix under
 * way elsewhere; the list should end (nearly) empty.
 */
final class KnownDifferences {
    record Entry(String pattern, String reason, Pattern regex) {}

    final List<Entry> entries = new ArrayList<>();
    final int[] used;

    KnownDifferences(List<Entry> entries) {
        this.entries.addAll(entries);
        this.used = new int[entries.size()];
    }

    static KnownDifferences load() {
        List<Entry> out = new ArrayList<>();
        try (InputStream in = KnownDifferences.class.getResourceAsStream("known-differences.txt")) {
            if (in == null) return new KnownDifferences(out);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                int bar = line.indexOf('|');
                if (bar < 0) throw new IllegalStateException("known-differences.txt: no '| reason' in: " + line);
                String p = line.substring(0, bar).strip(), reason = line.substring(bar + 1).strip();
                if (reason.isEmpty()) throw new IllegalStateException("known-differences.txt: empty reason for " + p);
                out.add(new Entry(p, reason, glob(p)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new KnownDifferences(out);
    }

    static Pattern glob(String g) {
        StringBuilder sb = new StringBuilder();
        for (char c : g.toCharArray()) sb.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        return Pattern.compile(sb.toString());
    }

    /** The entry accepting this difference ({@code caseId/check}), or null. */
    Entry match(String id) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).regex.matcher(id).matches()) {
                used[i]++;
                return entries.get(i);
            }
        }
        return null;
    }
}
