package org.grad4j.nn;

import java.util.Iterator;
import java.util.List;

/** {@code nn.ModuleList}: holds submodules named "0", "1", ...; it has no forward of its own. */
public class ModuleList extends Module implements Iterable<Module> {
    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) add(m);
    }

    public ModuleList add(Module m) {
        registerModule(Integer.toString(size()), m);
        return this;
    }

    public ModuleList append(Module m) { return add(m); }

    public int size() { return namedChildren().size(); }

    public Module get(int index) {
        int n = size();
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException("index " + index + " is out of range");
        return children().get(i);
    }

    @Override
    public Iterator<Module> iterator() { return children().iterator(); }
}
