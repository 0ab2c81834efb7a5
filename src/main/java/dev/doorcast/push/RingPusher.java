package dev.doorcast.push;

import dev.doorcast.buffer.BufferListener;
import dev.doorcast.buffer.DoorbellRing;

/**
 * Pushes each ring of one device that this instance took from the doorbell. With the Redis relay every
 * instance hears of every ring; only the one that took it pushes, so that a phone is told once.
 */
final class RingPusher implements BufferListener {

    private final String device;
    private final PushSender sender;

    RingPusher(String device, PushSender sender) {
        this.device = device;
        this.sender = sender;
    }

    @Override
    public void onRing(DoorbellRing ring) {
        if (!ring.relayed()) {
            sender.ring(device, ring.id(), ring.time());
        }
    }
}
