package org.grad4j.nn;

import org.grad4j.Tensor;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code nn.Parameter}: in grad4j a parameter is a plain leaf {@link Tensor} that requires grad,
 * so optimizers take {@code List<Tensor>}. This class creates one and remembers that it is a
 * parameter, so that a {@link Module} field holding it is registered under the field's name, as
 * {@code self.w = nn.Parameter(...)} registers {@code w} in PyTorch.
 *
 * <pre>{@code
 * class Scale extends Module {
 *     final Tensor w = Parameter.of(Grad4j.ones(3));   // self.w = nn.Parameter(torch.ones(3))
 *     @Override public Tensor forward(Tensor x) { return x.mul(w); }
 * }
 * new Scale().namedParameters().keySet();               // [w]
 * }</pre>
 */
public final class Parameter {
    private Parameter() {}

    /** What a tensor was declared as; weak keys, so marking never keeps a tensor alive. */
    enum Role { PARAMETER, BUFFER, NON_PERSISTENT_BUFFER }

    // Tensor keeps identity equals/hashCode, so this is an identity map.
    private static final Map<Tensor, Role> ROLES = Collections.synchronizedMap(new WeakHashMap<>());

    /** A leaf sharing {@code data}'s storage that requires grad. */
    public static Tensor of(Tensor data) { return of(data, true); }

    public static Tensor of(Tensor data, boolean requiresGrad) {
        Tensor p = data.detach();
        mark(p, Role.PARAMETER);
        return requiresGrad ? p.requiresGrad_(true) : p;
    }

    /** Whether {@code t} was made by {@link #of} or registered as a parameter of some module ({@code isinstance(t, nn.Parameter)}). */
    public static boolean isParameter(Tensor t) { return t != null && ROLES.get(t) == Role.PARAMETER; }

    static void mark(Tensor t, Role role) { ROLES.put(t, role); }

    static Role roleOf(Tensor t) { return ROLES.get(t); }
}
