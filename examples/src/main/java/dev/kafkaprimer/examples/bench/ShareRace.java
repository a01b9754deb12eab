package dev.kafkaprimer.examples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kafkaprimer.core.admin.ShareGroupSettings;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.KeyDeserializers;
import dev.kafkaprimer.core.consumer.OffsetReset;
import dev.kafkaprimer.core.consumer.ShareLoop;
import dev.kafkaprimer.core.consumer.ShareOptions;
import dev.kafkaprimer.core.json.JsonDeserializer;
import dev.kafkaprimer.examples.cli.GroupWait;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.WaitFor;

/**
 * Stage 10: share groups. One run: {@link #MEMBERS} members of a fresh group start on a fresh topic of
 * {@link #PARTITIONS} partitions, the bench waits until the group has formed, writes the records, and times the
 * first handler call to the last; each handler waits {@link #WORK} per record. What the members are:
 * <ul>
 *   <li>{@link Contest#GROUPS}: share loops (ours) against commit loops in a consumer group (raw column): the
 *       point of share groups, more busy members than partitions;</li>
 *   <li>{@link Contest#LOOP_COST}: share loops (ours) against the same members written by hand over
 *       {@code KafkaShareConsumer} (explicit acknowledgement, the same poll size): what the loop costs.</li>
 * </ul>
 */
final class ShareRace implements AutoCloseable {

    enum Contest { GROUPS, LOOP_COST }

    static final int MEMBERS = 6;
    static final int PARTITIONS = 2;
    static final Duration WORK = Duration.ofMillis(5);
    /** Records a share member acquires per poll, on both sides: small, so the records spread over members. */
    static final int SHARE_POLL_RECORDS = 10;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration JOIN_DEADLINE = Duration.ofSeconds(60);

    private final KafkaConnection kafka;
    private final BenchClients clients;
    private final ObjectMapper mapper;
    private final BenchTopics topics;
    private final List<BenchEvent> events;
    private final long valueBytes;
    private final Duration deadline;
    private final Sender filler;
    private final Admin admin;
    private final TopicAdmin groups;

