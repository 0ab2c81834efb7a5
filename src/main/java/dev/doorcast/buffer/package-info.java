@NullMarked
package dev.doorcast.buffer;

import org.jspecify.annotations.NullMarked;
