package dev.doorcast.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole server on a random port, with a known device token and no simulated doorbell, so that the
 * test is the only device. Classes that use it share one server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        // Tests post in bursts far above a doorbell's 5 fps; the rate limit has tests of its own.
        "doorcast.limits.max-device-fps=1000",
        // Likewise rings: the ring rate limit has tests of its own.
        "doorcast.rings.burst=1000",
})
public @interface LiveServerTest {
}
