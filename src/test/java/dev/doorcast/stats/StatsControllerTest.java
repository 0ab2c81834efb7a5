package dev.doorcast.stats;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class StatsControllerTest {

    @ParameterizedTest(name = "{0} -> prometheus={1}")
    @CsvSource(delimiter = '|', value = {
            // Prometheus 2.x servers
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1 | true",
            "text/plain;version=0.0.4;q=1,*/*;q=0.1 | true",
            "text/plain | true",
            // browsers, curl, scripts
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8 | false",
            "*/* | false",
            "application/json | false",
            "application/json,text/plain | false",
            "text/plain;q=0.5,application/*;q=0.5 | false",
            "'' | false",
            "not a media type;;; | false",
    })
    void prometheusFormatOnlyForClientsThatRankItAboveJson(String accept, boolean prometheus) {
        assertThat(StatsController.prefersPrometheus(accept)).isEqualTo(prometheus);
    }
}
