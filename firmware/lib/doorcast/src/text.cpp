#include "doorcast/text.h"

#include <cstring>

namespace doorcast {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool space(char c) { return c == ' ' || c == '\t'; }

}  // namespace

TextBuilder::TextBuilder(char* out, size_t cap) : out_(out), cap_(cap), len_(0), overflow_(cap == 0) {
  if (cap_ > 0) out_[0] = '\0';
}

TextBuilder& TextBuilder::add(const char* text) { return add(text, std::strlen(text)); }

TextBuilder& TextBuilder::add(const char* text, size_t len) {
  if (overflow_ || len_ + len + 1 > cap_) {
    overflow_ = true;
    return *this;
  }
  std::memcpy(out_ + len_, text, len);
  len_ += len;
  out_[len_] = '\0';
  return *this;
}

TextBuilder& TextBuilder::addNumber(uint64_t value) {
  char digits[21];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  char text[21];
  for (size_t i = 0; i < n; i++) text[i] = digits[n - 1 - i];
  return add(text, n);
}

size_t TextBuilder::finish() const { return overflow_ ? 0 : len_; }

const char* headerValue(const char* line, const char* name) {
  size_t i = 0;
  for (; name[i] != '\0'; i++) {
    if (lower(line[i]) != lower(name[i])) return nullptr;
  }
  if (line[i] != ':') return nullptr;
  const char* value = line + i + 1;
  while (space(*value)) value++;
  return value;
}

bool parseNumber(const char* text, uint64_t& value) {
  while (space(*text)) text++;
  if (*text < '0' || *text > '9') return false;
  uint64_t result = 0;
  for (; *text >= '0' && *text <= '9'; text++) {
    uint64_t next = result * 10 + static_cast<uint64_t>(*text - '0');
    if (next / 10 != result) return false;  // overflow
    result = next;
  }
  while (space(*text)) text++;
  if (*text != '\0') return false;
  value = result;
  return true;
}

const char* findIgnoringCase(const char* text, const char* needle) {
  size_t n = std::strlen(needle);
  for (; *text != '\0'; text++) {
    size_t i = 0;
    while (i < n && text[i] != '\0' && lower(text[i]) == lower(needle[i])) i++;
    if (i == n) return text;
  }
  return nullptr;
}

}  // namespace doorcast
