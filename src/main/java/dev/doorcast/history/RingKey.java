package dev.doorcast.history;

/** A ring's identity: its number is unique for its device. */
record RingKey(String device, long id) {
}
