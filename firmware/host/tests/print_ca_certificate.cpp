// Prints the PEM text the firmware trusts, for tests/ca_certificate.cmake to check with openssl.
#include <cstdio>

#include "doorcast/isrg_root_x1.h"

int main() { return std::fputs(doorcast::kIsrgRootX1, stdout) < 0 ? 1 : 0; }
