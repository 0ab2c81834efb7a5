package dev.doorcast.security;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.security.ViewerGrant.Scope;
import dev.doorcast.system.DoorcastProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ViewerAccessTest {

    private static final String DEVICE = "device-token-0123456789";
    private static final String OWNER = "owner-token-0123456789";
    private static final String PORCH_VIEWER = "porch-viewer-0123456789";

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    private static DoorcastProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("doorcast", Bindable.of(DoorcastProperties.class));
    }

    private ViewerAccess access(Map<String, String> values) {
        DoorcastProperties properties = properties(values);
        return ViewerAccess.from(properties, DeviceCredentials.from(properties), clock);
    }

    /** A server outside the demo with the owner's token, a second device with its own viewer token, and more. */
    private ViewerAccess secured(String... more) {
        Map<String, String> values = new HashMap<>(Map.of("doorcast.demo.enabled", "false",
                "doorcast.security.device-token", DEVICE, "doorcast.security.viewer-token", OWNER,
                "doorcast.devices.porch.token", "porch-device-0123456789",
                "doorcast.devices.porch.viewer-token", PORCH_VIEWER));
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return access(values);
    }

    private static ViewerGrant valid(ViewerAccess access, String link) {
        AccessLinks.Verdict verdict = access.check(link);
        assertThat(verdict).isInstanceOf(AccessLinks.Verdict.Valid.class);
        return ViewerAccess.grantOf(link, (AccessLinks.Verdict.Valid) verdict);
    }

    private static String refusal(ViewerAccess access, String link) {
        AccessLinks.Verdict verdict = access.check(link);
        assertThat(verdict).as(link).isInstanceOf(AccessLinks.Verdict.Refused.class);
        return ((AccessLinks.Verdict.Refused) verdict).reason();
    }

    @Test
    void openWithoutAViewerToken() {
        ViewerAccess open = access(Map.of("doorcast.security.device-token", DEVICE));

        assertThat(open.required()).isFalse();
        assertThat(open.guardsMetrics()).isFalse();
        assertThat(open.byToken("anything")).isNull();
    }

    @Test
    void aMetricsTokenAloneGuardsOnlyTheMetrics() {
        ViewerAccess access = access(Map.of("doorcast.security.device-token", DEVICE,
                "doorcast.security.metrics-token", "metrics-token-0123456789"));

        assertThat(access.required()).isFalse();
        assertThat(access.guardsMetrics()).isTrue();
        assertThat(access.isMetricsToken("metrics-token-0123456789")).isTrue();
        assertThat(access.byToken("metrics-token-0123456789")).as("opens no stream").isNull();
    }

    @Test
    void prodRefusesToStartWithoutAViewerToken() {
        assertThatIllegalStateException().isThrownBy(() -> access(Map.of(
                        "doorcast.security.device-token", DEVICE,
                        "doorcast.security.require-viewer-token", "true")))
                .withMessageContaining("DOORCAST_SECURITY_VIEWER_TOKEN")
                .withMessageContaining("openssl rand -hex 32");
    }

    @Test
    void everyViewerTokenMustDifferFromTheDeviceTokensAndFromEachOther() {
        assertThatIllegalStateException().isThrownBy(() -> access(Map.of(
                        "doorcast.security.device-token", DEVICE, "doorcast.security.viewer-token", DEVICE)))
                .withMessageContaining("must differ");
        assertThatIllegalStateException().isThrownBy(() -> secured("doorcast.security.metrics-token", OWNER))
                .withMessageContaining("the same token");
        assertThatIllegalStateException().isThrownBy(() -> secured("doorcast.devices.porch.viewer-token", OWNER))
                .withMessageContaining("the same token");
    }

    @Test
    void shortSecretsRefuseToStartOutsideTheDemo() {
        for (String setting : new String[] {"doorcast.security.viewer-token", "doorcast.devices.porch.viewer-token",
                "doorcast.security.metrics-token", "doorcast.security.link-secret"}) {
            assertThatIllegalStateException().as(setting).isThrownBy(() -> secured(setting, "change-me"))
                    .withMessageContaining(setting)
                    .withMessageContaining(Secrets.environmentVariable(setting))
                    .withMessageContaining("openssl rand -hex 32");
        }
    }

    @Test
    void shortTokensAreFineForTheLocalDemo() {
        ViewerAccess demo = access(Map.of("doorcast.security.viewer-token", "viewer"));

        assertThat(demo.byToken("viewer")).isNotNull();
    }

    @Test
    void theOwnersTokenOpensEveryDeviceAndADevicesTokenOnlyItsOwn() {
        ViewerAccess access = secured();
        ViewerGrant owner = access.byToken(OWNER);
        ViewerGrant porch = access.byToken(PORCH_VIEWER);

        assertThat(owner).isNotNull();
        assertThat(owner.household()).isTrue();
        assertThat(owner.opens("doorbell", Scope.ALL)).isTrue();
        assertThat(owner.opens("porch", Scope.ALL)).isTrue();
        assertThat(porch).isNotNull();
        assertThat(porch.opens("porch", Scope.ALL)).isTrue();
        assertThat(porch.opens("doorbell", Scope.CAMERA)).isFalse();
        assertThat(access.byToken(DEVICE)).isNull();
        assertThat(access.byToken(OWNER.substring(1))).isNull();
        assertThat(access.byToken(null)).isNull();
    }

    @Test
    void aLinkOpensItsDeviceAndScopeUntilItExpires() {
        ViewerAccess access = secured("doorcast.security.access-ttl", "10m");
        ViewerAccess.Link link = access.newLink(access.byToken(PORCH_VIEWER), "porch", Scope.CAMERA);

        ViewerGrant grant = valid(access, link.access());
        assertThat(grant.opens("porch", Scope.CAMERA)).isTrue();
        assertThat(grant.opens("porch", Scope.ALL)).as("audio and stats").isFalse();
        assertThat(grant.opens("doorbell", Scope.CAMERA)).isFalse();
        assertThat(grant.household()).isFalse();
        assertThat(grant.expiresAt()).isEqualTo(link.expiresAt()).isEqualTo(now.get() + Duration.ofMinutes(10).toMillis());
        now.addAndGet(Duration.ofMinutes(10).toMillis());
        valid(access, link.access());
        now.addAndGet(1000);
        assertThat(refusal(access, link.access())).contains("expired");
    }

    @Test
    void aLinkHasOneSpellingAndEveryChangeBreaksIt() {
        ViewerAccess access = secured();
        ViewerGrant owner = access.byToken(OWNER);
        String link = access.newLink(owner, "doorbell", Scope.CAMERA).access();
        String[] parts = link.split("\\.");
        String expiry = parts[3];
        String issuer = parts[4];
        String tail = parts[5] + "." + parts[6];
        String porchIssuer = access.newLink(access.byToken(PORCH_VIEWER), "porch", Scope.CAMERA).access().split("\\.")[4];

        assertThat(link).matches("[A-Za-z0-9._-]+").startsWith("v2.doorbell.camera.");
        assertThat(access.newLink(owner, "doorbell", Scope.CAMERA).access()).as("every link its own").isNotEqualTo(link);
        for (String changed : new String[] {
                "v2.doorbell.all." + expiry + "." + issuer + "." + tail,
                "v2.porch.camera." + expiry + "." + issuer + "." + tail,
                "v2.doorbell.camera." + (Long.parseLong(expiry) + 3600) + "." + issuer + "." + tail,
                "v2.doorbell.camera.+" + expiry + "." + issuer + "." + tail,
                "v2.doorbell.camera.000" + expiry + "." + issuer + "." + tail,
                "v2.Doorbell.camera." + expiry + "." + issuer + "." + tail,
                "v1.doorbell.camera." + expiry + "." + issuer + "." + tail,
                "v1.doorbell.camera." + expiry + "." + tail,
                "v2.doorbell.camera." + expiry + "." + porchIssuer + "." + tail,
                "v2.doorbell.camera." + expiry + "." + issuer + ".AAAAAAAAAAA." + parts[6],
                link + "=", link + "x", link.substring(1), parts[6], "", ".", "v2......."}) {
            assertThat(refusal(access, changed)).as(changed).contains("not valid");
        }
    }

    @Test
    void linksAreSignedWithTheirOwnKeyNotTheViewerToken() {
        ViewerAccess first = secured("doorcast.security.link-secret", "link-secret-0123456789");
        ViewerAccess rotated = secured("doorcast.security.link-secret", "link-secret-9876543210");
        ViewerAccess unset = secured();

        String link = first.newLink(first.byToken(OWNER), "doorbell", Scope.ALL).access();

        valid(secured("doorcast.security.link-secret", "link-secret-0123456789"), link);
        assertThat(refusal(rotated, link)).as("rotating the link secret revokes every link").contains("not valid");
        assertThat(refusal(unset, link)).contains("not valid");
        assertThat(link).as("a captured link tells nothing of the token").doesNotContain(OWNER);
    }

    @Test
    void aLinkOpensOnlyWhileTheTokenThatMadeItIsConfigured() {
        String[] secret = {"doorcast.security.link-secret", "link-secret-0123456789"};
        ViewerAccess first = secured(secret);
        String byOwner = first.newLink(first.byToken(OWNER), "porch", Scope.ALL).access();
        String byPorch = first.newLink(first.byToken(PORCH_VIEWER), "porch", Scope.CAMERA).access();
        ViewerAccess porchRotated = secured(secret[0], secret[1], "doorcast.devices.porch.viewer-token",
                "porch-viewer-9876543210");
        ViewerAccess ownerRotated = secured(secret[0], secret[1], "doorcast.security.viewer-token",
                "owner-token-9876543210");
        ViewerAccess porchGone = access(Map.of("doorcast.demo.enabled", "false", secret[0], secret[1],
                "doorcast.security.device-token", DEVICE, "doorcast.security.viewer-token", OWNER,
                "doorcast.devices.porch.token", "porch-device-0123456789"));

        assertThat(refusal(porchRotated, byPorch)).contains("revoked");
        valid(porchRotated, byOwner);
        assertThat(refusal(ownerRotated, byOwner)).contains("revoked");
        valid(ownerRotated, byPorch);
        assertThat(refusal(porchGone, byPorch)).contains("revoked");
        valid(porchGone, byOwner);
    }

    @Test
    void onlyViewerTokensMakeLinks() {
        ViewerAccess access = secured();
        ViewerGrant link = valid(access, access.newLink(access.byToken(OWNER), "doorbell", Scope.ALL).access());

        assertThatIllegalArgumentException().isThrownBy(() -> access.newLink(link, "doorbell", Scope.ALL));
    }

    @Test
    void instancesSharingARelaySecretTakeEachOthersLinks() {
        String[] relay = {"doorcast.relay.type", "redis", "doorcast.relay.secret", "relay-secret-0123456789"};
        ViewerAccess one = secured(relay);
        ViewerAccess another = secured(relay);
        ViewerAccess otherRelay = secured("doorcast.relay.type", "redis",
                "doorcast.relay.secret", "another-relay-secret-0123");

        String link = one.newLink(one.byToken(OWNER), "doorbell", Scope.ALL).access();

        valid(another, link);
        assertThat(refusal(otherRelay, link)).contains("not valid");
    }
}
