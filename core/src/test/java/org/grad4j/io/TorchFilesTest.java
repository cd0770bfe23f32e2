package org.grad4j.io;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.nn.BatchNorm1d;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link TorchFiles} on files Python's pickler wrote in torch.save's format
 * (src/test/resources/make_torch_fixtures.py) and on files real libtorch 2.5.1 wrote
 * (bench's TorchFixtures, org/grad4j/io/torch/libtorch-*.pt).
 */
class TorchFilesTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(TorchFilesTest.class.getResource("torch/" + name).toURI());
        } catch (Exception e) {
            throw new AssertionError("missing fixture " + name, e);
        }
    }

    static void assertValues(double[] expected, Tensor t) {
        assertArrayEquals(expected, t.contiguous().to(DType.FLOAT64).toDoubleArray(), 0, t.toString());
    }

    @Test
    void stateDictSavedByTorchLoadsIntoAModelAsIs() throws IOException {
        Map<String, Tensor> sd = TorchFiles.load(fixture("state_dict.pt"));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked"), List.copyOf(sd.keySet()));
        var model = new Sequential(new Linear(3, 2), new BatchNorm1d(2));
        model.loadStateDict(sd);
        Tensor w = model.stateDict().get("0.weight");
        assertArrayEquals(new int[]{2, 3}, w.shape());
        assertValues(new double[]{0.5f, -1.25f, 2.0f, 3.5f, -0.75f, 1e-3f}, w);
        Tensor n = sd.get("1.num_batches_tracked");
        assertEquals(DType.INT64, n.dtype());
        assertEquals(0, n.dim());
        assertEquals(7, n.itemLong());
    }

    @Test
    void huggingFacePytorchModelBinWithItsOwnFolderNameLoads() throws IOException {
        assertEquals(7, TorchFiles.load(fixture("pytorch_model.bin")).size());
    }

    @Test
    void bigEndianFilesGiveTheSameValues() throws IOException {
        Map<String, Tensor> le = TorchFiles.load(fixture("dtypes.pt")), be = TorchFiles.load(fixture("dtypes_big_endian.pt"));
        assertEquals(le.keySet(), be.keySet());
        for (String k : le.keySet()) assertEquals(le.get(k).toString(), be.get(k).toString(), k);
        assertValues(new double[]{1, -2, 1L << 62}, be.get("i64"));
        assertValues(new double[]{1.5, -2.25, 1e300}, be.get("f64"));
    }

    @Test
    void everyStorageTypeMapsToAGrad4jDType() throws IOException {
        Map<String, Tensor> t = TorchFiles.load(fixture("dtypes.pt"));
        Map<String, DType> expected = Map.of("f64", DType.FLOAT64, "f32", DType.FLOAT32, "f16", DType.FLOAT32,
                "bf16", DType.FLOAT32, "i64", DType.INT64, "i32", DType.INT32, "i16", DType.INT16, "i8", DType.INT8,
                "u8", DType.UINT8, "bool", DType.BOOL);
        expected.forEach((k, d) -> assertEquals(d, t.get(k).dtype(), k));
        assertValues(new double[]{1.5, -2.25, 65504}, t.get("f16"));
        assertValues(new double[]{1.5, -2.25, Float.intBitsToFloat(Float.floatToIntBits(3.0e38f) & 0xffff0000)}, t.get("bf16"));
        assertValues(new double[]{1, 2, 255}, t.get("u8"));
        assertValues(new double[]{1, -2, 127}, t.get("i8"));
        assertValues(new double[]{1, 0, 1}, t.get("bool"));
    }

    @Test
    void viewsKeepTheirStridesOffsetsAndSharedStorage() throws IOException {
        Map<String, Tensor> v = TorchFiles.load(fixture("views.pt"));
        Tensor a = v.get("a"), at = v.get("a_t"), col = v.get("col2"), ex = v.get("expanded");
        assertSame(a.storage(), at.storage());
        assertSame(a.storage(), col.storage());
        assertArrayEquals(new int[]{1, 4}, at.stride());
        assertValues(new double[]{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, at);
        assertEquals(2, col.storageOffset());
        assertValues(new double[]{2, 6, 10}, col);
        assertValues(new double[]{5, 6, 7, 5, 6, 7}, ex);
    }

    @Test
    void parametersComeBackRequiringGrad() throws IOException {
        Tensor w = TorchFiles.load(fixture("parameters.pt")).get("w");
        assertTrue(w.requiresGrad());
        assertValues(new double[]{1, 2}, w);
    }

    @Test
    void checkpointsReadAsPlainJavaValues() throws IOException {
        Map<?, ?> ckpt = (Map<?, ?>) TorchFiles.read(fixture("checkpoint.pt"));
        assertEquals(3L, ckpt.get("epoch"));
        assertEquals(0.125, ckpt.get("loss"));
        assertEquals("héllo", ckpt.get("note"));
        List<?> pair = (List<?>) ckpt.get("pair");
        assertEquals(1L, pair.get(0));
        assertArrayEquals("raw".getBytes(), (byte[]) pair.get(1));
        Map<String, Tensor> sd = TorchFiles.stateDict(ckpt.get("model_state_dict"));
        assertEquals(7, sd.size());
        Map<?, ?> opt = (Map<?, ?>) ckpt.get("optimizer_state_dict");
        Map<?, ?> group = (Map<?, ?>) ((List<?>) opt.get("param_groups")).get(0);
        assertEquals(0.01, group.get("lr"));
        assertEquals(false, group.get("nesterov"));
        assertTrue(group.containsKey("name") && group.get("name") == null);
        assertEquals(List.of(0L, 1L), group.get("params"));
        Tensor buf = (Tensor) ((Map<?, ?>) ((Map<?, ?>) opt.get("state")).get(0L)).get("momentum_buffer");
        assertArrayEquals(new int[]{2, 3}, buf.shape());
    }

    @Test
    void loadOfACheckpointSaysItIsOneAndHowToGetTheStateDict() {
        var e = assertThrows(TorchFilesFormatException.class, () -> TorchFiles.load(fixture("checkpoint.pt")));
        assertTrue(e.getMessage().contains("a checkpoint rather than a state dict"), e.getMessage());
        assertTrue(e.getMessage().contains("epoch: an int") && e.getMessage().contains("Fix: "), e.getMessage());
    }

    @Test
    void globalsOutsideTheAllowListAreRefusedByNameAndNeverRun() throws IOException {
        Path marker = tmp.resolve("pwned");
        for (String f : new String[]{"evil_os_system.pt", "evil_eval.pt"}) {
            var e = assertThrows(TorchFilesFormatException.class, () -> TorchFiles.read(fixture(f)), f);
            String global = f.contains("eval") ? "GLOBAL builtins.eval" : "GLOBAL posix.system";
            assertTrue(e.getMessage().contains("Unsupported global: " + global + " was not an allowed global"), e.getMessage());
            assertTrue(e.getMessage().contains("Fix: "), e.getMessage());
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void notAZipSaysSoAndNamesTheFile() throws IOException {
        Path f = tmp.resolve("model.pt");
        Files.write(f, new byte[]{1, 2, 3, 4});
        var e = assertThrows(TorchFilesFormatException.class, () -> TorchFiles.load(f));
        assertTrue(e.getMessage().startsWith(f + ": not a torch.save file"), e.getMessage());
    }

    @Test
    void safetensorsGivenATorchSaveFileNamesTorchFiles() {
        var e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.load(fixture("state_dict.pt")));
        assertTrue(e.getMessage().contains("torch.save") && e.getMessage().contains("TorchFiles.load"), e.getMessage());
    }

    // ------------------------------------------------------------------ files written by libtorch 2.5.1

    @Test
    void libtorchTensorsAndViewsReadWithTheirStridesAndOffsets() throws IOException {
        double[] all = new double[12];
        for (int i = 0; i < 12; i++) all[i] = i;
        Tensor m = (Tensor) TorchFiles.read(fixture("libtorch-matrix.pt"));
        assertArrayEquals(new int[]{3, 4}, m.shape());
        assertValues(all, m);
        Tensor t = (Tensor) TorchFiles.read(fixture("libtorch-transposed.pt"));
        assertArrayEquals(new int[]{1, 4}, t.stride());
        assertValues(new double[]{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, t);
        Tensor n = (Tensor) TorchFiles.read(fixture("libtorch-narrowed.pt"));
        assertEquals(1, n.storageOffset());
        assertEquals(12, n.storage().size());
        assertValues(new double[]{1, 2, 5, 6, 9, 10}, n);
        Tensor e = (Tensor) TorchFiles.read(fixture("libtorch-expanded.pt"));
        assertArrayEquals(new int[]{0, 1}, e.stride());
        assertValues(new double[]{8, 9, 10, 11, 8, 9, 10, 11}, e);
    }

    @Test
    void libtorchFilesOfEveryDTypeRead() throws IOException {
        Map<String, DType> expected = Map.of("double", DType.FLOAT64, "half", DType.FLOAT32, "bfloat16", DType.FLOAT32,
                "long", DType.INT64, "int", DType.INT32, "short", DType.INT16, "char", DType.INT8, "byte", DType.UINT8,
                "bool", DType.BOOL);
        for (var e : expected.entrySet()) {
            Tensor t = (Tensor) TorchFiles.read(fixture("libtorch-" + e.getKey() + ".pt"));
            assertEquals(e.getValue(), t.dtype(), e.getKey());
            // [0, -1.5, -3] converted by libtorch: truncated toward zero for integers, wrapped for uint8
            double[] v = switch (e.getKey()) {
                case "double", "half", "bfloat16" -> new double[]{0, -1.5, -3};
                case "byte" -> new double[]{0, 255, 253};
                case "bool" -> new double[]{0, 1, 1};
                default -> new double[]{0, -1, -3};
            };
            assertValues(v, t);
        }
    }

    @Test
    void libtorchRewritesOfTheHandMadeFilesGiveTheSameTensors() throws IOException {
        for (String f : new String[]{"dtypes.pt", "views.pt"}) {
            Map<String, Tensor> py = TorchFiles.load(fixture(f)), lt = TorchFiles.load(fixture("libtorch-" + f));
            assertEquals(py.keySet(), lt.keySet(), f);
            for (String k : py.keySet()) {
                assertEquals(py.get(k).dtype(), lt.get(k).dtype(), f + " " + k);
                assertArrayEquals(py.get(k).shape(), lt.get(k).shape(), f + " " + k);
                assertEquals(py.get(k).toString(), lt.get(k).toString(), f + " " + k);
            }
        }
    }

    // ------------------------------------------------------------------ forged files (built here)

    /** A pickle of one float tensor over storage "0" of {@code numel} elements, as torch.save writes it. */
    static byte[] tensorPickle(int numel) {
        var b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[]{(byte) 0x80, 2});
        b.writeBytes("ctorch._utils\n_rebuild_tensor_v2\n((".getBytes());
        str(b, "storage");
        b.writeBytes("ctorch\nFloatStorage\n".getBytes());
        str(b, "0");
        str(b, "cpu");
        b.writeBytes(new byte[]{'J', (byte) numel, (byte) (numel >> 8), (byte) (numel >> 16), (byte) (numel >> 24), 't', 'Q',
                'K', 0, 'J', (byte) numel, (byte) (numel >> 8), (byte) (numel >> 16), (byte) (numel >> 24), (byte) 0x85,
                'K', 1, (byte) 0x85, (byte) 0x89, 'N', 't', 'R', '.'});
        return b.toByteArray();
    }

    static void str(java.io.ByteArrayOutputStream b, String s) {
        b.write(0x8c);
        b.write(s.length());
        b.writeBytes(s.getBytes());
    }

    /** A zip of the given records (name to bytes), stored or deflated. */
    Path zip(String name, Map<String, byte[]> records, boolean deflate) throws IOException {
        Path f = tmp.resolve(name);
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            for (var e : records.entrySet()) {
                var entry = new java.util.zip.ZipEntry(e.getKey());
                if (!deflate) {
                    var crc = new java.util.zip.CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(java.util.zip.ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return f;
    }

    @Test
    void handBuiltTensorPickleReads() throws IOException {
        byte[] data = new byte[12];
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).putFloat(3f);
        Path f = zip("t.pt", new java.util.LinkedHashMap<>(Map.of("archive/data.pkl", tensorPickle(3), "archive/data/0", data)), false);
        assertValues(new double[]{1.5, -2, 3}, (Tensor) TorchFiles.read(f));
    }

    @Test
    void aStorageLargerThanItsRecordIsRefusedBeforeAllocating() throws IOException {
        Path f = zip("t.pt", new java.util.LinkedHashMap<>(Map.of("archive/data.pkl", tensorPickle(1 << 30),
                "archive/data/0", new byte[8])), false);
        var e = assertThrows(TorchFilesFormatException.class, () -> TorchFiles.read(f));
        assertTrue(e.getMessage().contains("record archive/data/0 holds 8 bytes, but the pickle declares 1073741824 elements"),
                e.getMessage());
    }

    @Test
    void compressedStorageRecordsAreRefused() throws IOException {
        Path f = zip("t.pt", new java.util.LinkedHashMap<>(Map.of("archive/data.pkl", tensorPickle(3), "archive/data/0", new byte[12])), true);
        var e = assertThrows(TorchFilesFormatException.class, () -> TorchFiles.read(f));
        assertTrue(e.getMessage().contains("is compressed"), e.getMessage());
    }

    @Test
    void torchScriptArchivesAreNamedAsSuch() throws IOException {
        Path f = zip("m.pt", new java.util.LinkedHashMap<>(Map.of("m/constants.pkl", new byte[]{(byte) 0x80, 2, 'N', '.'})), false);
        var e = assertThrows(TorchFilesFormatException.class, () -> TorchFiles.read(f));
        assertTrue(e.getMessage().contains("TorchScript archive"), e.getMessage());
    }

    @Test
    void aPickleOfMillionsOfValuesIsRefusedBeforeItExhaustsMemory() {
        byte[] p = new byte[TorchPickle.MAX_VALUES + 4];
        java.util.Arrays.fill(p, (byte) 'N');
        p[0] = (byte) 0x80;
        p[1] = 2;
        p[p.length - 1] = '.';
        var e = assertThrows(TorchFilesFormatException.class, () -> TorchPickle.load(p, "<bytes>", null));
        assertTrue(e.getMessage().contains("more than " + TorchPickle.MAX_VALUES + " values"), e.getMessage());
    }
}
