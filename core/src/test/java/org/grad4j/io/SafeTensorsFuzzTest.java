package org.grad4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.storage.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Coverage-guided fuzzing (Jazzer) of the safetensors reader. Every build replays the committed
 * inputs in src/test/resources/org/grad4j/io/SafeTensorsFuzzTestInputs/&lt;method&gt;/; with
 * {@code JAZZER_FUZZ=1} (the {@code fuzz} Maven profile, run by .ci/run) Jazzer mutates them.
 *
 * <p>The only allowed failure is {@link SafeTensorsFormatException}; any other throwable
 * (OutOfMemoryError from a forged length, IndexOutOfBounds, NegativeArraySize...) or an input
 * taking longer than the timeout is a finding. Whatever parses is checked against the bytes
 * by an independent decoder (shapes, sizes, layout, every element), so no wrong tensor passes.
 */
@Timeout(10)   // per input: a hang is a finding (Jazzer passes it on to libFuzzer's -timeout)
class SafeTensorsFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void deserialize(byte[] input) {
        SafeTensors.Contents c;
        try {
            c = SafeTensors.deserialize(input);
        } catch (SafeTensorsFormatException e) {
            assertNotNull(e.getMessage());
            return;
        }
        checkAgainstBytes(input, c);
    }

    /** Reading the bytes from a file must give exactly what {@link SafeTensors#deserialize} gives. */
    @FuzzTest(maxDuration = "60s")
    void readFile(byte[] input) throws IOException {
        Path f = FuzzScratchFile.write(input, ".safetensors");
        SafeTensors.Contents fromFile = null, fromBytes = null;
        String fileError = null, bytesError = null;
        try {
            fromFile = SafeTensors.read(f);
        } catch (SafeTensorsFormatException e) {
            fileError = e.getMessage();
        }
        try {
            fromBytes = SafeTensors.deserialize(input);
        } catch (SafeTensorsFormatException e) {
            bytesError = e.getMessage();
        }
        // same outcome and message; only the name differs ("<bytes>" -> the path)
        assertEquals(bytesError == null ? null : f + bytesError.substring("<bytes>".length()), fileError);
        if (fromFile == null) return;
        checkAgainstBytes(input, fromFile);
        assertEquals(fromBytes.metadata(), fromFile.metadata());
        assertEquals(fromBytes.tensors().keySet(), fromFile.tensors().keySet());
    }

    // ------------------------------------------------------------------ the oracle

    /** Re-reads the header with the JSON parser and checks every tensor against the raw bytes. */
    static void checkAgainstBytes(byte[] input, SafeTensors.Contents c) {
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        long n = in.getLong(0);
        assertTrue(n >= 2 && 8 + n <= input.length, "accepted a header length of " + n);
        Map<?, ?> header;
        try {
            header = (Map<?, ?>) Json.parse(new String(input, 8, (int) n, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw new AssertionError("accepted a header that is not JSON", e);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        if (header.get(SafeTensors.METADATA_KEY) instanceof Map<?, ?> m) m.forEach((k, v) -> meta.put((String) k, v));
        assertEquals(meta, c.metadata());
        List<String> names = new ArrayList<>();
        header.keySet().forEach(k -> names.add((String) k));
        names.remove(SafeTensors.METADATA_KEY);
        assertEquals(names, new ArrayList<>(c.tensors().keySet()), "tensors in header order");

        long dataStart = 8 + n, dataLen = input.length - dataStart;
        List<long[]> ranges = new ArrayList<>();
        for (String name : names) {
            Map<?, ?> info = (Map<?, ?>) header.get(name);
            String code = (String) info.get("dtype");
            List<?> shape = (List<?>) info.get("shape");
            List<?> offs = (List<?>) info.get("data_offsets");
            long begin = (Long) offs.get(0), end = (Long) offs.get(1);
            Tensor t = c.tensors().get(name);
            long numel = 1;
            int[] expectedShape = new int[shape.size()];
            for (int i = 0; i < expectedShape.length; i++) {
                expectedShape[i] = Math.toIntExact((Long) shape.get(i));
                numel *= expectedShape[i];
            }
            assertArrayEquals(expectedShape, t.shape(), name);
            assertEquals(numel, t.numel(), name + ": shape product == numel");
            assertTrue(t.isContiguous() && t.storageOffset() == 0, name);
            assertEquals(numel, t.storage().size(), name + ": storage holds exactly numel elements");
            int item = fileItemSize(code);
            assertEquals(numel * item, end - begin, name + ": byte size agrees with dtype and shape");
            ranges.add(new long[]{begin, end});
            ByteBuffer data = in.slice((int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            checkValues(name, code, t.storage(), data, (int) numel);
        }
        ranges.sort(Comparator.comparingLong((long[] r) -> r[0]).thenComparingLong(r -> r[1]));
        long at = 0;
        for (long[] r : ranges) {
            assertEquals(at, r[0], "data ranges tile the data section");
            at = r[1];
        }
        assertEquals(dataLen, at, "data section fully described");
    }

    static int fileItemSize(String code) {
        return switch (code) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw new AssertionError("accepted dtype " + code);
        };
    }

    /** Each element decoded from the little-endian bytes with ByteBuffer, compared bit for bit. */
    static void checkValues(String name, String code, Storage s, ByteBuffer b, int numel) {
        for (int i = 0; i < numel; i++) {
            String at = name + "[" + i + "] (" + code + ")";
            switch (code) {
                case "F64" -> assertEquals(Double.doubleToLongBits(b.getDouble(8 * i)), Double.doubleToLongBits(s.getDouble(i)), at);
                case "F32" -> assertEquals(Float.floatToIntBits(b.getFloat(4 * i)), Float.floatToIntBits((float) s.getDouble(i)), at);
                case "F16" -> assertEquals(Float.floatToIntBits(Float.float16ToFloat(b.getShort(2 * i))),
                        Float.floatToIntBits((float) s.getDouble(i)), at);
                case "BF16" -> assertEquals(Float.floatToIntBits(Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16)),
                        Float.floatToIntBits((float) s.getDouble(i)), at);
                case "I64" -> assertEquals(b.getLong(8 * i), s.getLong(i), at);
                case "I32" -> assertEquals(b.getInt(4 * i), (int) s.getLong(i), at);
                case "I16" -> assertEquals(b.getShort(2 * i), (short) s.getLong(i), at);
                case "I8", "U8" -> assertEquals(b.get(i), (byte) s.getLong(i), at);
                case "BOOL" -> {
                    byte v = b.get(i);
                    assertTrue(v == 0 || v == 1, at + ": accepted boolean byte " + v);
                    assertEquals(v == 1, s.getLong(i) == 1, at);
                }
                default -> throw new AssertionError("accepted dtype " + code);
            }
        }
    }

    /** The oracle accepts what the writer writes and notices a single wrong element. */
    @Test
    void oracleCatchesAWrongTensor() throws IOException {
        var m = new LinkedHashMap<String, Tensor>();
        m.put("x", Grad4j.tensor(new double[]{1, 2}));
        m.put("b", Grad4j.tensor(new long[]{1, 0}).to(DType.BOOL));
        byte[] ok = SafeTensors.serialize(m, Map.of("a", "b"));
        SafeTensors.Contents c = SafeTensors.deserialize(ok);
        checkAgainstBytes(ok, c);
        c.tensors().get("x").storage().setDouble(1, 3);
        assertThrows(AssertionError.class, () -> checkAgainstBytes(ok, c));
    }

    /**
     * Regression (found reading the code while fuzzing: an input needs a 2 GiB file, beyond the
     * fuzzer's reach): the read buffer of a tensor of 2 GiB or more was computed in int, overflowed,
     * and loading e.g. a 128256 x 4096 float32 embedding failed with IllegalArgumentException.
     */
    @Test
    void readBufferOfATensorOf2GiBOrMoreDoesNotOverflow() {
        assertEquals(1 << 20, SafeTensors.bufferBytes(1 << 29, 4));              // 2 GiB: int product is negative
        assertEquals(1 << 20, SafeTensors.bufferBytes(128256 * 4096, 4));
        assertEquals(1 << 20, SafeTensors.bufferBytes(Integer.MAX_VALUE - 8, 8));
        assertEquals(24, SafeTensors.bufferBytes(3, 8));
        assertEquals(2, SafeTensors.bufferBytes(0, 2));                           // empty tensor: one item
    }

    /** The forged seeds (make_fuzz_seeds.py) are not only survived but rejected, each for its reason. */
    @Test
    void forgedSeedsAreRejected() throws Exception {
        Path dir = Path.of(SafeTensorsFuzzTest.class.getResource("SafeTensorsFuzzTestInputs/deserialize").toURI());
        Map<String, String> expected = new java.util.HashMap<>(Map.of(
                "forged-length-huge", "exceeds the limit", "forged-length-past-end", "runs past the end",
                "forged-shape-2pow62", "more than", "forged-offsets-past-end", "past the end of the data section",
                "forged-overlap", "overlap", "forged-duplicate-key", "duplicate key", "forged-bool-2", "booleans must be 0 or 1",
                "forged-deep-json", "nested deeper", "forged-f8", "does not support"));
        expected.put("forged-metadata-empty-arrays", "__metadata__ value of 'a' is not a string");
        expected.put("forged-too-many-dims", "more than 128 dimensions");
        for (var e : expected.entrySet()) {
            byte[] bytes = java.nio.file.Files.readAllBytes(dir.resolve(e.getKey() + ".safetensors"));
            var ex = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.deserialize(bytes), e.getKey());
            assertTrue(ex.getMessage().contains(e.getValue()), e.getKey() + ": " + ex.getMessage());
        }
    }
}
