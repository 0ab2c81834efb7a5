package dev.doorcast.system;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** doorcast's settings, bound to {@link DoorcastProperties} and checked at start; public for slice tests. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DoorcastProperties.class)
public class SettingsConfiguration {
}
