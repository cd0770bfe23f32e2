package org.grad4j.nn;

import org.grad4j.Tensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a {@link Module} subclass that can hold a module, a parameter or a buffer: the
 * Java spelling of PyTorch's {@code self.fc = nn.Linear(...)}. Found once per class (superclass
 * fields first, then declaration order as the JVM reports it); static, transient and synthetic
 * fields (an inner class's outer instance) are left out.
 */
final class ModuleFields {
    private ModuleFields() {}

    /** One field: its name, a getter, and a setter when the field is not final. */
    record Slot(String name, Class<?> owner, Class<?> type, MethodHandle getter, MethodHandle setter) {
        Object get(Module m) {
            try {
                return getter.invokeExact(m);
            } catch (Throwable t) {
                throw new IllegalStateException("grad4j could not read field '" + name + "' of " + owner.getName(), t);
            }
        }

        void set(Module m, Object v) {
            try {
                setter.invokeExact(m, v);
            } catch (Throwable t) {
                throw new IllegalStateException("grad4j could not assign field '" + name + "' of " + owner.getName(), t);
            }
        }
    }

    static final Slot[] NONE = new Slot[0];

    private static final ClassValue<Slot[]> SLOTS = new ClassValue<>() {
        @Override protected Slot[] computeValue(Class<?> c) { return scan(c); }
    };

    static Slot[] of(Class<?> c) { return SLOTS.get(c); }

    /** The slot of field {@code name}, or null. */
    static Slot find(Class<?> c, String name) {
        Slot found = null;
        for (Slot s : of(c)) if (s.name.equals(name)) found = s;     // the subclass's field wins
        return found;
    }

    private static Slot[] scan(Class<?> c) {
        if (c == Module.class || c == null || !Module.class.isAssignableFrom(c)) return NONE;
        List<Slot> out = new ArrayList<>(List.of(of(c.getSuperclass())));
        for (Field f : c.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic()) continue;
            Class<?> t = f.getType();
            if (!Module.class.isAssignableFrom(t) && t != Tensor.class) continue;
            out.add(slot(c, f));
        }
        return out.toArray(NONE);
    }

    private static Slot slot(Class<?> c, Field f) {
        MethodHandles.Lookup lookup;
        try {
            // once grad4j is a named module it must read the user's module too (a no-op on the class path)
            ModuleFields.class.getModule().addReads(c.getModule());
            lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
        } catch (IllegalAccessException | RuntimeException e) {
            lookup = null;
        }
        try {
            if (lookup == null) {
                if (!f.trySetAccessible()) throw inaccessible(c, f);
                lookup = MethodHandles.lookup();
            }
            MethodType getType = MethodType.methodType(Object.class, Module.class);
            MethodHandle getter = lookup.unreflectGetter(f).asType(getType);
            MethodHandle setter = Modifier.isFinal(f.getModifiers()) ? null
                    : lookup.unreflectSetter(f).asType(MethodType.methodType(void.class, Module.class, Object.class));
            return new Slot(f.getName(), c, f.getType(), getter, setter);
        } catch (IllegalAccessException e) {
            throw inaccessible(c, f);
        }
    }

    /** The error when the user's package is not open to grad4j (a named module without {@code opens}). */
    static IllegalStateException inaccessible(Class<?> c, Field f) {
        String pkg = c.getPackageName();
        java.lang.Module user = c.getModule();
        String grad4j = Module.class.getModule().isNamed() ? Module.class.getModule().getName() : "grad4j (the unnamed module)";
        return new IllegalStateException("grad4j cannot read field '" + f.getName() + "' of " + c.getName()
                + " to register it as a submodule/parameter: package " + pkg + " of module "
                + (user.isNamed() ? user.getName() : "(unnamed)") + " is not open to " + grad4j + ". Fix: add `opens " + pkg
                + (Module.class.getModule().isNamed() ? " to " + Module.class.getModule().getName() : "")
                + ";` to your module-info.java, or declare the field transient and call registerModule/registerParameter yourself");
    }
}