    ShareRace(KafkaConnection kafka, BenchClients clients, ObjectMapper mapper, BenchTopics topics,
              Workload workload, int records, Duration deadline) {
        this.kafka = kafka;
        this.clients = clients;
        this.mapper = mapper;
        this.topics = topics;
        this.events = workload.events().subList(0, Math.min(records, workload.events().size()));
        this.valueBytes = workload.valueBytes() * events.size() / workload.events().size();
        this.deadline = deadline;
        this.filler = Sender.of(Side.RAW, clients, mapper);
        this.admin = Admin.create(kafka.adminProperties(JOIN_DEADLINE));
        this.groups = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), JOIN_DEADLINE);
    }

    int records() {
        return events.size();
    }

    Throughput run(Contest contest, Side side, String run) throws Exception {
        String topic = topics.create("share-" + run, PARTITIONS);
        String group = topics.prefix() + "share-group-" + run;
        boolean share = side == Side.OURS || contest == Contest.LOOP_COST;
        if (share) {
            groups.configureShareGroup(group, ShareGroupSettings.builder().autoOffsetReset(OffsetReset.EARLIEST)
                    .build());
        }
        AtomicLong firstCall = new AtomicLong();
        AtomicLong handled = new AtomicLong();
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                members.add(side == Side.OURS ? Member.of(shareLoop(group, topic, firstCall, handled))
                        : contest == Contest.GROUPS ? Member.of(commitLoop(group, topic, firstCall, handled))
                        : new RawShareMember(rawShareConsumer(group), topic, firstCall, handled));
            }
            long cpuStart = ProcessCpu.nanos();
            members.forEach(Member::start);
            Runnable failed = () -> members.forEach(Member::failIfStopped);
            boolean joined = share
                    ? GroupWait.shareGroup(admin, group, MEMBERS, JOIN_DEADLINE, failed).isPresent()
                    : GroupWait.consumerGroup(admin, group, MEMBERS, JOIN_DEADLINE, failed).isPresent();
            if (!joined) {
                throw new IllegalStateException("the " + MEMBERS + " members of " + group + " did not join within "
                        + JOIN_DEADLINE.toSeconds() + " s");
            }
            fill(topic);
            boolean done = WaitFor.until(deadline, () -> {
                failed.run();
                return handled.get() >= events.size();
            }, Boolean.TRUE::equals, Duration.ofMillis(5)).isPresent();
            long end = System.nanoTime();
            if (!done) {
                throw new IllegalStateException("the " + side + " members handled " + handled.get() + " of "
                        + events.size() + " records within " + deadline.toSeconds() + " s");
            }
            return new Throughput(events.size(), valueBytes, end - firstCall.get(), ProcessCpu.since(cpuStart));
        } finally {
            members.forEach(Member::stop);
            topics.delete(topic);
        }
    }

    private ShareLoop<String, BenchEvent> shareLoop(String group, String topic, AtomicLong firstCall,
                                                    AtomicLong handled) {
        ShareOptions options = ShareOptions.builder(kafka.bootstrapServers(), group, List.of(topic))
                .security(kafka.security()).maxPollRecords(SHARE_POLL_RECORDS).pollTimeout(POLL).build();
        return ShareLoop.create(options, KeyDeserializers.text(), new JsonDeserializer<>(mapper, BenchEvent.class),
                record -> work(firstCall, handled));
    }

    private CommitLoop<String, BenchEvent> commitLoop(String group, String topic, AtomicLong firstCall,
                                                      AtomicLong handled) {
        return CommitLoop.create(clients.consumerOptions(group, topic), KeyDeserializers.text(),
                new JsonDeserializer<>(mapper, BenchEvent.class), record -> work(firstCall, handled));
    }

    /** What a user writes by hand for the same share member: explicit acknowledgement, the same poll size. */
    private KafkaShareConsumer<String, BenchEvent> rawShareConsumer(String group) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, SHARE_POLL_RECORDS);
        return new KafkaShareConsumer<>(props, new StringDeserializer(),
                new JsonDeserializer<>(mapper, BenchEvent.class));
    }

    private static void work(AtomicLong firstCall, AtomicLong handled) throws InterruptedException {
        firstCall.compareAndSet(0, System.nanoTime());
        Thread.sleep(WORK.toMillis());
        handled.incrementAndGet();
    }

    private void fill(String topic) throws Exception {
        AckCounter acks = new AckCounter();
        for (BenchEvent event : events) {
            filler.send(topic, event, acks);
        }
        filler.flush();
        acks.requireAll(events.size());
    }

    @Override
    public void close() {
        try {
            filler.close();
            groups.close();
        } finally {
            admin.close(CLOSE_TIMEOUT);
        }
    }

    /** One member of a run, on a thread of its own, keeping how it ended. */
    private abstract static class Member {
        private final Thread thread = new Thread(this::runMember, "bench-share-member");
        private volatile Throwable failure;

        static Member of(Runnable loop, java.util.function.Consumer<Duration> close) {
            return new Member() {
                @Override
                void body() {
                    loop.run();
                }

                @Override
                void close() {
                    close.accept(CLOSE_TIMEOUT);
                }
            };
        }

        static Member of(ShareLoop<?, ?> loop) {
            return of(loop, loop::close);
        }

        static Member of(CommitLoop<?, ?> loop) {
            return of(loop, loop::close);
        }

        abstract void body() throws Exception;

        abstract void close();

        private void runMember() {
            try {
                body();
            } catch (Throwable e) {
                failure = e;
            }
        }

        void start() {
            thread.start();
        }

        void failIfStopped() {
            if (failure != null) {
                throw new IllegalStateException("a bench member failed: " + failure, failure);
            }
        }

        void stop() {
            close();
            try {
                thread.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The hand-written share member: poll, handle, acknowledge each record, poll again. */
    private static final class RawShareMember extends Member {
        private final KafkaShareConsumer<String, BenchEvent> consumer;
        private final String topic;
        private final AtomicLong firstCall;
        private final AtomicLong handled;
        private final AtomicBoolean closing = new AtomicBoolean();

        RawShareMember(KafkaShareConsumer<String, BenchEvent> consumer, String topic, AtomicLong firstCall,
                       AtomicLong handled) {
            this.consumer = consumer;
            this.topic = topic;
            this.firstCall = firstCall;
            this.handled = handled;
        }

        @Override
        void body() throws Exception {
            try (consumer) {
                consumer.subscribe(List.of(topic));
                while (!closing.get()) {
                    try {
                        for (ConsumerRecord<String, BenchEvent> record : consumer.poll(POLL)) {
                            work(firstCall, handled);
                            consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                        }
                    } catch (WakeupException e) {
                        // close(): the loop condition ends it
                    }
                }
            }
        }

        @Override
        void close() {
            closing.set(true);
            consumer.wakeup();
        }
    }
}
