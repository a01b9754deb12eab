package dev.kafkaprimer.examples.watch;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the live view shows, kept up to date by the example's loops ({@link LiveListener}) and by what the admin
 * client reads ({@link KafkaWatcher}), and read as one snapshot a few times a second. Changes that matter to a
 * learner become timeline entries as they are noticed: a partition moving to another member, a rebalance, a
 * leader changing, a broker leaving. Thread-safe: every method holds the object's lock, briefly.
 */
final class LiveState {

    /** Timeline entries kept: the newest; a long run shows its latest changes. */
    private static final int TIMELINE = 200;
    /** Printed lines kept, for the page's echo of the example's own output. */
    private static final int LINES = 40;

    private final String example;
    private String topic;
    private String group;
    private boolean shareGroup;
    /** Per topic-partition ("orders-0"). */
    private final Map<String, PartitionFacts> partitions = new HashMap<>();
    private final Map<String, MemberFacts> members = new LinkedHashMap<>();
    private final Map<Integer, BrokerFacts> brokers = new TreeMap<>();
    private Integer controller;
    private final Deque<Map<String, Object>> timeline = new ArrayDeque<>();
    private final Deque<String> lines = new ArrayDeque<>();
    private String status = "starting";
    private boolean finished;
    private long version;

    LiveState(String example) {
        this.example = example;
    }

    /**
     * The topic and group the example works with; either may be null (broker: all topics, no group). A share
     * group's "committed" offset is its share-partition start offset: every record before it is acknowledged.
     */
    synchronized void watching(String topic, String group, boolean shareGroup) {
        this.topic = topic;
        this.group = group;
        this.shareGroup = shareGroup;
        changed();
    }

    synchronized boolean shareGroup() {
        return shareGroup;
    }

    synchronized String topic() {
        return topic;
    }

    synchronized String group() {
        return group;
    }

    /** Offsets read by the admin client: log start, log end, and the group's committed offset (or -1). */
    synchronized void offsets(String topic, int partition, long logStart, long logEnd, long committed) {
        PartitionFacts facts = partition(topic, partition);
        if (facts.logStart != logStart || facts.logEnd != logEnd || facts.committed != committed) {
            facts.logStart = logStart;
            facts.logEnd = logEnd;
            facts.committed = committed;
            changed();
        }
    }

    /**
     * Who owns each partition now, as the group coordinator says, by {@code topic-partition}; a move is a timeline
     * entry.
     */
    synchronized void owners(Map<String, String> ownerByPartition, String generation) {
        for (Map.Entry<String, PartitionFacts> entry : partitions.entrySet()) {
            PartitionFacts facts = entry.getValue();
            String owner = ownerByPartition.get(entry.getKey());
            if (!Objects.equals(owner, facts.owner)) {
                if (facts.owner != null || owner != null) {
                    note("moved", name(facts) + ": " + (facts.owner == null ? "no owner" : facts.owner) + " → "
                            + (owner == null ? "no owner" : owner) + (generation == null ? "" : " (" + generation + ")"));
                }
                facts.owner = owner;
                if (owner != null && (facts.owners.isEmpty() || !facts.owners.get(facts.owners.size() - 1).equals(owner))) {
                    facts.owners.add(owner);
                }
                changed();
            }
        }
        ownerByPartition.values().forEach(this::member);
    }

    /** Leader, replicas and in-sync replicas of one partition; a new leader is a timeline entry. */
    synchronized void replicas(String topic, int partition, Integer leader, List<Integer> replicas, List<Integer> isr) {
        PartitionFacts facts = partition(topic, partition);
        if (facts.leader != null && !Objects.equals(facts.leader, leader)) {
            note("leader", name(facts) + ": leader " + facts.leader + " → " + (leader == null ? "none" : leader)
                    + ", in sync " + isr);
        }
        if (!Objects.equals(facts.leader, leader) || !facts.isr.equals(isr) || !facts.replicas.equals(replicas)) {
            facts.leader = leader;
            facts.replicas = List.copyOf(replicas);
            facts.isr = List.copyOf(isr);
            changed();
        }
    }

    /** The brokers that answer now and the active controller; one that stops or comes back is an entry. */
    synchronized void cluster(Map<Integer, String> live, Integer activeController) {
        live.forEach((id, address) -> {
            BrokerFacts broker = brokers.computeIfAbsent(id, BrokerFacts::new);
            broker.address = address;
            if (!broker.up) {
                if (broker.seen) {
                    note("broker", "broker " + id + " is back");
                }
                broker.up = true;
                broker.seen = true;
                changed();
            }
        });
        for (BrokerFacts broker : brokers.values()) {
            if (broker.up && !live.containsKey(broker.id)) {
                broker.up = false;
                note("broker", "broker " + broker.id + " stopped answering");
                changed();
            }
        }
        if (!Objects.equals(controller, activeController)) {
            if (controller != null) {
                note("controller", "active controller " + controller + " → " + activeController);
            }
            controller = activeController;
            changed();
        }
    }

    /** A member in this JVM was assigned, revoked or lost partitions. */
    synchronized void rebalanced(String member, String change, String partitionList, int generation) {
        member(member);
        note(change, member + " " + change + " " + partitionList + " (generation or epoch " + generation + ")");
    }

