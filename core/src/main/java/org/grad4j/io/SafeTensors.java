package org.grad4j.io;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, so weights move between grad4j and PyTorch / Hugging Face tools
 * ({@code safetensors.torch.save_file} / {@code load_file}). Layout: an unsigned little-endian
 * 64-bit header length N, N bytes of UTF-8 JSON (padded with spaces to a multiple of 8), then the
 * tensors' bytes, little-endian, row-major. The header maps each name to
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} (offsets relative to
 * the data section) and may hold {@code "__metadata__"}: a string-to-string map.
 *
 * <p>Writing is atomic ({@link AtomicFiles}): the file is written to a temporary file in the same
 * directory, forced to disk, then renamed over the target, so a crash or a concurrent load sees the
 * old file or the new one; the file gets the mode a plain write would give it, and a symbolic link
 * is followed. Reading
 * validates everything before it trusts it (header size at most 100 MB and inside the file,
 * well-formed JSON without duplicate keys, known dtypes, shapes agreeing with byte ranges,
 * ranges inside the file, contiguous and non-overlapping, covering the whole data section,
 * booleans 0 or 1) and fails with a {@link SafeTensorsFormatException}; it never deserializes
 * code or objects. The header is parsed without a tree of boxed JSON values, with at most 2^18
 * tensors, 2^16 metadata entries and 128 dimensions per shape, so a crafted header costs about
 * twice its size (plus ~1 KB per tensor) to read; saving refuses what loading would refuse
 * (those limits, names that are empty or hold an unpaired UTF-16 surrogate).
 *
 * <p>dtypes: F64, F32, I64, I32, I16, I8, U8, BOOL are read and written as they are; F16 and
 * BF16 (common in Hugging Face checkpoints) are read and converted exactly to float32, since
 * grad4j has no half types (saving them again writes F32). F8 and unsigned 16-64 bit types are
 * rejected with a message.
 *
 * <pre>{@code
 * SafeTensors.save(Map.of("weight", w, "bias", b), Path.of("model.safetensors"), Map.of("format", "pt"));
 * Map<String, Tensor> back = SafeTensors.load(Path.of("model.safetensors"));
 * }</pre>
 */
