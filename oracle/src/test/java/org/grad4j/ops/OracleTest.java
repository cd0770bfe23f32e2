package org.grad4j.ops;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The live oracle: every op-table row (ops, losses, nn.functional) run through grad4j and libtorch 2.5.1
 * on the row's samples and their edge variants; forward values, dtypes, shapes, gradients, second
 * gradients and raised errors must agree, apart from the known differences. See docs/oracle.md.
 */
class OracleTest {
    @BeforeAll
    static void loadLibtorch() {
        Loader.load(torch.class);
        torch.set_num_threads(1);
    }

    @Test
    void everyTableRowHasATorchMapping() {
        Map<String, TorchFn> map = TorchMappings.all();
        List<String> missing = new ArrayList<>();
        for (OpInfo op : OpTable.all()) if (!map.containsKey(op.name)) missing.add(op.name);
        assertTrue(missing.isEmpty(), "op-table rows without a libtorch mapping (add them to the oracle's Torch*Ops): " + missing);
    }

    @Test
    void grad4jAgreesWithLibtorchOnEveryRowAndEdgeSample() {
        KnownDifferences known = KnownDifferences.load();
        Oracle oracle = new Oracle(known);
        Map<String, TorchFn> map = TorchMappings.all();
        String only = System.getProperty("oracle.only");
        for (OpInfo op : OpTable.all()) {
            if (only != null && !op.name.matches(only)) continue;
            TorchFn fn = map.get(op.name);
            if (fn != null) oracle.runRow(op, fn);
        }
        ViewScenarios.run(oracle);
        StringBuilder unknown = new StringBuilder();
        int nUnknown = 0;
        for (Map.Entry<String, Oracle.Family> e : oracle.families.entrySet()) {
            Oracle.Family f = e.getValue();
            System.out.printf("ORACLE %s: %d cases, %d agree, %d known differences%s%n", e.getKey(), f.cases, f.agree, f.known,
                    f.unknown.isEmpty() ? "" : ", " + f.unknown.size() + " UNKNOWN differences");
            if (Boolean.getBoolean("oracle.showKnown")) for (String k : f.knownIds) System.out.println("  known: " + k);
            for (String u : f.unknown) {
                unknown.append("\n  ").append(u);
                nUnknown++;
            }
        }
        System.out.println("ORACLE known differences (" + known.entries.size() + " entries):");
        for (int i = 0; i < known.entries.size(); i++) {
            KnownDifferences.Entry k = known.entries.get(i);
            System.out.println("  " + k.pattern() + " (" + known.used[i] + " met) | " + k.reason());
        }
        if (nUnknown > 0) {
            String msg = nUnknown + " unknown differences between grad4j and libtorch:" + unknown;
            System.out.println(msg);
            fail(msg.length() > 20000 ? msg.substring(0, 20000) + "\n  ... (see the test output)" : msg);
        }
    }
}
