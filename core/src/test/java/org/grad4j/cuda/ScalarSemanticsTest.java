package org.grad4j.cuda;

import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.UnaryOp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernels' scalar rules (grad4j_math.cuh, the casts of grad4j_common.cuh), compiled for the host by
 * nvcc and run on edge values, against grad4j's CPU definitions (UnaryOp, BinaryOp, the storages'
 * setDouble): bitwise for the ops docs/cuda.md promises bitwise, NaN/inf/signed zeros identical and a
 * small relative difference (glibc here, libdevice on a GPU, versus Java's Math) for transcendentals.
 */
class ScalarSemanticsTest {
    static final double[] V = {0.0, -0.0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, 1e-310, -1e-310, 1e300, -1e300,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.1, 7.25, -7.25, 1e8 + 1, 20, -20, 40,
            9007199254740993.0, 3e9, -3e9, 1e19, -1e19, 0.7, -0.7, 1e-5};
    static final long[] L = {0, 1, -1, 2, -2, 3, 7, -7, 63, 64, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, -(1L << 33) + 5};
    static List<String> out;

    @BeforeAll
    static void compileAndRun() throws Exception {
        assumeTrue(TensorDescTest.onPath("nvcc"), "nvcc not on PATH: the kernels' scalar code is not compiled here");
        Path dir = Files.createTempDirectory("g4scalar");
        StringBuilder c = new StringBuilder("#include <cstdio>\n#include <cstring>\n#include \"")
                .append(Path.of("src/main/cuda/grad4j_math.cuh").toAbsolutePath()).append("\"\n");
        c.append("static const double V[] = {");
        for (double v : V) c.append(String.format("__longlong_as_double_host(0x%016xULL),", Double.doubleToRawLongBits(v)));
        c.append("};\nstatic const long long L[] = {");
        for (long v : L) c.append(String.format("(long long)0x%016xULL,", v));
        c.append("""
                };
                """);
        String prog = """
                static double d(unsigned long long b) { double x; std::memcpy(&x, &b, 8); return x; }
                static unsigned long long db(double x) { unsigned long long b; std::memcpy(&b, &x, 8); return b; }
                static unsigned int fb(float x) { unsigned int b; std::memcpy(&b, &x, 4); return b; }
                int main() {
                  const int nv = sizeof(V) / sizeof(V[0]), nl = sizeof(L) / sizeof(L[0]);
                  for (int op = 0; op <= G4_UNARY_MISH; op++) for (int i = 0; i < nv; i++) {
                    std::printf("%016llx %08x\\n", db(g4_unary_f64(op, V[i])), fb(g4_unary_f32(op, (float)V[i])));
                  }
                  for (int op = 0; op <= G4_BINARY_LOGADDEXP; op++) for (int i = 0; i < nv; i++) for (int j = 0; j < nv; j++)
                    std::printf("%016llx %08x\\n", db(g4_binary_f64(op, V[i], V[j])), fb(g4_binary_f32(op, (float)V[i], (float)V[j])));
                  for (int op = G4_BINARY_EQ; op <= G4_BINARY_LOGICAL_XOR; op++) for (int i = 0; i < nv; i++) for (int j = 0; j < nv; j++)
                    std::printf("%d\\n", g4_compare_f64(op, V[i], V[j]) ? 1 : 0);
                  for (int op = 0; op <= G4_BINARY_LOGADDEXP; op++) for (int i = 0; i < nl; i++) for (int j = 0; j < nl; j++) {
                    bool bad = false; long long r = g4_binary_i64(op, L[i], L[j], &bad);
                    std::printf("%lld %d\\n", bad ? 0LL : r, bad ? 1 : 0);
                  }
                  for (int i = 0; i < nv; i++)
                    std::printf("%lld %d %d %d %d %d\\n", Conv<long long>::fromD(V[i]), Conv<int>::fromD(V[i]), (int)Conv<short>::fromD(V[i]),
                        (int)Conv<signed char>::fromD(V[i]), (int)Conv<unsigned char>::fromD(V[i]), (int)Conv<g4_bool>::fromD(V[i]).v);
                }
                """;
        String src = c.toString().replace("__longlong_as_double_host(", "d(");
        // d() must precede V: emit the helpers first
        src = src.replace("static const double V[]", prog.substring(0, prog.indexOf("int main()")) + "static const double V[]");
        Files.writeString(dir.resolve("s.cu"), src + prog.substring(prog.indexOf("int main()")));
        assertEquals(0, TensorDescTest.run(dir, "nvcc", "-std=c++17", "-arch=sm_75", "-fmad=false", "-o", "s", "s.cu"), "nvcc failed");
        Process p = new ProcessBuilder(dir.resolve("s").toString()).start();
        out = new String(p.getInputStream().readAllBytes()).lines().toList();
    }

    static final List<UnaryOp> EXACT_UNARY = List.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQRT, UnaryOp.RELU, UnaryOp.SIGN,
            UnaryOp.RECIPROCAL, UnaryOp.RSQRT, UnaryOp.FLOOR, UnaryOp.CEIL, UnaryOp.ROUND, UnaryOp.TRUNC, UnaryOp.SQUARE, UnaryOp.FRAC);
    static final List<BinaryOp> EXACT_BINARY = List.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM,
            BinaryOp.MINIMUM, BinaryOp.FMOD, BinaryOp.REMAINDER, BinaryOp.DIV_TRUNC, BinaryOp.DIV_FLOOR);

    int line = 0;

    @Test
    void unaryBinaryComparisonIntegerAndCastRulesMatchTheCpuKernels() {
        List<String> bad = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values())
            for (double v : V) {
                String[] w = out.get(line++).split(" ");
                check(bad, op + "(" + v + ")", op.apply(v), w[0], EXACT_UNARY.contains(op));
                checkF(bad, op + "((float) " + v + ")", op.apply((float) v), w[1], EXACT_UNARY.contains(op));
            }
        for (BinaryOp op : BinaryOp.values()) {
            if (op.isComparison()) continue;
            for (double a : V)
                for (double b : V) {
                    String[] w = out.get(line++).split(" ");
                    check(bad, op + "(" + a + ", " + b + ")", op.f64(a, b), w[0], EXACT_BINARY.contains(op));
                    checkF(bad, op + "((float) " + a + ", (float) " + b + ")", op.f32((float) a, (float) b), w[1], EXACT_BINARY.contains(op));
                }
        }
        for (BinaryOp op : BinaryOp.values()) {
            if (!op.isComparison()) continue;
            for (double a : V)
                for (double b : V)
                    if (op.cmp(a, b) != out.get(line++).equals("1")) bad.add(op + "(" + a + ", " + b + ")");
        }
        for (BinaryOp op : BinaryOp.values()) {
            if (op.isComparison()) continue;
            for (long a : L)
                for (long b : L) {
                    String expect;
                    try { expect = op.i64(a, b) + " 0"; } catch (ArithmeticException e) { expect = "0 1"; }
                    String got = out.get(line++);
                    if (!expect.equals(got)) bad.add(op + "(" + a + "L, " + b + "L): cpu " + expect + ", kernel " + got);
                }
        }
        for (double v : V) {
            long l = (long) v;
            String expect = l + " " + (int) l + " " + (short) l + " " + (byte) l + " " + ((byte) l & 0xFF) + " " + (v != 0 ? 1 : 0);
            String got = out.get(line++);
            if (!expect.equals(got)) bad.add("cast of " + v + ": cpu " + expect + ", kernel " + got);
        }
        assertEquals(out.size(), line, "output lines");
        assertTrue(bad.isEmpty(), bad.size() + " differences, first ones:\n" + String.join("\n", bad.subList(0, Math.min(30, bad.size()))));
    }

    static void check(List<String> bad, String what, double cpu, String hex, boolean exact) {
        double k = Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
        if (Double.isNaN(cpu) && Double.isNaN(k)) return;
        if (Double.doubleToLongBits(cpu) == Double.doubleToLongBits(k)) return;
        boolean special = Double.isNaN(cpu) || Double.isNaN(k) || Double.isInfinite(cpu) || Double.isInfinite(k) || cpu == 0 || k == 0;
        if (!exact && !special && Math.abs(cpu - k) <= 1e-13 * Math.abs(cpu)) return;
        bad.add(what + ": cpu " + cpu + ", kernel " + k);
    }

    static void checkF(List<String> bad, String what, float cpu, String hex, boolean exact) {
        float k = Float.intBitsToFloat(Integer.parseUnsignedInt(hex, 16));
        if (Float.isNaN(cpu) && Float.isNaN(k)) return;
        if (Float.floatToIntBits(cpu) == Float.floatToIntBits(k)) return;
        boolean special = Float.isNaN(cpu) || Float.isNaN(k) || Float.isInfinite(cpu) || Float.isInfinite(k) || cpu == 0 || k == 0;
        if (!exact && !special && Math.abs(cpu - k) <= Math.ulp(cpu)) return;
        bad.add(what + ": cpu " + cpu + ", kernel " + k);
    }
}
