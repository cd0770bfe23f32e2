package org.grad4j.nn;

import java.util.List;

/** {@code nn.ModuleList}: holds submodules named "0", "1", ...; it has no forward of its own. */
public class ModuleList extends IndexedModules<ModuleList> {
    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) add(m);
    }
}
