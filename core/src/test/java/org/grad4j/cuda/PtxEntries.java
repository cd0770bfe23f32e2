package org.grad4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code .entry} signatures of the committed PTX: each kernel's parameter list as PTX writes it. */
final class PtxEntries {
    private PtxEntries() {}

    /** One PTX parameter: type (.u64, .u32, .f32, ...), whether it is a pointer, and for .b8 arrays size and alignment. */
    record Param(String type, boolean pointer, int size, int align) {}

    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)");
    private static final Pattern SCALAR = Pattern.compile("\\.param (\\.[usfb]\\d+)( \\.ptr)?(?: \\.align \\d+)? \\w+");
    private static final Pattern ARRAY = Pattern.compile("\\.param \\.align (\\d+) \\.b8 \\w+\\[(\\d+)\\]");

    static String committedPtx() throws IOException {
        try (InputStream in = PtxEntries.class.getResourceAsStream("/org/grad4j/cuda/grad4j_kernels.ptx")) {
            if (in == null) throw new IOException("grad4j_kernels.ptx is not on the class path: run tools/cuda/build-kernels.sh");
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    static Map<String, List<Param>> parse(String ptx) {
        Map<String, List<Param>> out = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            List<Param> ps = new ArrayList<>();
            for (String line : m.group(2).split(",")) {
                String p = line.strip();
                if (p.isEmpty()) continue;
                Matcher a = ARRAY.matcher(p), s = SCALAR.matcher(p);
                if (a.matches()) ps.add(new Param(".b8", false, Integer.parseInt(a.group(2)), Integer.parseInt(a.group(1))));
                else if (s.matches()) ps.add(new Param(s.group(1), s.group(2) != null, 0, 0));
                else throw new IllegalStateException("unparsed PTX parameter in " + m.group(1) + ": " + p);
            }
            out.put(m.group(1), ps);
        }
        return out;
    }
}
