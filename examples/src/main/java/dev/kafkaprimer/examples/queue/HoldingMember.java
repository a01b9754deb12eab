package dev.kafkaprimer.examples.queue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.consumer.ShareLoop;
import dev.kafkaprimer.core.consumer.ShareOptions;

/**
 * A share group member in a JVM of its own that takes records and never finishes them: each handler prints
 * {@code holding <topic>-<partition> offset <offset> job <id>} and waits, so that the member holds its acquired
 * records when the example kills it with SIGKILL. Arguments: bootstrap servers, topic, group, how many records
 * to hold; the client security settings arrive on standard input, as properties.
 */
public final class HoldingMember {

    private HoldingMember() {
    }

    public static void main(String[] args) throws Exception {
        Properties security = new Properties();
        security.load(System.in);
        int hold = Integer.parseInt(args[3]);
        ShareOptions options = ShareOptions.builder(args[0], args[2], List.of(args[1]))
                .security(ClientSecurity.fromProperties(security))
                .concurrency(hold)
                .maxPollRecords(hold)
                .pollTimeout(Duration.ofMillis(200))
                .build();
        ShareLoop<String, Job> loop = ShareLoop.forJson(options, Job.class, record -> {
            synchronized (HoldingMember.class) {
                System.out.println("holding " + record.topic() + "-" + record.partition() + " offset "
                        + record.offset() + " job " + record.value().id());
                System.out.flush();
            }
            Thread.sleep(Long.MAX_VALUE); // the parent kills this JVM while it waits here
        });
        loop.run();
    }
}
