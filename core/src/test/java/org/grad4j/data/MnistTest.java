package org.grad4j.data;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class MnistTest {
    @TempDir
    Path tmp;

    /** MNIST.shipped reads the digits from the class path (the core jar), not from a checkout's data/ folder. */
    @Test
    void shippedDigitsComeFromTheClassPathAndMatchTheCheckoutFiles() throws IOException {
        assertNotNull(MNIST.class.getResource("mnist-10k/train-images-idx3-ubyte.gz"), "packaged with the core classes");
        for (boolean train : new boolean[]{true, false}) {
            MNIST fromJar = MNIST.shipped(train), fromDir = new MNIST(MNIST.shippedDirectory(), train);
            assertEquals(fromDir.size(), fromJar.size());
            assertEquals(fromDir.targets().toString(), fromJar.targets().toString());
            for (int i : new int[]{0, 1, fromJar.size() - 1}) {
                assertArrayEquals(fromDir.get(i)[0].toFloatArray(), fromJar.get(i)[0].toFloatArray());
            }
        }
        assertEquals(8000, MNIST.shipped(true, MNIST.normalize(MNIST.MEAN, MNIST.STD)).size());
    }

    @Test
    void shippedDigitsLoadWithTheReadmeCounts() throws IOException {
        Path dir = MNIST.shippedDirectory();
        var train = new MNIST(dir, true);
        var test = new MNIST(dir, false);
        assertEquals(8000, train.size());
        assertEquals(2000, test.size());
        // class counts from data/mnist-10k/README.md
        int[] trainCounts = {792, 897, 786, 846, 799, 673, 805, 860, 761, 781};
        int[] testCounts = {209, 230, 205, 186, 181, 190, 209, 210, 183, 197};
        int[] c = new int[10], d = new int[10];
        for (int i = 0; i < train.size(); i++) c[train.label(i)]++;
        for (int i = 0; i < test.size(); i++) d[test.label(i)]++;
        assertArrayEquals(trainCounts, c);
        assertArrayEquals(testCounts, d);
        Tensor[] s = train.get(0);
        assertArrayEquals(new int[]{1, 28, 28}, s[0].shape());
        assertEquals(DType.FLOAT32, s[0].dtype());
        assertEquals(DType.INT64, s[1].dtype());
        assertEquals(0, s[1].dim());
        assertTrue(s[0].max().item() <= 1.0 && s[0].min().item() >= 0.0);
        assertTrue(s[0].max().item() > 0.5, "a digit has bright pixels");
        assertEquals(train.label(0), s[1].itemLong());
        Tensor[] n = new MNIST(dir, true, MNIST.normalize(MNIST.MEAN, MNIST.STD)).get(0);
        assertEquals((s[0].getDouble(0, 0, 0) - MNIST.MEAN) / MNIST.STD, n[0].getDouble(0, 0, 0), 1e-6);
        assertEquals(8000, train.targets().numel());
    }

    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        var bos = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bos)) { o.write(raw); }
        return bos.toByteArray();
    }

    void writeSet(String prefix, int n, boolean gz, int rows, int cols) throws IOException {
        byte[] px = new byte[n * rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 37);
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) lb[i] = (byte) (i % 10);
        byte[] img = idx(8, new int[]{n, rows, cols}, px), lbl = idx(8, new int[]{n}, lb);
        Files.write(tmp.resolve(prefix + "-images-idx3-ubyte" + (gz ? ".gz" : "")), gz ? gzip(img) : img);
        Files.write(tmp.resolve(prefix + "-labels-idx1-ubyte" + (gz ? ".gz" : "")), gz ? gzip(lbl) : lbl);
    }

    @Test
    void readsPlainAndGzipFilesFromAnyDirectory() throws IOException {
        writeSet("train", 12, false, 28, 28);
        writeSet("t10k", 5, true, 28, 28);
        var tr = new MNIST(tmp, true);
        var te = new MNIST(tmp, false);
        assertEquals(12, tr.size());
        assertEquals(5, te.size());
        assertEquals((byte) 37 & 0xff, Math.round(tr.get(0)[0].getDouble(0, 0, 1) * 255));
        assertEquals(7, tr.get(7)[1].itemLong());
    }

    @Test
    void missingFilesNameTheFix() {
        var e = assertThrows(java.io.FileNotFoundException.class, () -> new MNIST(tmp, true));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    void expectBad(byte[] content, String fragment) throws IOException {
        for (boolean gz : new boolean[]{false, true}) {
            Path f = tmp.resolve("bad" + (gz ? ".gz" : ""));
            Files.write(f, gz ? gzip(content) : content);
            var e = assertThrows(Idx.IdxFormatException.class, () -> Idx.read(f), "gzip=" + gz);
            assertTrue(e.getMessage().contains(fragment), "gzip=" + gz + ": " + e.getMessage());
        }
    }

    @Test
    void idxReaderRejectsBadFiles() throws IOException {
        byte[] good = idx(8, new int[]{2, 3}, new byte[6]);
        assertEquals(6, Idx.read(new java.io.ByteArrayInputStream(good), good.length, "x").data().length);
        expectBad(new byte[]{0, 0}, "too short");
        expectBad(new byte[]{1, 2, 8, 1, 0, 0, 0, 0}, "not an IDX file");
        expectBad(idx(0x0D, new int[]{1}, new byte[4]), "not supported");
        expectBad(new byte[]{0, 0, 8, 0}, "0 dimensions");
        expectBad(new byte[]{0, 0, 8, 3, 0, 0, 0, 1}, "truncated IDX header");
        expectBad(java.util.Arrays.copyOf(good, good.length - 1), "truncated");
        expectBad(java.util.Arrays.copyOf(good, good.length + 3), "trailing data");
        // forged sizes: 2^31-1 x 2^31-1 images in a few bytes: fails on the size, allocates nothing
        expectBad(idx(8, new int[]{Integer.MAX_VALUE, Integer.MAX_VALUE}, new byte[4]), "announce more than");
        expectBad(idx(8, new int[]{-5}, new byte[0]), "negative size");
        // a plausible size (100 MB) with almost no data: truncated, without a 100 MB allocation up front
        expectBad(idx(8, new int[]{100_000_000}, new byte[10]), "truncated");
    }

    @Test
    void corruptGzipIsAFormatError() throws IOException {
        byte[] gz = gzip(idx(8, new int[]{1000}, new byte[1000]));
        Path f = tmp.resolve("cut.gz");
        Files.write(f, java.util.Arrays.copyOf(gz, gz.length / 2));
        var e = assertThrows(IOException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("cut.gz"), e.getMessage());
        gz[12] ^= 0x55;
        Files.write(f, gz);
        assertThrows(IOException.class, () -> Idx.read(f));
    }

    @Test
    void mnistChecksConsistency() throws IOException {
        writeSet("train", 4, false, 28, 28);
        Files.write(tmp.resolve("train-labels-idx1-ubyte"), idx(8, new int[]{3}, new byte[]{1, 2, 3}));
        var e = assertThrows(Idx.IdxFormatException.class, () -> new MNIST(tmp, true));
        assertTrue(e.getMessage().contains("4 images but 3 labels"), e.getMessage());
        Files.write(tmp.resolve("train-labels-idx1-ubyte"), idx(8, new int[]{4}, new byte[]{1, 2, 3, 42}));
        e = assertThrows(Idx.IdxFormatException.class, () -> new MNIST(tmp, true));
        assertTrue(e.getMessage().contains("label 42"), e.getMessage());
    }
}
