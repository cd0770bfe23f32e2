package org.grad4j.nn;

import org.grad4j.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.ParameterDict}: parameters by name, in insertion order.
 *
 * <pre>{@code
 * var heads = new ParameterDict().put("scale", Parameter.of(Grad4j.ones(3)));
 * heads.get("scale");
 * }</pre>
 */
public class ParameterDict extends Module {
    public ParameterDict() {}

    public ParameterDict(Map<String, Tensor> params) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) put(e.getKey(), e.getValue());
    }

    /** Adds or replaces the parameter under {@code key}; returns this dict. */
    public ParameterDict put(String key, Tensor p) {
        if (containsKey(key)) setParameter(key, p);
        else registerParameter(key, p);
        return this;
    }

    public Tensor get(String key) {
        if (!containsKey(key)) throw new IllegalArgumentException("ParameterDict has no key '" + key + "'");
        return getParameter(key);
    }

    public boolean containsKey(String key) { return namedParameters("", false).containsKey(key); }

    public Set<String> keySet() { return namedParameters("", false).keySet(); }

    public int size() { return keySet().size(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ParameterDict(");
        Map<String, Tensor> ps = new LinkedHashMap<>(namedParameters("", false));
        for (Map.Entry<String, Tensor> e : ps.entrySet()) {
            Tensor p = e.getValue();
            sb.append("\n    (").append(e.getKey()).append("): Parameter containing: [").append(p.typeName()).append(" of size ")
                    .append(Arrays.toString(p.shape()).replace("[", "").replace("]", "").replace(", ", "x")).append(']');
        }
        return sb.append(ps.isEmpty() ? ")" : "\n)").toString();
    }
}
