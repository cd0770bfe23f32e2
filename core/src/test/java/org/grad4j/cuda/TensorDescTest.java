package org.grad4j.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Java encoders produce the C structs' bytes, and coalescing keeps every element's offset. */
class TensorDescTest {
    static final Path HEADER = Path.of("src/main/cuda/grad4j_common.cuh");

    @Test
    void encodePutsEachFieldAtItsCOffsetLittleEndian() {
        byte[] b = TensorDesc.encode(7, new long[]{2, 3}, new long[]{3, -1});
        assertEquals(TensorDesc.BYTES, b.length);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(7, bb.getLong(0));
        assertEquals(2, bb.getLong(8));
        assertEquals(3, bb.getLong(16));
        assertEquals(3, bb.getLong(72));
        assertEquals(-1, bb.getLong(80));
        assertEquals(2, bb.getInt(136));
        assertEquals(0, bb.getLong(24), "unused dims are zero");
    }

    @Test
    void structLayoutsEqualWhatTheHostCompilerGivesForTheHeader() throws Exception {
        assumeTrue(onPath("c++"), "no host C++ compiler (c++) on PATH: layout checked against constants only");
        String header = Files.readString(HEADER);
        String src = "#include <cstdio>\n#include <cstddef>\n#define G4_MAX_DIMS 8\n"
                + struct(header, "TensorDesc") + struct(header, "Window2d")
                + "int main() { std::printf(\"%zu %zu %zu %zu %zu %zu %zu %zu %zu\\n\", sizeof(TensorDesc), alignof(TensorDesc),"
                + " offsetof(TensorDesc, offset), offsetof(TensorDesc, shape), offsetof(TensorDesc, strides),"
                + " offsetof(TensorDesc, rank), sizeof(Window2d), alignof(Window2d), offsetof(Window2d, divisorOverride)); }\n";
        Path dir = Files.createTempDirectory("g4layout");
        Files.writeString(dir.resolve("l.cpp"), src);
        assertEquals(0, run(dir, "c++", "-o", "l", "l.cpp"), "host compile failed");
        String out = new String(new ProcessBuilder(dir.resolve("l").toString()).start().getInputStream().readAllBytes()).strip();
        assertEquals(TensorDesc.BYTES + " " + TensorDesc.ALIGN + " " + TensorDesc.OFFSET_AT + " " + TensorDesc.SHAPE_AT + " "
                + TensorDesc.STRIDES_AT + " " + TensorDesc.RANK_AT + " " + Window2d.BYTES + " " + Window2d.ALIGN + " " + 14 * 4, out);
    }

    @Test
    void window2dEncodesSixteenIntsInDeclarationOrder() {
        byte[] b = new Window2d(3, 28, 27, 5, 4, 2, 1, 1, 0, 1, 1, 13, 24, true, 7).encode();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int[] expect = {3, 28, 27, 5, 4, 2, 1, 1, 0, 1, 1, 13, 24, 1, 7, 0};
        for (int i = 0; i < 16; i++) assertEquals(expect[i], bb.getInt(4 * i), "int " + i);
    }

    @Test
    void coalescingKeepsEveryElementsOffsetForRandomViews() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 3000; trial++) {
            int rank = rnd.nextInt(7);
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) shape[d] = rnd.nextInt(4) + (rnd.nextInt(5) == 0 ? 0 : 1);
            int ops = 1 + rnd.nextInt(3);
            long[][] strides = new long[ops][];
            for (int j = 0; j < ops; j++) strides[j] = randomStrides(rnd, shape);
            long[][] c = TensorDesc.coalesce(shape, strides);
            assertTrue(c[0].length >= 1 && c[0].length <= Math.max(rank, 1));
            for (int j = 0; j < ops; j++) {
                long[] naive = naiveOffsets(shape, strides[j]);
                long[] walked = kernelOffsets(c[0], c[j + 1], naive.length);
                assertArrayEquals(naive, walked, "shape " + Arrays.toString(shape) + " strides " + Arrays.toString(strides[j])
                        + " -> " + Arrays.toString(c[0]) + " " + Arrays.toString(c[j + 1]));
            }
        }
    }

    @Test
    void contiguousTensorsCoalesceToOneDimAndBroadcastsKeepTheirZeroStride() {
        long[][] c = TensorDesc.coalesce(new long[]{4, 5, 6}, new long[]{30, 6, 1}, new long[]{0, 0, 1});
        assertArrayEquals(new long[]{20, 6}, c[0]);
        assertArrayEquals(new long[]{6, 1}, c[1]);
        assertArrayEquals(new long[]{0, 1}, c[2]);
        long[][] scalar = TensorDesc.coalesce(new long[]{}, new long[]{});
        assertArrayEquals(new long[]{1}, scalar[0]);
    }

    // contiguous, permuted, sliced (doubled) or broadcast (0) strides
    static long[] randomStrides(Random rnd, long[] shape) {
        long[] s = new long[shape.length];
        long m = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = rnd.nextInt(4) == 0 ? 0 : m * (rnd.nextInt(3) == 0 ? 2 : 1);
            m *= Math.max(shape[d], 1) * 2;
        }
        if (rnd.nextBoolean() && shape.length > 1) {   // swap two dims' strides (a transpose)
            int a = rnd.nextInt(shape.length), b = rnd.nextInt(shape.length);
            long t = s[a]; s[a] = s[b]; s[b] = t;
        }
        return s;
    }

    static long[] naiveOffsets(long[] shape, long[] strides) {
        List<Long> out = new ArrayList<>();
        walk(shape, strides, 0, 0, out);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static void walk(long[] shape, long[] strides, int d, long off, List<Long> out) {
        if (d == shape.length) { out.add(off); return; }
        for (long i = 0; i < shape[d]; i++) walk(shape, strides, d + 1, off + i * strides[d], out);
    }

    /** g4_offset of grad4j_common.cuh, transcribed. */
    static long[] kernelOffsets(long[] shape, long[] strides, int n) {
        long[] r = new long[n];
        for (int k = 0; k < n; k++) {
            long i = k, off = 0;
            for (int d = shape.length - 1; d >= 0; d--) {
                long q = i / shape[d];
                off += (i - q * shape[d]) * strides[d];
                i = q;
            }
            r[k] = off;
        }
        return r;
    }

    static String struct(String header, String name) {
        int a = header.indexOf("struct " + name + " {");
        return header.substring(a, header.indexOf("};", a) + 2) + "\n";
    }

    static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            if (Files.isExecutable(Path.of(d, exe))) return true;
        return false;
    }

    static int run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) { p.destroyForcibly(); return -1; }
        if (p.exitValue() != 0) System.err.println(log);
        return p.exitValue();
    }
}
