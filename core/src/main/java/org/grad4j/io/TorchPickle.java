package org.grad4j.io;

import org.grad4j.Tensor;

import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The restricted unpickler behind {@link TorchFiles}, as {@code torch.load(weights_only=True)}:
 * it knows the opcodes {@code torch.save} (protocol 2) and libtorch's pickler write, builds only
 * plain values (dict, list, tuple, str, bytes, int, float, bool, None) and tensors, and resolves a
 * {@code GLOBAL} only from a short allow-list. Nothing in the file is ever called or loaded as a
 * class: an allowed global is a name this class interprets itself. Every count and length is
 * checked against the bytes that are actually there, so a forged length cannot allocate memory.
 */
final class TorchPickle {
    /** Storages of the archive, loaded on the first persistent id that names them. */
    interface StorageLoader {
        /** {@code ('storage', torch.<Type>Storage, key, location, numel)}: the tensor storage of that record. */
        TorchFiles.StorageRef load(String storageType, String key, String location, long numel) throws TorchFilesFormatException;
    }

    /** A Python tuple: an immutable list (kept apart from lists only where it matters). */
    static List<Object> tuple(List<Object> items) { return Collections.unmodifiableList(items); }

    /** The globals a file may name, as torch.load(weights_only=True) allows them (module.name). */
    static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict", "_codecs.encode", "torch.jit._pickle.restore_type_tag",
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
            "torch._tensor._rebuild_from_type_v2", "torch.Tensor", "torch.nn.parameter.Parameter",
            "torch.device", "torch.Size",
            "torch.DoubleStorage", "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
            "torch.ByteStorage", "torch.BoolStorage");

    /** A global the file named: only ever compared by name, never resolved to code. */
    record Global(String name) {}

    private static final Object MARK = new Object();
    /** Nesting of stack marks and of containers is far below this in any real file. */
    static final int MAX_MARK_DEPTH = 10_000;
    /**
     * Values a pickle may push: a state dict of 10,000 tensors needs about 150,000. Bounds the
     * memory a small pickle can make the reader allocate (tens of bytes per value).
     */
    static final int MAX_VALUES = 4_000_000;
    private int values;

    private final byte[] in;
    private final String file;
    private final StorageLoader storages;
    private int pos;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final HashMap<Long, Object> memo = new HashMap<>();

    private TorchPickle(byte[] in, String file, StorageLoader storages) {
        this.in = in;
        this.file = file;
        this.storages = storages;
    }

    /** Unpickles {@code data} (the archive's data.pkl); {@code file} names it in error messages. */
    static Object load(byte[] data, String file, StorageLoader storages) throws TorchFilesFormatException {
        return new TorchPickle(data, file, storages).run();
    }

    private TorchFilesFormatException bad(String what) {
        return new TorchFilesFormatException(file + ": " + what + " (data.pkl byte " + pos + ")");
    }

    private Object run() throws TorchFilesFormatException {
        while (true) {
            int at = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> {                                     // PROTO
                    int v = u8();
                    if (v > 5) throw bad("pickle protocol " + v + " is not supported");
                }
                case 0x95 -> skip(8);                              // FRAME (protocol 4): a length hint only
                case '.' -> {                                      // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) throw bad("STOP with " + stack.size() + " values on the stack");
                    return requirePlain(stack.get(0));
                }
                case '(' -> {                                      // MARK
                    if (marks.size() >= MAX_MARK_DEPTH) throw bad("marks nested deeper than " + MAX_MARK_DEPTH);
                    marks.add(stack.size());
                    stack.add(MARK);  // a mark, not a value
                }
                case '}' -> push(new LinkedHashMap<>());      // EMPTY_DICT
                case ']' -> push(new ArrayList<>());          // EMPTY_LIST
                case ')' -> push(tuple(new ArrayList<>()));   // EMPTY_TUPLE
                case 't' -> push(tuple(popMark()));           // TUPLE
                case 0x85, 0x86, 0x87 -> {                         // TUPLE1..3
                    int n = op - 0x84;
                    need(n);
                    List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
                    for (Object o : items) if (o == MARK) throw bad("TUPLE" + n + " across a mark");
                    stack.subList(stack.size() - n, stack.size()).clear();
                    push(tuple(items));
                }
                case 'l' -> push(popMark());                  // LIST
                case 'd' -> {                                      // DICT
                    List<Object> kv = popMark();
                    Map<Object, Object> m = new LinkedHashMap<>();
                    putPairs(m, kv);
                    push(m);
                }
                case 'J' -> push((long) i32());               // BININT
                case 'K' -> push((long) u8());                // BININT1
                case 'M' -> push((long) (u8() | u8() << 8));  // BININT2
                case 0x8a -> push(longN(u8()));               // LONG1
                case 0x8b -> {                                     // LONG4
                    long n = i32();
                    if (n < 0 || n > 1024) throw bad("LONG4 of " + n + " bytes (integers of more than 8 KiB bits are not supported)");
                    push(longN((int) n));
                }
                case 'G' -> push(Double.longBitsToDouble(be64()));   // BINFLOAT
                case 0x88 -> push(Boolean.TRUE);              // NEWTRUE
                case 0x89 -> push(Boolean.FALSE);             // NEWFALSE
                case 'N' -> push(null);                       // NONE
                case 'X' -> push(utf8(u32()));                // BINUNICODE
                case 0x8c -> push(utf8(u8()));                // SHORT_BINUNICODE
                case 0x8d -> push(utf8(u64()));               // BINUNICODE8
                case 'T' -> push(latin1(u32()));              // BINSTRING (Python 2 str)
                case 'U' -> push(latin1(u8()));               // SHORT_BINSTRING
                case 'B' -> push(bytes(u32()));               // BINBYTES
                case 'C' -> push(bytes(u8()));                // SHORT_BINBYTES
                case 0x8e -> push(bytes(u64()));              // BINBYTES8
                case 'q' -> memoPut(u8(), top());          // BINPUT
                case 'r' -> memoPut(u32(), top());                // LONG_BINPUT
                case 0x94 -> memoPut(memo.size(), top());  // MEMOIZE
                case 'h' -> push(memoGet(u8()));              // BINGET
                case 'j' -> push(memoGet(u32()));             // LONG_BINGET
                case '0' -> pop();                                 // POP
                case '1' -> popMark();                             // POP_MARK
                case '2' -> push(top());                      // DUP
                case 'a' -> {                                      // APPEND
                    Object v = pop();
                    listAt(stack.size() - 1, "APPEND").add(v);
                }
                case 'e' -> {                                      // APPENDS
                    List<Object> items = popMark();
                    listAt(stack.size() - 1, "APPENDS").addAll(items);
                }
                case 's' -> {                                      // SETITEM
                    Object v = pop(), k = pop();
                    putPairs(dictAt(stack.size() - 1, "SETITEM"), pair(k, v));
                }
                case 'u' -> {                                      // SETITEMS
                    List<Object> kv = popMark();
                    putPairs(dictAt(stack.size() - 1, "SETITEMS"), kv);
                }
                case 'c' -> push(global(line() + "." + line()));   // GLOBAL
                case 0x93 -> {                                     // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw bad("STACK_GLOBAL needs two strings");
                    push(global(m + "." + n));
                }
                case 'R' -> {                                      // REDUCE
                    Object args = pop(), fn = pop();
                    if (!(fn instanceof Global g)) throw bad("REDUCE of " + describe(fn) + ", which is not callable");
                    if (!(args instanceof List<?> a)) throw bad("REDUCE of " + g.name() + " without an argument tuple");
                    push(call(g.name(), a));
                }
                case 'b' -> {                                      // BUILD
                    Object state = pop();
                    build(top(), state);
                }
                case 'Q' -> push(persistent(pop()));          // BINPERSID
                case 0x81 -> {                                     // NEWOBJ: cls.__new__(cls, *args)
                    pop();
                    Object cls = pop();
                    if (!(cls instanceof Global g)) throw bad("NEWOBJ of " + describe(cls));
                    push(call(g.name(), List.of()));
                }
                default -> {
                    pos = at;
                    throw bad(String.format("opcode 0x%02x is not one torch.save writes", op));
                }
            }
        }
    }

    // ------------------------------------------------------------------ globals, calls

    private Global global(String name) throws TorchFilesFormatException {
        // Python 2 pickles name builtins "__builtin__"; report them the way Python 3 spells them.
        String n = name.startsWith("__builtin__.") ? "builtins." + name.substring(12) : name;
        if (!ALLOWED.contains(n)) {
            throw new TorchFilesFormatException(file + ": Weights only load failed. Unsupported global: GLOBAL " + n
                    + " was not an allowed global. grad4j reads tensors, state dicts and plain containers (dict, list, tuple,"
                    + " str, int, float, bool, None) and never runs code from a file. Fix: in Python, save the state dict"
                    + " (torch.save(model.state_dict(), path)) rather than the model or other objects, or convert the file"
                    + " with safetensors.torch.save_file");
        }
        return new Global(n);
    }

    private Object call(String fn, List<?> a) throws TorchFilesFormatException {
        switch (fn) {
            case "collections.OrderedDict" -> {
                // torch.save pickles OrderedDict() with no arguments and adds the items with SETITEMS
                if (!a.isEmpty()) throw bad("OrderedDict with arguments; torch.save writes OrderedDict() and then its items");
                return new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                int min = fn.endsWith("v2") ? 6 : 4;
                if (a.size() < min || a.size() > min + 1) throw bad(fn + " takes " + min + " arguments, got " + a.size());
                if (!(a.get(0) instanceof TorchFiles.StorageRef s)) throw bad(fn + ": first argument is not a storage");
                int offset = intArg(a.get(1), fn + " storage_offset");
                int[] size = ints(a.get(2), fn + " size"), stride = ints(a.get(3), fn + " stride");
                boolean requiresGrad = min == 6 && Boolean.TRUE.equals(a.get(4));
                return TorchFiles.view(s, offset, size, stride, requiresGrad, file);
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (a.size() < 3 || !(a.get(0) instanceof Tensor t)) throw bad(fn + " needs (tensor, requires_grad, hooks)");
                boolean rg = Boolean.TRUE.equals(a.get(1));
                if (rg && t.dtype().isFloatingPoint() && !t.requiresGrad()) t.requiresGrad_(true);
                return t;
            }
            case "torch._tensor._rebuild_from_type_v2" -> {
                // (func, type, args, state): the tensor func(*args) of a Tensor/Parameter type
                if (a.size() != 4 || !(a.get(0) instanceof Global f) || !(a.get(2) instanceof List<?> args)) {
                    throw bad(fn + " needs (func, type, args, state)");
                }
                if (!(a.get(1) instanceof Global t) || !(t.name().equals("torch.Tensor") || t.name().equals("torch.nn.parameter.Parameter"))) {
                    throw bad(fn + " of type " + describe(a.get(1)) + "; only torch.Tensor and Parameter are read");
                }
                return call(f.name(), args);
            }
            case "_codecs.encode" -> {
                // protocol 2 writes Python 3 bytes as _codecs.encode(str, 'latin1')
                if (a.size() != 2 || !(a.get(0) instanceof String str) || !("latin1".equals(a.get(1)) || "latin-1".equals(a.get(1)))) {
                    throw bad("_codecs.encode is read only as (str, 'latin1'), the way pickle writes bytes");
                }
                return str.getBytes(StandardCharsets.ISO_8859_1);
            }
            case "torch.jit._pickle.restore_type_tag" -> {
                // libtorch tags its dicts and lists with their static type ("Dict[str, Tensor]"): keep the value
                if (a.size() != 2 || !(a.get(1) instanceof String)) throw bad(fn + " needs (value, type string)");
                return a.get(0);
            }
            case "torch.device" -> {
                if (a.isEmpty() || !(a.get(0) instanceof String s)) throw bad("torch.device needs a string");
                return a.size() > 1 && a.get(1) != null ? s + ":" + a.get(1) : s;
            }
            case "torch.Size" -> {
                if (a.size() != 1 || !(a.get(0) instanceof List<?> l) || l instanceof ArrayList<?>) throw bad("torch.Size needs one tuple");
                return l;   // a tuple already: immutable, no copy
            }
            default -> throw bad(fn + " cannot be called");
        }
    }

    private void build(Object target, Object state) throws TorchFilesFormatException {
        // OrderedDict's __dict__ (a state dict's _metadata) and a tensor's Python state: not needed for weights.
        if (target instanceof Map<?, ?> || target instanceof Tensor) {
            if (state == null || state instanceof Map<?, ?> || state instanceof List<?>) return;
        }
        throw bad("BUILD of " + describe(target) + " with " + describe(state));
    }

    private Object persistent(Object pid) throws TorchFilesFormatException {
        if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw bad("persistent id " + describe(pid) + " is not ('storage', type, key, location, numel)");
        }
        if (!(t.get(1) instanceof Global type) || !type.name().endsWith("Storage")) throw bad("storage type " + describe(t.get(1)));
        if (!(t.get(2) instanceof String key)) throw bad("storage key " + describe(t.get(2)) + " is not a string");
        if (!(t.get(3) instanceof String location)) throw bad("storage location " + describe(t.get(3)) + " is not a string");
        if (!(t.get(4) instanceof Long numel) || numel < 0) throw bad("storage size " + describe(t.get(4)));
        return storages.load(type.name().substring("torch.".length()), key, location, numel);
    }

    /**
     * The result may hold only plain values and tensors: a global that was never called (a class
     * or function object in Python) or a bare storage has no Java form. Walked without recursion:
     * the graph may be deep or cyclic.
     */
    private Object requirePlain(Object root) throws TorchFilesFormatException {
        java.util.Set<Object> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Object> todo = new java.util.ArrayDeque<>();
        if (root != null) todo.push(root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (!seen.add(o)) continue;
            if (o instanceof Global g) throw bad("the file holds " + g.name() + " itself as a value; only tensors and plain values are read");
            if (o instanceof TorchFiles.StorageRef) throw bad("the file holds a bare storage; only tensors and plain values are read");
            if (o instanceof Map<?, ?> m) {
                for (Object v : m.values()) if (v != null) todo.push(v);
            } else if (o instanceof List<?> l) {
                for (Object v : l) if (v != null) todo.push(v);
            }
        }
        return root;
    }

    // ------------------------------------------------------------------ stack helpers

    private void push(Object o) throws TorchFilesFormatException {
        if (++values > MAX_VALUES) throw bad("more than " + MAX_VALUES + " values; no state dict needs that many");
        stack.add(o);
    }

    private Object top() throws TorchFilesFormatException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw bad("stack underflow");
        return stack.get(stack.size() - 1);
    }

    private Object pop() throws TorchFilesFormatException {
        Object o = top();
        stack.remove(stack.size() - 1);
        return o;
    }

    private void need(int n) throws TorchFilesFormatException {
        if (stack.size() < n) throw bad("stack underflow");
    }

    private List<Object> popMark() throws TorchFilesFormatException {
        if (marks.isEmpty()) throw bad("no mark on the stack");
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    /** Memo entries count against {@link #MAX_VALUES} too: each costs memory, and only a few bytes of pickle. */
    private void memoPut(long key, Object v) throws TorchFilesFormatException {
        if (memo.put(key, v) == null && ++values > MAX_VALUES) throw bad("more than " + MAX_VALUES + " values; no state dict needs that many");
    }

    private Object memoGet(long key) throws TorchFilesFormatException {
        if (!memo.containsKey(key)) throw bad("memo key " + key + " was never stored");
        return memo.get(key);
    }

    @SuppressWarnings("unchecked")
    private List<Object> listAt(int i, String op) throws TorchFilesFormatException {
        if (i < 0 || !(stack.get(i) instanceof ArrayList<?> l)) throw bad(op + " needs a list below the items");
        return (List<Object>) l;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictAt(int i, String op) throws TorchFilesFormatException {
        if (i < 0 || !(stack.get(i) instanceof Map<?, ?> m)) throw bad(op + " needs a dict below the items");
        return (Map<Object, Object>) m;
    }

    private static List<Object> pair(Object k, Object v) {
        List<Object> l = new ArrayList<>(2);
        l.add(k);
        l.add(v);
        return l;
    }

    private void putPairs(Map<Object, Object> m, List<Object> kv) throws TorchFilesFormatException {
        if (kv.size() % 2 != 0) throw bad("dict items come in pairs, got " + kv.size() + " values");
        for (int i = 0; i < kv.size(); i += 2) {
            Object k = kv.get(i);
            // Hashable scalars only: a list or dict as a key is an error in Python, and hashing a
            // self-containing list would recurse without end.
            if (!(k == null || k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Double
                    || k instanceof Boolean)) {
                throw bad("dict key " + describe(k) + " is not a str, int, float, bool or None");
            }
            m.put(k, kv.get(i + 1));
        }
    }

    static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof Global g) return g.name();
        if (o instanceof String) return "a str";
        if (o instanceof Long || o instanceof BigInteger) return "an int";
        if (o instanceof Map<?, ?>) return "a dict";
        if (o instanceof List<?>) return "a list/tuple";
        if (o instanceof Tensor) return "a tensor";
        if (o instanceof Double) return "a float";
        if (o instanceof Boolean) return "a bool";
        if (o instanceof byte[]) return "bytes";
        return "a " + o.getClass().getSimpleName();
    }

    private int[] ints(Object o, String what) throws TorchFilesFormatException {
        if (!(o instanceof List<?> l)) throw bad(what + " is not a tuple");
        if (l.size() > 64) throw bad(what + " has " + l.size() + " dimensions (at most 64)");
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = intArg(l.get(i), what);
        return r;
    }

    private int intArg(Object o, String what) throws TorchFilesFormatException {
        if (!(o instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) throw bad(what + " " + describe(o) + " is not an int in [0, 2^31)");
        return (int) (long) v;
    }

    // ------------------------------------------------------------------ reading bytes

    private int u8() throws TorchFilesFormatException {
        if (pos >= in.length) throw bad("data.pkl ends without STOP");
        return in[pos++] & 0xff;
    }

    private void skip(long n) throws TorchFilesFormatException {
        if (n > in.length - pos) throw bad("data.pkl ends early");
        pos += (int) n;
    }

    private int i32() throws TorchFilesFormatException {
        skip(4);
        return ByteBuffer.wrap(in, pos - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private long u32() throws TorchFilesFormatException { return i32() & 0xffffffffL; }

    private long u64() throws TorchFilesFormatException {
        skip(8);
        long v = ByteBuffer.wrap(in, pos - 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        return v < 0 ? Long.MAX_VALUE : v;
    }

    private long be64() throws TorchFilesFormatException {
        skip(8);
        return ByteBuffer.wrap(in, pos - 8, 8).getLong();
    }

    private byte[] bytes(long n) throws TorchFilesFormatException {
        int from = pos;
        skip(n);
        return java.util.Arrays.copyOfRange(in, from, pos);
    }

    private Object longN(int n) throws TorchFilesFormatException {
        byte[] le = bytes(n);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String utf8(long n) throws TorchFilesFormatException {
        byte[] b = bytes(n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw bad("string is not valid UTF-8");
        }
    }

    private String latin1(long n) throws TorchFilesFormatException { return new String(bytes(n), StandardCharsets.ISO_8859_1); }

    private String line() throws TorchFilesFormatException {
        int from = pos;
        while (pos < in.length && in[pos] != '\n') {
            if (pos - from > 256) throw bad("GLOBAL name longer than 256 bytes");
            pos++;
        }
        if (pos >= in.length) throw bad("data.pkl ends inside a GLOBAL name");
        return new String(in, from, pos++ - from, StandardCharsets.UTF_8);
    }
}
