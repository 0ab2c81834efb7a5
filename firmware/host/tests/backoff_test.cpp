// The backoff policy: what a device does after each kind of refusal or failure.
#include <set>
#include <string>

#include "check.h"
#include "doorcast/backoff.h"

using doorcast::Backoff;

TEST(successGoesOnAtOnce) {
  Backoff backoff(7);
  CHECK_EQ(backoff.afterAnswer(200, -1, 1000), 0u);
  CHECK(backoff.ready(1000));
  CHECK_EQ(std::string(backoff.reason()), std::string(""));
}

TEST(lostConnectionsWaitLongerEachTimeUpToACapWithJitter) {
  Backoff backoff(7);
  uint32_t ceilings[] = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (uint32_t ceiling : ceilings) {
    uint32_t wait = backoff.afterConnectionLoss(0);
    CHECK(wait >= ceiling / 2 && wait <= ceiling);
  }
  CHECK(std::string(backoff.reason()).find("no connection") != std::string::npos);
  backoff.reset();
  uint32_t wait = backoff.afterConnectionLoss(0);
  CHECK(wait >= 250 && wait <= 500);
}

TEST(aWrongTokenWaitsLongAndSaysSo) {
  Backoff backoff(7);
  uint32_t first = backoff.afterAnswer(401, -1, 0);
  CHECK(first >= 60000 && first <= 66000);
  CHECK(backoff.wrongToken());
  std::string reason = backoff.reason();
  CHECK(reason.find("401") != std::string::npos);
  CHECK(reason.find("token") != std::string::npos);
  uint32_t second = backoff.afterAnswer(401, -1, 0);
  CHECK(second >= 120000 && second <= 132000);
  uint32_t wait = 0;
  for (int i = 0; i < 10; i++) wait = backoff.afterAnswer(401, -1, 0);
  CHECK(wait >= 600000 && wait <= 660000);
  CHECK_EQ(backoff.afterAnswer(200, -1, 0), 0u);
  CHECK(!backoff.wrongToken());
}

TEST(aRedirectWaitsLongAndPointsAtTheUrl) {
  Backoff backoff(7);
  uint32_t wait = backoff.afterAnswer(301, -1, 0);
  CHECK(wait >= 60000 && wait <= 66000);
  CHECK(std::string(backoff.reason()).find("DOORCAST_URL") != std::string::npos);
}

TEST(retryAfterIsHonouredNeverShortened) {
  Backoff backoff(7);
  uint32_t wait = backoff.afterAnswer(429, 3, 10000);
  CHECK(wait >= 3000 && wait <= 3300);
  CHECK(!backoff.ready(10000 + 2999));
  CHECK(backoff.ready(10000 + wait));
  CHECK(std::string(backoff.reason()).find("429") != std::string::npos);
  wait = backoff.afterAnswer(503, 5, 0);
  CHECK(wait >= 5000 && wait <= 5500);
  CHECK(std::string(backoff.reason()).find("503") != std::string::npos);
}

TEST(busyWithoutRetryAfterBacksOffExponentially) {
  Backoff backoff(7);
  uint32_t first = backoff.afterAnswer(503, -1, 0);
  uint32_t second = backoff.afterAnswer(503, -1, 0);
  CHECK(first >= 250 && first <= 500);
  CHECK(second >= 500 && second <= 1000);
  uint32_t failed = backoff.afterAnswer(500, -1, 0);
  CHECK(failed >= 1000 && failed <= 2000);
}

TEST(aRejectedRequestDoesNotHoldUpTheNext) {
  Backoff backoff(7);
  CHECK_EQ(backoff.afterAnswer(400, -1, 0), 0u);
  CHECK_EQ(backoff.afterAnswer(413, -1, 0), 0u);
  CHECK_EQ(backoff.afterAnswer(404, -1, 0), 0u);
  CHECK(backoff.ready(0));
}

TEST(theDeadlineSurvivesTheMillisecondClockWrapping) {
  Backoff backoff(7);
  uint32_t now = 0xFFFFFF00u;
  uint32_t wait = backoff.afterAnswer(429, 1, now);
  CHECK(!backoff.ready(now + 500));  // 0xFFFFFF00 + 500 wraps past zero
  CHECK(backoff.ready(now + wait));
  CHECK_EQ(backoff.remainingMs(now + 200), wait - 200);
}

TEST(devicesWithDifferentSeedsSpreadOut) {
  std::set<uint32_t> waits;
  for (uint32_t seed = 1; seed <= 20; seed++) {
    Backoff backoff(seed * 2654435761u);
    backoff.afterConnectionLoss(0);
    backoff.afterConnectionLoss(0);
    waits.insert(backoff.afterConnectionLoss(0));  // up to 2 s each
  }
  CHECK(waits.size() >= 15);
}

int main() { return doorcast_test::runAll(); }
