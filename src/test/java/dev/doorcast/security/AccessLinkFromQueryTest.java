package dev.doorcast.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code ?access=} link is taken from the query string alone, decoded as a query parameter would be. */
class AccessLinkFromQueryTest {

    @Test
    void findsTheLinkAmongOtherParametersAndDecodesIt() {
        assertThat(ViewerAccessFilter.accessLink("access=1795651200.Xk3-_q")).isEqualTo("1795651200.Xk3-_q");
        assertThat(ViewerAccessFilter.accessLink("fps=2&access=17%2E_a%3D&device=doorbell")).isEqualTo("17._a=");
        assertThat(ViewerAccessFilter.accessLink("access=a+b")).isEqualTo("a b");
    }

    @Test
    void theFirstOfSeveralCountsAsWithGetParameter() {
        assertThat(ViewerAccessFilter.accessLink("access=first&access=second")).isEqualTo("first");
    }

    @Test
    void noQueryOrNoLinkIsNull() {
        assertThat(ViewerAccessFilter.accessLink(null)).isNull();
        assertThat(ViewerAccessFilter.accessLink("")).isNull();
        assertThat(ViewerAccessFilter.accessLink("fps=2&accessible=1&xaccess=2")).isNull();
    }

    @Test
    void anEmptyOrUndecodableLinkIsPassedOnToBeRefused() {
        assertThat(ViewerAccessFilter.accessLink("access")).isEmpty();
        assertThat(ViewerAccessFilter.accessLink("access=")).isEmpty();
        assertThat(ViewerAccessFilter.accessLink("access=1.ab%zz")).isEqualTo("1.ab%zz");
    }
}
