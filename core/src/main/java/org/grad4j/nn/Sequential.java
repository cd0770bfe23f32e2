package org.grad4j.nn;

import org.grad4j.Tensor;

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
public class Sequential extends IndexedModules<Sequential> {
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Named modules, in the map's order (PyTorch's OrderedDict form). */
    public Sequential(Map<String, Module> modules) {
        for (Map.Entry<String, Module> e : modules.entrySet()) registerModule(e.getKey(), e.getValue());
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) x = m.call(x);
        return x;
    }
}
