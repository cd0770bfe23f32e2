package org.grad4j.nn;

import java.util.Iterator;

/**
 * What {@link ModuleList} and {@link Sequential} share: submodules named "0", "1", ... by position,
 * {@code append}, {@code len}, indexing (negative from the end) and iteration. {@code S} is the
 * container's own type, so {@code add} chains with it.
 */
abstract class IndexedModules<S extends IndexedModules<S>> extends Module implements Iterable<Module> {
    /** Appends a module, named by its position; returns this container. */
    @SuppressWarnings("unchecked")
    public S add(Module m) {
        registerModule(Integer.toString(size()), m);
        return (S) this;
    }

    /** {@code append(module)}: the same as {@link #add}. */
    public S append(Module m) { return add(m); }

    /** {@code len(container)}. */
    public int size() { return namedChildren().size(); }

    /** The module at an index (negative counts from the end). */
    public Module get(int index) {
        int n = size();
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException("index " + index + " is out of range");
        return children().get(i);
    }

    @Override
    public Iterator<Module> iterator() { return children().iterator(); }
}
