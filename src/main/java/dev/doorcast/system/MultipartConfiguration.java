package dev.doorcast.system;

import jakarta.servlet.MultipartConfigElement;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The multipart request-size limits of a frame upload; public so that web slice tests can import it. */
@Configuration(proxyBeanMethods = false)
public class MultipartConfiguration {

    /**
     * Frame uploads are held in memory up to the frame limit (the container's default writes every part to
     * a temporary file first), and refused past it with 413.
     */
    @Bean
    MultipartConfigElement multipartConfig(DoorcastProperties properties) {
        long maxFrame = properties.limits().maxFrameSize().toBytes();
        // Room for the form's small text fields and the part headers around the frame.
        long maxRequest = maxFrame + 16 * 1024;
        return new MultipartConfigElement("", maxFrame, maxRequest, (int) maxFrame + 1);
    }
}
