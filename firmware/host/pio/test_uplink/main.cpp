// tests/uplink_test.cpp as a PlatformIO test suite (pio test -e native), with the harness and the POSIX
// transport it links with under CMake: one file here, so that pio's layout needs no copy of the tests.
#include "../../tests/check.cpp"
#include "../../posix_transport.cpp"
#include "../../tests/uplink_test.cpp"
