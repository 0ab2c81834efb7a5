package dev.doorcast.system;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressesTest {

    @Test
    void anAddressHoldsItsCapAndGetsAPlaceBackWhenOneCloses() {
        ClientAddresses addresses = new ClientAddresses(2);
        Object first = new Object();

        assertThat(addresses.admit(first, "192.0.2.1")).isTrue();
        assertThat(addresses.admit(new Object(), "192.0.2.1")).isTrue();
        assertThat(addresses.admit(new Object(), "192.0.2.1")).isFalse();
        assertThat(addresses.admit(new Object(), "192.0.2.2")).isTrue();
        assertThat(addresses.closedSinceStart(ClientAddresses.Closed.ADDRESS_FULL)).isEqualTo(1);
        addresses.release(first);
        addresses.release(first);
        assertThat(addresses.connections("192.0.2.1")).isEqualTo(1);
        assertThat(addresses.admit(new Object(), "192.0.2.1")).isTrue();
    }

    @Test
    void aConnectionCountsAgainstOneAddressAtATimeAndForgetsAnAddressThatHoldsNone() {
        ClientAddresses addresses = new ClientAddresses(1);
        Object connection = new Object();

        assertThat(addresses.admit(connection, "192.0.2.1")).isTrue();
        assertThat(addresses.admit(connection, "192.0.2.1")).as("its next request").isTrue();
        assertThat(addresses.admit(connection, "192.0.2.2")).as("a pooled connection of a proxy").isTrue();
        assertThat(addresses.connections("192.0.2.1")).isZero();
        addresses.release(connection);
        assertThat(addresses.addresses()).isZero();
    }

    @Test
    void zeroCountsNothing() {
        ClientAddresses addresses = new ClientAddresses(0);

        for (int i = 0; i < 100; i++) {
            assertThat(addresses.admit(new Object(), "192.0.2.1")).isTrue();
        }
        assertThat(addresses.addresses()).isZero();
    }

    @Test
    void anIpv6ClientCountsByItsSlash64AndTheMachineItselfNotAtAll() {
        assertThat(ClientAddresses.keyOf("2001:db8:1:2:aaaa::1")).isEqualTo(ClientAddresses.keyOf("2001:db8:1:2::ffff"))
                .isNotEqualTo(ClientAddresses.keyOf("2001:db8:1:3::1"));
        assertThat(ClientAddresses.keyOf("[2001:db8::1]")).isEqualTo("2001:db8:0:0:0:0:0:0/64");
        assertThat(ClientAddresses.keyOf(" 203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddresses.keyOf(InetAddress.ofLiteral("127.0.0.1"))).isNull();
        assertThat(ClientAddresses.keyOf("::1")).isNull();
        assertThat(ClientAddresses.keyOf("127.0.0.2")).isEqualTo("127.0.0.2");
    }

    @Test
    void aHeaderThatIsNoAddressIsNeverLookedUp() {
        assertThat(ClientAddresses.keyOf("example.com")).isNull();
        assertThat(ClientAddresses.keyOf("999.1.1.1")).isNull();
        assertThat(ClientAddresses.keyOf("")).isNull();
        assertThat(ClientAddresses.keyOf("unknown")).isNull();
    }
}
