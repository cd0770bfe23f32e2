package org.grad4j.io;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads PyTorch's {@code torch.save} files (and Hugging Face's {@code pytorch_model.bin}, the same
 * format) safely, as {@code torch.load(path, weights_only=True)} does: a zip holding
 * {@code <name>/data.pkl} (a pickle), {@code <name>/byteorder} and one {@code <name>/data/<key>}
 * per storage. The pickle is read by a restricted unpickler that builds only tensors and plain
 * values and accepts only an allow-list of globals ({@code collections.OrderedDict}, torch's
 * tensor and parameter rebuild functions, the storage types); it never runs code from the file.
 * Views, offsets and storages shared between tensors are kept, big-endian files are converted, and
 * float16/bfloat16 storages are widened to float32 (as {@link SafeTensors} does). Every size in
 * the file is checked against the bytes that are there before memory is allocated.
 *
 * <pre>{@code
 * model.loadStateDict(TorchFiles.load(Path.of("model.pt")));          // torch.save(model.state_dict(), "model.pt")
 * Map<?, ?> ckpt = (Map<?, ?>) TorchFiles.read(Path.of("ckpt.pt"));   // {"epoch": 3, "model_state_dict": {...}}
 * model.loadStateDict(TorchFiles.stateDict(ckpt.get("model_state_dict")));
 * }</pre>
 *
 * <p>The legacy (pre-1.6, non-zip) format and TorchScript archives are not read.
 */
public final class TorchFiles {
    private TorchFiles() {}

    /** Largest data.pkl read (a 70B-parameter model's is a few MB). */
    public static final long MAX_PICKLE_BYTES = 256L << 20;
    private static final int CHUNK = 1 << 20;

    /**
     * Loads a state dict ({@code torch.save(model.state_dict(), path)}): names to tensors, in the
     * file's order, ready for {@code Module.loadStateDict}. A file holding something else (a
     * training checkpoint, one tensor) fails with a message saying what it holds; use
     * {@link #read} for those.
     */
    public static Map<String, Tensor> load(Path file) throws IOException {
        return stateDict(read(file), file.toString());
    }

    /**
     * Reads any file {@code torch.load(weights_only=True)} reads: a {@link Tensor}, or plain values
     * as Java objects: dict as {@code Map} (insertion order), list as a mutable {@code List}, tuple
     * as an unmodifiable {@code List}, str as {@code String}, bytes as {@code byte[]}, int as
     * {@code Long} (or {@code BigInteger} beyond 64 bits), float as {@code Double}, bool as
     * {@code Boolean}, None as {@code null}.
     */
    public static Object read(Path file) throws IOException {
        String name = file.toString();
        if (Files.isDirectory(file)) throw new TorchFilesFormatException(name + " is a directory, not a torch.save file");
        long fileSize = Files.size(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new TorchFilesFormatException(name + ": not a torch.save file (" + e.getMessage() + "); grad4j reads the"
                    + " zip format PyTorch writes since 1.6. Fix: re-save it with a current PyTorch, or as safetensors", e);
        }
        try (zip) {
            String prefix = archivePrefix(zip, name);
            ByteOrder order = byteOrder(zip, prefix, name);
            byte[] pickle = entryBytes(zip, prefix + "data.pkl", MAX_PICKLE_BYTES, name);
            Map<String, StorageRef> loaded = new HashMap<>();
            long[] storageBytes = {0};
            return TorchPickle.load(pickle, name, (type, key, location, numel) -> {
                StorageRef s = loaded.get(key);
                if (s == null) {
                    s = readStorage(zip, prefix, type, key, numel, order, fileSize, name);
                    // Each storage is its own stretch of the file: zip entries that overlap (a zip
                    // bomb's trick) cannot make the reader allocate more than the file holds.
                    storageBytes[0] += numel * kind(type, name).fileItem();
                    if (storageBytes[0] > fileSize) {
                        throw new TorchFilesFormatException(name + ": the storages hold more bytes than the file ("
                                + storageBytes[0] + " > " + fileSize + "); overlapping records");
                    }
                    loaded.put(key, s);
                } else if (!s.type().equals(type)) {
                    throw new TorchFilesFormatException(name + ": storage " + key + " is read as " + s.type() + " and as " + type);
                }
                return s;
            });
        } catch (TorchFilesFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // zip structures the JDK rejects (bad names, truncated entries)
            if (e instanceof RuntimeException r && !(r instanceof IllegalArgumentException || r instanceof IllegalStateException)) throw r;
            throw new TorchFilesFormatException(name + ": broken zip archive: " + e.getMessage(), e);
        }
    }

