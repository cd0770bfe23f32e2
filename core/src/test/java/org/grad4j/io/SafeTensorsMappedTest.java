package org.grad4j.io;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.storage.OffHeapStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** SafeTensors.loadMapped: tensors are read-only views of the mapped file, validated as load validates. */
class SafeTensorsMappedTest {
    @TempDir
    Path dir;

    private Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Grad4j.randn(new int[]{3, 4}, DType.FLOAT32, new org.grad4j.Generator().manualSeed(1)));
        m.put("d", Grad4j.tensor(new double[]{1.5, -2, Double.NaN}));
        m.put("i", Grad4j.tensor(new long[]{Long.MIN_VALUE, 0, 7}));
        m.put("i32", Grad4j.tensor(new long[]{-3, 4}).to(DType.INT32));
        m.put("i16", Grad4j.tensor(new long[]{-3, 4, 5}).to(DType.INT16));
        m.put("i8", Grad4j.tensor(new long[]{-3}).to(DType.INT8));
        m.put("u8", Grad4j.tensor(new long[]{200, 1}).to(DType.UINT8));
        m.put("b", Grad4j.tensor(new long[]{1, 0, 1}).to(DType.BOOL));
        m.put("empty", Grad4j.zeros(0, 5));
        m.put("scalar", Grad4j.tensor(2.5));
        return m;
    }

    @Test
    void mappedTensorsEqualLoadedOnesAndAreBackedByTheFile() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.save(sample(), f, Map.of("format", "pt"));
        Map<String, Tensor> loaded = SafeTensors.load(f);
        SafeTensors.Contents mapped = SafeTensors.readMapped(f);
        assertEquals(Map.of("format", "pt"), mapped.metadata());
        assertEquals(loaded.keySet(), mapped.tensors().keySet(), "same names in header order");
        for (var e : loaded.entrySet()) {
            Tensor a = e.getValue(), b = mapped.tensors().get(e.getKey());
            assertEquals(a.dtype(), b.dtype(), e.getKey());
            assertArrayEquals(a.shape(), b.shape(), e.getKey());
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), e.getKey());
            if (a.dtype() != DType.BOOL && a.numel() > 0) {   // bool bytes are checked and an empty tensor has no bytes: read as load reads them
                assertInstanceOf(OffHeapStorage.class, b.storage(), e.getKey() + " is a view of the mapping, not a copy");
                assertTrue(b.storage().isReadOnly(), e.getKey());
            }
        }
        // ops read mapped tensors like any other
        Tensor w = mapped.tensors().get("w");
        assertArrayEquals(loaded.get("w").matmul(loaded.get("w").t()).toDoubleArray(), w.matmul(w.t()).toDoubleArray());
    }

    @Test
    void writingIntoAMappedTensorRaisesAndNeverChangesTheFile() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafeTensors.save(sample(), f);
        byte[] before = Files.readAllBytes(f);
        Tensor w = SafeTensors.loadMapped(f).get("w");
        var e = assertThrows(UnsupportedOperationException.class, () -> w.add_(1.0));
        assertTrue(e.getMessage().startsWith("add_: ") && e.getMessage().contains("read-only memory-mapped file")
                && e.getMessage().contains("clone()"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> w.get(0).fill_(3.0));
        assertThrows(UnsupportedOperationException.class, () -> w.storage().setDouble(0, 3.0));
        Tensor c = w.clone();
        c.add_(1.0);
        assertArrayEquals(w.add(1.0).toDoubleArray(), c.toDoubleArray(), "a clone is an ordinary writable tensor");
        assertArrayEquals(before, Files.readAllBytes(f), "the file is unchanged");
    }

    @Test
    void aMappedTensorCanBeALeafOfAutograd() throws IOException {
        Path f = dir.resolve("g.safetensors");
        SafeTensors.save(sample(), f);
        Tensor w = SafeTensors.loadMapped(f).get("w").requiresGrad_();
        w.mul(w).sum().backward();
        assertArrayEquals(w.mul(2.0).detach().toDoubleArray(), w.grad().toDoubleArray());
    }

    @Test
    void anEmptyTensorWithHugeDimsLoadsBothWays() throws IOException {
        // 0 x 2147 x 83646 x (2^31-1): no element, but contiguous strides of these dims overflow an int
        for (String code : new String[]{"F32", "F16"}) {
            String json = "{\"z\":{\"dtype\":\"" + code + "\",\"shape\":[0,2147,83646,2147483647],\"data_offsets\":[0,0]}}";
            byte[] header = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + header.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putLong(header.length).put(header);
            Path f = dir.resolve("empty-" + code + ".safetensors");
            Files.write(f, b.array());
            for (Tensor z : new Tensor[]{SafeTensors.load(f).get("z"), SafeTensors.loadMapped(f).get("z")}) {
                assertArrayEquals(new int[]{0, 2147, 83646, 2147483647}, z.shape(), code);
                assertEquals(0, z.numel(), code);
            }
        }
    }

    @Test
    void aBadFileFailsExactlyAsLoadFails() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        SafeTensors.save(sample(), f);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 3));
        var loadError = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.load(f));
        var mapError = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.loadMapped(f));
        assertEquals(loadError.getMessage(), mapError.getMessage());
        // flip the last bool's byte to 2: load refuses it, and so does loadMapped
        Map<String, Tensor> only = new LinkedHashMap<>();
        only.put("b", Grad4j.tensor(new long[]{1, 0, 1}).to(DType.BOOL));
        Path g = dir.resolve("bool.safetensors");
        SafeTensors.save(only, g);
        byte[] gb = Files.readAllBytes(g);
        gb[gb.length - 1] = 2;
        Files.write(g, gb);
        var e1 = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.load(g));
        var e2 = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.loadMapped(g));
        assertEquals(e1.getMessage(), e2.getMessage());
    }
}
