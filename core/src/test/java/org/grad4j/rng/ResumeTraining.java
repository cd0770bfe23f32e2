package org.grad4j.rng;

import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.data.DataLoader;
import org.grad4j.data.Dataset;
import org.grad4j.io.Checkpoints;
import org.grad4j.io.SafeTensors;
import org.grad4j.nn.Dropout;
import org.grad4j.nn.Linear;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.functional.F;
import org.grad4j.optim.Adam;
import org.grad4j.optim.lr.StepLR;

import java.nio.file.Path;
import java.util.Map;

/**
 * A small training run with every source of randomness a real one has (initialization, a
 * shuffled loader with 2 workers whose dataset adds global-randn noise, dropout), Adam and a
 * StepLR schedule; {@link #main} resumes it from a checkpoint in a fresh JVM for
 * {@link ResumeInFreshJvmTest}.
 */
final class ResumeTraining {
    static final int SAMPLES = 48, BATCH = 8, TOTAL_EPOCHS = 6;

    final Sequential model;
    final Adam opt;
    final StepLR sched;
    final Generator loaderGenerator = new Generator().manualSeed(77);
    final DataLoader<Tensor[], Tensor[]> loader;

    ResumeTraining() {
        Grad4j.manualSeed(1234);
        model = new Sequential(new Linear(4, 16), new ReLU(), new Dropout(0.3), new Linear(16, 1));
        opt = new Adam(model.parameters(), 0.01);
        sched = new StepLR(opt, 2, 0.5);
        loader = DataLoader.builder(new NoisyData()).batchSize(BATCH).shuffle(true).generator(loaderGenerator)
                .numWorkers(2).build();
    }

    /** Fixed inputs and targets; each read adds noise from the global generator (a worker's own in workers). */
    static final class NoisyData implements Dataset<Tensor[]> {
        private final Tensor x = Grad4j.randn(new int[]{SAMPLES, 4}, new Generator().manualSeed(5));
        private final Tensor y = x.sum(1, true).sin();

        @Override
        public Tensor[] get(int i) { return new Tensor[]{x.get(i).add(Grad4j.randn(4).mul(0.1)), y.get(i)}; }

        @Override
        public int size() { return SAMPLES; }
    }

    void trainEpoch() {
        model.train();
        for (Tensor[] b : loader) {
            opt.zeroGrad();
            F.mseLoss(model.call(b[0]), b[1]).backward();
            opt.step();
        }
        sched.step();
    }

    Checkpoints.Checkpoint checkpoint(long epoch) {
        return new Checkpoints.Checkpoint(model.stateDict(), opt.stateDict(), sched.stateDict(), epoch, Map.of(),
                Checkpoints.rngStates(loaderGenerator));
    }

    /** Loads everything but the RNG states (those with {@link Checkpoints#restoreRngStates}). */
    void load(Checkpoints.Checkpoint ck) {
        model.loadStateDict(ck.model());
        opt.loadStateDict(ck.optimizer());
        sched.loadStateDict(ck.scheduler());
    }

    /** {@code <checkpoint> <weights out>}: resumes after the checkpoint's epoch up to TOTAL_EPOCHS, saves the weights. */
    public static void main(String[] args) throws Exception {
        var ck = Checkpoints.load(Path.of(args[0]));
        ResumeTraining run = new ResumeTraining();
        run.load(ck);
        Checkpoints.restoreRngStates(ck, run.loaderGenerator);
        for (long e = ck.epoch() + 1; e <= TOTAL_EPOCHS; e++) run.trainEpoch();
        SafeTensors.save(run.model.stateDict(), Path.of(args[1]));
        System.out.println("resumed from epoch " + ck.epoch());
    }
}
