package dev.kafkaprimer.examples.dlt;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.DeadLetter;
import dev.kafkaprimer.core.consumer.DeadLetterReader;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;

/**
 * What is in a dead-letter topic, and sending it back: {@code ./primer dlt --topic orders.DLT [--replay]}.
 * <ol>
 *   <li>(without {@code --topic}) make some dead letters: five orders, three of which a commit loop gives up
 *       on, each in another way;</li>
 *   <li>list the topic's dead letters as a table: where each came from, how often it was tried, how long ago it
 *       was given up, and why ({@link DeadLetterReader}, which reads without a group and commits nothing);</li>
 *   <li>with {@code --replay}, send each back to its original topic, with a header naming the dead letter,
 *       committing its progress in a group of its own, so that a second run sends only what the first did
 *       not.</li>
 * </ol>
 */
public final class DltExample implements Example {

    static final String DEMO_TOPIC = "dlt-demo";
    static final String DEFAULT_GROUP = "kafka-primer-dlt-replay";

    @Override
    public String name() {
        return "dlt";
    }

    @Override
    public String summary() {
        return "list a dead-letter topic (origin, reason, attempts, age) and replay it to the original topics";
    }

    @Override
    public ExampleOptions options() {
        return new ExampleOptions()
                .topic("--topic", null, "the dead-letter topic to read; without it, a demo makes one")
                .topic("--demo-topic", DEMO_TOPIC, "the demo's topic, without --topic (recreated for each run)", ".DLT")
                .flag("--replay", "send each dead letter back to its original topic, once")
                .integer("--limit", "N", "1000000", 1, 1_000_000_000, "replay at most N dead letters this run")
                .value("--group", "NAME", DEFAULT_GROUP, "the group that remembers how far the replay got")
                .keepTopic("leave the demo's topics in place")
                .timeout("60", 1, 3600, "deadline for reading, and for the replay");
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream out) throws Exception {
        Duration timeout = args.timeout();
        Optional<String> given = args.value("--topic");
        String demoTopic = args.string("--demo-topic");
        String topic = given.orElse(demoTopic + ".DLT");
        try (TopicAdmin admin = TopicAdmin.connect(kafka.adminProperties(timeout), timeout)) {
            if (given.isEmpty()) {
                DemoFailures.make(kafka, admin, demoTopic, timeout, out);
            }
            List<DeadLetter> letters = read(kafka, topic, timeout);
            out.println((given.isEmpty() ? "3. " : "1. ") + "'" + topic + "' holds " + letters.size()
                    + " dead letter(s); the original key, value, headers and timestamp are kept in each:");
            DeadLetterTable.print(letters, Instant.now(), out);
            int replayed = 0;
            if (args.flag("--replay")) {
                // The demo's topics are new each run: so is its replay group, unless one is given.
                String group = given.isEmpty() && args.string("--group").equals(DEFAULT_GROUP)
                        ? DEFAULT_GROUP + "-" + UUID.randomUUID().toString().substring(0, 8) : args.string("--group");
                out.println((given.isEmpty() ? "4. " : "2. ") + "Replaying to the original topics, each with the"
                        + " header kafka-primer.dlt.replayed-from; progress is committed in group '" + group + "':");
                DeadLetterReplay.Outcome outcome = new DeadLetterReplay(kafka.clientProperties(), group, timeout)
                        .replay(topic, args.integer("--limit"), out);
                replayed = outcome.sent();
                out.println("   Sent " + outcome.sent() + (outcome.skipped() > 0 ? ", skipped " + outcome.skipped()
                        + " that are not dead letters" : "") + "; " + outcome.left() + " left"
                        + (outcome.sent() == 0 && outcome.left() == 0 ? " (an earlier replay sent them all)" : "")
                        + ". A record that fails again becomes a new dead letter.");
            } else {
                out.println("   Add --replay to send them back to their original topics.");
            }
            if (given.isEmpty() && !args.keepTopic()) {
                admin.deleteTopic(demoTopic);
                admin.deleteTopic(demoTopic + ".DLT");
                out.println("   Deleted the demo's topics (--keep-topic keeps them).");
            }
            out.println("dlt: OK listed=" + letters.size() + " replayed=" + replayed);
            return 0;
        }
    }

    private static List<DeadLetter> read(KafkaConnection kafka, String topic, Duration timeout) {
        try {
            return DeadLetterReader.readAll(kafka.clientProperties(), topic, timeout);
        } catch (UnknownTopicOrPartitionException e) {
            throw new ExampleFailedException("topic '" + topic + "' does not exist at " + kafka.bootstrapServers()
                    + (kafka.embedded().isPresent() ? " (the embedded broker starts empty: give --bootstrap-server"
                    + " the cluster that holds it)" : ""), e);
        }
    }
}
