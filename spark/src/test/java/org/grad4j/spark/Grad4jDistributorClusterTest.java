package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.SparkSession;
import org.grad4j.examples.DataParallelDemo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark {@code local-cluster[2,1,1024]}: a master and two workers in this JVM, each worker starting an
 * executor JVM, so the two ranks are separate processes as on a real cluster. The workers build the
 * executors' command from {@code $SPARK_HOME/jars} (surefire sets SPARK_HOME to target/spark-home and
 * SPARK_SCALA_VERSION=2.13); {@link #buildSparkHome} fills it with links to this test's jars.
 */
@Tag("slow")
class Grad4jDistributorClusterTest {
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        String dirs = buildSparkHome(Path.of(System.getenv("SPARK_HOME")));
        spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("grad4j-spark-cluster-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.task.maxFailures", "1")
                .config("spark.stage.maxConsecutiveAttempts", "1")
                .config("spark.executor.extraClassPath", dirs)
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector -Xss4m -Dgrad4j.numThreads=1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** Links every jar of the test class path into {@code home/jars}; returns the class directories (for the executors). */
    static String buildSparkHome(Path home) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        List<String> dirs = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            if (Files.isDirectory(p)) {
                dirs.add(p.toString());
            } else if (e.endsWith(".jar") && Files.exists(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, p);
            }
        }
        return String.join(File.pathSeparator, dirs);
    }

    @Test
    void sparkLocalClusterTwoExecutorJvmsWriteTheSameWeightsAsAccumulationBitForBit(@TempDir Path dir) throws Exception {
        Path viaSpark = dir.resolve("spark"), viaAccumulate = dir.resolve("acc");
        String outDir = viaSpark.toString();
        long driverPid = ProcessHandle.current().pid();
        long rank0Pid = Grad4jDistributor.run(spark, 2, pg -> {
            DataParallelDemo.train(pg, Grad4jDistributorTest.config(Path.of(outDir)), null);
            return ProcessHandle.current().pid();
        });
        assertNotEquals(driverPid, rank0Pid, "rank 0 ran in an executor JVM, not the driver");
        DataParallelDemo.trainAccumulate(Grad4jDistributorTest.config(viaAccumulate), 2, null);
        assertArrayEquals(Files.readAllBytes(viaAccumulate.resolve("model.safetensors")),
                Files.readAllBytes(viaSpark.resolve("model.safetensors")), "local-cluster and --accumulate 2 weights differ");
    }

    @Test
    void aFailingRankInAnExecutorJvmFailsTheJob() {
        var e = assertThrows(SparkException.class, () -> Grad4jDistributor.run(spark, 2, pg -> {
            if (pg.rank() == 1) throw new IllegalStateException("rank one gave up");
            pg.barrier();
            return 0;
        }));
        assertTrue(String.valueOf(e.getMessage()).contains("rank one gave up"), e.getMessage());
        assertEquals(2, (int) Grad4jDistributor.run(spark, 2, pg -> pg.worldSize()));
    }
}
