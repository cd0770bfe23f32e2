package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Device;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.GradMode;
import org.grad4j.autograd.RemovableHandle;
import org.grad4j.internal.Graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Base class of all layers and models, like {@code torch.nn.Module}. Parameters, buffers and
 * submodules are registered by name, in order, and give the state dict PyTorch's keys
 * ({@code features.0.weight}, {@code bn.running_mean}). Fields register themselves, as
 * {@code self.fc = nn.Linear(...)} does: a field holding a module, a {@link Parameter#of}
 * tensor or a {@link Buffer#of} tensor is registered under the field's name (superclass fields
 * first, then declaration order; {@code transient} fields are left out).
 *
 * <pre>{@code
 * class Net extends Module {
 *     final Conv2d conv = new Conv2d(1, 6, 5);
 *     final Linear fc = new Linear(6 * 24 * 24, 10);
 *
 *     @Override public Tensor forward(Tensor x) {
 *         return fc.call(F.relu(conv.call(x)).flatten(1, -1));
 *     }
 * }
 * Net net = new Net();
 * Tensor logits = net.call(x);            // net(x): runs hooks, then forward
 * net.stateDict().keySet();               // [conv.weight, conv.bias, fc.weight, fc.bias]
 * }</pre>
 *
 * {@link #registerModule}, {@link #registerParameter} and {@link #registerBuffer} register
 * under a name of your choice. If your models live in a named module ({@code module-info.java}),
 * it must {@code opens} their package to grad4j so that their fields can be read.
 * {@link #to(DType)} and {@link #loadStateDict} change the tensors in place, so references to
 * parameters (fields, optimizers, hooks) stay valid.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new LinkedHashSet<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    protected boolean training = true;

    private final List<ForwardPreHook> preHooks = new ArrayList<>();
    private final List<ForwardHook> forwardHooks = new ArrayList<>();
    private final List<BackwardHook> backwardHooks = new ArrayList<>();

    /** {@code hook(module, args)}; may return replacement inputs, or null to keep them. */
    @FunctionalInterface
    public interface ForwardPreHook { Tensor[] apply(Module module, Tensor[] inputs); }

    /** {@code hook(module, args, output)}; may return a replacement output, or null to keep it. */
    @FunctionalInterface
    public interface ForwardHook { Tensor apply(Module module, Tensor[] inputs, Tensor output); }

    /**
     * {@code hook(module, grad_input, grad_output)}, called when the gradients with respect to the
     * module's inputs are computed; may return replacement input gradients, or null.
     */
    @FunctionalInterface
    public interface BackwardHook { Tensor[] apply(Module module, Tensor[] gradInput, Tensor[] gradOutput); }

    // ------------------------------------------------------------------ registration

    /**
     * Registers (or replaces) a parameter; a non-null tensor becomes a leaf that requires grad
     * (like {@code nn.Parameter}). A null parameter is recorded as absent (like {@code bias=None}).
     * A field holding the parameter ({@code final Tensor w = Parameter.of(...)}) registers it
     * without this call.
     */
    public Tensor registerParameter(String name, Tensor param) {
        checkName(name, "parameter");
        syncFields();
        if (buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getName());
        }
        if (param != null) {
            if (!param.isLeaf()) {
                throw new IllegalArgumentException("Cannot assign non-leaf Tensor to parameter '" + name + "'. Model parameters must "
                        + "be created explicitly. Fix: register w.detach() (or Parameter.of(w.detach()))");
            }
            if (param.dtype().isFloatingPoint() && !param.requiresGrad()) param.requiresGrad_(true);
            Parameter.mark(param, Parameter.Role.PARAMETER);
        }
        explicit(name, param);
        params.put(name, param);
        return param;
    }

    /** Registers a persistent buffer (saved in the state dict), e.g. BatchNorm's running_mean. */
    public Tensor registerBuffer(String name, Tensor buffer) { return registerBuffer(name, buffer, true); }

    public Tensor registerBuffer(String name, Tensor buffer, boolean persistent) {
        checkName(name, "buffer");
        syncFields();
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getName());
        }
        explicit(name, buffer);
        buffers.put(name, buffer);
        if (persistent) nonPersistent.remove(name);
        else nonPersistent.add(name);
        return buffer;
    }

    /**
     * Registers a submodule ({@code add_module}); returns it. A field holding a module registers
     * it under the field's name without this call; call it to choose another name (the field is
     * then not registered a second time).
     */
    public <M extends Module> M registerModule(String name, M module) {
        checkName(name, "module");
        syncFields();
        if (params.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getName());
        }
        explicit(name, module);
        children.put(name, module);
        return module;
    }

    private static void checkName(String name, String what) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(what + " name can't be empty or contain \".\", got \"" + name + "\"");
        }
    }

    // ------------------------------------------------------------------ fields that register themselves

    /** Per field name, the last non-null value sync saw in it: tells a field's own entry from an explicit one. */
    private final Map<String, Object> fieldSeen = new HashMap<>();
    private boolean syncing;

    /**
     * Registers what this module's fields hold, as PyTorch's {@code __setattr__} does on assignment.
     * Java has no hook on field writes, so this runs before every read of the registry and picks
     * up fields assigned (or reassigned) since; a module without such fields pays one lookup.
     */
    final void syncFields() {
        ModuleFields.Slot[] slots = ModuleFields.of(getClass());
        if (slots.length == 0 || syncing) return;
        syncing = true;
        try {
            for (ModuleFields.Slot s : slots) syncField(s.name(), s.get(this), slots);
        } finally {
            syncing = false;
        }
    }

    private void syncField(String n, Object v, ModuleFields.Slot[] slots) {
        Object current = entry(n);
        if (v == null) {
            // a field set back to null: the entry it made becomes None, as `self.fc = None` does
            if (current != null && current == fieldSeen.get(n)) putEntry(n, null, null);
            return;
        }
        if (current == v) {
            fieldSeen.put(n, v);
            return;
        }
        Parameter.Role role = v instanceof Tensor t ? Parameter.roleOf(t) : null;
        if (v instanceof Tensor t && role == null) {
            if (params.containsKey(n)) {
                throw new IllegalArgumentException("cannot assign '" + t.typeName() + "' as parameter '" + n + "' (torch.nn.Parameter or None "
                        + "expected): field '" + n + "' of " + getName() + " holds a plain tensor. Fix: assign Parameter.of(tensor)");
            }
            if (!buffers.containsKey(n)) return;    // a plain tensor attribute, not registered (as in PyTorch)
        }
        if (current == null && !params.containsKey(n) && !buffers.containsKey(n) && !children.containsKey(n)
                && registeredExplicitlyElsewhere(n, v, slots)) {
            return;     // `final Linear outProj = registerModule("out_proj", ...)`: the explicit name wins
        }
        putEntry(n, v, role);
        fieldSeen.put(n, v);
    }

    /** Whether v is registered here under another name that no field of that name holds. */
    private boolean registeredExplicitlyElsewhere(String n, Object v, ModuleFields.Slot[] slots) {
        for (String m : namesOf(v)) {
            if (m.equals(n)) continue;
            boolean heldByField = false;
            for (ModuleFields.Slot s : slots) if (s.name().equals(m) && s.get(this) == v) heldByField = true;
            if (!heldByField) return true;
        }
        return false;
    }

    private List<String> namesOf(Object v) {
        List<String> out = new ArrayList<>();
        for (var e : params.entrySet()) if (e.getValue() == v) out.add(e.getKey());
        for (var e : buffers.entrySet()) if (e.getValue() == v) out.add(e.getKey());
        for (var e : children.entrySet()) if (e.getValue() == v) out.add(e.getKey());
        return out;
    }

    private Object entry(String n) {
        if (params.containsKey(n)) return params.get(n);
        if (buffers.containsKey(n)) return buffers.get(n);
        return children.get(n);
    }

    /** Puts v under n in the registry its kind belongs to, removing n from the others (PyTorch's remove_from). */
    private void putEntry(String n, Object v, Parameter.Role role) {
        if (v == null) {
            if (params.containsKey(n)) params.put(n, null);
            else if (buffers.containsKey(n)) buffers.put(n, null);
            else if (children.containsKey(n)) children.put(n, null);
        } else if (v instanceof Module m) {
            params.remove(n);
            buffers.remove(n);
            nonPersistent.remove(n);
            children.put(n, m);
        } else if (role == Parameter.Role.PARAMETER) {
            buffers.remove(n);
            nonPersistent.remove(n);
            children.remove(n);
            params.put(n, (Tensor) v);
        } else {
            params.remove(n);
            children.remove(n);
            buffers.put(n, (Tensor) v);
            if (role == Parameter.Role.NON_PERSISTENT_BUFFER) nonPersistent.add(n);
            else if (role == Parameter.Role.BUFFER) nonPersistent.remove(n);
        }
    }

    /**
     * Keeps a field and an explicit registration of the same name in step: a non-final field is
     * assigned the registered object; a final field holding another object is an error, since
     * forward() would keep using the field. An object a field registered under its own name moves
     * to the explicit name.
     */
    private void explicit(String n, Object v) {
        if (syncing) return;
        ModuleFields.Slot s = ModuleFields.find(getClass(), n);
        if (s != null) {
            Object f = s.get(this);
            if (f != null && f != v) {
                if (s.setter() != null && (v == null || s.type().isInstance(v))) {
                    s.set(this, v);
                } else {
                    throw new IllegalArgumentException(getName() + ": can't register '" + n + "' as "
                            + (v == null ? "None" : v instanceof Module m ? m.getName() : "a " + ((Tensor) v).typeName())
                            + ": the " + (s.setter() == null ? "final " : "") + "field '" + n + "' holds another "
                            + (f instanceof Module m ? m.getName() : "tensor") + ", which forward() would keep using. Fix: assign the field "
                            + "instead (make it non-final), or register under another name");
                }
            }
        }
        if (v == null) return;
        for (String m : namesOf(v)) {
            if (!m.equals(n) && fieldSeen.get(m) == v) {
                params.remove(m);
                buffers.remove(m);
                nonPersistent.remove(m);
                children.remove(m);
                fieldSeen.remove(m);
            }
        }
    }

    /** The parameter registered under {@code name} in this module (null for an absent one such as bias=None). */
    public Tensor getParameter(String name) {
        syncFields();
        if (!params.containsKey(name)) {
            throw new IllegalArgumentException(getName() + " has no parameter '" + name + "' (it has " + params.keySet() + ")");
        }
        return params.get(name);
    }

    public Tensor getBuffer(String name) {
        syncFields();
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(getName() + " has no buffer '" + name + "' (it has " + buffers.keySet() + ")");
        }
        return buffers.get(name);
    }

    /** Replaces a parameter, as {@code module.weight = nn.Parameter(t)} does. */
    public void setParameter(String name, Tensor param) {
        getParameter(name);
        params.put(name, null);
        registerParameter(name, param);
    }

    /** Replaces a buffer's tensor (keeps its persistence). */
    public void setBuffer(String name, Tensor buffer) {
        getBuffer(name);
        explicit(name, buffer);
        buffers.put(name, buffer);
    }

    public Module getSubmodule(String target) {
        if (target.isEmpty()) return this;
        Module m = this;
        for (String part : target.split("\\.")) {
            m.syncFields();
            Module next = m.children.get(part);
            if (next == null) throw new IllegalArgumentException(m.getName() + " has no attribute `" + part + "`");
            m = next;
        }
        return m;
    }

    // ------------------------------------------------------------------ forward

    /** The computation of a one-input module. Call {@link #call} (which runs hooks) rather than this directly. */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [" + getName() + "] is missing the required \"forward\" function");
    }

    /** The computation of a module with several inputs; the default hands one input to {@link #forward(Tensor)}. */
    public Tensor forward(Tensor... inputs) {
        if (inputs.length == 1) return forward(inputs[0]);
        throw new UnsupportedOperationException(getName() + ".forward takes 1 input but " + inputs.length + " were given");
    }

    /** Runs the module like Python's {@code module(*inputs)}: forward-pre hooks, forward, forward hooks, backward hooks. */
    public Tensor call(Tensor... inputs) {
        Tensor[] in = inputs;
        if (!preHooks.isEmpty()) {
            for (ForwardPreHook h : List.copyOf(preHooks)) {
                Tensor[] r = h.apply(this, in);
                if (r != null) in = r;
            }
        }
        BackwardHooks bh = backwardHooks.isEmpty() || !GradMode.isEnabled() ? null : new BackwardHooks(this);
        if (bh != null) in = bh.wrapInputs(in);
        Tensor out = in.length == 1 ? forward(in[0]) : forward(in);
        if (!forwardHooks.isEmpty()) {
            for (ForwardHook h : List.copyOf(forwardHooks)) {
                Tensor r = h.apply(this, in, out);
                if (r != null) out = r;
            }
        }
        if (bh != null) out = bh.wrapOutput(out);
        return out;
    }

    public RemovableHandle registerForwardPreHook(ForwardPreHook hook) {
        preHooks.add(hook);
        return () -> preHooks.remove(hook);
    }

    public RemovableHandle registerForwardHook(ForwardHook hook) {
        forwardHooks.add(hook);
        return () -> forwardHooks.remove(hook);
    }

    /** {@code register_full_backward_hook}: the hook sees the gradients of the module's inputs and outputs. */
    public RemovableHandle registerFullBackwardHook(BackwardHook hook) {
        backwardHooks.add(hook);
        return () -> backwardHooks.remove(hook);
    }

    List<BackwardHook> backwardHooks() { return backwardHooks; }

    // ------------------------------------------------------------------ traversal

    /** Parameters of this module and all submodules, each once, in registration order. */
    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    public List<Tensor> parameters(boolean recurse) { return new ArrayList<>(namedParameters("", recurse).values()); }

    /** {@code named_parameters()}: dotted names to parameters; shared parameters appear once. */
    public Map<String, Tensor> namedParameters() { return namedParameters("", true); }

    public Map<String, Tensor> namedParameters(String prefix, boolean recurse) {
        syncFields();
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Module> mods = recurse ? namedModules(prefix) : Map.of(prefix, this);
        for (Map.Entry<String, Module> e : mods.entrySet()) {
            for (Map.Entry<String, Tensor> p : e.getValue().params.entrySet()) {
                if (p.getValue() == null || !seen.add(p.getValue())) continue;
                out.put(join(e.getKey(), p.getKey()), p.getValue());
            }
        }
        return out;
    }

    public List<Tensor> buffers() { return new ArrayList<>(namedBuffers().values()); }

    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                if (b.getValue() == null || !seen.add(b.getValue())) continue;
                out.put(join(e.getKey(), b.getKey()), b.getValue());
            }
        }
        return out;
    }

    /** Direct submodules, in registration order. */
    public List<Module> children() { return new ArrayList<>(namedChildren().values()); }

    public Map<String, Module> namedChildren() {
        syncFields();
        Map<String, Module> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : children.entrySet()) if (e.getValue() != null) out.put(e.getKey(), e.getValue());
        return out;
    }

    /** This module and all submodules, depth first, each once. */
    public List<Module> modules() { return new ArrayList<>(namedModules().values()); }

    public Map<String, Module> namedModules() { return namedModules(""); }

    public Map<String, Module> namedModules(String prefix) {
        Map<String, Module> out = new LinkedHashMap<>();
        collect(prefix, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collect(String prefix, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(this)) return;
        syncFields();
        out.put(prefix, this);
        for (Map.Entry<String, Module> e : children.entrySet()) {
            if (e.getValue() != null) e.getValue().collect(join(prefix, e.getKey()), out, seen);
        }
    }

    static String join(String prefix, String name) { return prefix.isEmpty() ? name : prefix + "." + name; }

    // ------------------------------------------------------------------ modes and utilities

    /** Sets training mode on this module and its submodules; returns this. */
    public Module train(boolean mode) {
        training = mode;
        syncFields();
        for (Module m : children.values()) if (m != null) m.train(mode);
        return this;
    }

    public Module train() { return train(true); }

    /** Evaluation mode: dropout off, batch norm uses its running statistics. */
    public Module eval() { return train(false); }

    public boolean isTraining() { return training; }

    /** Resets the gradients of all parameters to null ({@code set_to_none=True}, PyTorch's default). */
    public void zeroGrad() { zeroGrad(true); }

    public void zeroGrad(boolean setToNone) {
        for (Tensor p : parameters()) {
            Tensor g = p.gradNoWarn();
            if (g == null) continue;
            if (setToNone) Graph.setGrad(p, null);
            else {
                Tensor z = g.gradFn() != null ? g.detach() : g;
                z.zero_();
                Graph.setGrad(p, z);
            }
        }
    }

    /** Calls fn on every submodule (children first) and then on this module, like {@code apply(fn)}. */
    public Module apply(Consumer<Module> fn) {
        syncFields();
        for (Module m : children.values()) if (m != null) m.apply(fn);
        fn.accept(this);
        return this;
    }

    /** Turns gradient tracking of every parameter on or off (freezing); returns this. */
    public Module requiresGrad_(boolean requiresGrad) {
        for (Tensor p : parameters()) p.requiresGrad_(requiresGrad);
        return this;
    }

    /**
     * Converts floating parameters, their gradients and buffers to dtype; returns this. The
     * tensor objects stay the same (their data is swapped, as PyTorch's {@code param.data = ...}),
     * so an optimizer built before, hooks on parameters and fields holding them keep working.
     *
     * <pre>{@code
     * var opt = new SGD(model.parameters(), 0.1);
     * model.toDouble();          // opt still updates the (now float64) parameters
     * }</pre>
     */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("nn.Module.to only accepts floating point dtypes, but got desired dtype=" + dtype);
        }
        return applyInPlace(t -> t.dtype().isFloatingPoint() && t.dtype() != dtype ? t.detach().to(dtype) : t);
    }

    /**
     * Moves parameters, their gradients and buffers to {@code device}, keeping the parameter objects as
     * {@link #to(DType)} does (an optimizer built before keeps working; its state is made on the
     * parameters' device at its first step). Returns this.
     *
     * <pre>{@code
     * Device device = Device.cudaIsAvailable() ? Device.cuda(0) : Device.CPU;
     * model.to(device);
     * }</pre>
     */
    public Module to(Device device) {
        return applyInPlace(t -> t.to(device));
    }

    /**
     * PyTorch's {@code Module._apply(fn)}: every parameter, gradient and buffer of this module
     * tree gets {@code fn}'s result as its new data, in place of the tensor object
     * ({@link Tensor#setData}), so references to them stay valid. {@code fn} returns its input
     * for a tensor it leaves alone.
     */
    protected Module applyInPlace(java.util.function.UnaryOperator<Tensor> fn) {
        try (var ng = Autograd.noGrad()) {
            for (Module m : modules()) {
                for (Tensor p : m.params.values()) {
                    if (p == null) continue;
                    p.setData(fn.apply(p));
                    Tensor g = p.gradNoWarn();
                    if (g == null) continue;
                    if (g.gradFn() != null) Graph.setGrad(p, fn.apply(g.detach()));   // a create_graph gradient: no in-place swap
                    else g.setData(fn.apply(g));
                }
                for (Tensor b : m.buffers.values()) if (b != null) b.setData(fn.apply(b));
            }
        }
        return this;
    }

    public Module toDouble() { return to(DType.FLOAT64); }

    public Module toFloat() { return to(DType.FLOAT32); }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters and persistent buffers under PyTorch's dotted keys, detached (they share storage
     * with the module, as PyTorch's state_dict does).
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        saveTo("", out);
        return out;
    }

    private void saveTo(String prefix, Map<String, Tensor> out) {
        syncFields();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            if (e.getValue() != null) out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            if (e.getValue() != null && !nonPersistent.contains(e.getKey())) out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            if (e.getValue() != null) e.getValue().saveTo(prefix + e.getKey() + ".", out);
        }
    }

    /** The keys that did not match, as {@code load_state_dict} returns them. */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {}

    /** {@code load_state_dict(state_dict, strict=True)}. */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict) { return loadStateDict(stateDict, true); }

    /**
     * Copies values into the parameters and buffers (converting dtype). With strict, missing or
     * unexpected keys raise PyTorch's error; a shape mismatch always does.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String pre = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            for (Map.Entry<String, Tensor> p : m.params.entrySet()) if (p.getValue() != null) own.put(pre + p.getKey(), p.getValue());
            for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
                if (b.getValue() != null && !m.nonPersistent.contains(b.getKey())) own.put(pre + b.getKey(), b.getValue());
            }
        }
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        for (String k : own.keySet()) if (!stateDict.containsKey(k)) missing.add(k);
        for (String k : stateDict.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = stateDict.get(e.getKey());
            if (src == null) {
                // a null value is a broken checkpoint, not a missing key: skipping it left the old weights
                if (stateDict.containsKey(e.getKey())) {
                    errors.add("While copying the parameter named \"" + e.getKey() + "\", expected torch.Tensor or Tensor-like object "
                            + "from checkpoint but received null. Fix: give a tensor for every key, or leave the key out and load with "
                            + "strict=false.");
                }
                continue;
            }
            if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                errors.add("size mismatch for " + e.getKey() + ": copying a param with shape torch.Size(" + Arrays.toString(src.shape())
                        + ") from checkpoint, the shape in current model is torch.Size(" + Arrays.toString(e.getValue().shape()) + ").");
            }
        }
        if (strict) {
            if (!unexpected.isEmpty()) errors.add(0, "Unexpected key(s) in state_dict: " + quote(unexpected) + ". ");
            if (!missing.isEmpty()) errors.add(0, "Missing key(s) in state_dict: " + quote(missing) + ". ");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getName() + ":\n\t" + String.join("\n\t", errors));
        }
        try (var ng = Autograd.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = stateDict.get(e.getKey());
                if (src != null) e.getValue().copy_(src);
            }
        }
        return new IncompatibleKeys(missing, unexpected);
    }

    private static String quote(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) sb.append(sb.length() == 0 ? "" : ", ").append('"').append(k).append('"');
        return sb.toString();
    }

    // ------------------------------------------------------------------ printing

    /** The class name shown by {@link #toString()}. */
    protected String getName() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "Module" : n;
    }

    /** The text inside the parentheses of this module's line, e.g. {@code in_features=4, out_features=2, bias=True}. */
    protected String extraRepr() { return ""; }

    /** PyTorch's printout of the module tree. */
    @Override
    public String toString() {
        syncFields();
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        List<String> extraLines = extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\n"));
        lines.addAll(extraLines);
        List<String> childLines = new ArrayList<>();
        for (Map.Entry<String, Module> e : children.entrySet()) {
            String s = e.getValue() == null ? "None" : e.getValue().toString();
            childLines.add("(" + e.getKey() + "): " + s.replace("\n", "\n  "));
        }
        lines.addAll(childLines);
        StringBuilder sb = new StringBuilder(getName()).append('(');
        if (!lines.isEmpty()) {
            if (extraLines.size() == 1 && childLines.isEmpty()) sb.append(extra);
            else sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }

    static String pyBool(boolean b) { return b ? "True" : "False"; }

    /** Python's repr of a float: {@code 1e-05}, {@code 0.1}, {@code 1.0}. */
    static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();          // decimal exponent of the first digit
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        String plain = d.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** PyTorch's tuple text, e.g. {@code (5, 5)} or {@code (2,)}. */
    static String tuple(int... v) {
        if (v.length == 1) return "(" + v[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(v[i]);
        return sb.append(')').toString();
    }

    /** For hooks: marks t as produced by a node, used by {@link BackwardHooks}. */
    static Tensor alias(Tensor t) { return Graph.alias(t); }
}
