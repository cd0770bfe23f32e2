package org.grad4j.nn;

import org.grad4j.Tensor;

import java.util.Iterator;
import java.util.Map;

/**
 * {@code nn.Sequential(*modules)}: calls its modules in order, each on the previous output.
 * Modules are named "0", "1", ... (so state dict keys read {@code 0.weight}), or by the names of
 * a map.
 *
 * <pre>{@code
 * Sequential net = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
 * Tensor logits = net.call(x);
 * }</pre>
 */
public class Sequential extends Module implements Iterable<Module> {
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Named modules, in the map's order (PyTorch's OrderedDict form). */
    public Sequential(Map<String, Module> modules) {
        for (Map.Entry<String, Module> e : modules.entrySet()) registerModule(e.getKey(), e.getValue());
    }

    /** Appends a module, named by its position. */
    public Sequential add(Module m) {
        registerModule(Integer.toString(size()), m);
        return this;
    }

    public Sequential append(Module m) { return add(m); }

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

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) x = m.call(x);
        return x;
    }
}
