package dev.kafkaprimer.core.readme;

// README:consume-start
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;

/** Bills every order placed, one at a time; stop it with Ctrl-C. Arguments: [bootstrap servers] [topic]. */
public class BillOrders {

    record OrderPlaced(String orderId, BigDecimal total, Instant placedAt) {}

    public static void main(String[] args) {
        String bootstrapServers = args.length > 0 ? args[0] : "localhost:9092";
        String topic = args.length > 1 ? args[1] : "orders";
        try (TopicAdmin admin = TopicAdmin.connect(bootstrapServers)) {
            admin.createTopic(topic, 3);           // nothing happens if it exists with 3 partitions
            admin.createTopic(topic + ".DLT", 3);  // the dead-letter topic: orders that could not be billed
        }
        ConsumerOptions options = ConsumerOptions.builder(bootstrapServers, "billing", List.of(topic)).build();
        CommitLoop<String, OrderPlaced> loop = CommitLoop.forJson(options, OrderPlaced.class, record -> {
            OrderPlaced order = record.value();
            if (order.total().signum() <= 0) {
                // Retried with backoff (3 attempts in all), then written to the dead-letter topic with
                // this message in its headers; the loop goes on with the next order either way.
                throw new IllegalStateException("nothing to bill for " + order.orderId());
            }
            System.out.println("billed " + order.orderId() + " (partition " + record.partition()
                    + ", offset " + record.offset() + ")");
        });
        // Ctrl-C or SIGTERM: the order being billed is finished, what was billed is committed, the
        // member leaves its group at once; close() waits up to 30 s for that before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(loop::close));
        loop.run();  // polls on this thread until close(); throws if the loop cannot go on
    }
}
// README:consume-end
