package dev.doorcast.stream;

import java.time.InstantSource;

import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.system.DoorcastProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StreamConfiguration {

    @Bean
    ViewerRegistry viewerRegistry(DoorcastProperties properties, InstantSource clock) {
        return new ViewerRegistry(properties.limits().maxViewers(), clock);
    }

    @Bean
    EndStreamsOnShutdown endStreamsOnShutdown(ViewerRegistry registry) {
        return new EndStreamsOnShutdown(registry);
    }

    @Bean
    LiveFeed liveFeed(ViewerRegistry registry) {
        return new LiveFeed(registry);
    }

    @Bean
    MjpegWriter mjpegWriter(LiveFeed feed, ViewerRegistry registry, DoorcastProperties properties) {
        return new MjpegWriter(feed, registry, properties.stream().keepAlive());
    }

    @Bean
    PcmWriter pcmWriter(StreamBuffer buffer, ViewerRegistry registry, DoorcastProperties properties) {
        return new PcmWriter(buffer, registry, properties.stream().keepAlive());
    }

    @Bean
    StreamConnector streamConnector(DoorcastProperties properties) {
        return new StreamConnector(properties.stream().socketWriteBuffer());
    }

    @Bean
    KeepAliveSweeper keepAliveSweeper(ViewerRegistry registry, DoorcastProperties properties) {
        return new KeepAliveSweeper(registry, properties.stream().keepAlive());
    }
}
