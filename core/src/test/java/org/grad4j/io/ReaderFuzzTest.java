package org.grad4j.io;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.data.Idx;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded mutation fuzzing of the untrusted-file readers: valid files mutated at random (bit
 * flips, byte overwrites with boundary values, insertions, deletions, truncations, numbers in the
 * header replaced by huge ones). The only allowed failure is the reader's format exception;
 * anything else (OutOfMemoryError, IndexOutOfBounds, NegativeArraySize...) fails the test.
 */
class ReaderFuzzTest {
    static final int RUNS = 20_000;

    /**
     * The committed corpus, written by src/test/resources/make_fuzz_seeds.py with Python/numpy into the
     * folders Jazzer's JUnit integration reads ({@link SafeTensorsFuzzTest}, {@code IdxFuzzTest}).
     */
    static byte[] resource(String name) {
        String path = name.startsWith("safetensors/")
                ? "/org/grad4j/io/SafeTensorsFuzzTestInputs/deserialize/" + name.substring("safetensors/".length())
                : "/org/grad4j/data/IdxFuzzTestInputs/readFile/" + name.substring("idx/".length());
        try (var in = ReaderFuzzTest.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing seed " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void seedCorpusWrittenByAnIndependentWriterReadsCorrectly() throws IOException {
        var mixed = SafeTensors.deserialize(resource("safetensors/mixed.safetensors"));
        assertEquals(Map.of("format", "pt", "note", "seed"), mixed.metadata());
        assertArrayEquals(new float[]{0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, mixed.tensors().get("weight").toFloatArray());
        assertArrayEquals(new int[]{2, 3}, mixed.tensors().get("weight").shape());
        assertArrayEquals(new long[]{-1, 1L << 40}, mixed.tensors().get("steps").toLongArray());
        assertArrayEquals(new long[]{1, 0, 1}, mixed.tensors().get("mask").toLongArray());
        assertEquals(DType.BOOL, mixed.tensors().get("mask").dtype());
        assertArrayEquals(new float[]{1, -2.5f, 65504}, mixed.tensors().get("half").toFloatArray());   // unaligned F16 at byte 43
        var scalar = SafeTensors.deserialize(resource("safetensors/scalar.safetensors")).tensors().get("lr");
        assertEquals(0, scalar.dim());
        assertEquals(0.125, scalar.item());
        var empty = SafeTensors.deserialize(resource("safetensors/empty.safetensors")).tensors();
        assertArrayEquals(new int[]{0, 3}, empty.get("e").shape());
        assertArrayEquals(new long[]{255, 0, 7}, empty.get("b").toLongArray());
        Idx.Array images = Idx.read(new ByteArrayInputStream(resource("idx/images-idx3-ubyte")), 48, "images");
        assertArrayEquals(new int[]{2, 4, 4}, images.dims());
        assertEquals(13, images.data()[1]);
        byte[] gz = resource("idx/labels-idx1-ubyte.gz");
        Idx.Array labels = Idx.read(new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gz)), -1, "labels");
        assertArrayEquals(new byte[]{3, 1, 4, 1, 5}, labels.data());
    }