    synchronized void handled(String member) {
        member(member).handled++;
        changed();
    }

    synchronized void retried(String member) {
        member(member).retries++;
        changed();
    }

    synchronized void deadLettered(String member) {
        member(member).deadLetters++;
        changed();
    }

    /** One line the example printed, for the page's echo of its output. */
    synchronized void printed(String line) {
        lines.addLast(line);
        while (lines.size() > LINES) {
            lines.removeFirst();
        }
        changed();
    }

    /** What the watcher last managed to read, or why it could not ("broker 2 does not answer"). */
    synchronized void status(String text) {
        if (!text.equals(status)) {
            status = text;
            changed();
        }
    }

    /** The example's work is done (it may still hold). */
    synchronized void finished() {
        finished = true;
        changed();
    }

    /** A counter that moves with every change, so the sender knows when there is something new. */
    synchronized long version() {
        return version;
    }

    /**
     * The whole view as maps and lists, ready for JSON; records per second per member since the last snapshot.
     *
     * @param nowNanos the time of this snapshot
     */
    synchronized Map<String, Object> snapshot(long nowNanos) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("example", example);
        view.put("topic", topic);
        view.put("group", group);
        view.put("shareGroup", shareGroup);
        view.put("status", status);
        view.put("finished", finished);
        List<Map<String, Object>> partitionViews = new ArrayList<>();
        partitions.values().stream()
                .sorted(Comparator.comparing((PartitionFacts p) -> p.topic).thenComparingInt(p -> p.partition))
                .forEach(p -> partitionViews.add(p.view()));
        view.put("partitions", partitionViews);
        List<Map<String, Object>> memberViews = new ArrayList<>();
        members.values().forEach(m -> memberViews.add(m.view(nowNanos)));
        view.put("members", memberViews);
        List<Map<String, Object>> brokerViews = new ArrayList<>();
        brokers.values().forEach(b -> brokerViews.add(Map.of("id", b.id, "address", b.address, "up", b.up,
                "controller", Objects.equals(controller, b.id))));
        view.put("brokers", brokerViews);
        view.put("controller", controller);
        view.put("timeline", List.copyOf(timeline));
        view.put("lines", List.copyOf(lines));
        return view;
    }

    /** "partition 3", or "partition 3 of orders" when the view shows every topic. */
    private String name(PartitionFacts facts) {
        return "partition " + facts.partition + (topic == null ? " of " + facts.topic : "");
    }

    private PartitionFacts partition(String topic, int partition) {
        return partitions.computeIfAbsent(topic + "-" + partition, key -> new PartitionFacts(topic, partition));
    }

    private MemberFacts member(String name) {
        return members.computeIfAbsent(name, MemberFacts::new);
    }

    private void note(String kind, String text) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", LocalTime.now().truncatedTo(ChronoUnit.MILLIS).toString());
        entry.put("kind", kind);
        entry.put("text", text);
        timeline.addLast(entry);
        while (timeline.size() > TIMELINE) {
            timeline.removeFirst();
        }
        changed();
    }

    private void changed() {
        version++;
    }

    /** One partition as the view knows it; -1 for an offset not read yet. */
    private static final class PartitionFacts {
        final String topic;
        final int partition;
        long logStart = -1;
        long logEnd = -1;
        long committed = -1;
        String owner;
        /** Every owner in turn, so a move stays visible after it happened. */
        final List<String> owners = new ArrayList<>();
        Integer leader;
        List<Integer> replicas = List.of();
        List<Integer> isr = List.of();

        PartitionFacts(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("topic", topic);
            view.put("partition", partition);
            view.put("logStart", logStart);
            view.put("committed", committed);
            view.put("logEnd", logEnd);
            view.put("lag", logEnd < 0 ? -1 : logEnd - Math.max(committed, Math.max(logStart, 0)));
            view.put("owner", owner);
            view.put("owners", List.copyOf(owners));
            view.put("leader", leader);
            view.put("replicas", replicas);
            view.put("isr", isr);
            return view;
        }
    }

    /** One member's counts, from its loop's listener (members in other JVMs have none). */
    private static final class MemberFacts {
        final String name;
        long handled;
        long retries;
        long deadLetters;
        private long lastHandled;
        private long lastNanos = System.nanoTime();
        private double perSecond;

        MemberFacts(String name) {
            this.name = name;
        }

        Map<String, Object> view(long nowNanos) {
            double seconds = (nowNanos - lastNanos) / 1e9;
            if (seconds >= 0.5) {
                perSecond = (handled - lastHandled) / seconds;
                lastHandled = handled;
                lastNanos = nowNanos;
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", name);
            view.put("handled", handled);
            view.put("retries", retries);
            view.put("deadLetters", deadLetters);
            view.put("perSecond", Math.round(perSecond));
            return view;
        }
    }

    /** One broker: its address and whether it answered the last look. */
    private static final class BrokerFacts {
        final int id;
        String address = "";
        boolean up;
        boolean seen;

        BrokerFacts(int id) {
            this.id = id;
        }
    }
}
