// Small text helpers for request heads and header lines, with fixed buffers and no heap.
#pragma once

#include <cstddef>
#include <cstdint>

namespace doorcast {

// Appends text to a caller's buffer, always NUL-terminated; remembers if anything did not fit.
class TextBuilder {
 public:
  TextBuilder(char* out, size_t cap);

  TextBuilder& add(const char* text);
  TextBuilder& add(const char* text, size_t len);
  TextBuilder& addNumber(uint64_t value);

  // The length written, or 0 if the text did not fit (a half-written head must never be sent).
  size_t finish() const;
  bool overflowed() const { return overflow_; }

 private:
  char* out_;
  size_t cap_;
  size_t len_;
  bool overflow_;
};

// The value of a header line "Name: value" if its name is name (any case), with the spaces after the
// colon skipped; nullptr for any other line.
const char* headerValue(const char* line, const char* name);

// A whole non-negative decimal number, with spaces around it allowed; false for anything else.
bool parseNumber(const char* text, uint64_t& value);

// Case-insensitive search for needle in text; nullptr if absent.
const char* findIgnoringCase(const char* text, const char* needle);

}  // namespace doorcast
