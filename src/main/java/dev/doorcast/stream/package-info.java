@NullMarked
package dev.doorcast.stream;

import org.jspecify.annotations.NullMarked;
