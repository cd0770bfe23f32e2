package org.grad4j.storage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caching allocator behind {@link OffHeapStorage} (PyTorch's caching allocators, minus block
 * splitting): a dead storage's block goes to a free list of its size class, and the next storage of
 * that class takes it back without an arena, a malloc or a cleaner of its own arena.
 *
 * <p>Size classes, chosen so that the repeated shapes of a training loop always hit and the memory
 * lost to rounding stays small: below 4 KiB, multiples of 64 B (a cache line, PyTorch's CPU
 * alignment: the many tiny tensors of a step waste little, so dead ones pile up little between
 * two GCs); below 1 MiB, multiples of 512 B (PyTorch's CUDA small-block rounding; at most 511 B
 * lost, 2048 classes in a flat array); from 1 MiB, eight classes
 * per power of two (at most 12.5% lost, where a fixed 2 MiB step would lose up to 50% of a 2 MiB
 * block). Blocks below 1 MiB come from automatic arenas (a cached block keeps its memory alive;
 * dropping it leaves the memory to the GC), larger ones from shared arenas closed at once when the
 * cache drops them ({@link #emptyCache}, or a full cache).
 *
 * <p>Thread safety: storages die on any thread (the cleaner's, backward on several), so each
 * class's list is a small stack under its own lock, and the counters are atomic.
 */
final class BlockCache {
    private BlockCache() {}

    /**
     * One native block: its whole (rounded) size, the shared arena that owns it (null: automatic)
     * and, while a storage uses it, that storage's phantom reference. Blocks in use are linked in
     * {@link #IN_USE}, which keeps the references reachable (a reference must be, to be enqueued);
     * a cached block is held by its free list. An intrusive list, not a set: the heap it takes
     * shrinks back when the blocks go (a hash table keeps its peak size).
     */
    static final class Block {
        final MemorySegment segment;
        final Arena shared;
        final long size;
        /** The phantom reference of the storage using this block; null while cached. */
        Object user;
        Block prev, next;

        Block(MemorySegment segment, Arena shared, long size) {
            this.segment = segment;
            this.shared = shared;
            this.size = size;
        }
    }

    /** The head of the list of blocks in use (a sentinel). */
    private static final Block IN_USE = new Block(null, null, 0);

    static {
        IN_USE.prev = IN_USE.next = IN_USE;
    }

    /** Marks {@code k} in use by the storage whose phantom reference is {@code ref}. */
    static void use(Block k, Object ref) {
        k.user = ref;
        synchronized (IN_USE) {
            k.next = IN_USE.next;
            k.prev = IN_USE;
            IN_USE.next.prev = k;
            IN_USE.next = k;
        }
    }

    static final long LARGE = 1L << 20;
    static final int TINY_STEP = 64, SMALL_STEP = 512, TINY_LIMIT = 4096;
    private static final Bin[] TINY = new Bin[TINY_LIMIT / TINY_STEP], SMALL = new Bin[(int) (LARGE / SMALL_STEP)];
    private static final ConcurrentHashMap<Long, Bin> LARGE_BINS = new ConcurrentHashMap<>();
    /** Upper bound on the bytes kept in free lists; a block that would pass it is freed instead. */
    static volatile long capBytes = Long.getLong("grad4j.offheap.cacheBytes", 1L << 30);
    /**
     * Upper bound on the number of cached blocks: each costs ~200 B of heap (block, segment), and a
     * loop whose tensors die unnoticed until the next GC would otherwise cache one block per
     * allocation between two GCs (the heap then grows with the young generation).
     */
    static volatile int capBlocks = Integer.getInteger("grad4j.offheap.cacheBlocks", 8192);
    static final AtomicInteger CACHED_BLOCKS = new AtomicInteger();

    static final AtomicLong CACHED = new AtomicLong(), FRESH = new AtomicLong(), REUSED = new AtomicLong(),
            DROPPED = new AtomicLong();

    static {
        for (int i = 0; i < TINY.length; i++) TINY[i] = new Bin();
        for (int i = 0; i < SMALL.length; i++) SMALL[i] = new Bin();
    }

    /** The size class of a request of {@code bytes} (> 0). */
    static long roundUp(long bytes) {
        if (bytes < TINY_LIMIT) return (bytes + TINY_STEP - 1) & -(long) TINY_STEP;
        if (bytes < LARGE) return (bytes + SMALL_STEP - 1) & -(long) SMALL_STEP;
        long step = Long.highestOneBit(bytes) >>> 3;
        return (bytes + step - 1) & -step;
    }

    private static Bin bin(long size, boolean create) {
        if (size < TINY_LIMIT) return TINY[(int) (size / TINY_STEP) - 1];
        if (size < LARGE) return SMALL[(int) (size / SMALL_STEP) - 1];
        return create ? LARGE_BINS.computeIfAbsent(size, k -> new Bin()) : LARGE_BINS.get(size);
    }

    /** A cached block of class {@code size}, or null when none is free. */
    static Block take(long size) {
        Bin b = bin(size, false);
        Block k = b == null ? null : b.pop();
        if (k != null) {
            CACHED.addAndGet(-size);
            CACHED_BLOCKS.decrementAndGet();
            REUSED.incrementAndGet();
        }
        return k;
    }

    /** Blocks below this size are carved out of shared slabs: one automatic arena per slab, not per block. */
    static final int SLAB_BLOCK = TINY_LIMIT, SLAB = 64 << 10;
    /** Native bytes held: blocks of storages in use and slabs (whole); cached blocks above the slab size not counted. */
    static final AtomicLong LIVE = new AtomicLong();
    private static final java.lang.ref.Cleaner SLABS = java.lang.ref.Cleaner.create();
    private static MemorySegment slab;
    private static long slabUsed = SLAB;

    /**
     * A new block of class {@code size} (zero-filled, 64-byte aligned); may throw OutOfMemoryError.
     * An automatic arena costs about a microsecond (its session, a cleaner registration, malloc and
     * zeroing), so tiny blocks (below 4 KiB) share one per 64 KiB slab, and their storages get no
     * phantom reference of their own (the GC's reference processing would cost more than the
     * tensor): a tiny block comes back to the cache only by release(); otherwise its slab's memory
     * is freed when the GC finds all of the slab's blocks unreachable, as heap arrays are. A
     * long-lived tiny tensor pins at most one 64 KiB slab.
     */
    static Block fresh(long size) {
        MemorySegment seg;
        Arena arena = null;
        if (size < SLAB_BLOCK) {
            seg = carve(size);
        } else {
            arena = size >= LARGE ? Arena.ofShared() : Arena.ofAuto();
            seg = arena.allocate(size, 64);
        }
        FRESH.incrementAndGet();
        return new Block(seg, size >= LARGE ? arena : null, size);
    }

    private static synchronized MemorySegment carve(long size) {
        if (slabUsed + size > SLAB) {
            slab = Arena.ofAuto().allocate(SLAB, 64);
            slabUsed = 0;
            LIVE.addAndGet(SLAB);
            SLABS.register(slab.scope(), () -> LIVE.addAndGet(-SLAB));   // the scope lives as long as any block of the slab
        }
        MemorySegment seg = slab.asSlice(slabUsed, size);   // sizes are multiples of 64: every block stays aligned
        slabUsed += size;
        return seg;
    }

    /** Gives a dead block back: cached while the cap allows, freed otherwise. */
    static void give(Block k) {
        k.user = null;
        if (k.prev != null) {
            synchronized (IN_USE) {
                k.prev.next = k.next;
                k.next.prev = k.prev;
                k.prev = k.next = null;
            }
        }
        boolean roomForOne = CACHED_BLOCKS.incrementAndGet() <= capBlocks;
        if (CACHED.addAndGet(k.size) <= capBytes && roomForOne) {
            bin(k.size, true).push(k);
            return;
        }
        CACHED_BLOCKS.decrementAndGet();
        CACHED.addAndGet(-k.size);
        free(k);
    }

    private static void free(Block k) {
        DROPPED.incrementAndGet();
        if (k.shared != null) k.shared.close();
    }

    /** Frees every cached block (large ones at once, small ones at the next GC); returns the bytes dropped. */
    static long emptyCache() {
        long dropped = 0;
        for (Bin b : TINY) dropped += b.drain();
        for (Bin b : SMALL) dropped += b.drain();
        for (Bin b : LARGE_BINS.values()) dropped += b.drain();
        return dropped;
    }

    /** One size class's free blocks: a stack (the most recently freed block is the warmest in cache). */
    private static final class Bin {
        private Block[] items = new Block[4];
        private int n;

        synchronized void push(Block k) {
            if (n == items.length) items = java.util.Arrays.copyOf(items, 2 * n);
            items[n++] = k;
        }

        synchronized Block pop() {
            if (n == 0) return null;
            Block k = items[--n];
            items[n] = null;
            return k;
        }

        long drain() {
            long bytes = 0;
            for (Block k; (k = pop()) != null; ) {
                CACHED.addAndGet(-k.size);
                CACHED_BLOCKS.decrementAndGet();
                bytes += k.size;
                free(k);
            }
            return bytes;
        }
    }
}
