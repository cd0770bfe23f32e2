package org.grad4j.autograd;

import org.grad4j.Tensor;

/**
 * The node ops record: a name, a gradient formula written with tensor ops (so that backward with
 * create_graph records a graph of its own) and the values it saved.
 */
public final class FunctionNode extends Node {
    /** A gradient formula: output gradients in, input gradients out (null where not needed). */
    @FunctionalInterface
    public interface Formula {
        Tensor[] apply(Tensor[] gradOutputs, Node node);
    }

    private final String name;
    private Formula formula;
    private final SavedTensor[] saved;

    public FunctionNode(String name, Formula formula, SavedTensor[] saved, Tensor[] inputs) {
        super(inputs);
        this.name = name;
        this.formula = formula;
        this.saved = saved;
    }

    @Override
    public String name() { return name; }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        if (formula == null) throw new IllegalStateException(SavedTensor.FREED_MESSAGE);
        return formula.apply(gradOutputs, this);
    }

    @Override
    protected void release() {
        if (saved != null) for (SavedTensor s : saved) if (s != null) s.release();
        // Drop the formula when it may hold values (a captured activation, a list, ...): keeping
        // the loss then keeps no activation alive. A formula that captured only shapes, scalars
        // and SavedTensors is kept, so that a second backward through a node that saved nothing
        // works, as in PyTorch.
        if (formula != null && (hasSaved() || HOLDS_VALUES.get(formula.getClass()))) formula = null;
    }

    private boolean hasSaved() {
        if (saved != null) for (SavedTensor s : saved) if (s != null && !s.isScalar()) return true;
        return false;
    }

    /** Per lambda class: whether it captured anything beyond plain metadata. */
    private static final ClassValue<Boolean> HOLDS_VALUES = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                    if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
                    if (!isMetadata(f.getType())) return true;
                }
            }
            return false;
        }
    };

    private static boolean isMetadata(Class<?> t) {
        if (t.isPrimitive() || t == String.class || t.isEnum() || t == SavedTensor.class || t == SavedTensor[].class) return true;
        if (t.isArray()) return isMetadata(t.getComponentType());
        return Number.class.isAssignableFrom(t) || t == Boolean.class;
    }

    @Override
    Tensor[] savedForDisplay() {
        if (saved == null) return new Tensor[0];
        Tensor[] out = new Tensor[saved.length];
        for (int i = 0; i < saved.length; i++) out[i] = saved[i] == null ? null : saved[i].peek();
        return out;
    }

    /** For tests and tools: whether every saved value was released. */
    public boolean savedReleased() {
        if (saved == null) return true;
        for (SavedTensor s : saved) if (s != null && !s.isScalar() && !s.isReleased()) return false;
        return true;
    }
}
