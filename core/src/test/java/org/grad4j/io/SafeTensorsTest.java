package org.grad4j.io;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafeTensorsTest {
    @TempDir
    Path tmp;

    /** A file built byte by byte from the spec: u64 LE header length, JSON, little-endian data. */
    static byte[] handMade(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    @Test
    void readsAHandMadeFile() throws IOException {
        // "weight": I32 [2, 2] = [[1, 2], [3, -4]]; "bias": F32 [2] = [0.5, -1.25]; bias first in the buffer
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"weight\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[8,24]},"
                + "\"bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ";
        byte[] data = {
                0x00, 0x00, 0x00, 0x3f,                 // 0.5f  = 0x3f000000, little-endian
                0x00, 0x00, (byte) 0xa0, (byte) 0xbf,   // -1.25f = 0xbfa00000
                1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0,
                (byte) 0xfc, (byte) 0xff, (byte) 0xff, (byte) 0xff};   // -4
        byte[] file = handMade(json, data);
        assertEquals(0, file[4]);                       // header length fits the first byte: LE order
        var c = SafeTensors.deserialize(file);
        assertEquals(Map.of("format", "pt"), c.metadata());
        Tensor w = c.tensors().get("weight"), b = c.tensors().get("bias");
        assertEquals(DType.INT32, w.dtype());
        assertArrayEquals(new int[]{2, 2}, w.shape());
        assertArrayEquals(new long[]{1, 2, 3, -4}, w.toLongArray());
        assertArrayEquals(new float[]{0.5f, -1.25f}, b.toFloatArray());
    }

    /**
     * The bytes the reference library writes for {@code save({"test": np.zeros((2, 2), np.int32)})}
     * (its own test suite: 64-byte header padded with spaces); older versions wrote the header
     * unpadded (60 bytes). grad4j writes the former byte for byte and reads both.
     */
    @Test
    void matchesTheReferenceLibraryBytes() throws IOException {
        String json = "{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        assertEquals(60, json.length());
        byte[] reference = handMade(json + "    ", new byte[16]);
        assertEquals('@', reference[0]);
        Tensor zeros = Grad4j.zeros(new int[]{2, 2}, DType.INT32);
        assertArrayEquals(reference, SafeTensors.serialize(Map.of("test", zeros), Map.of()));
        byte[] old = handMade(json, new byte[16]);
        old[8 + 60 + 12] = 1;                           // data[1, 1] = 1
        Tensor t = SafeTensors.deserialize(old).tensors().get("test");
        assertArrayEquals(new long[]{0, 0, 0, 1}, t.toLongArray());
    }

    @Test
    void halfPrecisionFilesAreUpcastToFloat32() throws IOException {
        // F16: 1.0 = 0x3c00, -2.5 = 0xc100, 65504 = 0x7bff; BF16: 1.0 = 0x3f80, -0.15625 = 0xbe20
        String json = "{" + entry("h", "F16", "[3]", 0, 6) + "," + entry("b", "BF16", "[2]", 6, 10) + "}";
        byte[] data = {0x00, 0x3c, 0x00, (byte) 0xc1, (byte) 0xff, 0x7b, (byte) 0x80, 0x3f, 0x20, (byte) 0xbe};
        var t = SafeTensors.deserialize(handMade(json, data)).tensors();
        assertEquals(DType.FLOAT32, t.get("h").dtype());
        assertArrayEquals(new float[]{1f, -2.5f, 65504f}, t.get("h").toFloatArray());
        assertArrayEquals(new float[]{1f, -0.15625f}, t.get("b").toFloatArray());
    }

    @Test
    void writesExactlyTheSpecLayout() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Grad4j.tensor(new double[]{1.5f}, DType.FLOAT32));
        m.put("b", Grad4j.tensor(new long[]{7}));
        byte[] bytes = SafeTensors.serialize(m, Map.of("k", "v"));
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", header.stripTrailing());
        assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(ch -> ch == ' '), "padding is spaces");
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) n, 12).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(7L, data.getLong());
        assertEquals(1.5f, data.getFloat());
        assertEquals(8 + n + 12, bytes.length);
    }

    @Test
    void roundTripsEveryDtypeAndShape() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("f64", Grad4j.tensor(new double[][]{{1e-300, -0.0, Double.NaN}, {Double.POSITIVE_INFINITY, Math.PI, -2}}, DType.FLOAT64));
        m.put("f32", Grad4j.randn(3, 4));
        m.put("i64", Grad4j.tensor(new long[]{Long.MIN_VALUE, -1, Long.MAX_VALUE}));
        m.put("i32", Grad4j.tensor(new long[]{Integer.MIN_VALUE, 5, Integer.MAX_VALUE}).to(DType.INT32));
        m.put("i16", Grad4j.tensor(new long[]{-300, 300}).to(DType.INT16));
        m.put("i8", Grad4j.tensor(new long[]{-128, 127}).to(DType.INT8));
        m.put("u8", Grad4j.tensor(new long[]{0, 255}).to(DType.UINT8));
        m.put("bool", Grad4j.tensor(new long[]{1, 0, 1}).to(DType.BOOL));
        m.put("scalar", Grad4j.tensor(2.5));
        m.put("empty", Grad4j.zeros(0, 3));
        m.put("view", Grad4j.arange(12).reshape(3, 4).t().slice(0, 1, 3));   // non-contiguous with an offset
        m.put("big", Grad4j.arange(400_000).toDouble().reshape(4, 100_000));   // several 1 MB chunks
        m.put("bigBool", Grad4j.arange(3_000_000).toDouble().mul(0.5).sin().gt(0.0));
        Path f = tmp.resolve("all.safetensors");
        SafeTensors.save(m, f, Map.of("note", "ünïcode \"quoted\"\n"));
        assertArrayEquals(SafeTensors.serialize(m, Map.of("note", "ünïcode \"quoted\"\n")), Files.readAllBytes(f),
                "streamed save and in-memory serialize write the same bytes");
        var c = SafeTensors.read(f);
        assertEquals("ünïcode \"quoted\"\n", c.metadata().get("note"));
        assertEquals(m.keySet(), c.tensors().keySet());
        for (var e : m.entrySet()) {
            Tensor a = e.getValue(), b = c.tensors().get(e.getKey());
            assertEquals(a.dtype(), b.dtype(), e.getKey());
            assertArrayEquals(a.shape(), b.shape(), e.getKey());
            if (a.isFloatingPoint()) {
                double[] x = a.contiguous().toDoubleArray(), y = b.toDoubleArray();
                for (int i = 0; i < x.length; i++) assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), e.getKey());
            } else {
                assertArrayEquals(a.contiguous().toLongArray(), b.toLongArray(), e.getKey());
            }
        }
        assertFalse(c.tensors().get("f32").requiresGrad());
    }

    @Test
    void saveIsAtomicAndLeavesNoTempFiles() throws IOException {
        Path f = tmp.resolve("m.safetensors");
        SafeTensors.save(Map.of("x", Grad4j.ones(2)), f);
        SafeTensors.save(Map.of("x", Grad4j.zeros(3)), f);       // replaces
        assertArrayEquals(new int[]{3}, SafeTensors.load(f).get("x").shape());
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "temp file left behind");
        }
    }

    // ------------------------------------------------------------------ malicious and broken files

    static void bad(byte[] file, String fragment) {
        var e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.deserialize(file));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void rejectsBadHeaders() {
        bad(new byte[5], "too short");
        bad(longHeader(Long.MAX_VALUE), "exceeds the limit");
        bad(longHeader(-1), "exceeds the limit");            // u64 max
        bad(longHeader(200_000_000L), "exceeds the limit");
        bad(longHeader(64), "runs past the end");
        bad(handMade("[1]", new byte[0]), "must start with '{'");
        bad(handMade("{\"a\":", new byte[0]), "malformed JSON");
        bad(handMade("{\"a\":1} x", new byte[0]), "malformed JSON");
        bad(handMade("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8) + "}", new byte[8]), "duplicate key");
        byte[] badUtf = handMade("{\"\u00e9\":1}", new byte[0]);
        badUtf[10] = (byte) 0xff;
        bad(badUtf, "UTF-8");
        bad(handMade("{\"__metadata__\":{\"a\":1}}", new byte[0]), "not a string");
        bad(handMade("{\"a\":[]}", new byte[0]), "expected an object");
        bad(handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", new byte[4]), "unexpected field");
        bad(handMade("{" + entry("a", "Q9", "[1]", 0, 4) + "}", new byte[4]), "unknown dtype");
        bad(handMade("{" + entry("a", "F8_E4M3", "[1]", 0, 1) + "}", new byte[1]), "does not support");
        bad(handMade("{" + entry("a", "BF16", "[2]", 0, 2) + "}", new byte[2]), "need 4 bytes");
        bad(handMade("{" + entry("a", "F32", "[-1]", 0, 4) + "}", new byte[4]), "non-negative");
        bad(handMade("{" + entry("a", "F32", "[1.5]", 0, 4) + "}", new byte[4]), "non-negative");
        bad(handMade("{" + entry("a", "F32", "[99999999999999999999]", 0, 4) + "}", new byte[4]), "out of range");
        bad(handMade("{" + entry("a", "F32", "[2147483647,2147483647]", 0, 4) + "}", new byte[4]), "cannot hold");
        bad(handMade("{" + entry("a", "F32", "[2]", 0, 4) + "}", new byte[4]), "need 8 bytes");
        bad(handMade("{" + entry("a", "F32", "[1]", 4, 0) + "}", new byte[4]), "invalid data_offsets");
        bad(handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]), "[begin, end]");
        bad(handMade("{{", new byte[0]), "expected a string key");
        bad(handMade("{\"a\":NaN}", new byte[0]), "malformed JSON");
        bad(handMade("{\"a\":01}", new byte[0]), "malformed JSON");
        bad(handMade("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", new byte[0]), "nested deeper");
    }

    static byte[] longHeader(long n) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).putLong(0);
        return b.array();
    }

    @Test
    void rejectsBadLayouts() {
        // truncated: the header describes 8 bytes, the file holds 4
        bad(handMade("{" + entry("a", "F64", "[1]", 0, 8) + "}", new byte[4]), "truncated");
        // hole between tensors
        bad(handMade("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", new byte[12]), "hole");
        // overlap: two names on the same bytes
        bad(handMade("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}", new byte[8]), "overlap");
        // trailing bytes nobody describes (a polyglot file)
        bad(handMade("{" + entry("a", "F32", "[1]", 0, 4) + "}", new byte[12]), "not described");
        // a boolean that is neither 0 nor 1
        bad(handMade("{" + entry("a", "BOOL", "[2]", 0, 2) + "}", new byte[]{1, 7}), "must be 0 or 1");
        // offsets near 2^63 never allocate
        bad(handMade("{" + entry("a", "U8", "[1]", Long.MAX_VALUE - 1, Long.MAX_VALUE) + "}", new byte[1]), "hole");
    }

    @Test
    void truncatedAndCorruptedRealFilesFailCleanly() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Grad4j.randn(8, 8));
        m.put("n", Grad4j.arange(10));
        byte[] good = SafeTensors.serialize(m, Map.of("a", "b"));
        for (int len = 0; len < good.length; len += 7) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.deserialize(cut), "length " + len);
        }
        // flip every byte of the header in turn: either a clean error or the same tensors' shapes
        long n = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int i = 0; i < 8 + n; i++) {
            byte[] f = good.clone();
            f[i] ^= (byte) 0x5a;
            try {
                var c = SafeTensors.deserialize(f);
                long total = c.tensors().values().stream().mapToLong(t -> (long) t.numel() * t.dtype().itemSize()).sum();
                assertEquals(good.length - 8 - n, total, "a parsed file describes all of its data");
            } catch (SafeTensorsFormatException expected) {
                assertNotNull(expected.getMessage());
            }
        }
        Path f = tmp.resolve("trunc.safetensors");
        Files.write(f, Arrays.copyOf(good, good.length - 1));
        var e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.load(f));
        assertTrue(e.getMessage().contains("trunc.safetensors"), e.getMessage());
    }

    @Test
    void rejectsReservedNames() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.serialize(Map.of("__metadata__", Grad4j.ones(1)), Map.of()));
    }
}
