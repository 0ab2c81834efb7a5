package dev.doorcast.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRings;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Every device's names in Redis, {@code doorcast:<device>:frames}, {@code :audio}, {@code :rings},
 * {@code :talk} and the {@code :latest-frame} key, and where a message on each channel goes: the device's
 * local buffer or talk buffer, as the one kind that channel carries.
 */
final class RelayChannels {

    /** One device's names in Redis, its local buffer, rings and talk buffer. */
    record Target(String device, StreamBuffer buffer, DoorbellRings rings, TalkBuffer talk, byte[] frameChannel,
            byte[] audioChannel, byte[] ringChannel, byte[] talkChannel, byte[] latestFrameKey) {

        static Target of(String device, StreamBuffer buffer, DoorbellRings rings, TalkBuffer talk) {
            return new Target(device, buffer, rings, talk, name(device, "frames"), name(device, "audio"),
                    name(device, "rings"), name(device, "talk"), name(device, "latest-frame"));
        }

        private static byte[] name(String device, String what) {
            return ("doorcast:" + device + ":" + what).getBytes(StandardCharsets.UTF_8);
        }

        Stream<byte[]> channels() {
            return Stream.of(frameChannel, audioChannel, ringChannel, talkChannel);
        }
    }

    /** Where a channel's messages go, and the one kind it carries. */
    record Route(Target target, byte[] channel, byte kind) {
    }

    private final List<Target> targets = new ArrayList<>();
    private final Map<String, Route> byChannel = new HashMap<>();

    RelayChannels(DeviceStreams streams) {
        for (String device : streams.devices()) {
            Target target = Target.of(device, streams.buffer(device), streams.rings(device), streams.talk(device));
            targets.add(target);
            route(target, target.frameChannel(), RelayMessage.FRAME);
            route(target, target.audioChannel(), RelayMessage.AUDIO);
            route(target, target.ringChannel(), RelayMessage.RING);
            route(target, target.talkChannel(), RelayMessage.TALK);
        }
    }

    private void route(Target target, byte[] channel, byte kind) {
        byChannel.put(new String(channel, StandardCharsets.UTF_8), new Route(target, channel, kind));
    }

    /** Every device's, in the order of its devices. */
    List<Target> targets() {
        return targets;
    }

    /** Every channel to subscribe to. */
    byte[][] all() {
        return targets.stream().flatMap(Target::channels).toArray(byte[][]::new);
    }

    /** Where a message on {@code channel} goes; null for a channel that is none of this instance's devices'. */
    @Nullable Route route(byte[] channel) {
        return byChannel.get(new String(channel, StandardCharsets.UTF_8));
    }
}