public final class SafeTensors {
    /** Largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private SafeTensors() {}

    /** The tensors and the {@code __metadata__} of a file. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    // ------------------------------------------------------------------ dtypes

    static String code(DType d) {
        return switch (d) {
            case FLOAT64 -> "F64";
            case FLOAT32 -> "F32";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case INT16 -> "I16";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOL -> "BOOL";
        };
    }

    static DType dtype(String code, String name, String file) throws SafeTensorsFormatException {
        return switch (code) {
            case "F64" -> DType.FLOAT64;
            case "F32" -> DType.FLOAT32;
            case "I64" -> DType.INT64;
            case "I32" -> DType.INT32;
            case "I16" -> DType.INT16;
            case "I8" -> DType.INT8;
            case "U8" -> DType.UINT8;
            case "BOOL" -> DType.BOOL;
            case "F16", "BF16" -> DType.FLOAT32;   // upcast on load: grad4j has no half types
            case "F8_E4M3", "F8_E5M2", "U16", "U32", "U64" -> throw new SafeTensorsFormatException(file
                    + ": tensor '" + name + "' has dtype " + code + ", which grad4j does not support. Fix: convert it in "
                    + "PyTorch first (e.g. {k: v.float() for k, v in sd.items()}) and save again");
            default -> throw new SafeTensorsFormatException(file + ": tensor '" + name + "' has unknown dtype \"" + code + "\"");
        };
    }

    // ------------------------------------------------------------------ writing

    /** Saves tensors (in map order, larger element types first so each tensor is aligned) with no metadata. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException { save(tensors, file, Map.of()); }

    /** Saves tensors and string metadata atomically, streaming the data (no 2 GB limit). */
    public static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata) throws IOException {
        Plan plan = plan(tensors, metadata);
        AtomicFiles.write(file, ch -> emit(plan, b -> {
            while (b.hasRemaining()) ch.write(b);
        }));
    }

    /** The bytes of a safetensors file (at most 2 GB; use {@link #save} for larger). */
    public static byte[] serialize(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Plan plan = plan(tensors, metadata);
        long total = plan.header().length + plan.dataLen();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors file of " + total + " bytes is too large to build in memory "
                    + "(limit 2 GB); use SafeTensors.save, which streams to the file");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        try {
            emit(plan, out::put);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);   // cannot happen: in memory
        }
        return out.array();
    }

    /** The header bytes (length prefix, JSON, padding) and the tensors in file order. */
    private record Plan(byte[] header, List<Tensor> tensors, long dataLen) {}

    private static Plan plan(Map<String, Tensor> tensors, Map<String, String> metadata) {
        // write nothing a reader (this one) refuses
        if (tensors.size() > SafeTensorsHeader.MAX_TENSORS) {
            throw new IllegalArgumentException("SafeTensors.save: " + tensors.size() + " tensors is more than the "
                    + SafeTensorsHeader.MAX_TENSORS + " a file may hold for SafeTensors.load. Fix: split them over several files");
        }
        if (metadata != null && metadata.size() > SafeTensorsHeader.MAX_METADATA) {
            throw new IllegalArgumentException("SafeTensors.save: " + metadata.size() + " metadata entries is more than the "
                    + SafeTensorsHeader.MAX_METADATA + " a file may hold for SafeTensors.load. Fix: join them into fewer entries");
        }
        List<Map.Entry<String, Tensor>> order = new ArrayList<>(tensors.entrySet());
        // stable sort: larger items first keeps every tensor aligned to its element size
        order.sort(Comparator.comparingInt(e -> -e.getValue().dtype().itemSize()));
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            for (var e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("safetensors metadata keys and values must not be null");
                checkEncodable("metadata key", e.getKey(), e.getKey());
                checkEncodable("metadata value of", e.getKey(), e.getValue());
            }
            header.put(METADATA_KEY, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        List<Tensor> list = new ArrayList<>();
        for (var e : order) {
            String name = e.getKey();
            checkName(name);
            Tensor t = e.getValue();
            if (t.dim() > SafeTensorsHeader.MAX_DIMS) {
                throw new IllegalArgumentException("SafeTensors.save: tensor '" + name + "' has " + t.dim() + " dimensions, more than the "
                        + SafeTensorsHeader.MAX_DIMS + " SafeTensors.load reads. Fix: reshape it before saving");
            }
            long bytes = (long) t.numel() * t.dtype().itemSize();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", code(t.dtype()));
            List<Long> shape = new ArrayList<>();
            for (int s : t.shape()) shape.add((long) s);
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(name, info);
            list.add(t);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        if (json.length + 7L > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("SafeTensors.save: the header of " + tensors.size() + " tensors would take " + json.length
                    + " bytes, over the " + MAX_HEADER_BYTES + "-byte limit every safetensors reader enforces, so the file could not "
                    + "be loaded. Fix: shorten the names or metadata, or split the tensors over several files");
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer h = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(padded).put(json);
        while (h.hasRemaining()) h.put((byte) ' ');
        return new Plan(h.array(), list, offset);
    }

    /** Names must survive UTF-8 and JSON unchanged: else two names can collide or the file not load. */
    private static void checkName(String name) {
        if (name == null) throw new IllegalArgumentException("SafeTensors.save: a tensor name is null. Fix: give every tensor a name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("SafeTensors.save: a tensor name is the empty string. Fix: give every tensor a "
                    + "non-empty name (as PyTorch's state dict keys are)");
        }
        if (name.equals(METADATA_KEY)) {
            throw new IllegalArgumentException("SafeTensors.save: invalid tensor name \"" + METADATA_KEY + "\": it is reserved for "
                    + "the metadata. Fix: rename the tensor");
        }
        checkEncodable("tensor name", name, name);
    }

    /** Rejects an unpaired UTF-16 surrogate, which UTF-8 cannot encode (Java would write '?'). */
    private static void checkEncodable(String what, String key, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("SafeTensors.save: " + what + " \"" + escape(key) + "\" holds an unpaired UTF-16 "
                        + "surrogate (\\u" + String.format("%04x", (int) c) + " at index " + i + "), which UTF-8 cannot encode: it "
                        + "would be written as '?' and could collide with another name. Fix: use valid Unicode text");
            }
        }
    }

    /** The name with surrogates and control characters as \\uXXXX, so the message shows what is wrong. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c) || c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    private interface Sink { void write(ByteBuffer b) throws IOException; }

    private static final int CHUNK = 1 << 20;

    private static void emit(Plan plan, Sink sink) throws IOException {
        sink.write(ByteBuffer.wrap(plan.header()));
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : plan.tensors()) {
            Tensor c = t.detach().contiguous();
            int n = c.numel(), per = CHUNK / c.dtype().itemSize();
            // read through the storage seam one chunk at a time: any storage kind, one chunk of heap at most
            Object scratch = HeapStorage.allocate(c.dtype(), Math.min(per, n)).array();
            for (int from = 0; from < n; from += per) {
                int k = Math.min(per, n - from);
                c.storage().copyTo(c.storageOffset() + from, scratch, 0, k);
                chunk.clear();
                putData(chunk, c.dtype(), scratch, k);
                chunk.flip();
                sink.write(chunk);
            }
        }
    }

    private static void putData(ByteBuffer buf, DType dtype, Object array, int n) {
        switch (dtype) {
            case FLOAT64 -> buf.asDoubleBuffer().put((double[]) array, 0, n);
            case FLOAT32 -> buf.asFloatBuffer().put((float[]) array, 0, n);
            case INT64 -> buf.asLongBuffer().put((long[]) array, 0, n);
            case INT32 -> buf.asIntBuffer().put((int[]) array, 0, n);
            case INT16 -> buf.asShortBuffer().put((short[]) array, 0, n);
            case INT8, UINT8 -> buf.put((byte[]) array, 0, n);
            case BOOL -> { boolean[] a = (boolean[]) array; for (int i = 0; i < n; i++) buf.put((byte) (a[i] ? 1 : 0)); }
        }
        if (dtype != DType.BOOL && dtype != DType.INT8 && dtype != DType.UINT8) buf.position(n * dtype.itemSize());
    }

    // ------------------------------------------------------------------ reading

    /** Loads the tensors of a file (in header order). */
    public static Map<String, Tensor> load(Path file) throws IOException { return read(file).tensors(); }

    /**
     * {@link #load(Path)} with every tensor placed on {@code device} (PyTorch's {@code map_location} spirit,
     * safetensors' {@code device=}): read on the host, then copied there once.
     *
     * <pre>{@code
     * Map<String, Tensor> sd = SafeTensors.load(Path.of("model.safetensors"), Device.cuda(0));
     * }</pre>
     */
    public static Map<String, Tensor> load(Path file, org.grad4j.Device device) throws IOException {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : load(file).entrySet()) out.put(e.getKey(), e.getValue().to(device));
        return out;
    }

    /** Loads tensors and metadata. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(source(ch, file), file.toString());
        }
    }

    /**
     * Loads the tensors of a file without copying them: each tensor is a read-only view of the file
     * mapped into memory (off the Java heap), so a large model "loads" in milliseconds and memory
     * grows only as tensors are touched. The header is validated exactly as {@link #load} does.
     * Writing into such a tensor raises (the file is never changed): {@code clone()} it first.
     * F16/BF16 tensors (converted to float32), BOOL tensors (whose bytes are checked) and empty
     * tensors are read as {@link #load} reads them; the mapping is unmapped once no tensor of the file is reachable.
     *
     * <pre>{@code
     * Map<String, Tensor> weights = SafeTensors.loadMapped(Path.of("model.safetensors"));
     * model.loadStateDict(weights);   // copies into the model's parameters
     * }</pre>
     */
    public static Map<String, Tensor> loadMapped(Path file) throws IOException { return readMapped(file).tensors(); }

    /** {@link #loadMapped} with the file's metadata. */
    public static Contents readMapped(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Source src = source(ch, file);
            String name = file.toString();
            Layout layout = layout(src, name);
            // the mapping outlives the channel; an automatic arena unmaps it when no slice is reachable
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, src.size(), Arena.ofAuto());
            boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : layout.entries()) {
                if (e.half() || e.dtype() == DType.BOOL || !littleEndian || e.end() == e.begin()) {
                    tensors.put(e.name(), readTensor(src, layout.dataStart(), e, name));
                    continue;
                }
                MemorySegment slice = whole.asSlice(layout.dataStart() + e.begin(), e.end() - e.begin());
                Storage st = OffHeapStorage.ofSegment(e.dtype(), slice, true);
                tensors.put(e.name(), Grad4j.fromStorage(st, 0, e.shape(), org.grad4j.storage.Shapes.contiguousStrides(e.shape())));
            }
            return new Contents(tensors, layout.metadata());
        }
    }

    private static Source source(FileChannel ch, Path file) throws IOException {
        // the size of the file this channel has open: a save racing this load renames a new
        // file over the name, but the opened one stays whole (Files.size could see the other)
        long size = ch.size();
        return new Source() {
            public long size() { return size; }
            public void read(long pos, ByteBuffer dst) throws IOException {
                while (dst.hasRemaining()) {
                    int r = ch.read(dst, pos);
                    if (r < 0) throw new SafeTensorsFormatException(file + ": file shrank while reading");
                    pos += r;
                }
            }
        };
    }

    /** Parses the bytes of a safetensors file (e.g. from a download or for fuzzing). */
    public static Contents deserialize(byte[] bytes) throws SafeTensorsFormatException {
        try {
            return read(new Source() {
                public long size() { return bytes.length; }
                public void read(long pos, ByteBuffer dst) {
                    dst.put(bytes, (int) pos, dst.remaining());
                }
            }, "<bytes>");
        } catch (SafeTensorsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new SafeTensorsFormatException(e.getMessage(), e);
        }
    }

    private interface Source {
        long size();
        void read(long pos, ByteBuffer dst) throws IOException;
    }

    /** One tensor of the header; {@code half} marks F16/BF16 data (2 bytes per element in the file). */
    private record Entry(String name, DType dtype, String code, int[] shape, long begin, long end) {
        boolean half() { return code.equals("F16") || code.equals("BF16"); }
        int fileItem() { return half() ? 2 : dtype.itemSize(); }
    }

    private static Contents read(Source src, String file) throws IOException {
        Layout layout = layout(src, file);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry en : layout.entries()) tensors.put(en.name(), readTensor(src, layout.dataStart(), en, file));
        return new Contents(tensors, layout.metadata());
    }

    /** What a validated header says: the tensors' entries, the metadata and where the data section starts. */
    private record Layout(List<Entry> entries, Map<String, String> metadata, long dataStart) {}

    private static Layout layout(Source src, String file) throws IOException {
        long size = src.size();
        if (size < 8) throw new SafeTensorsFormatException(file + ": " + size + " bytes is too short for a safetensors file (8-byte header length missing)");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.read(0, lenBuf);
        long n = lenBuf.getLong(0);
        if ((n & 0xffffffffL) == 0x04034b50L) {   // "PK\3\4": a zip, as torch.save writes
            throw new SafeTensorsFormatException(file + ": this is a zip archive, most likely a PyTorch torch.save file"
                    + " (.pt, .pth, pytorch_model.bin), not safetensors. Fix: read it with TorchFiles.load(path)");
        }
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new SafeTensorsFormatException(file + ": header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes (not a safetensors file, or a malicious one)");
        }
        if (8 + n > size) {
            throw new SafeTensorsFormatException(file + ": header length " + n + " runs past the end of the file (" + size
                    + " bytes): the file is truncated or not a safetensors file");
        }
        if (n < 2) throw new SafeTensorsFormatException(file + ": header of " + n + " bytes cannot hold a JSON object");
        byte[] raw = new byte[(int) n];
        src.read(8, ByteBuffer.wrap(raw));
        // the JDK's fast decoder (an ASCII header becomes a compact String of n bytes); only when it
        // replaced something is the strict decoder run, to tell bad UTF-8 from a real U+FFFD
        String json = new String(raw, StandardCharsets.UTF_8);
        if (json.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
            } catch (CharacterCodingException e) {
                throw new SafeTensorsFormatException(file + ": header is not valid UTF-8", e);
            }
        }
        raw = null;     // not needed while parsing: let a large header's bytes go
        if (json.charAt(0) != '{') throw new SafeTensorsFormatException(file + ": header must start with '{'");
        SafeTensorsHeader.Parsed parsed;
        try {
            parsed = SafeTensorsHeader.parse(json);
        } catch (Json.JsonException e) {
            throw new SafeTensorsFormatException(file + ": malformed JSON header: " + e.getMessage(), e);
        } catch (SafeTensorsHeader.SchemaException e) {
            throw new SafeTensorsFormatException(file + ": " + e.getMessage());
        }
        json = null;
        Map<String, String> metadata = parsed.metadata();
        List<Entry> entries = new ArrayList<>(parsed.tensors().size());
        for (SafeTensorsHeader.Raw r : parsed.tensors()) entries.add(entry(r, file));
        long dataLen = size - 8 - n;
        checkLayout(entries, dataLen, file);
        return new Layout(entries, metadata, 8 + n);
    }

    /** Checks what the header says of one tensor: a known dtype, a size grad4j can hold, offsets that match. */
    private static Entry entry(SafeTensorsHeader.Raw r, String file) throws SafeTensorsFormatException {
        String name = r.name(), code = r.code();
        String where = file + ": tensor '" + name + "'";
        DType dtype = dtype(code, name, file);
        int[] shape = r.shape();
        long numel = 1;
        for (int d : shape) {
            numel *= d;
            if (numel > Storage.MAX_ELEMENTS) {
                throw new SafeTensorsFormatException(where + ": shape " + Arrays.toString(shape) + " has more than " + Storage.MAX_ELEMENTS
                        + " elements, which a grad4j tensor cannot hold");
            }
        }
        long begin = r.begin(), end = r.end();
        if (begin < 0 || end < begin) throw new SafeTensorsFormatException(where + ": invalid data_offsets [" + begin + ", " + end + "]");
        long expected = numel * (code.equals("F16") || code.equals("BF16") ? 2 : dtype.itemSize());
        if (end - begin != expected) {
            throw new SafeTensorsFormatException(where + ": dtype " + code + " and shape " + Arrays.toString(shape) + " need " + expected
                    + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new Entry(name, dtype, code, shape, begin, end);
    }

    /** The byte ranges must tile the data section exactly: sorted, touching, no holes, no overlap. */
    private static void checkLayout(List<Entry> entries, long dataLen, String file) throws SafeTensorsFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin() != at) {
                throw new SafeTensorsFormatException(file + ": tensor '" + e.name() + "' starts at byte " + e.begin()
                        + (e.begin() < at ? " inside the previous tensor (overlap)" : " leaving a hole after byte " + at)
                        + "; the data section must be covered exactly once");
            }
            at = e.end();
            if (at > dataLen) {
                throw new SafeTensorsFormatException(file + ": tensor '" + e.name() + "' ends at byte " + at
                        + " past the end of the data section (" + dataLen + " bytes): the file is truncated");
            }
        }
        if (at != dataLen) {
            throw new SafeTensorsFormatException(file + ": " + (dataLen - at) + " bytes after the last tensor are not "
                    + "described by the header");
        }
    }

    /**
     * Bytes of the read buffer for a tensor: its data, at most one chunk. In long: a tensor of 2 GiB
     * or more (e.g. 2^29 float32) overflowed int here and failed with an IllegalArgumentException.
     */
    static int bufferBytes(int numel, int item) {
        return (int) Math.min(CHUNK, Math.max(item, (long) numel * item));
    }

    private static Tensor readTensor(Source src, long dataStart, Entry e, String file) throws IOException {
        int item = e.fileItem();
        int numel = (int) ((e.end() - e.begin()) / item);
        // an empty tensor reads nothing; its dims may be huge (0 x 2^31-1): strides are not computed for it
        if (numel == 0) return Grad4j.zeros(e.shape(), e.dtype());
        HeapStorage s = HeapStorage.allocate(e.dtype(), numel);
        int per = CHUNK / item;
        ByteBuffer b = ByteBuffer.allocate(bufferBytes(numel, item)).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < numel; from += per) {
            int k = Math.min(per, numel - from);
            b.clear().limit(k * item);
            src.read(dataStart + e.begin() + (long) from * item, b);
            b.flip();
            if (e.half()) {
                float[] a = s.f32();
                boolean bf = e.code().equals("BF16");
                for (int i = 0; i < k; i++) {
                    short h = b.getShort(2 * i);
                    a[from + i] = bf ? Float.intBitsToFloat((h & 0xffff) << 16) : Float.float16ToFloat(h);
                }
                continue;
            }
            switch (e.dtype()) {
                case FLOAT64 -> b.asDoubleBuffer().get(s.f64(), from, k);
                case FLOAT32 -> b.asFloatBuffer().get(s.f32(), from, k);
                case INT64 -> b.asLongBuffer().get(s.i64(), from, k);
                case INT32 -> b.asIntBuffer().get(s.i32(), from, k);
                case INT16 -> b.asShortBuffer().get((short[]) s.array(), from, k);
                case INT8, UINT8 -> b.get((byte[]) s.array(), from, k);
                case BOOL -> {
                    boolean[] a = s.bool();
                    for (int i = 0; i < k; i++) {
                        byte v = b.get(i);
                        if (v != 0 && v != 1) {
                            throw new SafeTensorsFormatException(file + ": tensor '" + e.name() + "' (BOOL) holds byte " + (v & 0xff)
                                    + " at element " + (from + i) + "; booleans must be 0 or 1");
                        }
                        a[from + i] = v == 1;
                    }
                }
            }
        }
        int[] shape = e.shape();
        return Grad4j.fromStorage(Storage.ofArray(e.dtype(), s.array()), 0, shape, org.grad4j.storage.Shapes.contiguousStrides(shape));
    }
}
