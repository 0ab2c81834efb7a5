package dev.doorcast.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The frame of the OpenAPI description served at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String DEVICE_TOKEN = "deviceToken";

    @Bean
    OpenAPI doorcastOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("doorcast")
                        .version("v1")
                        .description("Relays a doorbell's live camera (MJPEG) and microphone (16 kHz 16-bit mono PCM) "
                                + "to many viewers. The stream endpoints never end by themselves: OpenAPI tools can "
                                + "describe them but not try them; use a browser, ffmpeg or curl.")
                        .license(new License().name("MIT")))
                .components(new Components().addSecuritySchemes(DEVICE_TOKEN, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("The doorbell's token, doorcast.security.device-token"))
                        .addSecuritySchemes("viewerToken", new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("doorcast.security.viewer-token, when set; or ?access= links")));
    }
}
