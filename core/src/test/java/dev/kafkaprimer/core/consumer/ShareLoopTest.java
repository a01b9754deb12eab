package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.core.admin.ShareGroupSettings;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.TestTopics;

/**
 * The share loop on a real broker: many members take records from the same partitions, each record is
 * acknowledged once its handler returned; a failing record is released and comes back with a higher delivery
 * count; a member that dies holding records loses none; a poison pill ends in the dead-letter topic and is
 * rejected, never delivered again; a slow handler keeps its lock by renewing it; close acknowledges what
 * finished and releases the rest.
 */
@QuickGroupsCluster
class ShareLoopTest extends BrokerClientsPerTest {

    /** What a handler saw: which record, at which delivery. */
    record Seen(String value, int deliveryCount) {
    }

    private String topic;
    private String group;

    @BeforeEach
    void topicAndGroup(TestTopics topics) {
        topic = topics.next();
        group = topic + "-share";
    }

    @Test
    void shouldAcceptEveryRecordExactlyOnceAcrossMembersWhenNothingFails() {
        clients.createTopic(topic, 2);
        configureGroup(Duration.ofSeconds(15));
        Map<String, Integer> handled = new ConcurrentHashMap<>();
        List<ShareLoop<String, String>> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(ShareLoop.create(options().concurrency(2).maxPollRecords(10).build(), new StringDeserializer(),
                    new StringDeserializer(), record -> handled.merge(record.value(), 1, Integer::sum)));
        }
        sendValues("v", 200);

        try (LoopThread a = LoopThread.start(members.get(0), "share-a");
             LoopThread b = LoopThread.start(members.get(1), "share-b");
             LoopThread c = LoopThread.start(members.get(2), "share-c")) {
            a.awaitWhileRunning("200 records handled", () -> handled.size() == 200);
            awaitNothingLeftToDeliver();
        }

