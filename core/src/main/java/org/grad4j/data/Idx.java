package org.grad4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of IDX files (the MNIST format: big-endian header {@code 0 0 type ndims}, then ndims
 * int32 sizes, then the data), gzip-compressed or not. Only unsigned bytes (type 0x08) are
 * supported. The header is validated before anything large is allocated: a truncated, padded or
 * forged file fails with an {@link IOException} naming the file and the problem, never with an
 * OutOfMemoryError.
 *
 * <pre>{@code
 * Idx.Array images = Idx.read(dir.resolve("train-images-idx3-ubyte.gz"));
 * int n = images.dims()[0];
 * }</pre>
 */
public final class Idx {
    /** Largest data section accepted (bytes); the full MNIST training images take 47 MB. */
    public static final long MAX_DATA_BYTES = 256L << 20;
    private static final int MAX_DIMS = 8;

    private Idx() {}

    /** The content of an IDX file: its sizes and its unsigned bytes (row-major). */
    public record Array(int[] dims, byte[] data) {
        public int dims(int i) { return dims[i]; }
    }

    /** Reads a file; gzip is detected from its first two bytes (0x1f 0x8b). */
    public static Array read(Path file) throws IOException {
        // one open file for the size, the magic and the data: a save renaming a new file over the
        // name while this reads cannot mix the old file's size with the new file's bytes
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer head = ByteBuffer.allocate(2);
            while (head.hasRemaining() && ch.read(head) >= 0) { }
            boolean gz = head.position() == 2 && (head.get(0) & 0xff) == 0x1f && (head.get(1) & 0xff) == 0x8b;
            ch.position(0);
            InputStream raw = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
            try (InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw) {   // ends the gzip Inflater
                return read(in, gz ? -1 : fileSize, file.toString());
            }
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads from a stream. {@code knownLength} is the total byte count when known (uncompressed
     * file) so a wrong size is reported before the data is read; -1 when unknown.
     */
    public static Array read(InputStream in, long knownLength, String name) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) throw new IdxFormatException(name + ": too short for an IDX header (" + magic.length + " bytes)");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(name + ": not an IDX file (magic number " + hex(magic) + " should start with 00 00)");
        }
        int type = magic[2] & 0xff, ndims = magic[3] & 0xff;
        if (type != 0x08) {
            throw new IdxFormatException(name + ": IDX element type 0x" + Integer.toHexString(type)
                    + " is not supported (only 0x08, unsigned byte, as in MNIST)");
        }
        if (ndims == 0 || ndims > MAX_DIMS) throw new IdxFormatException(name + ": IDX file with " + ndims + " dimensions (expected 1 to " + MAX_DIMS + ")");
        byte[] dimBytes = in.readNBytes(4 * ndims);
        if (dimBytes.length < 4 * ndims) throw new IdxFormatException(name + ": truncated IDX header (" + ndims + " dimensions announced)");
        int[] dims = new int[ndims];
        long count = 1;
        for (int i = 0; i < ndims; i++) {
            dims[i] = ((dimBytes[4 * i] & 0xff) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                    | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
            if (dims[i] < 0) throw new IdxFormatException(name + ": negative size " + dims[i] + " in dimension " + i);
            count *= dims[i];
            if (count > MAX_DATA_BYTES) {
                throw new IdxFormatException(name + ": IDX sizes " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " announce more than " + MAX_DATA_BYTES + " bytes of data");
            }
        }
        long headerLen = 4 + 4L * ndims;
        if (knownLength >= 0 && knownLength != headerLen + count) {
            throw new IdxFormatException(name + ": file is " + knownLength + " bytes but its header " + Arrays.toString(dims)
                    + " announces " + (headerLen + count) + " (" + (knownLength < headerLen + count ? "truncated" : "trailing data") + ")");
        }
        byte[] data = knownLength >= 0 ? in.readNBytes((int) count) : readBounded(in, (int) count);
        if (data.length != count) {
            throw new IdxFormatException(name + ": truncated data: header " + Arrays.toString(dims) + " announces " + count
                    + " bytes of data, found " + data.length);
        }
        if (in.read() != -1) throw new IdxFormatException(name + ": trailing data after the " + count + " bytes the header announces");
        return new Array(dims, data);
    }

    /**
     * Reads up to n bytes in 1 MiB chunks and joins them at the end, so memory follows what
     * actually arrives: a forged size in a small compressed file costs nothing.
     */
    private static byte[] readBounded(InputStream in, int n) throws IOException {
        java.util.List<byte[]> chunks = new java.util.ArrayList<>();
        int total = 0;
        while (total < n) {
            byte[] chunk = in.readNBytes(Math.min(1 << 20, n - total));
            if (chunk.length == 0) break;
            chunks.add(chunk);
            total += chunk.length;
        }
        byte[] out = new byte[total];
        int off = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, out, off, c.length);
            off += c.length;
        }
        return out;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x & 0xff));
        return sb.toString();
    }

    /** A malformed IDX file. */
    public static final class IdxFormatException extends IOException {
        public IdxFormatException(String message) { super(message); }
        public IdxFormatException(String message, Throwable cause) { super(message, cause); }
    }
}
