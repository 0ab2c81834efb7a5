package dev.doorcast.system;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@code ?access=} and {@code ?device=} are read from the query string alone, decoded as Tomcat decodes them. */
class QueryStringTest {

    private static String access(String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/stream/camera");
        request.setQueryString(query);
        return QueryString.single(request, "access");
    }

    @Test
    void findsTheParameterAmongOthersAndDecodesIt() {
        assertThat(access("access=v1.doorbell.all.1795651200.n.s")).isEqualTo("v1.doorbell.all.1795651200.n.s");
        assertThat(access("fps=2&access=17%2E_a%3D&device=doorbell")).isEqualTo("17._a=");
        assertThat(access("access=a+b")).isEqualTo("a b");
        assertThat(access("access")).isEmpty();
    }

    @Test
    void absentIsNull() {
        assertThat(access(null)).isNull();
        assertThat(access("")).isNull();
        assertThat(access("fps=2&accessible=1&xaccess=2")).isNull();
    }

    @Test
    void twiceOrUndecodableIsRefusedRatherThanGuessedAt() {
        assertThatIllegalArgumentException().isThrownBy(() -> access("access=first&access=second"));
        assertThatIllegalArgumentException().isThrownBy(() -> access("access=first&%61ccess=second"));
        assertThatIllegalArgumentException().isThrownBy(() -> access("access=1.ab%zz"));
    }

    @Test
    void aFormBodyIsNeverRead() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/stream/camera");
        request.setContentType("application/x-www-form-urlencoded");
        request.setContent("access=from-the-body".getBytes());
        request.addParameter("access", "from-the-body");

        assertThat(QueryString.single(request, "access")).isNull();
    }
}
