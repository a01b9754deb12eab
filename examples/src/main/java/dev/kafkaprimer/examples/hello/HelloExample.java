package dev.kafkaprimer.examples.hello;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.kafkaprimer.examples.cli.ConnectionProblem;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The learner's note's hands-on, in Java: what {@code kafka-topics.sh}, {@code kafka-console-producer.sh} and
 * {@code kafka-console-consumer.sh} did, decomposed into the following stages.
 * <ol>
 *   <li>connect: ask the cluster who its brokers are (fails clearly within a deadline if nobody answers);</li>
 *   <li>create the topic, 1 partition, replication factor 1;</li>
 *   <li>produce {@code hello kafka} as plain UTF-8 text, so Kafka's own console consumer prints it as is;</li>
 *   <li>consume the partition from the beginning (offset 0) until our record arrives;</li>
 *   <li>delete the topic, unless {@code --keep-topic}.</li>
 * </ol>
 * Every client call has a deadline: a wrong address ends the run with exit code 1, never a hang. Every client
 * is built from {@link KafkaConnection#clientProperties()}, so {@code --command-config} secures all three; a
 * wrong password or an untrusted certificate ends stage 1 with a message saying which.
 */
public final class HelloExample implements Example {

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public String summary() {
        return "the note's hands-on: create a topic, produce \"hello kafka\", consume from the beginning, delete";
    }

    @Override
    public ExampleOptions options() {
        return new ExampleOptions()
                .topic("--topic", "test-topic", "the topic to create and use")
                .value("--message", "TEXT", "hello kafka", "the value to produce")
                .keepTopic("leave the topic and its record in place (skip the delete)")
                .timeout("15", 1, 3600, "deadline for each step, e.g. reaching the broker");
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream out) throws Exception {
        String topic = args.string("--topic");
        String message = args.string("--message");
        Duration deadline = args.timeout();
        try (Admin admin = Admin.create(kafka.adminProperties(deadline))) {
            // stage 1: connect
            connect(admin, kafka, deadline, out);
            // stage 2: create the topic
            createTopic(admin, topic, deadline, out);
            // stage 3: produce
            RecordMetadata written = produce(kafka.clientProperties(), topic, message, deadline, out);
            // stage 4: consume from the beginning until our record is read
            consumeFromBeginning(kafka.clientProperties(), written, deadline, out);
            // stage 5: delete, as the note's last command does
            if (args.keepTopic()) {
                out.println("5. Keeping topic '" + topic + "' (--keep-topic). Read it with Kafka's own tool:");
                out.println("   kafka-console-consumer.sh --bootstrap-server " + kafka.bootstrapServers()
                        + " --topic " + topic + " --from-beginning"
                        + args.value(ExampleOptions.COMMAND_CONFIG).map(file -> " --consumer.config " + file).orElse(""));
            } else {
                admin.deleteTopics(List.of(topic)).all().get(deadline.toSeconds(), TimeUnit.SECONDS);
                out.println("5. Deleted topic '" + topic + "': its partition and log segments are removed.");
            }
        }
        out.println("hello: OK");
        return 0;
    }

    /** Stage 1; throws {@link ExampleFailedException} (exit code 1) saying why if nobody answers in time. */
    private static void connect(Admin admin, KafkaConnection kafka, Duration deadline, PrintStream out)
            throws InterruptedException {
        try {
            DescribeClusterResult cluster = admin.describeCluster();
            int brokers = cluster.nodes().get(deadline.toSeconds(), TimeUnit.SECONDS).size();
            String id = cluster.clusterId().get(deadline.toSeconds(), TimeUnit.SECONDS);
            out.println("1. Connected to cluster " + id + ": " + brokers + " broker(s) answer at "
                    + kafka.bootstrapServers() + " over " + kafka.security().protocol() + ".");
        } catch (TimeoutException | ExecutionException e) {
            throw new ExampleFailedException(ConnectionProblem.explain(e, kafka, deadline), e);
        }
    }

    private static void createTopic(Admin admin, String topic, Duration deadline, PrintStream out) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                    .all().get(deadline.toSeconds(), TimeUnit.SECONDS);
            out.println("2. Created topic '" + topic + "' with 1 partition and replication factor 1.");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            out.println("2. Topic '" + topic + "' already exists; using it (earlier records stay in it).");
        }
    }

    private static RecordMetadata produce(Map<String, Object> client, String topic, String message, Duration deadline,
                                          PrintStream out)
            throws Exception {
        // Where the cluster is, and how to log in and encrypt (from --command-config, if given).
        Map<String, Object> config = new HashMap<>(client);
        // Wait for the write to be on every in-sync replica before calling it done.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // send() may block while fetching metadata: bound it, like every other wait here.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) deadline.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deadline.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) deadline.toMillis() / 2);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            // No key, as with the console producer: the producer picks the partition (here the only one).
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, message))
                    .get(deadline.toSeconds(), TimeUnit.SECONDS);
            out.println("3. Produced \"" + message + "\" to partition " + written.partition() + " at offset "
                    + written.offset() + ".");
            return written;
        }
    }

    /** Stage 4; throws {@link ExampleFailedException} (exit code 1) if the record is not read back in time. */
    private static void consumeFromBeginning(Map<String, Object> client, RecordMetadata written, Duration deadline,
                                                PrintStream out) {
        Map<String, Object> config = new HashMap<>(client);
        // No consumer group: this reader assigns itself the partition and commits nothing.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition partition = new TopicPartition(written.topic(), written.partition());
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            out.println("4. Consuming partition " + partition.partition() + " from the beginning:");
            long giveUpAt = System.nanoTime() + deadline.toNanos();
            long firstReadAt = 0;
            while (System.nanoTime() < giveUpAt) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (firstReadAt == 0) {
                        firstReadAt = System.currentTimeMillis();
                    }
                    out.println("   partition " + record.partition() + ", offset " + record.offset() + ": "
                            + record.value());
                    if (record.offset() == written.offset()) {
                        out.println("   Read our record back; the next offset to read would be "
                                + (record.offset() + 1) + ".");
                        // What a learner waits for; ./primer bench reads this line. The clock was read first:
                        // loading the management classes must not count.
                        out.println("   (first record read " + (firstReadAt - jvmStartMillis())
                                + " ms after the JVM started)");
                        return;
                    }
                }
            }
        }
        throw new ExampleFailedException("the record at offset " + written.offset() + " was not read back within "
                + deadline.toSeconds() + " s.");
    }

    /** When this JVM started, as the JVM itself recorded it (before any of our code ran). */
    private static long jvmStartMillis() {
        return ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
