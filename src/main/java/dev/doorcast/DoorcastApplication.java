package dev.doorcast;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

// No user accounts: devices authenticate by token (see security/), so no generated password either.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class DoorcastApplication {

    public static void main(String[] args) {
        SpringApplication.run(DoorcastApplication.class, args);
    }
}
