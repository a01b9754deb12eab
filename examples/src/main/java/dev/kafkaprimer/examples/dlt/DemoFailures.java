package dev.kafkaprimer.examples.dlt;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.RetryPolicy;
import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.FreshTopic;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.LoopThread;
import dev.kafkaprimer.examples.cli.WaitFor;

/**
 * Makes dead letters to look at, when {@code ./primer dlt} is not given a topic: five orders, three of which a
 * commit loop gives up on, each in its own way.
 */
final class DemoFailures {

    /** An order as the demo's topic holds it, in JSON. */
    record Order(String id, BigDecimal total) {
    }

    private static final List<String> ORDERS = List.of(
            "{\"id\":\"order-1\",\"total\":12.50}",
            "this is not JSON",
            "{\"id\":\"order-3\",\"total\":-5}",
            "{\"id\":\"order-4\",\"total\":99.00}",
            "{\"id\":\"order-5\",\"total\":7.25}");

    /** How many of the orders the loop gives up on. */
    static final int DEAD_LETTERS = 3;

    private DemoFailures() {
    }

    /** Recreates {@code topic} and its dead-letter topic, writes the orders and lets a loop fail on three. */
    static void make(KafkaConnection kafka, TopicAdmin admin, String topic, Duration timeout, PrintStream out)
            throws Exception {
        FreshTopic.recreate(admin, topic, 1, timeout);
        FreshTopic.recreate(admin, topic + ".DLT", 1, timeout);
        out.println("1. No --topic given, so first some dead letters. Created '" + topic + "' and '" + topic
                + ".DLT', one partition each, and wrote five records to partition 0:");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < ORDERS.size(); i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + (i + 1), ORDERS.get(i)))
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                out.println("   offset " + i + ": " + ORDERS.get(i));
            }
        }
        String group = topic + "-billing";
        ConsumerOptions options = ConsumerOptions.builder(kafka.bootstrapServers(), group, List.of(topic))
                .security(kafka.security())
                .retry(RetryPolicy.builder().initialDelay(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(100))
                        .build())
                .build();
        CommitLoop<String, Order> loop = CommitLoop.forJson(options, Order.class, record -> {
            Order order = record.value();
            if (order.total().signum() < 0) {
                throw new IllegalArgumentException("total must not be negative, was " + order.total());
            }
            if (order.id().equals("order-4")) {
                throw new IllegalStateException("the payment provider is unavailable");
            }
        });
        out.println("2. A commit loop (group '" + group + "') bills them: offset 1 cannot be read (a poison pill,"
                + " no attempt), offset 2 is bad data (IllegalArgumentException: one attempt, not retried), offset"
                + " 3 fails three times (IllegalStateException: may pass, so retried).");
        LoopThread running = LoopThread.start("dlt-demo-billing", loop);
        try {
            boolean done = WaitFor.until(timeout, () -> admin.endOffsets(topic + ".DLT").get(0),
                    letters -> letters == DEAD_LETTERS).isPresent();
            if (!done) {
                throw new ExampleFailedException("the loop did not dead-letter " + DEAD_LETTERS + " records within "
                        + timeout.toSeconds() + " s");
            }
        } finally {
            running.stop(timeout);
        }
    }
}
