package org.grad4j.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ```java} blocks of a Markdown file, with the HTML comments right above each one,
 * turned into a Java compilation unit. The conventions (also in README.md, see
 * {@link DocsCompileTest}):
 * <ul>
 * <li>{@code <!-- runnable -->}: the block is run; what it prints must equal the following
 *     {@code ```text} block, or else the trailing {@code // ...} comments of its print lines (and
 *     comment-only lines right after them, for multi-line output).</li>
 * <li>{@code <!-- given: Tensor x, Module model -->}: names the fragment uses without declaring
 *     them; they become parameters of the wrapper method (compile-only).</li>
 * <li>{@code <!-- not compiled: reason -->}: skipped, with the reason.</li>
 * </ul>
 * A block with its own {@code import} lines is compiled with exactly those (so the imports shown
 * are checked); otherwise with {@link #DEFAULT_IMPORTS}. Top-level type declarations stay
 * top-level; the other lines become the body of {@code Snippet.run(...)}.
 */
record DocBlocks(Path file, List<Block> blocks) {
    static final String DEFAULT_IMPORTS = """
            import org.grad4j.*;
            import org.grad4j.storage.DType;
            import org.grad4j.autograd.*;
            import org.grad4j.autograd.Function;
            import org.grad4j.nn.*;
            import org.grad4j.nn.Module;
            import org.grad4j.nn.functional.F;
            import org.grad4j.optim.*;
            import org.grad4j.optim.lr.*;
            import org.grad4j.data.*;
            import org.grad4j.io.*;
            import java.util.*;
            import java.nio.file.*;
            import static org.grad4j.Grad4j.*;
            """;

    record Block(int line, String code, boolean runnable, String given, String skipReason, String expectedText) {
        String name(Path file) { return file.getFileName() + ":" + line; }
    }

    private static final Pattern COMMENT = Pattern.compile("^<!--\\s*(.*?)\\s*-->$");
    private static final Pattern TYPE_START = Pattern.compile(
            "^(@\\w+\\s+)*((public|abstract|final|sealed|non-sealed|static)\\s+)*(class|record|interface|enum)\\s+\\w+.*");

    static DocBlocks read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) continue;
            boolean runnable = false;
            String given = "", skip = null;
            for (int k = i - 1; k >= 0; k--) {
                String l = lines.get(k).strip();
                if (l.isEmpty()) continue;
                Matcher m = COMMENT.matcher(l);
                if (!m.matches()) break;
                String c = m.group(1);
                if (c.equals("runnable")) runnable = true;
                else if (c.startsWith("given:")) given = c.substring(6).strip();
                else if (c.startsWith("not compiled:")) skip = c.substring(13).strip();
            }
            int start = i + 1, end = start;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) end++;
            String code = String.join("\n", lines.subList(start, end));
            String expected = null;
            int k = end + 1;
            while (k < lines.size() && lines.get(k).isBlank()) k++;
            if (k < lines.size() && lines.get(k).strip().equals("```text")) {
                int e = k + 1;
                while (e < lines.size() && !lines.get(e).strip().startsWith("```")) e++;
                expected = String.join("\n", lines.subList(k + 1, e));
            }
            out.add(new Block(i + 1, code, runnable, given, skip, expected));
            i = end;
        }
        return new DocBlocks(file, out);
    }

    /** The compilation unit for a block: imports, its type declarations, and class Snippet with the statements. */
    static String source(Block b) {
        StringBuilder imports = new StringBuilder(), types = new StringBuilder(), body = new StringBuilder();
        String[] lines = b.code().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("import ")) {
                imports.append(l).append('\n');
            } else if (TYPE_START.matcher(l).matches()) {
                int depth = 0;
                boolean opened = false;
                for (; i < lines.length; i++) {
                    types.append(lines[i]).append('\n');
                    for (char c : lines[i].toCharArray()) {
                        if (c == '{') { depth++; opened = true; } else if (c == '}') depth--;
                    }
                    if (opened && depth == 0) break;
                }
            } else {
                body.append("        ").append(l).append('\n');
            }
        }
        String imp = imports.isEmpty() ? DEFAULT_IMPORTS : imports.toString();
        return imp + "\n" + types + "\npublic class Snippet {\n    public static void run(" + b.given() + ") throws Throwable {\n"
                + body + "    }\n}\n";
    }

    /** What a runnable block must print: its ```text block, or its print lines' trailing comments. */
    static String expectedOutput(Block b) {
        if (b.expectedText() != null) return b.expectedText();
        StringBuilder sb = new StringBuilder();
        boolean inPrint = false;
        for (String l : b.code().split("\n")) {
            int c = l.indexOf("//");
            String stripped = l.strip();
            if (stripped.startsWith("//")) {
                if (inPrint) sb.append('\n').append(stripped.startsWith("// ") ? stripped.substring(3) : stripped.substring(2));
                continue;
            }
            inPrint = l.contains("System.out.print") && c >= 0;
            if (inPrint) {
                if (!sb.isEmpty()) sb.append('\n');
                String comment = l.substring(c + 2);
                sb.append(comment.startsWith(" ") ? comment.substring(1) : comment);
            }
        }
        return sb.toString();
    }
}
