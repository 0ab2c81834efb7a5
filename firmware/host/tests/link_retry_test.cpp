// LinkRetry: when a doorbell that posts (its server answered the link's upgrade 404) tries the link again.
#include <set>

#include "check.h"
#include "doorcast/link_retry.h"

using doorcast::LinkRetry;
using doorcast::LinkRetryPolicy;

TEST(noTryWhileOnTheLink) {
  LinkRetry retry(7);
  CHECK(!retry.isPosting());
  CHECK(!retry.due(0));
  CHECK(!retry.due(1000000));
}

TEST(aPostingDoorbellTriesTheLinkAgainAfterTwoAndAHalfToFiveMinutes) {
  LinkRetry retry(7);
  retry.posting(1000);
  CHECK(retry.isPosting());
  uint32_t wait = retry.remainingMs(1000);
  CHECK(wait >= 150000 && wait <= 300000);
  CHECK(!retry.due(1000 + wait - 1));
  CHECK(retry.due(1000 + wait));
  CHECK(retry.due(1000 + wait + 60000));
}

TEST(theWaitsDifferBetweenDoorbellsAndBetweenTries) {
  std::set<uint32_t> firstWaits;
  for (uint32_t seed = 1; seed <= 50; seed++) {
    LinkRetry retry(seed);
    retry.posting(0);
    uint32_t wait = retry.remainingMs(0);
    CHECK(wait >= 150000 && wait <= 300000);
    firstWaits.insert(wait);
  }
  // Doorbells that fell back together (a server restarted without the link) spread their tries out.
  CHECK(firstWaits.size() > 40);
  LinkRetry retry(3);
  std::set<uint32_t> waits;
  uint32_t now = 0;
  for (int i = 0; i < 20; i++) {
    retry.posting(now);
    uint32_t wait = retry.remainingMs(now);
    CHECK(wait >= 150000 && wait <= 300000);
    waits.insert(wait);
    now += wait;
  }
  CHECK(waits.size() > 15);
  CHECK_EQ(retry.tries(), 19u);
}

TEST(aFailedTryKeepsPostingUntilTheNext) {
  LinkRetry retry(9);
  retry.posting(0);
  uint32_t first = retry.remainingMs(0);
  CHECK(retry.due(first));
  retry.posting(first);  // 404 again, or no answer
  CHECK(retry.isPosting());
  CHECK(!retry.due(first));
  CHECK(retry.remainingMs(first) >= 150000);
  CHECK_EQ(retry.tries(), 1u);
}

TEST(theLinkEndsThePostingAndItsTries) {
  LinkRetry retry(9);
  retry.posting(0);
  retry.linked();
  CHECK(!retry.isPosting());
  CHECK(!retry.due(10000000));
  CHECK_EQ(retry.remainingMs(0), 0u);
  // A later 404 (the server went back to an older version) starts the posting afresh.
  retry.posting(20000000);
  CHECK(retry.isPosting());
  CHECK_EQ(retry.tries(), 0u);
}

TEST(millisWrappingAroundIsNoProblem) {
  LinkRetry retry(5);
  uint32_t now = 0xFFFFFFFFu - 1000;
  retry.posting(now);
  uint32_t wait = retry.remainingMs(now);
  CHECK(wait >= 150000 && wait <= 300000);
  CHECK(!retry.due(now + 2000));  // past the wrap, not yet due
  CHECK(retry.due(now + wait));
}

TEST(theIntervalIsAPolicy) {
  LinkRetryPolicy policy;
  policy.everyMs = 400;
  LinkRetry retry(5, policy);
  retry.posting(0);
  uint32_t wait = retry.remainingMs(0);
  CHECK(wait >= 200 && wait <= 400);
}

int main() { return doorcast_test::runAll(); }
