package dev.kafkaprimer.core.consumer.internal;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.ShareOptions;

/**
 * The first thing a starting share loop does: ask the cluster whether it runs share groups at all. A
 * {@code KafkaShareConsumer} pointed at a broker that does not (Kafka 4.0, or 4.1 without the preview switched
 * on) never says so clearly; this names the version needed. A wrong address shows up here too: no answer within
 * the startup timeout. Stateless; loop thread.
 */
final class ShareGroupSupport {

    private ShareGroupSupport() {
    }

    /**
     * Returns if the cluster runs share groups.
     *
     * @throws UnsupportedVersionException naming the group, the cluster and the version needed, if it does not
     * @throws TimeoutException            naming the address, if no broker answered within the startup timeout
     */
    static void require(ShareOptions options) {
        try (TopicAdmin admin = TopicAdmin.connect(adminProperties(options), options.startupTimeout())) {
            admin.requireShareGroups();
        } catch (UnsupportedVersionException e) {
            throw new UnsupportedVersionException("share group " + options.groupId() + " cannot start: "
                    + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new TimeoutException("share group " + options.groupId() + " got no answer from the cluster at "
                    + options.bootstrapServers() + " within " + options.startupTimeout().toMillis() + " ms "
                    + "(ShareOptions.startupTimeout): " + e.getMessage(), e);
        }
    }

    /** The share consumer's own settings that an admin client knows too: the address, security, network. */
    private static Map<String, Object> adminProperties(ShareOptions options) {
        Map<String, Object> props = new HashMap<>();
        options.properties().forEach((name, value) -> {
            if (AdminClientConfig.configNames().contains(name)) {
                props.put(name, value);
            }
        });
        options.security().ifPresent(security -> props.putAll(security.clientProperties()));
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        return props;
    }
}
