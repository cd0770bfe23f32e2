package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkException;
import org.apache.spark.sql.SparkSession;
import org.grad4j.examples.DataParallelDemo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark local[2]: two barrier tasks (threads of this JVM) train as two ranks over TCP. */
class Grad4jDistributorTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSessions.create("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static DataParallelDemo.Config config(Path out) {
        // 1 epoch over the first 512 digits, global batch 64: 8 steps
        return new DataParallelDemo.Config(1, 64, 0.01, 0.9, 0, null, out, false, 0, 512);
    }

    @Test
    void sparkLocalTwoRanksWritesTheSameWeightsAsAccumulationBitForBit(@TempDir Path dir) throws Exception {
        Path viaSpark = dir.resolve("spark"), viaAccumulate = dir.resolve("acc");
        String outDir = viaSpark.toString();
        Double acc = Grad4jDistributor.run(spark, 2, pg -> DataParallelDemo.train(pg, config(Path.of(outDir)), null).testAccuracy());
        var single = DataParallelDemo.trainAccumulate(config(viaAccumulate), 2, null);
        assertEquals(single.testAccuracy(), acc, "rank 0's test accuracy comes back to the driver");
        byte[] a = Files.readAllBytes(viaSpark.resolve("model.safetensors"));
        byte[] b = Files.readAllBytes(viaAccumulate.resolve("model.safetensors"));
        assertArrayEquals(b, a, "Spark local[2] and --accumulate 2 weights differ");
    }

    @Test
    void aRankThatThrowsFailsTheJobNamingItsError() {
        var e = assertThrows(SparkException.class, () -> Grad4jDistributor.run(spark, 2, pg -> {
            if (pg.rank() == 1) throw new IllegalStateException("rank one gave up");
            pg.barrier();       // rank 0 waits in a collective: it must fail too, not hang
            return 0;
        }));
        assertTrue(String.valueOf(e.getMessage()).contains("rank one gave up"), e.getMessage());
        // the driver is usable afterwards: the stage's tasks are gone
        assertEquals(3, (int) Grad4jDistributor.run(spark, 2, pg -> pg.worldSize() + 1));
    }

    @Test
    void rejectsANonPositiveProcessCount() {
        var e = assertThrows(IllegalArgumentException.class, () -> Grad4jDistributor.run(spark, 0, pg -> 1));
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
    }
}
