package org.grad4j.io;

import org.grad4j.Tensor;
import org.grad4j.optim.OptimizerStateDict;
import org.grad4j.optim.StateValues;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whole training checkpoints (model state dict, optimizer state dict, epoch, your own strings)
 * in one safetensors file, readable by any safetensors tool. Layout:
 * <ul>
 *   <li>tensors {@code model.<key>} for each model state-dict entry ({@code model.fc1.weight});</li>
 *   <li>tensors {@code optimizer.state.<i>.<name>} for each tensor in the optimizer's state of
 *       parameter {@code i} ({@code optimizer.state.0.exp_avg}, {@code optimizer.state.0.step});</li>
 *   <li>metadata {@code scheduler}: JSON of the scheduler's state dict, when given;</li>
 *   <li>tensors {@code rng.<name>}: random generator states (uint8, {@link org.grad4j.Generator#getState()}),
 *       when given; by convention {@code rng.default} for the global generator
 *       ({@link org.grad4j.Grad4j#getRngState()}) and e.g. {@code rng.loader} for a DataLoader's;</li>
 *   <li>metadata {@code grad4j.checkpoint} = {@code "1"}, {@code epoch}, {@code optimizer.param_groups}
 *       (JSON list of the groups' options with their {@code params} indices),
 *       {@code optimizer.state} (JSON object of the non-tensor state values, e.g. LBFGS's history,
 *       keyed {@code "<i>.<name>"}), and the caller's entries under {@code user.<key>}.</li>
 * </ul>
 * The optimizer part is optional (null). JSON has no NaN or infinities, so non-finite doubles
 * (LBFGS's state after a NaN loss, {@code lr = Infinity}, ReduceLROnPlateau's initial best) are
 * stored as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} and read back as
 * the same doubles. Values are checked when the optimizer or scheduler loads them.
 *
 * <pre>{@code
 * Checkpoints.save(Path.of("ckpt.safetensors"), new Checkpoints.Checkpoint(model.stateDict(), opt.stateDict(), epoch, Map.of()));
 * var ck = Checkpoints.load(Path.of("ckpt.safetensors"));
 * model.loadStateDict(ck.model()); opt.loadStateDict(ck.optimizer()); int start = (int) ck.epoch() + 1;
 * }</pre>
 *
 * To resume exactly (same shuffles, same dropout masks), store the RNG states too:
 * <pre>{@code
 * var ck = new Checkpoints.Checkpoint(model.stateDict(), opt.stateDict(), sched.stateDict(), epoch, Map.of(),
 *         Checkpoints.rngStates(loaderGenerator));            // rng.default and rng.loader
 * ...
 * Checkpoints.restoreRngStates(loaded, loaderGenerator);      // after building model and loader
 * }</pre>
 */
public final class Checkpoints {
    static final String MODEL = "model.", OPT_STATE = "optimizer.state.", USER = "user.", RNG = "rng.";
    /** Names of the RNG states written by {@link #rngStates} and read by {@link #restoreRngStates}. */
    public static final String RNG_DEFAULT = "default", RNG_LOADER = "loader";

    private Checkpoints() {}

    /**
     * What a checkpoint holds; {@code optimizer} and {@code scheduler} (an
     * {@code LRScheduler.stateDict()}) may be null, {@code extra} holds free-form strings,
     * {@code rng} generator states by name (empty or null: none; see {@link #rngStates}).
     */
    public record Checkpoint(Map<String, Tensor> model, OptimizerStateDict optimizer, Map<String, Object> scheduler,
                             long epoch, Map<String, String> extra, Map<String, Tensor> rng) {
        /** A checkpoint without scheduler state. */
        public Checkpoint(Map<String, Tensor> model, OptimizerStateDict optimizer, long epoch, Map<String, String> extra) {
            this(model, optimizer, null, epoch, extra);
        }

        /** A checkpoint without RNG states. */
        public Checkpoint(Map<String, Tensor> model, OptimizerStateDict optimizer, Map<String, Object> scheduler,
                          long epoch, Map<String, String> extra) {
            this(model, optimizer, scheduler, epoch, extra, Map.of());
        }
    }

    /**
     * The states to store for an exact resume: {@code "default"} = the global generator's
     * ({@link org.grad4j.Grad4j#getRngState()}), and {@code "loader"} = {@code loaderGenerator}'s
     * when not null (the generator given to the DataLoader or its sampler, which draws the shuffles
     * and the workers' seeds).
     */
    public static Map<String, Tensor> rngStates(org.grad4j.Generator loaderGenerator) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(RNG_DEFAULT, org.grad4j.Grad4j.getRngState());
        if (loaderGenerator != null) m.put(RNG_LOADER, loaderGenerator.getState());
        return m;
    }

    /**
     * Restores what {@link #rngStates} stored: the global generator and, when not null,
     * {@code loaderGenerator}. Call it after building the model (whose initialization draws
     * random numbers) and the loader, right before training resumes.
     *
     * @throws IllegalArgumentException if the checkpoint lacks one of those states
     */
    public static void restoreRngStates(Checkpoint ck, org.grad4j.Generator loaderGenerator) {
        Map<String, Tensor> rng = ck.rng() == null ? Map.of() : ck.rng();
        for (String k : loaderGenerator == null ? List.of(RNG_DEFAULT) : List.of(RNG_DEFAULT, RNG_LOADER)) {
            if (!rng.containsKey(k)) {
                throw new IllegalArgumentException("Checkpoints.restoreRngStates: the checkpoint has no RNG state '" + k
                        + "' (it has " + rng.keySet() + "). Fix: save it with Checkpoints.rngStates(...) in the Checkpoint's rng");
            }
        }
        org.grad4j.Grad4j.setRngState(rng.get(RNG_DEFAULT));
        if (loaderGenerator != null) loaderGenerator.setState(rng.get(RNG_LOADER));
    }

    /** Writes the checkpoint atomically. */
    public static void save(Path file, Checkpoint ck) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var e : ck.model().entrySet()) tensors.put(MODEL + e.getKey(), e.getValue());
        if (ck.rng() != null) for (var e : ck.rng().entrySet()) tensors.put(RNG + e.getKey(), e.getValue());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("grad4j.checkpoint", "1");
        meta.put("epoch", Long.toString(ck.epoch()));
        if (ck.optimizer() != null) {
            Map<String, Object> other = new LinkedHashMap<>();
            for (var st : ck.optimizer().state().entrySet()) {
                for (var v : st.getValue().entrySet()) {
                    if (v.getKey().contains(".")) throw new IllegalArgumentException("optimizer state names must not contain '.': " + v.getKey());
                    if (v.getValue() instanceof Tensor t) tensors.put(OPT_STATE + st.getKey() + "." + v.getKey(), t);
                    else other.put(st.getKey() + "." + v.getKey(), v.getValue());
                }
            }
            meta.put("optimizer.param_groups", Json.write(ck.optimizer().paramGroups()));
            meta.put("optimizer.state", Json.write(other));
        }
        if (ck.scheduler() != null) meta.put("scheduler", Json.write(ck.scheduler()));
        if (ck.extra() != null) for (var e : ck.extra().entrySet()) meta.put(USER + e.getKey(), e.getValue());
        SafeTensors.save(tensors, file, meta);
    }

    /** Reads a checkpoint written by {@link #save}; fails with a clear error on any other file. */
    public static Checkpoint load(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!"1".equals(meta.get("grad4j.checkpoint"))) {
            throw new SafeTensorsFormatException(file + ": not a grad4j checkpoint (metadata grad4j.checkpoint is missing); "
                    + "use SafeTensors.load for a plain state dict");
        }
        long epoch;
        try {
            epoch = Long.parseLong(meta.getOrDefault("epoch", ""));
        } catch (NumberFormatException e) {
            throw new SafeTensorsFormatException(file + ": checkpoint epoch '" + meta.get("epoch") + "' is not an integer");
        }
        Map<String, Tensor> model = new LinkedHashMap<>(), rng = new LinkedHashMap<>();
        Map<Integer, Map<String, Object>> state = new TreeMap<>();
        for (var e : c.tensors().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(MODEL)) {
                model.put(k.substring(MODEL.length()), e.getValue());
            } else if (k.startsWith(RNG)) {
                rng.put(k.substring(RNG.length()), e.getValue());
            } else if (k.startsWith(OPT_STATE)) {
                String rest = k.substring(OPT_STATE.length());
                int dot = rest.indexOf('.');
                int idx = dot > 0 ? parseIndex(rest.substring(0, dot), file) : -1;
                if (idx < 0) throw new SafeTensorsFormatException(file + ": malformed optimizer state key '" + k + "'");
                state.computeIfAbsent(idx, i -> new LinkedHashMap<>()).put(rest.substring(dot + 1), e.getValue());
            } else {
                throw new SafeTensorsFormatException(file + ": unexpected tensor '" + k + "' in a checkpoint");
            }
        }
        OptimizerStateDict opt = null;
        if (meta.containsKey("optimizer.param_groups")) {
            try {
                Object groups = Json.parse(meta.get("optimizer.param_groups"));
                Object other = Json.parse(meta.getOrDefault("optimizer.state", "{}"));
                if (!(groups instanceof List<?> gl) || !(other instanceof Map<?, ?> om)) {
                    throw new SafeTensorsFormatException(file + ": optimizer metadata has the wrong shape");
                }
                List<Map<String, Object>> paramGroups = new ArrayList<>();
                for (Object g : gl) {
                    if (!(g instanceof Map<?, ?> gm)) throw new SafeTensorsFormatException(file + ": a parameter group is not an object");
                    Map<String, Object> group = new LinkedHashMap<>();
                    for (var ge : gm.entrySet()) group.put((String) ge.getKey(), ge.getValue());
                    paramGroups.add(group);
                }
                for (var oe : om.entrySet()) {
                    String key = (String) oe.getKey();
                    int dot = key.indexOf('.');
                    int idx = dot > 0 ? parseIndex(key.substring(0, dot), file) : -1;
                    if (idx < 0) throw new SafeTensorsFormatException(file + ": malformed optimizer state key '" + key + "'");
                    state.computeIfAbsent(idx, i -> new LinkedHashMap<>()).put(key.substring(dot + 1), fromJson(oe.getValue()));
                }
                opt = new OptimizerStateDict(new LinkedHashMap<>(state), paramGroups);
            } catch (Json.JsonException e) {
                throw new SafeTensorsFormatException(file + ": malformed optimizer metadata: " + e.getMessage(), e);
            }
        } else if (!state.isEmpty()) {
            throw new SafeTensorsFormatException(file + ": optimizer state tensors without optimizer.param_groups metadata");
        }
        Map<String, Object> scheduler = null;
        if (meta.containsKey("scheduler")) {
            try {
                if (!(Json.parse(meta.get("scheduler")) instanceof Map<?, ?> sm)) {
                    throw new SafeTensorsFormatException(file + ": scheduler metadata is not a JSON object");
                }
                scheduler = new LinkedHashMap<>();
                for (var e : sm.entrySet()) scheduler.put((String) e.getKey(), fromJson(e.getValue()));
            } catch (Json.JsonException e) {
                throw new SafeTensorsFormatException(file + ": malformed scheduler metadata: " + e.getMessage(), e);
            }
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (var e : meta.entrySet()) if (e.getKey().startsWith(USER)) extra.put(e.getKey().substring(USER.length()), e.getValue());
        return new Checkpoint(model, opt, scheduler, epoch, extra, rng);
    }

    private static int parseIndex(String s, Path file) throws SafeTensorsFormatException {
        try {
            int i = Integer.parseInt(s);
            if (i < 0) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new SafeTensorsFormatException(file + ": optimizer state index '" + s + "' is not a non-negative integer");
        }
    }

    /**
     * JSON numbers as Integer (when integral and small) or Double; the strings "NaN", "Infinity",
     * "-Infinity" (how {@link Json} writes non-finite doubles; older files: "nan", "inf", "-inf")
     * as Double; arrays of numbers as double[].
     */
    private static Object fromJson(Object v) {
        if (v instanceof Long l) return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) l.intValue() : l;
        if (v instanceof String s && StateValues.nonFinite(s) != null) return StateValues.nonFinite(s);
        if (v instanceof List<?> list) {
            boolean numbers = !list.isEmpty() && list.stream().allMatch(o -> fromJson(o) instanceof Number);
            if (numbers) return list.stream().mapToDouble(o -> ((Number) fromJson(o)).doubleValue()).toArray();
            List<Object> out = new ArrayList<>();
            for (Object o : list) out.add(fromJson(o));
            return out;
        }
        return v;
    }
}
