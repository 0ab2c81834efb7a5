package dev.doorcast.relay;

/** How this instance shares its streams, as the stats report it: {@code local}, {@code UP} or {@code DOWN}. */
@FunctionalInterface
public interface RelayState {

    String state();
}
