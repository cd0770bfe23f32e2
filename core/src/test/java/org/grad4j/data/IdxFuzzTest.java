package org.grad4j.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.grad4j.io.FuzzScratchFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Coverage-guided fuzzing (Jazzer) of the IDX reader. Every build replays the committed inputs in
 * src/test/resources/org/grad4j/data/IdxFuzzTestInputs/&lt;method&gt;/; with {@code JAZZER_FUZZ=1}
 * (the {@code fuzz} Maven profile, run by .ci/run) Jazzer mutates them.
 *
 * <p>The only allowed failure is {@link Idx.IdxFormatException}; any other throwable or an input
 * taking longer than the timeout is a finding. Whatever parses is compared with the raw bytes.
 */
@Timeout(10)   // per input: a hang is a finding (Jazzer passes it on to libFuzzer's -timeout)
class IdxFuzzTest {
    /** Stream of known length (uncompressed file) and of unknown length (gzip) must agree. */
    @FuzzTest(maxDuration = "60s")
    void read(byte[] input) throws IOException {
        Idx.Array known = readOrNull(input, input.length), streamed = readOrNull(input, -1);
        assertEquals(known == null, streamed == null, "known and unknown length disagree");
        if (known == null) return;
        checkAgainstBytes(input, known);
        checkAgainstBytes(input, streamed);
    }

    /** A file, plain or gzip (detected from its first bytes): the same as reading its content. */
    @FuzzTest(maxDuration = "60s")
    void readFile(byte[] input) throws IOException {
        Path f = FuzzScratchFile.write(input, ".idx");
        Idx.Array a;
        try {
            a = Idx.read(f);
        } catch (Idx.IdxFormatException e) {
            assertTrue(e.getMessage().startsWith(f.toString()), "message names the file: " + e.getMessage());
            return;
        }
        byte[] content = input;
        if (input.length >= 2 && (input[0] & 0xff) == 0x1f && (input[1] & 0xff) == 0x8b) {
            // decompressed the way the reader does (same buffering: gzip's handling of trailing bytes depends on it)
            try (var in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16), 1 << 16)) {
                content = in.readAllBytes();
            }
        }
        checkAgainstBytes(content, a);
    }

    private static Idx.Array readOrNull(byte[] input, long knownLength) throws IOException {
        try {
            return Idx.read(new ByteArrayInputStream(input), knownLength, "fuzz");
        } catch (Idx.IdxFormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz: "), e.getMessage());
            return null;
        }
    }

    /** The header decoded independently; dims product == data length; data == the bytes after the header. */
    static void checkAgainstBytes(byte[] content, Idx.Array a) {
        ByteBuffer b = ByteBuffer.wrap(content);   // big-endian
        assertEquals(0, b.getShort(0), "magic");
        assertEquals(8, content[2], "type");
        int ndims = content[3] & 0xff;
        assertEquals(ndims, a.dims().length);
        long count = 1;
        for (int i = 0; i < ndims; i++) {
            int d = b.getInt(4 + 4 * i);
            assertTrue(d >= 0);
            assertEquals(d, a.dims(i));
            count *= d;
        }
        int headerLen = 4 + 4 * ndims;
        assertEquals(count, a.data().length, "dims product == data length");
        assertArrayEquals(Arrays.copyOfRange(content, headerLen, content.length), a.data(), "data == the bytes after the header");
    }

    /** The oracle accepts a good file and notices a wrong byte. */
    @Test
    void oracleCatchesAWrongArray() throws IOException {
        byte[] ok = {0, 0, 8, 1, 0, 0, 0, 2, 7, 9};
        Idx.Array a = Idx.read(new ByteArrayInputStream(ok), ok.length, "ok");
        checkAgainstBytes(ok, a);
        a.data()[1] = 8;
        assertThrows(AssertionError.class, () -> checkAgainstBytes(ok, a));
    }

    /** The forged seeds (make_fuzz_seeds.py) are rejected before anything large is allocated. */
    @Test
    void forgedSeedsAreRejected() throws Exception {
        Path dir = Path.of(IdxFuzzTest.class.getResource("IdxFuzzTestInputs").toURI());
        byte[] sizes = Files.readAllBytes(dir.resolve("read/forged-sizes-idx2-ubyte"));
        var e = assertThrows(Idx.IdxFormatException.class, () -> Idx.read(new ByteArrayInputStream(sizes), -1, "f"));
        assertTrue(e.getMessage().contains("announce more than"), e.getMessage());
        e = assertThrows(Idx.IdxFormatException.class, () -> Idx.read(dir.resolve("readFile/forged-sizes-idx3-ubyte.gz")));
        assertTrue(e.getMessage().contains("announces 47040000 bytes of data, found 100"), e.getMessage());
    }
}
