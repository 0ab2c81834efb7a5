// The doorbell's button and the ring it posts.
#include <string>

#include "check.h"
#include "doorcast/button.h"
#include "doorcast/device_link.h"
#include "doorcast/protocol.h"
#include "doorcast/ring.h"
#include "scripted_transport.h"

using namespace doorcast;

namespace {

const bool kUp = true;  // a button to GND with a pull-up reads high while up
const bool kDown = false;

// Feeds level every ms from `from` to `to`; returns how many presses counted.
int hold(Debouncer& button, bool level, uint32_t from, uint32_t to) {
  int presses = 0;
  for (uint32_t t = from; t < to; t++) presses += button.update(level, t) ? 1 : 0;
  return presses;
}

}  // namespace

TEST(aBouncingPressCountsOnceWhenItHasSettled) {
  Debouncer button(false, 30, 3000);
  int presses = hold(button, kUp, 0, 100);
  // contacts bounce for 5 ms
  for (uint32_t t = 100; t < 105; t++) presses += button.update(t % 2 == 0 ? kDown : kUp, t) ? 1 : 0;
  presses += hold(button, kDown, 105, 130);
  CHECK_EQ(presses, 0);  // not yet settled for 30 ms
  presses += hold(button, kDown, 130, 400);
  CHECK_EQ(presses, 1);
  CHECK(button.down());
}

TEST(aGlitchShorterThanTheSettleTimeIsNoPress) {
  Debouncer button(false, 30, 3000);
  int presses = hold(button, kUp, 0, 100) + hold(button, kDown, 100, 110) + hold(button, kUp, 110, 500);
  CHECK_EQ(presses, 0);
}

TEST(pressesCloseTogetherRingOnce) {
  Debouncer button(false, 30, 3000);
  int presses = hold(button, kUp, 0, 100);
  presses += hold(button, kDown, 100, 300) + hold(button, kUp, 300, 600);
  presses += hold(button, kDown, 600, 800) + hold(button, kUp, 800, 3200);
  CHECK_EQ(presses, 1);
  presses += hold(button, kDown, 3200, 3400);  // 3.1 s after the first: counts
  CHECK_EQ(presses, 2);
}

TEST(theRingBodyCarriesTheDeviceTime) {
  char body[48];
  size_t n = formatRingBody(body, sizeof body, 1764111111000ULL);
  CHECK_EQ(std::string(body, n), std::string("{\"timestamp\":1764111111000}"));
  CHECK_EQ(formatRingBody(body, sizeof body, 0), 0u);
}

TEST(ringIsPostedAsJsonWithTheDeviceToken) {
  Url url;
  parseUrl("http://127.0.0.1:8080", url);
  doorcast_test::ScriptedTransport transport;
  transport.answers = {{"HTTP/1.1 204 \r\n\r\n"}};
  DeviceLink link(transport, url, "device-token");
  Answer answer = postRing(link, 1764111111000ULL);
  CHECK(ringOutcome(answer) == RingOutcome::kDelivered);
  CHECK_EQ(transport.written.at(0),
           std::string("POST /api/v1/devices/doorbell/ring HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                       "Authorization: Bearer device-token\r\nContent-Type: application/json\r\n"
                       "Content-Length: 27\r\n\r\n{\"timestamp\":1764111111000}"));
}

TEST(ringOutcomes) {
  Answer answer = {};
  answer.status = 404;
  CHECK(ringOutcome(answer) == RingOutcome::kNotOnServer);
  answer.status = 401;
  CHECK(ringOutcome(answer) == RingOutcome::kRefused);
  answer.status = 503;
  CHECK(ringOutcome(answer) == RingOutcome::kRetry);
  answer.status = 0;
  CHECK(ringOutcome(answer) == RingOutcome::kRetry);
  answer.status = 202;
  CHECK(ringOutcome(answer) == RingOutcome::kDelivered);
}

int main() { return doorcast_test::runAll(); }
