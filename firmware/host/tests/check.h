// A tiny test harness, so the host tests need nothing but a C++17 compiler:
//
//   TEST(readsWholeFrames) { CHECK(...); CHECK_EQ(a, b); }
//   int main() { return doorcast_test::runAll(); }
//
// Each test runs in order; a failed CHECK prints where and carries on, and the run ends with the
// "N passed, N failed" line (", N skipped" after it when a test called skipTest).
#pragma once

#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace doorcast_test {

using Bytes = std::vector<uint8_t>;

void registerTest(const char* name, void (*body)());
int runAll();
void fail(const char* file, int line, const std::string& what);

// Exits with ctest's "skipped" code, saying why.
[[noreturn]] void skip(const std::string& why);
// Marks the running test skipped, saying why; it should return at once. Counted apart from passed tests; a
// run with skipped tests and no failed one exits with ctest's "skipped" code.
void skipTest(const std::string& why);

Bytes readFile(const std::string& path);
// A file under firmware/host/testdata.
Bytes testdata(const std::string& name);
Bytes bytesOf(const std::string& text);
// The bytes of a string literal, NUL bytes in it included.
template <size_t N>
Bytes literal(const char (&text)[N]) {
  return Bytes(text, text + N - 1);
}
std::string textOf(const Bytes& bytes);
std::string describe(const Bytes& bytes);

template <typename T>
std::string show(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}
inline std::string show(const Bytes& value) { return describe(value); }
inline std::string show(const uint8_t& value) { return std::to_string(static_cast<unsigned>(value)); }
inline std::string show(const int8_t& value) { return std::to_string(static_cast<int>(value)); }
inline std::string show(const std::nullptr_t&) { return "nullptr"; }

template <typename A, typename B>
bool checkEqual(const A& actual, const B& expected, const char* actualText, const char* expectedText,
                const char* file, int line) {
  if (actual == expected) return true;
  fail(file, line, std::string(actualText) + " == " + expectedText + "\n      actual:   " + show(actual) +
                       "\n      expected: " + show(expected));
  return false;
}

struct Registrar {
  Registrar(const char* name, void (*body)()) { registerTest(name, body); }
};

}  // namespace doorcast_test

#define TEST(name)                                                           \
  static void name();                                                        \
  static doorcast_test::Registrar name##_registrar(#name, name);             \
  static void name()

#define CHECK(condition) \
  ((condition) ? true : (doorcast_test::fail(__FILE__, __LINE__, #condition), false))

#define CHECK_EQ(actual, expected) \
  doorcast_test::checkEqual((actual), (expected), #actual, #expected, __FILE__, __LINE__)
