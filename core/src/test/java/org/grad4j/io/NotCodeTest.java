package org.grad4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A model file is data, never code: files in formats that carry code (a PyTorch {@code .pt}
 * pickle archive, a serialized Java object) are refused as not safetensors, without running or
 * deserializing anything.
 */
class NotCodeTest {
    /** Would flag a deserialization that ran code (it never must). */
    static volatile boolean constructed;

    static final class Payload implements java.io.Serializable {
        private void readObject(java.io.ObjectInputStream in) { constructed = true; }
    }

    @Test
    void aPyTorchPickleArchiveIsRefused(@TempDir Path dir) throws Exception {
        // torch.save writes a zip archive whose data.pkl is a pickle program (opcode 0x80 = PROTO)
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(new byte[]{(byte) 0x80, 2, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n', '.'});
            z.closeEntry();
        }
        Path pt = dir.resolve("model.pt");
        Files.write(pt, zip.toByteArray());
        var e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.load(pt));
        assertTrue(e.getMessage().contains("model.pt"), e.getMessage());
    }

    @Test
    void aSerializedJavaObjectIsRefusedWithoutDeserializing(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(new Payload());
        }
        Path f = dir.resolve("weights.safetensors");
        Files.write(f, bytes.toByteArray());
        assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.load(f));
        assertThrows(SafeTensorsFormatException.class, () -> Checkpoints.load(f));
        assertFalse(constructed, "nothing was deserialized");
    }
}
