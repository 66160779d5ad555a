package io.factoryhub.hub.mirror;

import io.factoryhub.hub.config.HubConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.connect.mirror.DefaultReplicationPolicy;
import org.apache.kafka.connect.mirror.DefaultTopicFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the mirror is behind, per mirrored topic, from the two clusters' own offsets (no consumer, nothing
 * committed): records behind = the factory's end offsets minus the mirror's, summed over partitions (MirrorMaker2
 * keeps partitions and, on an empty target, offsets); seconds behind = the newest record's timestamp on the factory
 * minus the newest on the mirror (MirrorMaker2 keeps record timestamps), 0 when nothing is behind. The topics are
 * the ones mm2.properties selects, through MirrorMaker's own topic filter.
 *
 * <p>Metrics: {@code factory_mirror_records_behind{topic}} and {@code factory_mirror_seconds_behind{topic}}
 * (topic = the factory's name), refreshed every interval.
 */
public final class MirrorFreshness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorFreshness.class);
    private static final long TIMEOUT_S = 15;

    /** One mirrored topic; {@code secondsBehind} is NaN while the mirror holds none of its records. */
    public record TopicLag(String topic, String mirroredTopic, long recordsBehind, double secondsBehind) {
    }

    private final Admin factory;
    private final Admin external;
    private final String site;
    private final DefaultTopicFilter filter = new DefaultTopicFilter();
    private final DefaultReplicationPolicy policy = new DefaultReplicationPolicy();
    private final Map<String, TopicLag> latest = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService scheduler;

    /** @param factory, external admins it owns from here on (closed with it) */
    public MirrorFreshness(MirrorSettings settings, Admin factory, Admin external) {
        this.factory = factory;
        this.external = external;
        this.site = settings.site();
        Map<String, String> filterConfig = new HashMap<>();
        putIfSet(filterConfig, DefaultTopicFilter.TOPICS_INCLUDE_CONFIG, settings.flowSetting("topics"));
        putIfSet(filterConfig, DefaultTopicFilter.TOPICS_EXCLUDE_CONFIG, settings.flowSetting("topics.exclude"));
        filter.configure(filterConfig);
    }

    /** For the hub's configuration: the factory as a plain client, the external cluster as the mm2 user. */
    public static MirrorFreshness create(HubConfig config) {
        MirrorSettings settings = MirrorSettings.from(config);
        Admin factory = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.get("factory.kafka.bootstrap-servers")));
        Admin external = Admin.create(new HashMap<String, Object>(ExternalCluster.as(config, "mm2").clientProperties()));
        return new MirrorFreshness(settings, factory, external);
    }

    /** Measures now, every mirrored topic, sorted by name. */
    public List<TopicLag> measure() throws Exception {
        List<String> topics = factory.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
                .filter(filter::shouldReplicateTopic).sorted().toList();
        if (topics.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions = factory.describeTopics(topics).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
        // asked first: offsets of a topic the mirror has not created yet would only make the admin client log errors
        Set<String> mirroredTopics = external.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
        List<TopicLag> lags = new ArrayList<>();
        for (String topic : topics) {
            List<Integer> partitions = descriptions.get(topic).partitions().stream().map(p -> p.partition()).toList();
            String mirrored = policy.formatRemoteTopic(site, topic);
            Map<Integer, ListOffsetsResultInfo> sourceEnd = offsets(factory, topic, partitions, OffsetSpec.latest());
            Map<Integer, ListOffsetsResultInfo> sourceNewest = offsets(factory, topic, partitions, OffsetSpec.maxTimestamp());
            boolean exists = mirroredTopics.contains(mirrored);
            Map<Integer, ListOffsetsResultInfo> mirrorEnd = exists ? offsets(external, mirrored, partitions, OffsetSpec.latest()) : Map.of();
            Map<Integer, ListOffsetsResultInfo> mirrorNewest = exists
                    ? offsets(external, mirrored, partitions, OffsetSpec.maxTimestamp()) : Map.of();
            long behind = 0;
            for (int p : partitions) {
                long mirrorOffset = mirrorEnd.containsKey(p) ? mirrorEnd.get(p).offset() : 0;
                behind += Math.max(0, sourceEnd.get(p).offset() - mirrorOffset);
            }
            long sourceTs = newest(sourceNewest);
            long mirrorTs = newest(mirrorNewest);
            double seconds = behind == 0 ? 0 : mirrorTs < 0 ? Double.NaN : Math.max(0, sourceTs - mirrorTs) / 1000.0;
            lags.add(new TopicLag(topic, mirrored, behind, seconds));
        }
        return lags;
    }

    /** Measures every {@code intervalMs} in the background and publishes the figures as gauges. */
    public MirrorFreshness publish(MeterRegistry registry, long intervalMs) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mirror-freshness");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> refresh(registry), 0, intervalMs, TimeUnit.MILLISECONDS);
        return this;
    }

    private void refresh(MeterRegistry registry) {
        try {
            for (TopicLag lag : measure()) {
                latest.put(lag.topic(), lag);
                if (registry != null && gauged.add(lag.topic())) {
                    String topic = lag.topic();
                    Gauge.builder("factory.mirror.records.behind", latest, m -> m.get(topic).recordsBehind())
                            .description("Records on the factory cluster not yet on the external (BI) cluster")
                            .tag("topic", topic).register(registry);
                    Gauge.builder("factory.mirror.seconds.behind", latest, m -> m.get(topic).secondsBehind())
                            .description("Newest record on the factory minus newest on the external cluster, in seconds")
                            .tag("topic", topic).register(registry);
                }
            }
        } catch (Exception e) {
            // the next round tries again; the gauges keep the last figures
            LOG.warn("Mirror freshness not measured: {}", e.toString());
        }
    }

    private static Map<Integer, ListOffsetsResultInfo> offsets(Admin admin, String topic, List<Integer> partitions, OffsetSpec spec)
            throws InterruptedException, TimeoutException, ExecutionException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(new TopicPartition(topic, p), spec));
        try {
            Map<Integer, ListOffsetsResultInfo> result = new HashMap<>();
            admin.listOffsets(request).all().get(TIMEOUT_S, TimeUnit.SECONDS).forEach((tp, info) -> result.put(tp.partition(), info));
            return result;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Map.of(); // deleted since it was listed: everything is behind
            }
            throw e;
        }
    }

    /** The newest record timestamp over the partitions, -1 when they hold none. */
    private static long newest(Map<Integer, ListOffsetsResultInfo> infos) {
        return infos.values().stream().filter(i -> i.offset() >= 0).mapToLong(ListOffsetsResultInfo::timestamp).max().orElse(-1);
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS); // a round in progress ends before its admins close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        factory.close();
        external.close();
    }
}
