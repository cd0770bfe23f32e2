package org.grad4j.cuda;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * random.cu's Philox4x32-10, compiled for the host by nvcc, gives Random123's known answers
 * (tests/kat_vectors of github.com/DEShawResearch/random123: counter words, key words -> output).
 */
class PhiloxKnownAnswerTest {
    @Test
    void philoxMatchesRandom123KnownAnswerVectors() throws Exception {
        assumeTrue(TensorDescTest.onPath("nvcc"), "nvcc not on PATH: random.cu's Philox is not compiled here");
        Path dir = Files.createTempDirectory("g4philox");
        String src = "#include <cstdio>\n#include \"" + Path.of("src/main/cuda/random.cu").toAbsolutePath() + "\"\n"
                + "static void kat(unsigned long long c, unsigned long long o, unsigned long long k) {\n"
                + "  G4Philox r = g4_philox(c, o, k);\n"
                + "  std::printf(\"%08x %08x %08x %08x\\n\", r.v[0], r.v[1], r.v[2], r.v[3]);\n}\n"
                + "int main() {\n"
                + "  kat(0, 0, 0);\n"
                + "  kat(~0ULL, ~0ULL, ~0ULL);\n"
                + "  kat(0x85a308d3243f6a88ULL, 0x0370734413198a2eULL, 0x299f31d0a4093822ULL);\n}\n";
        Files.writeString(dir.resolve("kat.cu"), src);
        assertEquals(0, TensorDescTest.run(dir, "nvcc", "-std=c++17", "-arch=sm_75", "-o", "kat", "kat.cu"), "nvcc failed");
        String out = new String(new ProcessBuilder(dir.resolve("kat").toString()).start().getInputStream().readAllBytes());
        assertEquals("""
                6627e8d5 e169c58d bc57ac4c 9b00dbd8
                408f276d 41c83b0e a20bc7c6 6d5451fd
                d16cfe09 94fdcceb 5001e420 24126ea1
                """, out);
    }
}
