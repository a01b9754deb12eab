package dev.kafkaprimer.examples.broker;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.KafkaVersion;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;

/**
 * Runs the embedded cluster in the foreground, the same job as {@code docker-compose-kafka.yml} for machines
 * without Docker: Kafka's own CLI tools and any client can use it at the printed address. Stops cleanly on
 * Ctrl-C or SIGTERM (or after {@code --seconds}), deleting its data.
 */
public final class BrokerExample implements Example {

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public String summary() {
        return "run an embedded Kafka cluster in the foreground until Ctrl-C (like the compose file, no Docker)";
    }

    @Override
    public ExampleOptions options() {
        return new ExampleOptions()
                .value("--nodes", "N", "1", "number of brokers (more than 1 adds a 3-controller quorum)")
                .value("--port", "P", "9092", "client port of broker 1; broker n listens on P+n-1 (0: any free)")
                .value("--seconds", "S", "0", "stop by itself after S seconds (0: run until Ctrl-C)");
    }

    @Override
    public int embeddedNodes() {
        return 0;
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection unused, PrintStream out) throws InterruptedException {
        int nodes = args.integer("--nodes", 1, 9);
        int port = args.integer("--port", 0, 65_535);
        int seconds = args.integer("--seconds", 0, Integer.MAX_VALUE);
        out.println("Starting " + nodes + " embedded Kafka " + KafkaVersion.current() + " broker(s)...");
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.builder().nodes(nodes).port(port).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("Kafka is up in " + cluster.startupTime().toMillis() + " ms.");
        out.println("  bootstrap servers: " + cluster.bootstrapServers());
        for (int id : cluster.brokerIds()) {
            out.println("  broker " + id + " data: " + cluster.logDirectories(id).get(0));
        }
        out.println("  controllers: " + cluster.controllerIds());
        out.println("Try: kafka-topics.sh --bootstrap-server " + cluster.bootstrapServers().split(",")[0] + " --list");
        out.println(seconds == 0 ? "Press Ctrl-C to stop." : "Stopping by itself after " + seconds + " s.");
        out.flush();
        if (seconds == 0) {
            stopped.await();
            return 0;
        }
        if (stopped.await(seconds, TimeUnit.SECONDS)) {
            // Ctrl-C or SIGTERM came first: the hook closed the cluster, and the JVM, already exiting, keeps its hooks.
            return 0;
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        cluster.close();
        out.println("Stopped; data deleted.");
        return 0;
    }
}
