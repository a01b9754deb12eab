package dev.kafkaprimer.core.readme;

// README:produce-start
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;

/** Places one order, as JSON. Arguments: [bootstrap servers] [topic] [order id] [total]. */
public class PlaceOrder {

    record OrderPlaced(String orderId, BigDecimal total, Instant placedAt) {}

    public static void main(String[] args) {
        String bootstrapServers = args.length > 0 ? args[0] : "localhost:9092";
        String topic = args.length > 1 ? args[1] : "orders";
        OrderPlaced order = new OrderPlaced(args.length > 2 ? args[2] : "order-17",
                new BigDecimal(args.length > 3 ? args[3] : "12.50"), Instant.now());
        ProducerOptions options = ProducerOptions.builder(bootstrapServers).build();  // acks=all, idempotent
        try (JsonProducer<String, OrderPlaced> producer = JsonProducer.create(options)) {
            // The key picks the partition: all events of one order stay in order.
            SendResult sent = producer.sendAndWait(topic, order.orderId(), order, Duration.ofSeconds(10));
            System.out.println("stored in partition " + sent.partition() + " at offset " + sent.offset());
        }
    }
}
// README:produce-end
