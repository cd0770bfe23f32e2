package org.grad4j.nn;

import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A model in the user's own named module (a module-info.java): its fields are registered when
 * the package is open to grad4j, and without {@code opens} the error says what to add.
 */
class NamedModuleFieldsTest {
    /** Compiles module "usermod" with class com.acme.Net and loads it in a layer of its own. */
    static Module load(Path dir, String moduleInfo) throws Exception {
        Path src = dir.resolve("src"), out = dir.resolve("out");
        Files.createDirectories(src.resolve("com/acme"));
        Files.writeString(src.resolve("module-info.java"), moduleInfo);
        Files.writeString(src.resolve("com/acme/Net.java"), """
                package com.acme;
                public class Net extends org.grad4j.nn.Module {
                    private final org.grad4j.nn.Linear fc = new org.grad4j.nn.Linear(2, 3);
                    public Net() {}
                }
                """);
        String grad4j = Path.of(URI.create(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toString())).toString();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), "-classpath", grad4j,
                "--add-reads", "usermod=ALL-UNNAMED", src.resolve("module-info.java").toString(), src.resolve("com/acme/Net.java").toString());
        assertEquals(0, rc, "javac");
        Configuration cf = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(out), ModuleFinder.of(), Set.of("usermod"));
        ClassLoader here = NamedModuleFieldsTest.class.getClassLoader();
        ModuleLayer.Controller ctl = ModuleLayer.defineModulesWithOneLoader(cf, List.of(ModuleLayer.boot()), here);
        ctl.addReads(ctl.layer().findModule("usermod").orElseThrow(), here.getUnnamedModule());   // it uses grad4j on the class path
        return (Module) ctl.layer().findLoader("usermod").loadClass("com.acme.Net").getConstructor().newInstance();
    }

    @Test
    void aModelInANamedModuleThatOpensItsPackageRegistersItsFields(@TempDir Path dir) throws Exception {
        Module net = load(dir, "module usermod { exports com.acme; opens com.acme; }");
        assertEquals(List.of("fc.weight", "fc.bias"), new ArrayList<>(net.stateDict().keySet()));
    }

    @Test
    void withoutOpensTheErrorSaysWhatToAddToModuleInfo(@TempDir Path dir) throws Exception {
        Module net = load(dir, "module usermod { exports com.acme; }");
        var e = assertThrows(IllegalStateException.class, net::parameters);
        assertTrue(e.getMessage().contains("package com.acme of module usermod is not open to grad4j"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix: add `opens com.acme;` to your module-info.java"), e.getMessage());
    }
}
