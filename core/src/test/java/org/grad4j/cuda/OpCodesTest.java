package org.grad4j.cuda;

import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.ReduceKernels;
import org.grad4j.kernels.UnaryOp;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kernels' op codes (grad4j_ops.cuh) are the Java enums' ordinals, name for name. */
class OpCodesTest {
    static Map<String, Integer> defines(String prefix) throws Exception {
        Map<String, Integer> m = new LinkedHashMap<>();
        Matcher x = Pattern.compile("#define G4_" + prefix + "_(\\w+) (\\d+)").matcher(Files.readString(Path.of("src/main/cuda/grad4j_ops.cuh")));
        while (x.find()) m.put(x.group(1), Integer.parseInt(x.group(2)));
        return m;
    }

    static <E extends Enum<E>> Map<String, Integer> ordinals(E[] values) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (E e : values) m.put(e.name(), e.ordinal());
        return m;
    }

    @Test
    void unaryCodesAreUnaryOpOrdinals() throws Exception { assertEquals(ordinals(UnaryOp.values()), defines("UNARY")); }

    @Test
    void binaryCodesAreBinaryOpOrdinals() throws Exception { assertEquals(ordinals(BinaryOp.values()), defines("BINARY")); }

    @Test
    void reduceCodesAreReduceKindOrdinals() throws Exception {
        assertEquals(ordinals(ReduceKernels.Kind.values()), defines("REDUCE"));
    }
}
