package org.grad4j.nn;

import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** {@code nn.ParameterList}: parameters named "0", "1", ... */
public class ParameterList extends Module implements Iterable<Tensor> {
    private int count;

    public ParameterList(Tensor... params) {
        for (Tensor p : params) add(p);
    }

    public ParameterList add(Tensor p) {
        registerParameter(Integer.toString(count++), p);
        return this;
    }

    public ParameterList append(Tensor p) { return add(p); }

    public Tensor get(int i) { return getParameter(Integer.toString(i < 0 ? i + count : i)); }

    public int size() { return count; }

    @Override
    public Iterator<Tensor> iterator() {
        List<Tensor> l = new ArrayList<>();
        for (int i = 0; i < count; i++) l.add(get(i));
        return l.iterator();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ParameterList(");
        for (int i = 0; i < count; i++) {
            Tensor p = get(i);
            sb.append("\n    (").append(i).append("): Parameter containing: [").append(p.typeName()).append(" of size ")
                    .append(Arrays.toString(p.shape()).replace("[", "").replace("]", "").replace(", ", "x")).append(']');
        }
        return sb.append(count > 0 ? "\n)" : ")").toString();
    }
}
