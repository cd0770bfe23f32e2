package org.grad4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.storage.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Coverage-guided fuzzing (Jazzer) of the torch.save reader, like {@link SafeTensorsFuzzTest}: every
 * build replays the committed inputs in src/test/resources/org/grad4j/io/TorchFilesFuzzTestInputs/
 * (the fixtures of {@link TorchFilesTest} and their data.pkl records); {@code -Pfuzz} mutates them.
 * The only allowed failure is {@link TorchFilesFormatException}; whatever is read must hold only
 * plain values and tensors whose every element lies inside their storage.
 */
@Timeout(10)
class TorchFilesFuzzTest {
    /** The pickle alone, storages served from memory (at most 2^16 elements each). */
    @FuzzTest(maxDuration = "60s")
    void unpickle(byte[] input) {
        Object o;
        try {
            o = TorchPickle.load(input, "<bytes>", (type, key, location, numel) -> {
                if (numel > 1 << 16) throw new TorchFilesFormatException("<bytes>: storage too large for the fuzz loader");
                DType d = switch (type) {
                    case "DoubleStorage" -> DType.FLOAT64;
                    case "LongStorage" -> DType.INT64;
                    case "BoolStorage" -> DType.BOOL;
                    default -> DType.FLOAT32;
                };
                return new TorchFiles.StorageRef(type, key, Storage.allocate(d, numel));
            });
        } catch (TorchFilesFormatException e) {
            assertNotNull(e.getMessage());
            return;
        }
        checkValues(o);
    }

    /** The bytes as a file: zip structure, records, storages and the pickle together. */
    @FuzzTest(maxDuration = "60s")
    void readFile(byte[] input) throws IOException {
        Path f = FuzzScratchFile.write(input, ".pt");
        Object o;
        try {
            o = TorchFiles.read(f);
        } catch (TorchFilesFormatException e) {
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            return;
        }
        checkValues(o);
    }

    /** Walks what was read (iteratively: it may be deep or even cyclic) and checks every tensor. */
    static void checkValues(Object root) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object> todo = new ArrayDeque<>();
        if (root != null) todo.push(root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (!seen.add(o)) continue;
            switch (o) {
                case Map<?, ?> m -> m.forEach((k, v) -> {
                    if (k != null) todo.push(k);
                    if (v != null) todo.push(v);
                });
                case List<?> l -> l.forEach(v -> { if (v != null) todo.push(v); });
                case Tensor t -> {
                    long numel = 1;
                    for (int s : t.shape()) numel *= s;
                    assertEquals(numel, t.numel());
                    assertEquals(numel, t.contiguous().numel());   // touches every element: all inside the storage
                }
                case String s -> { }
                case Long l -> { }
                case java.math.BigInteger b -> { }
                case Double d -> { }
                case Boolean b -> { }
                case byte[] b -> { }
                default -> fail("read a " + o.getClass());
            }
        }
    }

    /** The seeds are the fixtures and their pickles; rewrite them when the fixtures change. */
    @Test
    void seedsMatchTheFixtures() throws Exception {
        Path fixtures = Path.of(TorchFilesFuzzTest.class.getResource("torch").toURI());
        Path seeds = Path.of(TorchFilesFuzzTest.class.getResource("TorchFilesFuzzTestInputs").toURI());
        try (var files = Files.list(fixtures)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(seeds.resolve("readFile").resolve(name)), name);
                try (ZipFile z = new ZipFile(p.toFile())) {
                    var pkl = z.stream().filter(e -> e.getName().endsWith("/data.pkl")).findFirst().orElseThrow();
                    assertArrayEquals(z.getInputStream(pkl).readAllBytes(),
                            Files.readAllBytes(seeds.resolve("unpickle").resolve(name + ".pkl")), name);
                }
            }
        }
    }
}
