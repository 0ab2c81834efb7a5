package dev.doorcast.history;

import java.time.Duration;
import java.time.InstantSource;

import javax.sql.DataSource;

import dev.doorcast.buffer.BufferListener;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.Sweeps;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

    /** How often the retention sweep runs at most; with a short {@code keep-for}, twice within it. */
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private static final Duration SWEEP_AT_MOST_EVERY = Duration.ofMillis(500);

    @Bean
    RingStore ringStore(DataSource dataSource) {
        return new RingStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @Bean
    RingWriter ringWriter(RingStore store, DeviceStreams streams, InstantSource clock, DoorcastProperties properties,
            MeterRegistry registry) {
        DoorcastProperties.Rings rings = properties.rings();
        RingWriter writer = new RingWriter(store, streams, clock, rings.keepFor(), rings.maxStorage().toBytes(),
                registry);
        for (String device : streams.devices()) {
            streams.buffer(device).addListener(new BufferListener() {
                @Override
                public void onRing(DoorbellRing ring) {
                    // A ring relayed from another instance is that instance's to write, once.
                    if (!ring.relayed()) {
                        writer.taken(device, ring);
                    }
                }
            });
        }
        return writer;
    }

    @Bean
    RingHistory ringHistory(RingStore store, RingWriter writer, DeviceStreams streams) {
        return new RingHistory(store, writer, streams);
    }

    @Bean
    StoreHealthIndicator storeHealthIndicator(RingWriter writer) {
        return new StoreHealthIndicator(writer);
    }

    @Bean
    Sweeps.Sweep ringRetentionSweep(Sweeps sweeps, RingWriter writer, DoorcastProperties properties) {
        Duration half = properties.rings().keepFor().dividedBy(2);
        if (half.compareTo(SWEEP_AT_MOST_EVERY) < 0) {
            half = SWEEP_AT_MOST_EVERY;
        }
        // The sweeps' thread only asks: the sweep itself runs on the writer's thread, which may wait on the store.
        return sweeps.every(half.compareTo(SWEEP_EVERY) < 0 ? half : SWEEP_EVERY, writer::sweepSoon);
    }
}