    static List<byte[]> safetensorsSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : new String[]{"mixed", "scalar", "empty"}) seeds.add(resource("safetensors/" + f + ".safetensors"));
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Grad4j.tensor(new double[][]{{1, 2}, {3, 4}}));
        m.put("i", Grad4j.tensor(new long[]{1, -1}));
        m.put("b", Grad4j.tensor(new long[]{1, 0, 1}).to(DType.BOOL));
        m.put("s", Grad4j.tensor(0.5, DType.FLOAT64));
        seeds.add(SafeTensors.serialize(m, Map.of("format", "pt")));
        seeds.add(SafeTensors.serialize(Map.of("e", Grad4j.zeros(0)), Map.of()));
        seeds.add(SafeTensors.serialize(Map.of("u", Grad4j.tensor(new long[]{255, 1}).to(DType.UINT8),
                "h", Grad4j.tensor(new long[]{-3}).to(DType.INT16)), Map.of("k", "v")));
        return seeds;
    }

    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int ops = 1 + r.nextInt(4);
        for (int k = 0; k < ops && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) new int[]{0, 0xff, 0x7f, 0x80, '{', '"', ':', ',', '9', '-'}[r.nextInt(10)];
                case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 3 -> {   // delete a byte
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                }
                case 4 -> {   // insert a byte
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) r.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                case 5 -> {   // replace a number in the text with a huge or negative one
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    String big = new String[]{"4294967296", "9223372036854775807", "-1", "2147483647", "1e400", "0"}[r.nextInt(6)];
                    s = s.replaceFirst("\\d+", big);
                    b = s.getBytes(StandardCharsets.ISO_8859_1);
                }
                default -> {  // forge the length prefix
                    if (b.length >= 8) {
                        long v = new long[]{0, 1, 7, b.length, b.length - 8L, Long.MAX_VALUE, -1, 1L << 32}[r.nextInt(8)];
                        ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, v);
                    }
                }
            }
        }
        return b;
    }

    @Test
    void safetensorsReaderOnlyThrowsFormatExceptions() {
        Random r = new Random(20261123);
        List<byte[]> seeds = safetensorsSeeds();
        int parsed = 0, rejected = 0;
        for (int i = 0; i < RUNS; i++) {
            byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r);
            try {
                var c = SafeTensors.deserialize(input);
                long n = ByteBuffer.wrap(input).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
                var header = (Map<?, ?>) Json.parse(new String(input, 8, (int) n, StandardCharsets.UTF_8));
                long dataBytes = 0;
                for (var e : c.tensors().entrySet()) {
                    String code = (String) ((Map<?, ?>) header.get(e.getKey())).get("dtype");
                    int fileItem = code.equals("F16") || code.equals("BF16") ? 2 : e.getValue().dtype().itemSize();
                    dataBytes += (long) e.getValue().numel() * fileItem;
                }
                assertEquals(input.length - 8 - n, dataBytes, "accepted file must describe all of its data");
                parsed++;
            } catch (SafeTensorsFormatException e) {
                assertNotNull(e.getMessage());
                rejected++;
            } catch (Throwable t) {
                fail("input #" + i + " (" + java.util.HexFormat.of().formatHex(input) + ") threw " + t, t);
            }
        }
        assertEquals(RUNS, parsed + rejected);
        assertTrue(rejected > RUNS / 2 && parsed > 0, "parsed " + parsed + ", rejected " + rejected);
    }

    static byte[] idx(int[] dims, int dataLen) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataLen);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < dataLen; i++) b.put((byte) i);
        return b.array();
    }

    @Test
    void idxReaderOnlyThrowsFormatExceptions() {
        Random r = new Random(7);
        List<byte[]> seeds = List.of(idx(new int[]{3, 4, 4}, 48), idx(new int[]{10}, 10), idx(new int[]{2, 1, 1, 2}, 4),
                resource("idx/images-idx3-ubyte"));
        int parsed = 0;
        for (int i = 0; i < RUNS; i++) {
            byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r);
            boolean known = r.nextBoolean();
            try {
                Idx.Array a = Idx.read(new ByteArrayInputStream(input), known ? input.length : -1, "fuzz");
                long count = 1;
                for (int d : a.dims()) count *= d;
                assertEquals(count, a.data().length);
                parsed++;
            } catch (Idx.IdxFormatException e) {
                assertNotNull(e.getMessage());
            } catch (IOException e) {
                fail("unexpected IOException type " + e, e);
            } catch (Throwable t) {
                fail("input #" + i + " (" + java.util.HexFormat.of().formatHex(input) + ") threw " + t, t);
            }
        }
        assertTrue(parsed > 0);
    }
}