        assertEquals(200, handled.size());
        assertTrue(handled.values().stream().allMatch(times -> times == 1), "each handled once: " + handled);
        long accepted = members.stream().mapToLong(member -> member.counts().accepted()).sum();
        assertEquals(200, accepted);
        assertEquals(0, members.stream().mapToLong(member -> member.counts().released()).sum());
    }

    @Test
    void shouldReleaseAFailedRecordAndGetItBackWithAHigherDeliveryCount() {
        clients.createTopic(topic, 1);
        configureGroup(Duration.ofSeconds(15));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        ShareLoop<String, String> loop = ShareLoop.create(options().build(), new StringDeserializer(),
                new StringDeserializer(), record -> {
                    int delivery = (int) record.deliveryCount().orElseThrow();
                    seen.add(new Seen(record.value(), delivery));
                    if (record.value().equals("flaky") && delivery == 1) {
                        throw new IllegalStateException("the downstream service is briefly down");
                    }
                });
        sendValues("v", 3);
        clients.send(topic, 0, "k", "flaky");

        try (LoopThread running = LoopThread.start(loop, "share-flaky")) {
            running.awaitWhileRunning("flaky accepted", () -> loop.counts().accepted() == 4);
        }

        assertEquals(List.of(new Seen("flaky", 1), new Seen("flaky", 2)),
                seen.stream().filter(s -> s.value().equals("flaky")).toList());
        assertEquals(1, loop.counts().released());
        assertEquals(1, loop.counts().redelivered());
    }

    @Test
    void shouldDeliverTheRecordsOfAMemberThatDiedToTheOthers() {
        clients.createTopic(topic, 1);
        configureGroup(Duration.ofSeconds(2));
        sendValues("v", 20);
        // A member that acquires records and then stops, as a process that was killed: it never acknowledges
        // them and never leaves the group. It is closed only at the end, without a chance to acknowledge.
        Set<String> acquiredByTheDead = new java.util.TreeSet<>();
        KafkaShareConsumer<byte[], byte[]> dead = new KafkaShareConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            dead.subscribe(List.of(topic));
            Await.until(BrokerClients.TIMEOUT, "the dying member acquires records", () -> {
                dead.poll(Duration.ofMillis(200)).forEach(r -> acquiredByTheDead.add(BrokerClients.text(r.value())));
                return !acquiredByTheDead.isEmpty();
            });
            Map<String, Integer> deliveries = new ConcurrentHashMap<>();
            ShareLoop<String, String> survivor = ShareLoop.create(options().build(), new StringDeserializer(),
                    new StringDeserializer(), record -> deliveries.put(record.value(),
                            (int) record.deliveryCount().orElseThrow()));

            try (LoopThread running = LoopThread.start(survivor, "share-survivor")) {
                running.awaitWhileRunning("all 20 handled by the survivor", () -> deliveries.size() == 20);
                awaitNothingLeftToDeliver();
            }

            for (String value : acquiredByTheDead) {
                assertEquals(2, deliveries.get(value), value + " came back with its second delivery");
            }
            assertEquals(acquiredByTheDead.size(), survivor.counts().redelivered());
            assertEquals(20, survivor.counts().accepted());
        } finally {
            dead.close(Duration.ZERO);
        }
    }

    @Test
    void shouldDeadLetterAndRejectAPoisonPillAndAFailureThatUsesUpItsAttempts() {
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        configureGroup(Duration.ofSeconds(15));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        ShareLoop<String, Integer> loop = ShareLoop.forJson(options()
                        .retry(RetryPolicy.builder().maxAttempts(2).build()).build(), Integer.class,
                record -> {
                    seen.add(new Seen(String.valueOf(record.value()), (int) record.deliveryCount().orElseThrow()));
                    if (record.value() == 13) {
                        throw new IllegalStateException("13 always fails");
                    }
                });
        clients.send(topic, 0, "a", "1");
        clients.send(topic, 0, "b", "not json");
        clients.send(topic, 0, "c", "13");
        clients.send(topic, 0, "d", "2");

        try (LoopThread running = LoopThread.start(loop, "share-poison")) {
            running.awaitWhileRunning("two rejected", () -> loop.counts().rejected() == 2);
            awaitNothingLeftToDeliver();
        }

        List<ConsumerRecord<byte[], byte[]>> letters = clients.read(topic + ".DLT", 2);
        assertEquals(2, letters.size());
        Map<String, String> poison = BrokerClients.deadLetterHeaders(letters.get(0));
        assertEquals("not json", BrokerClients.text(letters.get(0).value()));
        assertEquals("1", poison.get(DeadLetterHeaders.ORIGINAL_OFFSET));
        assertEquals("0", poison.get(DeadLetterHeaders.ATTEMPTS));
        assertEquals("1", poison.get(DeadLetterHeaders.DELIVERY_COUNT));
        Map<String, String> failing = BrokerClients.deadLetterHeaders(letters.get(1));
        assertEquals("13", BrokerClients.text(letters.get(1).value()));
        assertEquals("2", failing.get(DeadLetterHeaders.DELIVERY_COUNT));
        assertEquals(IllegalStateException.class.getName(), failing.get(DeadLetterHeaders.EXCEPTION_CLASS));
        assertEquals(group, failing.get(DeadLetterHeaders.CONSUMER_GROUP));
        // The handler never saw the poison pill; 13 twice (delivery 1 and 2), then never again.
        assertEquals(List.of(new Seen("1", 1), new Seen("13", 1), new Seen("13", 2), new Seen("2", 1)),
                seen.stream().sorted(java.util.Comparator.comparing(Seen::value).thenComparing(Seen::deliveryCount))
                        .toList());
        assertEquals(2, loop.counts().accepted());
        assertEquals(1, loop.counts().released());
    }

    @Test
    void shouldRenewTheLockOfASlowHandlerInsteadOfLettingTheRecordGoToAnother() throws Exception {
        clients.createTopic(topic, 1);
        configureGroup(Duration.ofSeconds(2));
        AtomicInteger slowCalls = new AtomicInteger();
        ShareLoop<String, String> loop = ShareLoop.create(options().build(), new StringDeserializer(),
                new StringDeserializer(), record -> {
                    if (record.value().equals("slow")) {
                        slowCalls.incrementAndGet();
                        Thread.sleep(3_500); // longer than the 2 s lock: needs two renewals at 1 s intervals
                    }
                });
        ShareLoop<String, String> other = ShareLoop.create(options().build(), new StringDeserializer(),
                new StringDeserializer(), record -> {
                    if (record.value().equals("slow")) {
                        slowCalls.incrementAndGet();
                    }
                });
        try (LoopThread first = LoopThread.start(loop, "share-slow")) {
            clients.send(topic, 0, "k", "slow");
            first.awaitWhileRunning("the slow record taken", () -> slowCalls.get() == 1);
            try (LoopThread second = LoopThread.start(other, "share-other")) {
                first.awaitWhileRunning("the slow record accepted", () -> loop.counts().accepted() == 1);
                awaitNothingLeftToDeliver();
            }
        }

        assertEquals(1, slowCalls.get(), "handled once, by the member that held it");
        assertTrue(loop.counts().renewed() >= 2, "renewals: " + loop.counts());
        assertEquals(0, loop.counts().acknowledgementErrors());
    }

    @Test
    void shouldAcknowledgeWhatFinishedAndReleaseWhatDidNotAtClose() throws Exception {
        clients.createTopic(topic, 1);
        configureGroup(Duration.ofSeconds(15));
        sendValues("v", 4);
        CountDownLatch stuckStarted = new CountDownLatch(1);
        Set<String> finished = ConcurrentHashMap.newKeySet();
        ShareLoop<String, String> first = ShareLoop.create(options().concurrency(4)
                        .drainTimeout(Duration.ofMillis(300)).build(),
                new StringDeserializer(), new StringDeserializer(), record -> {
                    if (record.value().equals("v3")) {
                        stuckStarted.countDown();
                        new CountDownLatch(1).await(); // never returns by itself: interrupted at close
                    }
                    finished.add(record.value());
                });
        LoopThread running = LoopThread.start(first, "share-closing");
        assertTrue(stuckStarted.await(30, TimeUnit.SECONDS), "v3 started");
        running.awaitWhileRunning("v0 to v2 finished", () -> finished.size() == 3);
        running.close();
        assertEquals(3, first.counts().accepted());

        Map<String, Integer> later = new ConcurrentHashMap<>();
        ShareLoop<String, String> second = ShareLoop.create(options().build(), new StringDeserializer(),
                new StringDeserializer(), record -> later.put(record.value(), (int) record.deliveryCount().orElseThrow()));
        try (LoopThread next = LoopThread.start(second, "share-next")) {
            next.awaitWhileRunning("v3 handled again", () -> later.containsKey("v3"));
            awaitNothingLeftToDeliver();
        }
        // Released at close, not left to its 15 s lock: delivered again at once, and only v3.
        assertEquals(Map.of("v3", 2), later);
    }

    /** An email to send: the README's job. */
    record Email(String to, String subject) {
    }

    /** Where the README's loop sends emails: a list here. */
    static final class Mailer {
        final List<Email> sent = new CopyOnWriteArrayList<>();

        void send(Email email) {
            sent.add(email);
        }
    }

    @Test
    void shouldSendEachEmailOnceWithTheReadmesLoop() throws Exception {
        // Given three emails in an outbox with two partitions
        String outbox = topic;
        clients.createTopic(outbox, 2);
        for (int i = 0; i < 3; i++) {
            clients.send(outbox, i % 2, "user-" + i, "{\"to\":\"user" + i + "@example.com\",\"subject\":\"hi\"}");
        }
        String bootstrapServers = kafka.bootstrapServers();
        Mailer mailer = new Mailer();
        String mailers = group;

        // README:share-start
        try (TopicAdmin admin = TopicAdmin.connect(bootstrapServers)) {
            // Once per group: a new share group starts at the end of its topics unless told otherwise.
            admin.configureShareGroup(mailers, ShareGroupSettings.builder()
                    .autoOffsetReset(OffsetReset.EARLIEST).build());
        }
        ShareOptions options = ShareOptions.builder(bootstrapServers, mailers, List.of(outbox))
                .concurrency(4)   // four emails at a time in this member; run as many members as you like
                .build();
        ShareLoop<String, Email> loop = ShareLoop.forJson(options, Email.class,
                record -> mailer.send(record.value()));
        // README:share-end

        try (LoopThread running = LoopThread.start(loop, "share-readme")) {
            running.awaitWhileRunning("three emails sent", () -> loop.counts().accepted() == 3);
        }
        assertEquals(List.of("user0@example.com", "user1@example.com", "user2@example.com"),
                mailer.sent.stream().map(Email::to).sorted().toList());
    }

    @Test
    void shouldRefuseConsumerGroupSettingsNamingWhereTheyLive() {
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> ShareOptions.builder("localhost:9092", "g", List.of("t")).property("auto.offset.reset", "earliest"));
        assertTrue(refused.getMessage().contains("share.auto.offset.reset"), refused.getMessage());
        assertFalse(ShareOptions.builder("localhost:9092", "g", List.of("t")).build().toString().isBlank());
    }

    private ShareOptions.Builder options() {
        return ShareOptions.builder(kafka.bootstrapServers(), group, List.of(topic)).pollTimeout(Duration.ofMillis(200));
    }

    private void configureGroup(Duration lock) {
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            admin.configureShareGroup(group, ShareGroupSettings.builder().autoOffsetReset(OffsetReset.EARLIEST)
                    .recordLockDuration(lock).build());
        }
    }

    /** Writes {@code prefix0}, {@code prefix1}... spread over the topic's partitions in turn. */
    private void sendValues(String prefix, int count) {
        int partitions;
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            partitions = admin.describeTopic(topic).partitions().size();
        }
        for (int i = 0; i < count; i++) {
            clients.send(topic, i % partitions, "k" + i, prefix + i);
        }
    }

    /** Waits until the group has no record of the topic left to deliver: what kafka-share-groups.sh shows. */
    private void awaitNothingLeftToDeliver() {
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            Await.until(BrokerClients.TIMEOUT, "share group " + group + " has nothing left to deliver", () -> {
                Map<org.apache.kafka.common.TopicPartition, Long> lag = admin.shareGroupLag(group);
                return !lag.isEmpty() && Collections.max(lag.values()) == 0;
            });
        }
    }
}
