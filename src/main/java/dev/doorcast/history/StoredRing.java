package dev.doorcast.history;

/**
 * A ring as the list gives it, from the store or the buffer.
 *
 * @param id the ring's number, unique for its device
 * @param time server time it arrived, epoch ms
 * @param picture whether there is (or, while recording, may yet be) a picture of who rang and a clip
 */
public record StoredRing(long id, long time, boolean picture) {
}