    /**
     * The state dict inside a value {@link #read} returned: a dict of names to tensors, copied
     * into a {@code Map<String, Tensor>} in order. Fails, naming the entries, for anything else.
     */
    public static Map<String, Tensor> stateDict(Object value) throws TorchFilesFormatException {
        return stateDict(value, "value");
    }

    private static Map<String, Tensor> stateDict(Object value, String where) throws TorchFilesFormatException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new TorchFilesFormatException(where + " holds " + TorchPickle.describe(value) + ", not a state dict (a dict"
                    + " of names to tensors). Fix: TorchFiles.read(path) returns it as it is");
        }
        Map<String, Tensor> sd = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        for (var e : m.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof Tensor t) sd.put(k, t);
            else if (other.size() < 5) other.add(e.getKey() + ": " + TorchPickle.describe(e.getValue()));
        }
        if (!other.isEmpty()) {
            throw new TorchFilesFormatException(where + " holds a dict with entries that are not tensors (" + String.join(", ", other)
                    + "): a checkpoint rather than a state dict. Fix: Map<?, ?> ckpt = (Map<?, ?>) TorchFiles.read(path);"
                    + " then TorchFiles.stateDict(ckpt.get(\"<the model's entry>\"))");
        }
        return sd;
    }

    // ------------------------------------------------------------------ storages and views

    /** One storage of the archive, shared by every tensor that views it. */
    record StorageRef(String type, String key, Storage storage) {}

    static Tensor view(StorageRef s, int offset, int[] size, int[] stride, boolean requiresGrad, String file)
            throws TorchFilesFormatException {
        Tensor t;
        try {
            t = Grad4j.fromStorage(s.storage(), offset, size, stride);
        } catch (IllegalArgumentException e) {
            throw new TorchFilesFormatException(file + ": tensor over storage " + s.key() + ": " + e.getMessage(), e);
        }
        if (requiresGrad && t.dtype().isFloatingPoint()) t.requiresGrad_(true);
        return t;
    }

    /** dtype of each storage type grad4j reads, and its item size in the file. */
    private record Kind(DType dtype, int fileItem) {}

    private static Kind kind(String type, String file) throws TorchFilesFormatException {
        return switch (type) {
            case "DoubleStorage" -> new Kind(DType.FLOAT64, 8);
            case "FloatStorage" -> new Kind(DType.FLOAT32, 4);
            case "HalfStorage", "BFloat16Storage" -> new Kind(DType.FLOAT32, 2);
            case "LongStorage" -> new Kind(DType.INT64, 8);
            case "IntStorage" -> new Kind(DType.INT32, 4);
            case "ShortStorage" -> new Kind(DType.INT16, 2);
            case "CharStorage" -> new Kind(DType.INT8, 1);
            case "ByteStorage" -> new Kind(DType.UINT8, 1);
            case "BoolStorage" -> new Kind(DType.BOOL, 1);
            default -> throw new TorchFilesFormatException(file + ": storage type torch." + type + " is not supported by grad4j."
                    + " Fix: convert the tensor in PyTorch (e.g. .float()) before saving");
        };
    }

    private static StorageRef readStorage(ZipFile zip, String prefix, String type, String key, long numel, ByteOrder order,
                                          long fileSize, String file) throws TorchFilesFormatException {
        Kind k = kind(type, file);
        if (key.isEmpty() || key.length() > 64 || key.contains("/") || key.contains("\\") || key.contains("..")) {
            throw new TorchFilesFormatException(file + ": storage key '" + key + "' is not a record name");
        }
        String entryName = prefix + "data/" + key;
        ZipEntry e = zip.getEntry(entryName);
        if (e == null) throw new TorchFilesFormatException(file + ": storage " + key + " has no record " + entryName);
        if (e.getMethod() != ZipEntry.STORED) {
            throw new TorchFilesFormatException(file + ": record " + entryName + " is compressed; torch.save stores tensors"
                    + " uncompressed. Fix: re-save the file with torch.save");
        }
        if (numel > Storage.MAX_ELEMENTS) {
            throw new TorchFilesFormatException(file + ": storage " + key + " of " + numel + " elements is larger than a grad4j"
                    + " tensor can be (" + Storage.MAX_ELEMENTS + " elements, one Java array)");
        }
        long bytes = numel * k.fileItem();
        if (e.getSize() != bytes || bytes > fileSize) {
            throw new TorchFilesFormatException(file + ": record " + entryName + " holds " + e.getSize() + " bytes, but the"
                    + " pickle declares " + numel + " elements of torch." + type + " (" + bytes + " bytes)");
        }
        HeapStorage s = HeapStorage.allocate(k.dtype(), numel);
        try (InputStream in = zip.getInputStream(e)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(k.fileItem(), bytes))).order(order);
            int per = b.capacity() / k.fileItem(), n = (int) numel;
            for (int from = 0; from < n; from += per) {
                int c = Math.min(per, n - from);
                b.clear();
                int want = c * k.fileItem();
                if (in.readNBytes(b.array(), 0, want) != want) {
                    throw new TorchFilesFormatException(file + ": record " + entryName + " ends early");
                }
                b.limit(want);
                decode(b, s, from, c, type, entryName, file);
            }
        } catch (TorchFilesFormatException ex) {
            throw ex;
        } catch (IOException ex) {
            throw new TorchFilesFormatException(file + ": cannot read record " + entryName + ": " + ex.getMessage(), ex);
        }
        return new StorageRef(type, key, Storage.ofArray(k.dtype(), s.array()));
    }

    private static void decode(ByteBuffer b, HeapStorage s, int from, int c, String type, String entry, String file)
            throws TorchFilesFormatException {
        switch (type) {
            case "HalfStorage" -> {
                float[] a = s.f32();
                for (int i = 0; i < c; i++) a[from + i] = Float.float16ToFloat(b.getShort(2 * i));
            }
            case "BFloat16Storage" -> {
                float[] a = s.f32();
                for (int i = 0; i < c; i++) a[from + i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
            }
            case "DoubleStorage" -> b.asDoubleBuffer().get(s.f64(), from, c);
            case "FloatStorage" -> b.asFloatBuffer().get(s.f32(), from, c);
            case "LongStorage" -> b.asLongBuffer().get(s.i64(), from, c);
            case "IntStorage" -> b.asIntBuffer().get(s.i32(), from, c);
            case "ShortStorage" -> b.asShortBuffer().get((short[]) s.array(), from, c);
            case "CharStorage", "ByteStorage" -> b.get((byte[]) s.array(), from, c);
            case "BoolStorage" -> {
                boolean[] a = s.bool();
                for (int i = 0; i < c; i++) {
                    byte v = b.get(i);
                    if (v != 0 && v != 1) {
                        throw new TorchFilesFormatException(file + ": " + entry + " holds byte " + (v & 0xff) + " at element "
                                + (from + i) + " of a BoolStorage; booleans must be 0 or 1");
                    }
                    a[from + i] = v == 1;
                }
            }
            default -> throw new IllegalStateException(type);
        }
    }

    // ------------------------------------------------------------------ the archive

    /** torch.save names every record "<folder>/..."; the folder is the first record's (as PyTorchStreamReader does). */
    private static String archivePrefix(ZipFile zip, String file) throws TorchFilesFormatException {
        Enumeration<? extends ZipEntry> en = zip.entries();
        if (!en.hasMoreElements()) throw new TorchFilesFormatException(file + ": empty zip archive, not a torch.save file");
        String first = en.nextElement().getName();
        int slash = first.indexOf('/');
        if (slash <= 0) throw new TorchFilesFormatException(file + ": record " + first + " is not inside a folder; not a torch.save file");
        String prefix = first.substring(0, slash + 1);
        if (zip.getEntry(prefix + "data.pkl") == null) {
            if (zip.getEntry(prefix + "constants.pkl") != null || zip.getEntry(prefix + "code/") != null) {
                throw new TorchFilesFormatException(file + ": a TorchScript archive (torch.jit.save), not a torch.save file."
                        + " Fix: in Python, torch.save(model.state_dict(), path)");
            }
            throw new TorchFilesFormatException(file + ": no " + prefix + "data.pkl record; not a torch.save file");
        }
        return prefix;
    }

    private static ByteOrder byteOrder(ZipFile zip, String prefix, String file) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) return ByteOrder.LITTLE_ENDIAN;   // files from before PyTorch 1.12 were all little-endian
        String v = new String(entryBytes(zip, prefix + "byteorder", 16, file), StandardCharsets.US_ASCII).strip();
        return switch (v) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new TorchFilesFormatException(file + ": byteorder record says '" + v + "', expected little or big");
        };
    }

    private static byte[] entryBytes(ZipFile zip, String entryName, long max, String file) throws IOException {
        ZipEntry e = zip.getEntry(entryName);
        if (e == null) throw new TorchFilesFormatException(file + ": no record " + entryName);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) max + 1);
            if (b.length > max) throw new TorchFilesFormatException(file + ": record " + entryName + " is larger than " + max + " bytes");
            return b;
        }
    }
}
