package org.grad4j.cuda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernels' own index walk (g4_offset of grad4j_common.cuh), compiled for the host by nvcc, reads
 * TensorDesc bytes exactly as the Java encoder writes them and reaches every element of random
 * coalesced views at the offset a naive walk of the original view gives.
 */
class KernelOffsetTest {
    @Test
    void kernelIndexWalkOverEncodedDescsMatchesNaiveOffsets() throws Exception {
        assumeTrue(TensorDescTest.onPath("nvcc"), "nvcc not on PATH: the kernels' index walk is not compiled here");
        Random rnd = new Random(7);
        List<long[]> expected = new ArrayList<>();
        ByteArrayOutputStream cases = new ByteArrayOutputStream();
        for (int t = 0; t < 300; t++) {
            int rank = rnd.nextInt(9);
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) shape[d] = 1 + rnd.nextInt(3);
            long[] strides = TensorDescTest.randomStrides(rnd, shape);
            long offset = rnd.nextInt(50);
            long[][] c = TensorDesc.coalesce(shape, strides);
            long[] naive = TensorDescTest.naiveOffsets(shape, strides);
            for (int i = 0; i < naive.length; i++) naive[i] += offset;
            expected.add(naive);
            cases.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(naive.length).array());
            cases.write(TensorDesc.encode(offset, c[0], c[1]));
        }
        Path dir = Files.createTempDirectory("g4offset");
        Files.write(dir.resolve("cases.bin"), cases.toByteArray());
        Files.writeString(dir.resolve("o.cu"), "#include <cstdio>\n#include <cstring>\n#include \""
                + Path.of("src/main/cuda/grad4j_common.cuh").toAbsolutePath() + "\"\n"
                + "int main() {\n"
                + "  FILE* f = std::fopen(\"cases.bin\", \"rb\");\n"
                + "  long long n; unsigned char b[sizeof(TensorDesc)];\n"
                + "  while (std::fread(&n, 8, 1, f) == 1 && std::fread(b, sizeof b, 1, f) == 1) {\n"
                + "    TensorDesc t; std::memcpy(&t, b, sizeof t);\n"
                + "    for (long long i = 0; i < n; i++) std::printf(\"%lld \", g4_offset(t, i));\n"
                + "    std::printf(\"\\n\");\n  }\n}\n");
        assertEquals(0, TensorDescTest.run(dir, "nvcc", "-std=c++17", "-arch=sm_75", "-o", "o", "o.cu"), "nvcc failed");
        Process p = new ProcessBuilder(dir.resolve("o").toString()).directory(dir.toFile()).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertEquals(expected.size(), lines.size());
        for (int t = 0; t < expected.size(); t++) {
            String l = lines.get(t).strip();
            long[] got = l.isEmpty() ? new long[0] : Arrays.stream(l.split(" ")).mapToLong(Long::parseLong).toArray();
            assertArrayEquals(expected.get(t), got, "case " + t);
        }
    }
}
