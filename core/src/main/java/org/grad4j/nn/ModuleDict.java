package org.grad4j.nn;

import java.util.Map;
import java.util.Set;

/** {@code nn.ModuleDict}: submodules by name, in insertion order. */
public class ModuleDict extends Module {
    public ModuleDict() {}

    public ModuleDict(Map<String, ? extends Module> modules) {
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) put(e.getKey(), e.getValue());
    }

    public ModuleDict put(String key, Module m) {
        registerModule(key, m);
        return this;
    }

    public Module get(String key) {
        Module m = namedChildren().get(key);
        if (m == null) throw new IllegalArgumentException("ModuleDict has no key '" + key + "'");
        return m;
    }

    public boolean containsKey(String key) { return namedChildren().containsKey(key); }

    public Set<String> keySet() { return namedChildren().keySet(); }

    public int size() { return namedChildren().size(); }
}
